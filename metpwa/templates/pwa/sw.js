/* metpwa service worker: keeps the versioned static shell, an offline page and the guided measures'
   shells (no client in them). Pages and fragments are never cached: they carry client data. */
const CACHE = "metpwa-shell-{{ version }}";
const SHELL = {{ shell|tojson }};
const OFFLINE = {{ offline_url|tojson }};
// A test's shell (/measures/shell/<key>) is kept as the session page warms it; offline, the real
// test's address (/clients/<id>/measures/<key>) is answered with it. Only a plain 200 from the
// shell's own URL is kept: never a redirect to the sign-in, never any other page.
const MEASURE_SHELL = {{ measure_shell_prefix|tojson }};
const MEASURE_PAGE = /^\/clients\/\d+\/measures\/([a-z0-9_]+)\/?$/;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll([...SHELL, OFFLINE]))
  );
});

// A new version waits until a page says it is between actions (app.js: as it is left), so nobody
// mid-entry has the shell change under them. The first install has nothing to wait for.
self.addEventListener("message", (event) => {
  if (event.data === "apply-update") self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((key) => key.startsWith("metpwa-shell-") && key !== CACHE)
            .map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (SHELL.includes(url.pathname + url.search)) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
    return;
  }
  if (url.pathname.startsWith(MEASURE_SHELL) && !url.search) {
    event.respondWith(
      fetch(request).then((response) => {
        if (response.ok && !response.redirected && response.type === "basic") {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
        }
        return response;
      }).catch(() => caches.match(url.pathname).then((hit) => hit || caches.match(OFFLINE)))
    );
    return;
  }
  const measure = request.mode === "navigate" && MEASURE_PAGE.exec(url.pathname);
  if (measure) {
    event.respondWith(fetch(request).catch(() => caches.match(MEASURE_SHELL + measure[1])
      .then((hit) => hit || caches.match(OFFLINE))));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE)));
  }
  // Anything else goes to the network untouched.
});

/* metpwa service worker: keeps the versioned static shell and an offline page.
   Pages and fragments are never cached: they carry client data. */
const CACHE = "metpwa-shell-{{ version }}";
const SHELL = {{ shell|tojson }};
const OFFLINE = {{ offline_url|tojson }};

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
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE)));
  }
  // Anything else goes to the network untouched.
});

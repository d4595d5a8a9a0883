"""Manifest, service worker (served from the root so its scope is the whole app) and offline page."""

import hashlib

from flask import current_app, jsonify, render_template, url_for

from ...access import public
from ...templating import static_url, static_version
from . import bp

# The static shell the service worker keeps: files only, never pages or fragments,
# because pages carry client data and must not outlive a sign-out on a shared iPad.
SHELL_FILES = (
    "css/app.css",
    "js/core.js",
    "js/app.js",
    "js/outbox.js",
    "js/measures.js",
    "js/session.js",
    "vendor/htmx-2.0.11.min.js",
    "vendor/signature_pad-5.1.4.umd.min.js",
    "icons/icon-192.png",
    "icons/icon-512.png",
    "icons/apple-touch-icon.png",
)


@bp.get("/manifest.webmanifest")
@public
def manifest():
    response = jsonify(
        {
            "name": "metpwa: Medical Exercise records",
            "short_name": "metpwa",
            "id": "/",
            "start_url": url_for("today.index"),
            "scope": "/",
            "display": "standalone",
            "orientation": "any",
            "background_color": "#f4f7f8",
            "theme_color": "#0b5563",
            "lang": "en-US",
            "icons": [
                {"src": static_url("icons/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
                {"src": static_url("icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
                {"src": static_url("icons/icon-maskable-512.png"), "sizes": "512x512", "type": "image/png",
                 "purpose": "maskable"},
            ],
        }
    )
    response.mimetype = "application/manifest+json"
    return response


@bp.get("/sw.js")
@public
def service_worker():
    shell = [static_url(name) for name in SHELL_FILES]
    version = hashlib.sha256(
        "".join(static_version(name) for name in SHELL_FILES).encode()
    ).hexdigest()[:12]
    body = render_template(
        # A template variable named shell, not a subprocess: bandit B604 misreads it.
        "pwa/sw.js", shell=shell, offline_url=url_for("pwa.offline"), version=version,  # nosec B604
    )
    response = current_app.response_class(body, mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/offline")
@public
def offline():
    return render_template("pwa/offline.html")


@bp.get("/healthz")
@public
def health():
    return {"status": "ok"}

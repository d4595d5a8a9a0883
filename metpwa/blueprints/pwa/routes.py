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


BACKGROUND = "#f4f7f8"
THEME = "#0b5563"

# The iPad screens (CSS pixels, portrait, and pixel ratio) that get a launch image of their own:
# iOS shows one only when its size and orientation match the screen exactly. 10.2", 10.9" (Air
# and 10th generation), 11" Pro and 12.9" Pro. tools/launch_images.py draws them.
LAUNCH_SCREENS = ((810, 1080, 2), (820, 1180, 2), (834, 1194, 2), (1024, 1366, 2))

# Screenshots of real screens from the demo practice, for the install sheet: the session screen on
# a tablet held upright, Today held sideways. tests/browser/test_install_screens.py takes them.
SCREENSHOTS = (
    {"file": "screenshots/session-narrow.png", "sizes": "820x1180", "form_factor": "narrow",
     "label": "A session under way: the open exercise, its sets and the next set's steppers"},
    {"file": "screenshots/today-wide.png", "sizes": "1180x820", "form_factor": "wide",
     "label": "Today: the day's clients, the session under way first"},
)


def launch_image_name(width: int, height: int, scale: int, landscape: bool) -> str:
    return f"ipad-{width}x{height}@{scale}x-{'landscape' if landscape else 'portrait'}.png"


@bp.app_template_global()
def launch_images() -> list[tuple[str, str]]:
    """(URL, media query) of each launch image, for base.html's apple-touch-startup-image links."""
    images = []
    for width, height, scale in LAUNCH_SCREENS:
        for landscape in (False, True):
            media = (f"(device-width: {width}px) and (device-height: {height}px) and "
                     f"(-webkit-device-pixel-ratio: {scale}) and (orientation: {'landscape' if landscape else 'portrait'})")
            images.append((static_url("icons/launch/" + launch_image_name(width, height, scale, landscape)), media))
    return images


@bp.get("/manifest.webmanifest")
@public
def manifest():
    response = jsonify(
        {
            "name": "metpwa: Medical Exercise records",
            "short_name": "metpwa",
            "description": "Records for a Medical Exercise Training practice on the gym floor: the day's "
                           "clients, sessions set by set, outcome measures, plans and progress reports.",
            "id": "/",
            "start_url": url_for("today.index"),
            "scope": "/",
            "display": "standalone",
            "orientation": "any",
            "background_color": BACKGROUND,
            "theme_color": THEME,
            "lang": "en-US",
            "icons": [
                {"src": static_url("icons/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
                {"src": static_url("icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
                {"src": static_url("icons/icon-maskable-512.png"), "sizes": "512x512", "type": "image/png",
                 "purpose": "maskable"},
            ],
            "screenshots": [
                {"src": static_url(shot["file"]), "sizes": shot["sizes"], "type": "image/png",
                 "form_factor": shot["form_factor"], "label": shot["label"]}
                for shot in SCREENSHOTS
            ],
            # A long press on the home-screen icon goes straight to either.
            "shortcuts": [
                {"name": "Today", "short_name": "Today", "description": "The day's clients and sessions",
                 "url": url_for("today.index"), "icons": [_shortcut_icon()]},
                {"name": "Schedule", "short_name": "Schedule", "description": "The week's appointments",
                 "url": url_for("sessions.schedule_week"), "icons": [_shortcut_icon()]},
            ],
        }
    )
    response.mimetype = "application/manifest+json"
    return response


def _shortcut_icon() -> dict:
    return {"src": static_url("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"}


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
        measure_shell_prefix=url_for("measure_shell.shell", measure_key="x")[:-1],
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

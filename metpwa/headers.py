"""Response headers every page gets: a strict CSP, no caching of client data, Vary for htmx."""

from __future__ import annotations

from flask import Flask, Response, request

# No 'unsafe-inline' and no 'unsafe-eval': htmx runs with allowEval false and
# its indicator styles off, and every script and style is a file under /static.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    # What governs a document (its scripts, frames, opener, features) goes on what can become one. An
    # answer to htmx's request (HX-Request, which a navigation cannot send) is read by script into the
    # page already open, whose own headers govern it: sending them again on every fragment would be
    # half of a logged set's bytes (issue 21) and change nothing. A file a route serves to be opened
    # (an upload, a PDF) sets its own policy, which stands either way.
    if not _fetched_by_htmx():
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers["X-Frame-Options"] = "DENY"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    if request.is_secure:
        # Subdomains too: a cookie set over plain http on a sibling name could shadow the sign-in.
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"

    if request.endpoint == "static":
        if request.args.get("v"):
            # Versioned URLs change with the file's content, so they may be kept forever.
            headers["Cache-Control"] = "public, max-age=31536000, immutable"
            # send_file dated Expires by SEND_FILE_MAX_AGE_DEFAULT (an hour): a cache that reads
            # Expires instead of max-age would drop the file an hour from now.
            headers.pop("Expires", None)
    else:
        # Pages may hold client data: never store them in any cache, on any device.
        headers["Cache-Control"] = "no-store"
        if not _fetched_by_htmx():
            headers["Pragma"] = "no-cache"  # for HTTP/1.0 caches, which only ever see page loads
    # One URL can answer with a page or a fragment depending on HX-Request.
    response.vary.add("HX-Request")
    return response


def _fetched_by_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)

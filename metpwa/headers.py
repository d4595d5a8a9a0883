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
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    headers["X-Frame-Options"] = "DENY"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
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
        headers["Pragma"] = "no-cache"
    # One URL can answer with a page or a fragment depending on HX-Request.
    response.vary.add("HX-Request")
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)

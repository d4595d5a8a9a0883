"""Static files compressed once, at the strongest setting, and kept.

flask-compress compresses every response with one quick setting, right for pages (made anew each
request) but wasteful for the app's scripts and styles: their URLs are versioned and immutable, so
the browser fetches each once per version while the server would compress it anew for every iPad.
Compressed here once per process with brotli at its highest quality (or gzip at 9), the first load of
the session screen is about 9 KB lighter than with flask-compress's zstd at level 3 (issue 21:
under 60 KB). flask-compress leaves a response that already has a Content-Encoding alone.
"""

from __future__ import annotations

import gzip
from functools import lru_cache

import brotli
from flask import Flask, Response, request

# Safari (the iPad) takes br and gzip; zstd it does not, and at a strong setting it saves no more.
_ALGORITHMS = ("br", "gzip")
_TEXT = ("text/css", "text/javascript", "application/javascript", "image/svg+xml", "application/json")


def init_app(app: Flask) -> None:
    # Flask runs after-request functions last registered first: this is registered after
    # flask-compress, so it runs before it.
    app.after_request(_compress_static)


def _accepted(header: str) -> str | None:
    offered = {part.split(";")[0].strip().lower() for part in header.split(",")}
    return next((name for name in _ALGORITHMS if name in offered), None)


@lru_cache(maxsize=128)
def _compressed(path: str, etag: str, algorithm: str, data: bytes) -> bytes:
    # path and etag name the version; data is the file itself (hashing it is the lru key's cost).
    if algorithm == "br":
        return brotli.compress(data, quality=11)
    return gzip.compress(data, compresslevel=9, mtime=0)


def _compress_static(response: Response) -> Response:
    if (request.endpoint != "static" or response.status_code != 200 or "Content-Encoding" in response.headers
            or response.mimetype not in _TEXT):
        return response
    algorithm = _accepted(request.headers.get("Accept-Encoding", ""))
    if algorithm is None:
        return response
    response.direct_passthrough = False
    data = response.get_data()
    etag, _ = response.get_etag()
    response.set_data(_compressed(request.path, etag or "", algorithm, data))
    response.headers["Content-Encoding"] = algorithm
    if etag:
        response.set_etag(f"{etag}:{algorithm}")
    vary = response.headers.get("Vary")
    if not vary:
        response.headers["Vary"] = "Accept-Encoding"
    elif "accept-encoding" not in vary.lower():
        response.headers["Vary"] = f"{vary}, Accept-Encoding"
    return response

"""PDF output for consents, plans and progress reports; importing it is cheap, WeasyPrint loads on first use.

WeasyPrint takes over a second to import, so `render_pdf` and friends are
loaded from `metpwa.pdf.render` when first touched (``from metpwa import pdf;
pdf.render_pdf(...)``). Call `warm_up` at start-up (gunicorn --preload) to pay
that once, before workers fork. See `metpwa.pdf.render` for the fetch policy.
"""

from __future__ import annotations

import hashlib
import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from metpwa.pdf.render import (
        STATIC_ROOT_URL,
        STATIC_SCHEME,
        Refusal,
        RefusedResourceError,
        RefusedURLError,
        StaticOnlyFetcher,
        render_pdf,
        render_pdf_with,
        warm_up,
    )

__all__ = [
    "STATIC_ROOT_URL",
    "STATIC_SCHEME",
    "Refusal",
    "RefusedResourceError",
    "RefusedURLError",
    "StaticOnlyFetcher",
    "pdf_sha256",
    "render_pdf",
    "render_pdf_with",
    "warm_up",
]
_LAZY = frozenset(__all__) - {"pdf_sha256"}


def pdf_sha256(data: bytes) -> str:
    """Hex SHA-256 of a finished PDF, as stored when a document is finalised (needs no WeasyPrint)."""
    return hashlib.sha256(data).hexdigest()


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module("metpwa.pdf.render"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

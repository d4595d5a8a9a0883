"""Uploaded PDFs: refuse what can act on the reader's computer, and keep only the pages of the rest.

A referral order or a clearance letter is pages of text and images. A PDF can also carry
JavaScript, forms that run scripts (XFA), actions that open files, programs or web addresses when
it is opened or clicked, embedded files and media. Those are refused, found by qpdf (through
pikepdf) after every stream is decoded whatever its chain of filters, object streams included, and
in the file's raw bytes as well (a damaged file's readers may find objects qpdf does not).

What passes is written again as a new PDF made of its pages only: no catalog entries (open
actions, names, forms, outlines, metadata), no annotations and no page actions survive, so what
billing and the owner later download is what the scanner saw, nothing more. The result is checked
once more before it is kept.
"""

from __future__ import annotations

import io
import re

import pikepdf

# Every name that makes a PDF act: scripts, forms with scripts, actions on open or on events, actions
# that leave the document, embedded files and rich media.
ACTIVE_NAMES = frozenset({"JavaScript", "JS", "XFA", "AA", "OpenAction", "Launch", "SubmitForm", "GoToR",
                          "GoToE", "ImportData", "RichMedia", "EmbeddedFile", "EmbeddedFiles"})
# Filters qpdf undoes; image filters are left encoded and allowed only on images.
_GENERAL_FILTERS = frozenset({"/FlateDecode", "/Fl", "/LZWDecode", "/LZW", "/ASCIIHexDecode", "/AHx",
                              "/ASCII85Decode", "/A85", "/RunLengthDecode", "/RL"})
_IMAGE_FILTERS = frozenset({"/DCTDecode", "/DCT", "/JPXDecode", "/JBIG2Decode", "/CCITTFaxDecode", "/CCF"})
_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]*)")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# Decoded bytes checked per file: a "zip bomb" of nested filters stops here, refused.
MAX_DECODED_BYTES = 64 * 1024 * 1024

REFUSED_ACTIVE = ("This PDF carries active content (JavaScript, a form with scripts, an action that opens "
                  "something, or an embedded file), which a referral order or letter never needs. Print it to "
                  "a new PDF or scan the paper, then upload that.")
REFUSED_UNREADABLE = ("This PDF could not be read (damaged, password-protected or in a form we cannot check). "
                      "Print it to a new PDF or scan the paper, then upload that.")


class PdfRefused(ValueError):
    """The PDF is not kept; the message is for the person at the upload field."""


def names_in(data: bytes) -> set[str]:
    """Every /Name in these bytes, with "#xx" escapes undone as a reader would ("/J#61vaScript")."""
    return {_HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw).decode("latin-1")
            for raw in _NAME.findall(data)}


def active_content(data: bytes) -> list[str]:
    """What makes this PDF active: the names found, with where; empty when it is only pages.

    Raises PdfRefused when the file cannot be opened or a stream cannot be decoded.
    """
    found = [f"/{name} in the file's bytes" for name in sorted(names_in(data) & ACTIVE_NAMES)]
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except (pikepdf.PdfError, pikepdf.PasswordError, ValueError) as error:
        raise PdfRefused(REFUSED_UNREADABLE) from error
    with pdf:
        return found + _active_objects(pdf)


def _active_objects(pdf: pikepdf.Pdf) -> list[str]:
    found: list[str] = []
    budget = MAX_DECODED_BYTES
    for obj in pdf.objects:
        where = f"object {obj.objgen[0]}" if obj.is_indirect else "the trailer"
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream):
            found += _active_in(obj, where)
        if not isinstance(obj, pikepdf.Stream):
            continue
        filters = obj.get("/Filter")
        chain = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) else (
            [str(filters)] if filters is not None else [])
        if any(f in _IMAGE_FILTERS for f in chain):
            if obj.get("/Subtype") != pikepdf.Name.Image or not set(chain) <= _GENERAL_FILTERS | _IMAGE_FILTERS:
                raise PdfRefused(REFUSED_UNREADABLE)
            continue  # pixels, whose dictionary was checked above
        if not set(chain) <= _GENERAL_FILTERS:
            raise PdfRefused(REFUSED_UNREADABLE)
        try:
            decoded = obj.read_bytes(pikepdf.StreamDecodeLevel.generalized)
        except pikepdf.PdfError as error:
            raise PdfRefused(REFUSED_UNREADABLE) from error
        budget -= len(decoded)
        if budget < 0:
            raise PdfRefused(REFUSED_UNREADABLE)
        if obj.get("/Subtype") == pikepdf.Name.Image:
            continue
        found += [f"/{name} in stream {where}" for name in sorted(names_in(decoded) & ACTIVE_NAMES)]
    return found


def _active_in(obj, where: str, depth: int = 0) -> list[str]:
    """Active names among a dictionary's keys and name values, and in its direct children."""
    if depth > 64:
        return [f"nesting too deep in {where}"]
    found = []
    if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        items = list(obj.items())
        found += [f"{key} in {where}" for key, _ in items if key[1:] in ACTIVE_NAMES]
        values = [value for _, value in items]
    else:
        values = list(obj)
    for value in values:
        if isinstance(value, pikepdf.Name) and str(value)[1:] in ACTIVE_NAMES:
            found.append(f"{value} in {where}")
        elif isinstance(value, pikepdf.Dictionary | pikepdf.Array) and not value.is_indirect:
            found += _active_in(value, where, depth + 1)
    return found


def clean(data: bytes) -> bytes:
    """The PDF rewritten with its pages only; PdfRefused when it is active or cannot be checked."""
    if active_content(data):
        raise PdfRefused(REFUSED_ACTIVE)
    with pikepdf.open(io.BytesIO(data)) as source, pikepdf.new() as out:
        if not len(source.pages):
            raise PdfRefused(REFUSED_UNREADABLE)
        for page in source.pages:
            out.pages.append(page)
        for page in out.pages:
            for key in ("/Annots", "/AA", "/B", "/PieceInfo", "/Metadata", "/StructParents"):
                if key in page.obj:
                    del page.obj[key]
        buffer = io.BytesIO()
        out.save(buffer, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.disable,
                 deterministic_id=True, linearize=False)
    cleaned = buffer.getvalue()
    if active_content(cleaned):
        raise PdfRefused(REFUSED_ACTIVE)
    return cleaned

"""Checks and re-encodes the signature images drawn on the iPad, and screens uploaded documents by their bytes."""

import base64
import binascii
import io
import re
import struct
import unicodedata
import zlib

from PIL import Image, ImageChops

from . import pdfs
from .errors import InputError

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8\xff"
_PDF_MAGIC = b"%PDF-"

# Only the chunks that carry pixels are handed to Pillow: text (tEXt, zTXt, iTXt), EXIF, ICC profiles
# and animation chunks are dropped unread, so nothing but pixels can ride along or be decompressed.
_PIXEL_CHUNKS = frozenset({b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"})
# Modes Pillow gives for 8-bit PNGs; 16-bit grayscale ("I;16") is not something a signature pad makes.
_MODES = frozenset({"1", "L", "LA", "P", "RGB", "RGBA"})
# A pixel is ink when it is clearly visible and clearly darker than paper.
_INK_MIN_ALPHA = 64
_INK_MAX_LUMINANCE = 224

EMPTY_SIGNATURE = "Please sign with your finger or the pencil: the signature is empty."
TINY_SIGNATURE = "Please sign with your finger or the pencil: that mark is too small to be a signature."
_NOT_PNG = "The signature must be a PNG image from the signature pad."
_DAMAGED = "The signature could not be read: please clear it and sign again."
_TOO_LARGE = "The signature image is too large: please clear it and sign again."
_TRAILING = "The signature image has extra data attached to it and was refused: please clear it and sign again."


class SignatureError(InputError):
    """A signature image was refused; `message` is shown to the person signing."""

    def __init__(self, message: str) -> None:
        super().__init__("signature", message)


def clean_signature(
    data: str | bytes,
    *,
    max_bytes: int = 200_000,
    max_width: int = 3000,
    max_height: int = 1500,
    min_ink_pixels: int = 150,
    min_width_px: int = 60,
    min_height_px: int = 15,
) -> bytes:
    """A freshly encoded PNG (grayscale+alpha or RGBA, no metadata) of a drawn signature, or SignatureError.

    `data` is signature_pad's toDataURL() string ("data:image/png;base64,...") or the PNG bytes.
    """
    png = _png_bytes(data, max_bytes)
    pixels_only = _pixel_chunks(png, max_width, max_height)
    image = _decode(pixels_only)
    rgba = image.convert("RGBA")
    alpha = rgba.getchannel("A")
    _check_ink(rgba, alpha, min_ink_pixels, min_width_px, min_height_px)

    # Colour hidden under fully transparent pixels is invisible but could carry data: it is set to black.
    visible = alpha.point(lambda value: 255 if value else 0)
    rgb = Image.composite(rgba.convert("RGB"), Image.new("RGB", rgba.size), visible)
    red, green, blue = rgb.split()
    if ImageChops.difference(red, green).getbbox() is None and ImageChops.difference(green, blue).getbbox() is None:
        clean = Image.merge("LA", (red, alpha))
    else:
        clean = Image.merge("RGBA", (red, green, blue, alpha))
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _png_bytes(data: str | bytes, max_bytes: int) -> bytes:
    """The raw PNG bytes from a data URL or bytes, refusing other media types and oversized payloads early."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        raw = bytes(data)
        if not raw.startswith(b"data:"):
            if len(raw) > max_bytes:
                raise SignatureError(_TOO_LARGE)
            if not raw.startswith(PNG_MAGIC):
                raise SignatureError(_NOT_PNG)
            return raw
        try:
            data = raw.decode("ascii")
        except UnicodeDecodeError:
            raise SignatureError(_DAMAGED) from None
    if not isinstance(data, str):
        raise SignatureError(_NOT_PNG)

    # Base64 grows data by 4/3: a payload longer than that bound is refused before anything is decoded.
    encoded_limit = (max_bytes + 2) // 3 * 4
    header, comma, payload = data[: encoded_limit + 256].partition(",")
    if header[:5].lower() != "data:" or not comma:
        raise SignatureError(_NOT_PNG)
    media_type, *parameters = (part.strip().lower() for part in header[5:].split(";"))
    if media_type != "image/png" or "base64" not in parameters:
        raise SignatureError(_NOT_PNG)
    if len(data) - len(header) - 1 > encoded_limit:
        raise SignatureError(_TOO_LARGE)
    try:
        png = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise SignatureError(_DAMAGED) from None
    if len(png) > max_bytes:
        raise SignatureError(_TOO_LARGE)
    if not png.startswith(PNG_MAGIC):
        # A data URL may claim image/png around an SVG, HTML or JPEG body: the bytes decide.
        raise SignatureError(_NOT_PNG)
    return png


def _pixel_chunks(png: bytes, max_width: int, max_height: int) -> bytes:
    """The PNG rebuilt from its pixel chunks, after checking every chunk's length and CRC.

    Dimensions are checked from IHDR here, before Pillow allocates anything (decompression bombs), and
    anything after IEND (a ZIP or HTML polyglot) is refused rather than ignored.
    """
    kept = [PNG_MAGIC]
    position = len(PNG_MAGIC)
    first = True
    while True:
        if position + 12 > len(png):
            raise SignatureError(_DAMAGED)
        length, kind = struct.unpack(">I4s", png[position : position + 8])
        end = position + 12 + length
        if end > len(png) or not kind.isalpha():
            raise SignatureError(_DAMAGED)
        body = png[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", png[end - 4 : end])
        if zlib.crc32(kind + body) != crc:
            raise SignatureError(_DAMAGED)
        if first:
            if kind != b"IHDR" or length != 13:
                raise SignatureError(_DAMAGED)
            width, height = struct.unpack(">II", body[:8])
            pillow_limit = Image.MAX_IMAGE_PIXELS  # None when an app has switched Pillow's bomb guard off
            if width > max_width or height > max_height or (pillow_limit and width * height > pillow_limit):
                raise SignatureError(_TOO_LARGE)
            first = False
        if kind in _PIXEL_CHUNKS:
            kept.append(png[position:end])
        elif kind[:1].isupper():
            # An unknown critical chunk (upper-case first letter) changes how pixels are read: not a plain PNG.
            raise SignatureError(_NOT_PNG)
        position = end
        if kind == b"IEND":
            break
    if position != len(png):
        raise SignatureError(_TRAILING)
    return b"".join(kept)


# Bytes per pixel by PNG colour type, for 8-bit images (the only depth signature_pad writes).
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def _check_pixel_stream(png: bytes) -> None:
    """The compressed pixel data must be whole.

    Pillow would otherwise fill a cut-short image with blank rows whenever
    ImageFile.LOAD_TRUNCATED_IMAGES is on, and WeasyPrint turns it on for the
    whole process when it is imported.
    """
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", png[16:29])
    idat, position = [], 8
    while position < len(png):
        (length,) = struct.unpack(">I", png[position:position + 4])
        if png[position + 4:position + 8] == b"IDAT":
            idat.append(png[position + 8:position + 8 + length])
        position += 12 + length
    if interlace or colour not in _CHANNELS or depth not in (1, 2, 4, 8):
        return  # Pillow's own decoder judges these; signature_pad never writes them
    row_bytes = 1 + -(-width * _CHANNELS[colour] * depth // 8)
    expected = row_bytes * height
    stream = zlib.decompressobj()
    try:
        pixels = stream.decompress(b"".join(idat), expected + 1)
    except zlib.error:
        raise SignatureError(_DAMAGED) from None
    if not stream.eof or len(pixels) != expected:
        raise SignatureError(_DAMAGED)


def _decode(png: bytes) -> Image.Image:
    _check_pixel_stream(png)
    try:
        image = Image.open(io.BytesIO(png), formats=["PNG"])
        image.load()
    except (OSError, SyntaxError, ValueError, EOFError, zlib.error, Image.DecompressionBombError):
        raise SignatureError(_DAMAGED) from None
    if image.mode not in _MODES:
        raise SignatureError(_NOT_PNG)
    return image


def _check_ink(rgba: Image.Image, alpha: Image.Image, min_ink_pixels: int, min_width_px: int,
               min_height_px: int) -> None:
    opaque = alpha.point(lambda value: 255 if value >= _INK_MIN_ALPHA else 0)
    dark = rgba.convert("L").point(lambda value: 255 if value < _INK_MAX_LUMINANCE else 0)
    ink = ImageChops.multiply(opaque, dark)
    box = ink.getbbox()
    if box is None:
        raise SignatureError(EMPTY_SIGNATURE)
    left, top, right, bottom = box
    if ink.histogram()[255] < min_ink_pixels or right - left < min_width_px or bottom - top < min_height_px:
        raise SignatureError(TINY_SIGNATURE)


_UNSAFE_NAME_CHARS = re.compile(r"[^A-Za-z0-9._ -]+")
_MAX_NAME = 120
_MAX_EXTENSION = 16


def safe_filename(name: str, default: str) -> str:
    """A file name safe to store and offer for download: no directories, no control characters, never empty.

    Keeps letters, digits, dot, underscore, space and hyphen, at most 120 characters, never a leading dot.
    """
    return _safe_name(name) or _safe_name(default) or "document"


def _safe_name(name: str) -> str:
    # Both separators count: a name from Windows arrives as "C:\\Users\\...\\order.pdf".
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, extension = base.rpartition(".")
    if not dot:
        stem, extension = base, ""
    stem, extension = _clean_name(stem), _clean_name(extension)[:_MAX_EXTENSION]
    if not stem:
        # ".pdf", ".htaccess" or a name only in a script we cannot keep says nothing: the default is used.
        return ""
    if not extension:
        return stem[:_MAX_NAME].rstrip(" .")
    return f"{stem[: _MAX_NAME - len(extension) - 1].rstrip(' .')}.{extension}"


def _clean_name(text: str) -> str:
    # NFKD turns "é" into "e" plus an accent, so accented names keep their letters.
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    kept = " ".join(_UNSAFE_NAME_CHARS.sub("", ascii_text).split())
    # No leading dot (hidden files) or hyphen (read as an option by command-line tools), no trailing dot.
    return kept.lstrip(" .-").rstrip(" .")[:_MAX_NAME]


# --- Uploaded documents --------------------------------------------------------------------------

def sniff_document(data: bytes) -> str | None:
    """"application/pdf", "image/png" or "image/jpeg" by the file's first bytes, else None.

    The magic must be at offset 0 (readers tolerate junk before "%PDF-", which is how polyglots start).
    A PDF that carries active content (rules/pdfs.py: JavaScript, XFA forms, actions, embedded files),
    or that cannot be decoded to check, gives None: a referral order or a clearance letter never
    needs any of it, and it is how a PDF attacks the reader's computer.
    """
    if data.startswith(_PDF_MAGIC):
        try:
            return None if pdfs.active_content(data) else "application/pdf"
        except pdfs.PdfRefused:
            return None
    if data.startswith(PNG_MAGIC):
        return "image/png"
    if data.startswith(_JPEG_MAGIC):
        return "image/jpeg"
    return None

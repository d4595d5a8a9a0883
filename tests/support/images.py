"""Pictures for tests: a hand-drawn-looking signature, and small documents."""

import base64
import io
import math

from PIL import Image, ImageDraw


def signature_png(width: int = 700, height: int = 220) -> bytes:
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    points = [(40 + x, height / 2 + 40 * math.sin(x / 28) * math.cos(x / 90)) for x in range(0, width - 80, 4)]
    draw.line(points, fill=(16, 33, 43, 255), width=5, joint="curve")
    return _png(image)


def signature_data_url(**kwargs) -> str:
    return "data:image/png;base64," + base64.b64encode(signature_png(**kwargs)).decode()


def blank_data_url(width: int = 700, height: int = 220) -> str:
    return "data:image/png;base64," + base64.b64encode(_png(Image.new("RGBA", (width, height)))).decode()


def dot_data_url() -> str:
    image = Image.new("RGBA", (700, 220))
    ImageDraw.Draw(image).ellipse((100, 100, 104, 104), fill=(0, 0, 0, 255))
    return "data:image/png;base64," + base64.b64encode(_png(image)).decode()


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

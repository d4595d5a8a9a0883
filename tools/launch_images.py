"""Draw the iOS launch images (apple-touch-startup-image) into metpwa/static/icons/launch/.

iOS shows one while an installed metpwa starts, but only an image whose size matches the iPad's
screen exactly, in the orientation it is held: one portrait and one landscape PNG for each iPad
screen in metpwa.blueprints.pwa.LAUNCH_SCREENS. The app's background, its icon and its name, as
the manifest's splash screen shows them on Android. Run again after changing the icon:

    .venv/bin/python tools/launch_images.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from metpwa.blueprints.pwa.routes import BACKGROUND, LAUNCH_SCREENS, THEME, launch_image_name  # noqa: E402

ICONS = ROOT / "metpwa" / "static" / "icons"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")  # Debian's fonts-dejavu-core


def draw(width: int, height: int, scale: int) -> Image.Image:
    image = Image.new("RGB", (width, height), BACKGROUND)
    icon_size = 128 * scale
    icon = Image.open(ICONS / "icon-512.png").convert("RGBA").resize((icon_size, icon_size), Image.LANCZOS)
    top = (height - icon_size) // 2 - 24 * scale
    image.paste(icon, ((width - icon_size) // 2, top), icon)
    font = ImageFont.truetype(str(FONT), 28 * scale) if FONT.exists() else ImageFont.load_default()
    text = "metpwa"
    box = ImageDraw.Draw(image).textbbox((0, 0), text, font=font)
    ImageDraw.Draw(image).text(((width - (box[2] - box[0])) // 2, top + icon_size + 20 * scale), text,
                               font=font, fill=THEME)
    return image


def main() -> None:
    folder = ICONS / "launch"
    folder.mkdir(exist_ok=True)
    for width, height, scale in LAUNCH_SCREENS:
        for landscape in (False, True):
            w, h = (height, width) if landscape else (width, height)
            path = folder / launch_image_name(width, height, scale, landscape)
            # A palette of 64 colours keeps each file small; the picture is flat colour and one icon.
            draw(w * scale, h * scale, scale).quantize(64).save(path, optimize=True)
            print(path.relative_to(ROOT), f"{path.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()

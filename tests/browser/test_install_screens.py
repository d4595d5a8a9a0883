"""The install sheet's screenshots (the manifest's "screenshots") are real screens of the demo
practice: this test takes them again and checks the committed PNGs are those screens at the sizes
the manifest says. METPWA_WRITE_INSTALL_SCREENS=1 writes the new ones over metpwa/static/screenshots/."""

import io
import os
from pathlib import Path

import pytest
from PIL import Image

from metpwa.blueprints.pwa.routes import SCREENSHOTS

from .conftest import session_under_way, sign_in

pytestmark = pytest.mark.browser

STATIC = Path(__file__).resolve().parents[2] / "metpwa" / "static"


def _page(browser, live_server, sizes):
    width, height = (int(n) for n in sizes.split("x"))
    device = dict(browser.ipad)
    # One CSS pixel, one image pixel: the manifest's sizes are the picture's, and the files stay small.
    device.update(viewport={"width": width, "height": height}, screen={"width": width, "height": height},
                  device_scale_factor=1, service_workers="block")
    context = browser.new_context(**device)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base = live_server.url
    return page


def test_the_install_screenshots_are_real_screens(browser, live_server):
    session_id, _ = session_under_way(live_server)
    for shot in SCREENSHOTS:
        page = _page(browser, live_server, shot["sizes"])
        try:
            sign_in(page, "marcus@riverside.example")
            path = f"/sessions/{session_id}" if "session" in shot["file"] else "/"
            page.goto(page.base + path)
            page.wait_for_load_state("networkidle")
            png = page.screenshot()
        finally:
            page.context.close()
        taken = Image.open(io.BytesIO(png))
        assert f"{taken.width}x{taken.height}" == shot["sizes"]
        target = STATIC / shot["file"]
        if os.environ.get("METPWA_WRITE_INSTALL_SCREENS"):
            target.parent.mkdir(exist_ok=True)
            taken.convert("RGB").quantize(128).save(target, optimize=True)
        committed = Image.open(target)
        assert f"{committed.width}x{committed.height}" == shot["sizes"]
        assert target.stat().st_size < 250_000

"""In hand-off, the client reads the practice's Notice of Privacy Practices just above its
acknowledgement and signs by finger (issue 16)."""

import pytest

from .conftest import LANDSCAPE, SCREENSHOTS, sign_in
from .test_intake_flow import draw_signature_by_touch

pytestmark = pytest.mark.browser


def test_the_client_reads_the_notice_then_signs_its_acknowledgement(ipad, new_ipad, live_server):
    with live_server.app.app_context():
        from sqlalchemy import select

        from metpwa.extensions import db
        from metpwa.models import Client

        # A client who has signed nothing yet (the demo's newest referral).
        frank = db.session.scalar(select(Client.id).where(Client.last_name == "DiMarco"))
    sign_in(ipad, "priya@riverside.example")
    ipad.goto(f"{ipad.base}/clients/{frank}")
    ipad.tap("button:has-text('Hand to client')")
    ipad.wait_for_url("**/handoff")
    ipad.tap("a.task:has-text('Acknowledgement of the Notice of Privacy Practices')")
    ipad.wait_for_selector("#notice")
    notice = ipad.locator("#notice")
    assert "Notice of Privacy Practices" in notice.locator("h1").inner_text()
    assert "THIS NOTICE DESCRIBES HOW HEALTH INFORMATION" in notice.inner_text()
    # The notice comes before what the client signs.
    notice_top = notice.bounding_box()["y"]
    assert notice_top < ipad.locator("h1", has_text="Acknowledgement").bounding_box()["y"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    ipad.screenshot(path=str(SCREENSHOTS / "portrait-handoff-privacy-notice.png"), full_page=True)
    draw_signature_by_touch(ipad)
    ipad.tap("button:has-text('I agree and sign')")
    ipad.wait_for_url("**/handoff")
    assert "Acknowledgement of the Notice" not in ipad.locator("body").inner_text()

    landscape = new_ipad(LANDSCAPE)
    sign_in(landscape, "dana@riverside.example")
    landscape.goto(f"{landscape.base}/consents")
    assert landscape.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    landscape.screenshot(path=str(SCREENSHOTS / "landscape-consents-notice.png"), full_page=True)

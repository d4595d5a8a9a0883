"""A trainer opens a client's Plan of Exercise whose newest version is a draft, reads what signing
attests to, and signs it with a tap; the page then says who signed it and when (issue 16)."""

import pytest

from .conftest import LANDSCAPE, SCREENSHOTS, sign_in

pytestmark = pytest.mark.browser


def _draft_plan(live_server):
    """The demo client whose current plan version waits for its signature (Ellison's change)."""
    with live_server.app.app_context():
        from sqlalchemy import select

        from metpwa.extensions import db
        from metpwa.models import PlanVersion

        drafts = [plan for plan in db.session.scalars(select(PlanVersion).where(PlanVersion.superseded_at.is_(None)))
                  .unique() if not plan.signed]
        assert drafts, "the demo keeps one current plan version unsigned"
        return drafts[0].client_id, drafts[0].version


def test_a_trainer_signs_the_draft_plan_with_a_tap(ipad, new_ipad, live_server):
    client_id, version = _draft_plan(live_server)
    sign_in(ipad, "marcus@riverside.example")
    ipad.goto(f"{ipad.base}/clients/{client_id}/plan")
    assert ipad.locator(".badge-warn", has_text="Draft - not signed").count() == 1
    signature = ipad.locator("#signature")
    assert "I have reviewed this Plan of Exercise" in signature.inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    ipad.screenshot(path=str(SCREENSHOTS / "portrait-plan-draft.png"), full_page=True)
    button = signature.locator("button", has_text=f"Sign version {version}")
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    button.tap()
    ipad.wait_for_selector("#signature >> text=This version is locked")
    badge = ipad.locator(".badge-ok", has_text="Signed ")
    assert badge.count() == 1 and "Marcus" in badge.inner_text()
    assert ipad.locator("text=Draft - not signed").count() == 0
    assert ipad.locator("#signature button").count() == 0
    ipad.screenshot(path=str(SCREENSHOTS / "portrait-plan-signed.png"), full_page=True)
    landscape = new_ipad(LANDSCAPE)
    sign_in(landscape, "priya@riverside.example")
    landscape.goto(f"{landscape.base}/clients/{client_id}/plan")
    assert landscape.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    landscape.screenshot(path=str(SCREENSHOTS / "landscape-plan-signed.png"), full_page=True)

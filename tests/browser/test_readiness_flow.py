"""The owner opens the readiness dashboard on the demo practice in iPad emulation, follows a red item
to where it is fixed, fixes it, and sees it turn green; the referral-network pages in both orientations."""

import pytest

from .conftest import LANDSCAPE, PORTRAIT, SCREENSHOTS, sign_in
from .test_layout import CHECK_TARGETS

pytestmark = pytest.mark.browser


def _ids(live_server):
    with live_server.app.app_context():
        from sqlalchemy import select

        from metpwa.extensions import db
        from metpwa.models import Client, ReferringProvider, RelationshipActivity

        ortiz = db.session.scalar(select(ReferringProvider.id).where(ReferringProvider.last_name == "Ortiz"))
        activity = db.session.scalar(select(RelationshipActivity.id).order_by(RelationshipActivity.id.desc()))
        kowalski = db.session.scalar(select(Client.id).where(Client.last_name == "Kowalski"))
    return ortiz, activity, kowalski


def test_the_owner_follows_a_red_item_to_its_fix_and_sees_it_turn_green(ipad, live_server):
    sign_in(ipad, "dana@riverside.example")
    ipad.goto(ipad.base + "/readiness")
    item = ipad.locator('[data-item="audit_verified"]')
    assert item.get_attribute("data-state") == "missing"
    element = ipad.locator('[data-element="secure_records"]')
    assert element.get_attribute("data-status") == "not_ready"
    item.locator("[data-fix]").tap()
    ipad.wait_for_url("**/audit#verify-status")
    ipad.tap("button:has-text('Check the seals')")
    ipad.wait_for_selector("#verify-status >> text=check out")
    ipad.goto(ipad.base + "/readiness")
    assert ipad.locator('[data-item="audit_verified"]').get_attribute("data-state") == "done"
    assert ipad.locator('[data-item="audit_verified"] [data-fix]').count() == 0
    # A client's gap links to the client's own page for it.
    first_gap = ipad.locator("#clients-not-ready li a").first
    assert first_gap.get_attribute("href").startswith("/clients/")
    # Each client's row is the target, not the name's line of text.
    assert all(link.bounding_box()["height"] >= 44 for link in ipad.locator("#clients-not-ready li a").all())


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_network_and_readiness_pages_fit_the_ipad(new_ipad, live_server, orientation):
    ipad = new_ipad(PORTRAIT if orientation == "portrait" else LANDSCAPE)
    sign_in(ipad, "dana@riverside.example")
    ortiz, activity, kowalski = _ids(live_server)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in (("readiness", "/readiness"), ("readiness-clients", "/readiness/clients"),
                       ("referral-sources", "/referral-sources"), ("referral-source", f"/referral-sources/{ortiz}"),
                       ("referral-source-edit", f"/referral-sources/{ortiz}/edit"),
                       ("effectiveness", f"/referral-sources/{ortiz}/effectiveness"),
                       ("effectiveness-all", "/referral-network/effectiveness"),
                       ("follow-ups", "/referral-network/follow-ups"), ("activity", f"/referral-network/activities/{activity}"),
                       ("chart-evidence", f"/clients/{kowalski}#evidence")):
        ipad.goto(ipad.base + path)
        ipad.screenshot(path=str(SCREENSHOTS / f"{orientation}-{name}.png"), full_page=True)
        assert ipad.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        assert ipad.evaluate(CHECK_TARGETS) == [], path

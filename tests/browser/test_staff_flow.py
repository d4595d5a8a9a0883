"""The owner on an iPad: Today leads with what to do next (a card lapsing in 20 days, a lapsed one,
an overdue HIPAA training); a credential typed with its expiry before its issue is refused at the
field with everything typed still there, then fixed; the staff and training pages fit both
orientations with thumb-sized targets."""

import pytest

from .conftest import LANDSCAPE, PORTRAIT, SCREENSHOTS, sign_in
from .test_layout import CHECK_TARGETS

pytestmark = pytest.mark.browser


def _user_id(live_server, email):
    with live_server.app.app_context():
        from sqlalchemy import select

        from metpwa.extensions import db
        from metpwa.models import User

        return db.session.scalar(select(User.id).where(User.email == email))


def _fill(ipad, selector, text):
    ipad.tap(selector)
    ipad.keyboard.press("Control+A")
    ipad.keyboard.type(text)


def test_owner_adds_a_credential_with_a_bad_expiry_sees_why_and_fixes_it(ipad, live_server):
    sign_in(ipad, "dana@riverside.example")
    steps = ipad.locator("#next-steps")
    assert "Marcus Lee's CPR/AED: expires in 20 days" in steps.inner_text()
    assert "Priya Raman's CPR/AED: lapsed on" in steps.inner_text()
    assert "Priya Raman's HIPAA training: overdue since" in steps.inner_text()
    steps.locator("a.task", has_text="Marcus Lee's CPR/AED").tap()
    ipad.wait_for_url("**/staff/*/credentials")
    ipad.locator("#kind").select_option("state_licence")
    _fill(ipad, "#number", "225.009871")
    _fill(ipad, "#issuer", "Illinois Department of Financial and Professional Regulation")
    _fill(ipad, "#issued_on", "06/01/2026")
    _fill(ipad, "#expires_on", "05/31/2026")
    _fill(ipad, "#state", "IL")
    ipad.locator("#profession").select_option("athletic_trainer")
    ipad.locator("button:has-text('Add credential')").tap()
    ipad.wait_for_selector("#expires_on-error")
    assert "on or before the issue date" in ipad.locator("#expires_on-error").inner_text()
    assert ipad.locator("#expires_on").get_attribute("aria-invalid") == "true"
    # Nothing typed is lost: every field still holds what was typed.
    assert ipad.input_value("#number") == "225.009871"
    assert ipad.input_value("#issued_on") == "06/01/2026"
    assert ipad.input_value("#state") == "IL"
    assert ipad.locator("#profession").input_value() == "athletic_trainer"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    ipad.screenshot(path=str(SCREENSHOTS / "portrait-staff-credential-refused.png"), full_page=True)
    _fill(ipad, "#expires_on", "03/31/2028")
    ipad.locator("button:has-text('Add credential')").tap()
    ipad.wait_for_selector("#current >> text=225.009871")
    assert "Current until Mar 31, 2028" in ipad.locator("#current").inner_text()


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_staff_and_training_pages_fit_the_ipad(new_ipad, live_server, orientation):
    ipad = new_ipad(PORTRAIT if orientation == "portrait" else LANDSCAPE)
    sign_in(ipad, "dana@riverside.example")
    priya = _user_id(live_server, "priya@riverside.example")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with live_server.app.app_context():
        from sqlalchemy import select

        from metpwa.extensions import db
        from metpwa.models import TrainingSession

        training_id = db.session.scalar(select(TrainingSession.id).order_by(TrainingSession.id))
    for name, path in (("today-owner", "/"), ("staff", "/staff"), ("staff-credentials", f"/staff/{priya}/credentials"),
                       ("staff-training", "/staff/training"), ("staff-training-session", f"/staff/training/{training_id}"),
                       ("staff-ce", "/staff/continuing-education"), ("staff-my-training", "/staff/training/mine")):
        ipad.goto(ipad.base + path)
        ipad.screenshot(path=str(SCREENSHOTS / f"{orientation}-{name}.png"), full_page=True)
        assert ipad.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        assert ipad.evaluate(CHECK_TARGETS) == [], path


def test_owner_invites_a_trainer_who_sets_a_password_and_pin_on_their_own_ipad(ipad, new_ipad, live_server):
    """The invitation from end to end: the owner types name, address and role; the new trainer opens the
    e-mailed link, chooses a password and PIN on a page with thumb-sized targets, and signs in."""
    import re

    from metpwa import mail

    sign_in(ipad, "dana@riverside.example")
    ipad.goto(live_server.url + "/staff")
    _fill(ipad, "#full_name", "Robin Invited")
    _fill(ipad, "#email", "robin.invited@riverside.example")
    ipad.locator("#role").select_option("trainer")
    ipad.locator("button:has-text('Send invitation')").tap()
    ipad.wait_for_selector("text=Invitation sent to robin.invited@riverside.example.")
    assert "Robin Invited" in ipad.locator("#invitations").inner_text()
    message = mail.sent(live_server.app)[-1]
    assert message.to == "robin.invited@riverside.example"
    link = re.search(r"(http://\S+/welcome/\S+)", message.body).group(1)
    robin = new_ipad()
    robin.goto(link)
    assert "Welcome, Robin Invited" in robin.locator("h1").inner_text()
    assert robin.locator("#pin").get_attribute("inputmode") == "numeric"
    assert robin.evaluate(CHECK_TARGETS) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    robin.screenshot(path=str(SCREENSHOTS / "portrait-welcome.png"), full_page=True)
    _fill(robin, "#password", "robin's own passphrase")
    _fill(robin, "#confirm", "robin's own passphrase")
    _fill(robin, "#pin", "4826")
    robin.locator("button:has-text('Save and go to sign-in')").tap()
    robin.wait_for_url("**/login?welcome=1")
    sign_in(robin, "robin.invited@riverside.example", "robin's own passphrase")
    robin.wait_for_selector("text=Robin")

"""The biller on the iPad: sets up a payer (a filing limit of 0 days and a bad NPI are said at the
field, with everything typed kept), links a client's plan to it and records an eligibility check.
The billing pages are looked at in portrait and landscape."""

import pytest

from .conftest import LANDSCAPE, PORTRAIT, SCREENSHOTS, sign_in
from .test_layout import CHECK_TARGETS

pytestmark = pytest.mark.browser

GOOD_NPI = "1245319599"  # passes the Luhn check with the 80840 prefix


def _look(ipad, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    ipad.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    assert ipad.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
    assert ipad.evaluate(CHECK_TARGETS) == [], name


def _type(ipad, selector: str, text: str) -> None:
    ipad.tap(selector)
    ipad.fill(selector, "")
    ipad.keyboard.type(text)


def test_a_biller_sets_up_a_payer_and_records_an_eligibility_check(new_ipad, live_server):
    with live_server.app.app_context():
        from sqlalchemy import select

        from metpwa.extensions import db
        from metpwa.models import Client, Coverage

        castillo = db.session.scalar(select(Client.id).where(Client.last_name == "Castillo"))
        plan = db.session.scalar(select(Coverage.id).where(Coverage.client_id == castillo))
    ipad = new_ipad(PORTRAIT)
    sign_in(ipad, "ellen@riverside.example")
    ipad.goto(ipad.base + "/billing/setup")
    _look(ipad, "portrait-billing-setup")

    # The billing provider: an NPI one digit off is caught by its check digit, at the field.
    ipad.tap("a[href$='/billing/setup/provider']")  # 'Set up', or 'Change' once the demo has one
    _type(ipad, "#name", "Riverside Medical Exercise LLC")
    _type(ipad, "#npi", GOOD_NPI[:-1] + "8")
    _type(ipad, "#tax_id", "36-4417720")
    _type(ipad, "#address_line1", "1400 W Riverside Ave")
    _type(ipad, "#city", "Chicago")
    _type(ipad, "#state", "IL")
    _type(ipad, "#postal_code", "60607-1402")
    ipad.tap("button:has-text('Save billing provider')")
    ipad.wait_for_selector("#npi-error")
    assert "check" in ipad.inner_text("#npi-error").lower()
    assert ipad.input_value("#address_line1") == "1400 W Riverside Ave"
    _look(ipad, "portrait-billing-provider-error")
    _type(ipad, "#npi", GOOD_NPI)
    ipad.tap("button:has-text('Save billing provider')")
    ipad.wait_for_url("**/billing/setup")

    # A payer with a filing limit of 0 days: the message under the field, the rest kept.
    ipad.tap("a:has-text('Add a payer')")
    _type(ipad, "#name", "Blue Cross Blue Shield of Illinois")
    ipad.select_option("#kind", "commercial")
    _type(ipad, "#payer_id", "00621")
    ipad.tap("label:has-text('Accepts claims for MES services')")
    ipad.tap("label:has-text('S9451')")
    _type(ipad, "#timely_filing_days", "0")
    ipad.tap("button:has-text('Save payer')")
    ipad.wait_for_selector("#timely_filing_days-error")
    assert "1 to 3650" in ipad.inner_text("#timely_filing_days-error")
    assert ipad.input_value("#name") == "Blue Cross Blue Shield of Illinois"
    assert ipad.input_value("#payer_id") == "00621"
    assert ipad.is_checked("#accepts_mes") and ipad.is_checked("input[value='S9451']")
    _look(ipad, "portrait-billing-payer-error")
    _type(ipad, "#timely_filing_days", "180")
    ipad.tap("button:has-text('Save payer')")
    ipad.wait_for_selector("text=Saved.")

    # The client's plan bills under it, and the front desk's check is recorded.
    ipad.goto(ipad.base + f"/eligibility/coverage/{plan}")
    ipad.select_option("#payer_record_id", label="Blue Cross Blue Shield of Illinois · 00621")
    # The page comes back from the link (POST, then the same page again): type only once it has.
    with ipad.expect_response(lambda r: r.url.endswith(f"/eligibility/coverage/{plan}") and r.request.method == "GET"):
        ipad.tap("button:has-text('Link payer')")
    ipad.wait_for_load_state("networkidle")
    ipad.select_option("#method", "phone")
    _type(ipad, "#visits_allowed", "20")
    _type(ipad, "#visits_used", "25")
    _type(ipad, "#copay", "30.00")
    _type(ipad, "#reference", "BCBS-55102")
    ipad.tap("button:has-text('Save check')")
    ipad.wait_for_selector("#visits_used-error")
    assert ipad.input_value("#reference") == "BCBS-55102" and ipad.input_value("#copay") == "30.00"
    _type(ipad, "#visits_used", "5")
    ipad.tap("button:has-text('Save check')")
    ipad.wait_for_selector("#checks table >> text=5 of 20")
    assert ipad.input_value("#payer_record_id") != ""
    _look(ipad, "portrait-eligibility-coverage")

    landscape = new_ipad(LANDSCAPE)
    sign_in(landscape, "ellen@riverside.example")
    for path in ("/billing/setup", "/billing/setup/payers/new", "/billing/setup/providers/new", "/billing/setup/fees",
                 "/billing/setup/supervision", f"/eligibility/coverage/{plan}", f"/eligibility/clients/{castillo}"):
        landscape.goto(landscape.base + path)
        _look(landscape, "landscape-" + path.strip("/").replace("/", "-"))

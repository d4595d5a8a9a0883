"""The biller takes a signed demo session to an exported claim on the iPad, by taps: Make claim,
the scrubber's findings overridden with a reason, Ready, then the 837P batch that pyx12 accepts."""

import re
from pathlib import Path

import pytest
from support.claims import pyx12_check

from .conftest import LANDSCAPE, SCREENSHOTS, sign_in

pytestmark = pytest.mark.browser


def _screens(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for orientation, size in (("portrait", {"width": 820, "height": 1180}), ("landscape", LANDSCAPE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOTS / f"{orientation}-{name}.png"), full_page=True, timeout=30_000)
    page.set_viewport_size({"width": 820, "height": 1180})


def test_a_signed_session_to_an_exported_claim_by_taps(ipad, live_server):
    sign_in(ipad, "ellen@riverside.example")
    ipad.tap("a.tab:has-text('Claims')")
    ipad.wait_for_url("**/claims")
    _screens(ipad, "claims-queue")
    ipad.tap("#queue a:has-text('Show all')")
    ipad.wait_for_url("**/claims?*all=1*")
    row = ipad.locator("#queue li", has_text="Castillo").first
    row.locator("button:has-text('Make claim')").tap()
    ipad.wait_for_url(re.compile(r".*/claims/\d+$"))
    claim_url = ipad.url
    assert ipad.locator("[data-claim-status]").inner_text() == "Draft"
    assert "97110" in ipad.locator("table.data-table").nth(1).inner_text()
    _screens(ipad, "claim-draft")
    ipad.goto(claim_url)
    # Each finding's way to its fix is a target a finger hits (44 px), not a word-sized link.
    fixes = ipad.locator("#findings a:has-text('Fix it')")
    assert fixes.count()
    assert all(box["height"] >= 44 for box in (link.bounding_box() for link in fixes.all()))
    # Save, the PDF and Rebuild (which voids and remakes the claim) stand a finger's gap apart.
    boxes = sorted((b.bounding_box() for b in ipad.locator("#actions button, #actions a.btn").all()),
                   key=lambda box: box["y"])
    assert all(low["y"] - (high["y"] + high["height"]) >= 8 for high, low in zip(boxes, boxes[1:])
               if low["y"] > high["y"] + 1), boxes
    # Each finding that stops export is overridden with a reason, typed on the iPad.
    keys = [ipad.locator("#findings form input[name=finding_key]").nth(n).get_attribute("value")
            for n in range(ipad.locator("#findings form").count())]
    for key in keys:
        row = ipad.locator(f"[data-finding='{key}']")
        row.locator("input[name=reason]").tap()
        # A call reference pasted without spaces must wrap, not push the page sideways.
        ipad.keyboard.type("Confirmed with the payer's provider line today, call reference " + "Q7" * 60)
        row.locator("button:has-text('Override')").tap()
        ipad.wait_for_selector(f"[data-finding='{key}'] >> text=Overridden: Confirmed with the payer")
        assert ipad.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    ipad.tap("#actions button:has-text('Save')")
    ipad.wait_for_selector("[data-claim-status]:has-text('Ready')")
    ipad.tap("a.tab:has-text('Claims')")
    ipad.wait_for_url("**/claims")
    with ipad.expect_download() as download:
        ipad.tap("[data-export-837]")
    x12 = Path(download.value.path()).read_text(encoding="ascii")
    ok, errors = pyx12_check(x12)
    assert ok, errors
    number = claim_url.rsplit("/", 1)[1]
    assert f"CLM*C{int(number):07d}*" in x12
    ipad.goto(claim_url)
    assert ipad.locator("[data-claim-status]").inner_text() == "Exported"
    _screens(ipad, "claim-exported")


def test_two_signed_sessions_of_one_client_billed_on_one_claim_by_taps(ipad, live_server):
    sign_in(ipad, "ellen@riverside.example")
    ipad.tap("a.tab:has-text('Claims')")
    ipad.wait_for_url("**/claims")
    if ipad.locator("#queue a:has-text('Show all')").count():
        ipad.tap("#queue a:has-text('Show all')")
        ipad.wait_for_url("**/claims?*all=1*")
    # Ava Kim's payer (Blue Cross) takes MES sessions electronically: two of her signed sessions, ticked.
    rows = ipad.locator("#queue li", has_text="Kim ·")
    assert rows.count() >= 2
    # The session fills the row's left and its Make claim button sits at the right, where the thumb is.
    label, button, row_box = (rows.first.locator("label.check").bounding_box(),
                              rows.first.locator("[data-make-claim]").bounding_box(), rows.first.bounding_box())
    assert label["width"] > row_box["width"] / 2 and button["x"] + button["width"] > row_box["x"] + row_box["width"] - 30
    dates = []
    for n in range(2):
        row = rows.nth(n)
        dates.append(row.locator(".list-main").inner_text().split(" · ", 1)[1])
        row.locator("label.check").tap()
        assert row.locator("input[type=checkbox]").is_checked()
    ipad.tap("[data-bill-together]")
    ipad.wait_for_url(re.compile(r".*/claims/\d+$"))
    assert ipad.locator("[data-claim-status]").inner_text() == "Draft"
    # One claim, each session on its own line with its own date of service.
    lines = ipad.locator("section:has(h3:has-text('Lines')) tbody tr").all()
    service_dates = {line.locator("td").first.inner_text() for line in lines}
    assert set(dates) <= service_dates, (dates, service_dates)
    ipad.tap("a.tab:has-text('Claims')")
    ipad.wait_for_url("**/claims**")
    for session_date in dates:
        assert not ipad.locator("#queue li", has_text=f"Kim · {session_date}").count()

"""Issue 20: note drafts offline. The trainer drafts the session note between sets with the wifi
down; it waits on the iPad with the sets, survives a reload, reaches the server once the connection
is back, and the sign page opens with it. A draft still waiting when the page loads again is the
newest words, and goes back into the boxes."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import own_session, sign_in
from .test_offline_outbox import TRAINER, _badge, _db, _worker_ready

pytestmark = pytest.mark.browser


def _note(live_server, session_id):
    from metpwa.models import SessionLog

    return _db(live_server, lambda db: (lambda row: (row.note_client_report, row.note_plan))(
        db.session.get(SessionLog, session_id)))


def _open_note(ipad):
    # A tap on its title opens the card (a draft waiting on the iPad opens it by itself).
    if ipad.locator("#note-card").get_attribute("open") is None:
        ipad.locator("#note-card > summary").tap()
    expect(ipad.locator("#note-draft")).to_be_visible()


def test_a_note_drafted_offline_reaches_the_server_and_opens_the_sign_page(new_ipad, live_server):
    session_id = own_session(live_server, "offline sets")  # shares: it counts no sets
    ipad = new_ipad()
    sign_in(ipad, TRAINER)
    ipad.goto(f"{ipad.base}/sessions/{session_id}")
    _worker_ready(ipad)

    ipad.context.set_offline(True)
    _open_note(ipad)
    ipad.locator("#d-note_client_report").tap()
    ipad.keyboard.type("Knee stiff on the stairs this morning.")
    ipad.locator("#d-note_plan").tap()  # leaving a box keeps the draft
    ipad.keyboard.type("Step-ups next time if the knee settles.")
    ipad.locator("#note-draft button[type=submit]").tap()
    expect(ipad.locator("[data-note-status]")).to_contain_text("Draft waiting: kept on this iPad")
    expect(_badge(ipad)).to_have_text(re.compile(r"Offline: \d+ waiting"))
    assert _note(live_server, session_id) == (None, None) or "Knee" not in str(_note(live_server, session_id))

    # Reloaded offline: the offline page says what waits; the connection back, it returns and sends.
    ipad.reload()
    expect(ipad.locator("[data-offline-page]")).to_be_visible()
    ipad.context.set_offline(False)
    ipad.wait_for_url(re.compile(rf".*/sessions/{session_id}(\?.*)?$"))
    expect(_badge(ipad)).to_have_text("All saved", timeout=20_000)
    assert _note(live_server, session_id) == ("Knee stiff on the stairs this morning.",
                                              "Step-ups next time if the knee settles.")
    ipad.reload()
    # Closed, so the screen stays short; its title says a draft is there, and it opens with it.
    expect(ipad.locator("#note-card > summary")).to_have_text("Session note (draft)")
    _open_note(ipad)
    expect(ipad.locator("#d-note_plan")).to_have_value("Step-ups next time if the knee settles.")

    ipad.goto(f"{ipad.base}/sessions/{session_id}/sign")
    expect(ipad.locator("#f-note_client_report")).to_have_value("Knee stiff on the stairs this morning.")


def test_a_draft_waiting_when_the_page_loads_goes_back_into_the_boxes(new_ipad, live_server):
    session_id = own_session(live_server, "offline sets")
    ipad = new_ipad()
    sign_in(ipad, TRAINER)
    ipad.goto(f"{ipad.base}/sessions/{session_id}")
    # The server cannot be reached for the note (a dead spot for that one request): it waits.
    ipad.route("**/sessions/*/note", lambda route: route.abort("internetdisconnected"))
    _open_note(ipad)
    ipad.locator("#d-note_plan").fill("")
    ipad.locator("#d-note_plan").tap()
    ipad.keyboard.type("Newest words, written in the dead spot.")
    ipad.locator("#note-draft button[type=submit]").tap()
    expect(ipad.locator("[data-note-status]")).to_contain_text("Draft waiting")

    # The page opens again while it still waits: the boxes show the waiting words, not the server's.
    ipad.reload()
    expect(ipad.locator("#d-note_plan")).to_have_value("Newest words, written in the dead spot.")
    expect(ipad.locator("#note-card")).to_have_attribute("open", "")
    ipad.unroute("**/sessions/*/note")
    ipad.evaluate("() => window.metpwa.outbox.flush()")
    expect(_badge(ipad)).to_have_text("All saved", timeout=15_000)
    expect(ipad.locator("[data-note-status]")).to_contain_text("Draft kept")
    assert _note(live_server, session_id)[1] == "Newest words, written in the dead spot."

"""Issue 20: an item the server refused is fixed in place, not only discarded: "Edit" puts what was
entered back in the form it came from, and saving again records it once."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import own_session, sign_in
from .test_offline_outbox import TRAINER, _badge, _sets

pytestmark = pytest.mark.browser


def test_a_refused_set_is_reopened_in_its_form_and_saved_after_the_fix(new_ipad, live_server):
    session_id = own_session(live_server, "offline sets")  # counts what it adds
    before = _sets(live_server, session_id)
    ipad = new_ipad()
    sign_in(ipad, TRAINER)
    ipad.goto(f"{ipad.base}/sessions/{session_id}")
    card = ipad.locator("article.ex-card:visible")
    # The open exercise may be counted in reps or timed in seconds (which one depends on the client
    # this label was given and how many sets earlier tests logged): either stepper will do.
    reps = card.locator("input[name=reps], input[name=seconds]")
    reps.wait_for()
    ipad.context.set_offline(True)
    # A typo the page let through (an old page's limits): the server refuses it on arrival.
    reps.evaluate("(input) => { input.removeAttribute('max'); input.value = '5000'; }")
    card.locator("button.btn-done").tap()
    expect(_badge(ipad)).to_have_text("Offline: 1 waiting")
    ipad.context.set_offline(False)
    ipad.evaluate("() => window.dispatchEvent(new Event('online'))")
    expect(_badge(ipad)).to_have_text("All saved · 1 not saved", timeout=15_000)

    _badge(ipad).tap()
    entry = ipad.locator("#outbox-list .outbox-entry.is-refused")
    expect(entry).to_contain_text(re.compile(r"Reps must be a whole number from 0 to 100|Time must be 0 to 3,600 seconds"))
    entry.locator("[data-outbox-edit]").tap()
    # Back in its form, as entered, for the trainer to fix; the refused entry is gone.
    expect(reps).to_have_value("5000")
    expect(ipad.locator("#outbox-list .outbox-entry")).to_have_count(0)
    reps.fill("12")
    card.locator("button.btn-done").tap()
    expect(_badge(ipad)).to_have_text("All saved", timeout=15_000)
    after = _sets(live_server, session_id)
    assert len(after) == len(before) + 1

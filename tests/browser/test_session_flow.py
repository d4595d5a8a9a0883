"""A whole session by taps on an iPad in focus mode: three exercises, each opened in turn with "Next",
three sets each ("Done", then "Same as last set", the rest timer running), one pain flag, finish,
sign; the signed session then refuses changes."""

import re

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.browser


def client_id(live_server, last_name):
    with live_server.app.app_context():
        from sqlalchemy import select

        from metpwa.extensions import db
        from metpwa.models import Client

        return db.session.scalar(select(Client.id).where(Client.last_name == last_name))


def test_a_whole_session_by_taps_then_signed_and_locked(ipad, live_server):
    harold = client_id(live_server, "Brooks")
    sign_in(ipad, "marcus@riverside.example")
    ipad.goto(f"{ipad.base}/clients/{harold}")
    ipad.tap("button:has-text('Start a session')")
    ipad.wait_for_url("**/sessions/*")
    ipad.locator("#vitals-before label.scale-point", has_text="3").first.tap()

    cards = ipad.locator("article.ex-card")
    rows = ipad.locator(".ex-row")
    for index in range(3):
        if index:
            ipad.locator("article.ex-card:visible .btn-next").tap()  # the next exercise, one tap
        card = cards.nth(index)
        assert card.is_visible() and ipad.locator("article.ex-card:visible").count() == 1
        if index == 1:
            card.locator("button[data-step='1']").first.tap()  # one more rep than last time
        card.locator("button.btn-done").tap()
        card.locator(".set-row").nth(0).wait_for()
        ipad.locator("[data-rest-timer]").wait_for(state="visible")
        for number in (2, 3):
            card.locator("[data-same-as-last]").tap()
            card.locator(".set-row").nth(number - 1).wait_for()
        assert card.locator(".set-row").count() == 3
        assert "3 of" in rows.nth(index).inner_text() or "3 sets" in rows.nth(index).inner_text()
    done = cards.nth(0).locator(".set-row .set-done")
    assert done.nth(0).inner_text() == done.nth(2).inner_text()

    third = cards.nth(2)
    third.locator("label.choice", has_text="Pain increase").tap()
    third.locator(".pain-pick label.scale-point", has_text="7").first.tap()
    third.locator("button:has-text('Save response')").tap()
    ipad.locator("article.ex-card").nth(2).locator(".flag-block").wait_for()
    assert "Pain 7/10" in ipad.locator("article.ex-card").nth(2).inner_text()
    assert "Pain 7/10" in rows.nth(2).inner_text()  # the list flags it too

    # One of this session's own exercises, for the post after signing below.
    item_id = cards.nth(0).locator("input[name=session_exercise_id]").first.input_value()
    ipad.tap("button:has-text('Finish and sign')")
    ipad.wait_for_url("**/sign")
    ipad.tap("#f-note_performance")
    ipad.keyboard.type("Three sets of each; balance steadier; knee pain rose to 7/10 on step-downs.")
    ipad.tap("#f-note_plan")
    ipad.keyboard.type("Swap step-downs for a lower step next session.")
    ipad.tap("button:has-text('Sign and lock')")
    ipad.wait_for_url(re.compile(r".*/sessions/\d+$"))
    page = ipad.locator("main").inner_text()
    assert "locked" in page and "Three sets of each" in page
    assert ipad.locator("form.logger").count() == 0

    session_path = ipad.url.replace(ipad.base, "")
    token = ipad.evaluate("JSON.parse(document.getElementById('app').getAttribute('hx-headers'))['X-CSRFToken']")
    response = ipad.context.request.post(f"{ipad.base}{session_path}/sets",
                                         headers={"X-CSRFToken": token, "HX-Request": "true"},
                                         form={"session_exercise_id": item_id, "idempotency_key": "after-signing",
                                               "reps": "10"})
    assert response.status == 409 and "signed and locked" in response.text()

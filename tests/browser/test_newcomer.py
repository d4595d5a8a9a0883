"""What a newcomer tripped over in a first-week walk-through (issue 21), each checked on an iPad:
pages open at their top, a provider added from the referral form comes back chosen, taps on Today
and the inline plan link are thumb-sized, the Save result bar leaves the walking-aid chips
tappable, an error message closes and never covers "Finish and sign", and the schedule's Book is
near the top. Screenshots of Today, the chart, the session and the sign screens in both
orientations are kept for review."""

import pytest
from sqlalchemy import select

from .conftest import LANDSCAPE, PORTRAIT, SCREENSHOTS, session_under_way, sign_in, until

pytestmark = pytest.mark.browser

# Whether the centre of every matching element is the element itself (or inside it), not
# something drawn over it such as a sticky bar.
UNCOVERED = """(selector) => Array.from(document.querySelectorAll(selector)).map(el => {
  const box = el.getBoundingClientRect();
  const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  return el.contains(top) || (top && top.contains(el)) ? '' : `${el.textContent.trim()} under ${top && top.outerHTML.slice(0, 60)}`;
}).filter(Boolean)"""


def _client_id(live_server, last_name):
    with live_server.app.app_context():
        from metpwa.extensions import db
        from metpwa.models import Client

        return db.session.scalar(select(Client.id).where(Client.last_name == last_name))


def test_a_page_opened_from_far_down_another_lands_at_its_top(ipad, live_server):
    sign_in(ipad, "marcus@riverside.example")
    ipad.goto(f"{ipad.base}/clients")
    ipad.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    assert ipad.evaluate("window.scrollY") > 200
    link = ipad.locator("main a[href^='/clients/']").last
    href = link.get_attribute("href")
    link.tap()
    ipad.wait_for_url(f"**{href}")
    until(ipad, "window.scrollY === 0")
    # A link to an anchor still lands at the anchor.
    ipad.goto(f"{ipad.base}/schedule")
    ipad.tap("a[href='#book']")
    until(ipad, "window.scrollY > 0 && document.getElementById('book').getBoundingClientRect().top < window.innerHeight / 2")


def test_a_provider_added_from_the_referral_form_is_chosen_on_it(ipad, live_server):
    client_id = _client_id(live_server, "DiMarco")
    sign_in(ipad, "tom@riverside.example")
    ipad.goto(f"{ipad.base}/clients/{client_id}/referrals/new")
    ipad.tap("text=The provider is not in the list: add them")
    ipad.wait_for_url(lambda url: "/providers?back=" in url)
    for selector, text in (("#first_name", "Nadia"), ("#last_name", "Okafor"), ("#credentials", "MD")):
        ipad.tap(selector)
        ipad.keyboard.type(text)
    ipad.select_option("#kind", "physician")
    ipad.tap("button:has-text('Add provider')")
    ipad.wait_for_url(lambda url: f"/clients/{client_id}/referrals/new?provider_id=" in url)
    chosen = ipad.eval_on_selector("#provider_id", "el => el.options[el.selectedIndex].text")
    assert chosen.startswith("Nadia Okafor")


def test_todays_client_names_and_the_inline_plan_link_are_thumb_sized(ipad, live_server):
    session_id, _ = session_under_way(live_server)
    sign_in(ipad, "marcus@riverside.example")
    ipad.goto(f"{ipad.base}/")
    names = ipad.locator(".today-who a")
    assert names.count() >= 1
    heights = [names.nth(n).bounding_box()["height"] for n in range(names.count())]
    assert min(heights) >= 44, heights
    with live_server.app.app_context():
        from metpwa.extensions import db
        from metpwa.models import SessionLog

        item = db.session.get(SessionLog, session_id).exercises[0]
        item_id, item.response, item.response_pain = item.id, "pain", 8
        db.session.commit()
    try:
        ipad.goto(f"{ipad.base}/sessions/{session_id}")
        link = ipad.locator(".flag a:has-text('Change the plan')").first
        link.scroll_into_view_if_needed()
        assert link.bounding_box()["height"] >= 44
    finally:
        with live_server.app.app_context():
            from metpwa.models import SessionExercise

            item = db.session.get(SessionExercise, item_id)
            item.response, item.response_pain = None, None
            db.session.commit()


@pytest.mark.parametrize("viewport", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
def test_the_save_result_bar_never_covers_the_walking_aid_chips(new_ipad, live_server, viewport):
    ipad = new_ipad(viewport)
    sign_in(ipad, "priya@riverside.example")
    ipad.goto(f"{ipad.base}/clients/{_client_id(live_server, 'Feldman')}/measures/tug")
    chips = ipad.locator("[role=radiogroup] label.choice")
    assert chips.count() >= 3
    for n in range(chips.count()):
        # Brought into view from above, as scrolling down to it or the keyboard does.
        chips.nth(n).evaluate("el => el.scrollIntoView({block: 'end'})")
        assert ipad.evaluate(UNCOVERED, "[role=radiogroup] label.choice") == []
    chips.nth(chips.count() - 1).tap()
    assert chips.nth(chips.count() - 1).locator("input").is_checked()


def test_an_error_message_closes_and_never_covers_finish_and_sign(ipad, live_server):
    session_id, _ = session_under_way(live_server)
    sign_in(ipad, "marcus@riverside.example")
    ipad.goto(f"{ipad.base}/sessions/{session_id}")
    # A request the server refuses: its message goes to the page's message area.
    ipad.evaluate("() => htmx.ajax('GET', '/sessions/999999999', {target: '#session-pick'})")
    alert = ipad.locator("#messages .alert")
    alert.wait_for()
    finish = ipad.locator("button:has-text('Finish and sign')")
    a, f = alert.bounding_box(), finish.bounding_box()
    assert a["y"] + a["height"] <= f["y"] or f["y"] + f["height"] <= a["y"], (a, f)
    assert ipad.evaluate(UNCOVERED, ".session-footer button[type=submit]") == []
    close = alert.locator("button:has-text('Close')")
    assert close.bounding_box()["height"] >= 44
    close.tap()
    assert ipad.locator("#messages .alert").count() == 0


def test_the_schedule_book_is_near_the_top_in_portrait_and_booking_confirms(ipad, live_server):
    client_id = _client_id(live_server, "Kowalski")
    sign_in(ipad, "tom@riverside.example")
    ipad.goto(f"{ipad.base}/schedule")
    book = ipad.locator("a[href='#book']")
    assert book.bounding_box()["y"] < 400
    book.tap()
    ipad.select_option("#book-client", str(client_id))
    ipad.select_option("#book-trainer", label="Priya Raman")  # the front desk chooses the trainer
    ipad.fill("#book-weeks", "1")
    ipad.tap("button[type=submit]:has-text('Book')")
    status = ipad.locator("p.notice[role=status]")
    status.wait_for()
    assert status.inner_text().startswith("Booked Grace Kowalski")
    assert status.bounding_box()["y"] < 400 and ipad.evaluate("window.scrollY") == 0


@pytest.mark.parametrize("viewport", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
def test_screenshots_of_today_the_chart_the_session_and_sign_for_review(new_ipad, live_server, viewport):
    session_id, _ = session_under_way(live_server)
    with live_server.app.app_context():
        from metpwa.extensions import db
        from metpwa.models import SessionLog

        client_id = db.session.get(SessionLog, session_id).client_id
    ipad = new_ipad(viewport)
    sign_in(ipad, "marcus@riverside.example")
    orientation = "portrait" if viewport is PORTRAIT else "landscape"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in (("today", "/"), ("chart", f"/clients/{client_id}"), ("session", f"/sessions/{session_id}"),
                       ("sign", f"/sessions/{session_id}/sign")):
        ipad.goto(ipad.base + path)
        ipad.wait_for_load_state("networkidle")
        shot = SCREENSHOTS / f"review-{orientation}-{name}.png"
        ipad.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000, shot

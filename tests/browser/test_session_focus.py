"""The session screen in focus mode on an iPad: one exercise open, the others one row each with their
progress, two panes in landscape, the rest timer after a set, the next exercise in one tap, and the
whole screen for the demo's longest session under two screens tall."""

import pytest

from .conftest import LANDSCAPE, PORTRAIT, SCREENSHOTS, session_under_way, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
def test_the_session_screen_stays_under_two_screens_with_one_exercise_open(new_ipad, live_server, viewport):
    session_id, exercises = session_under_way(live_server)
    assert exercises >= 7
    ipad = new_ipad(viewport)
    sign_in(ipad, "marcus@riverside.example")
    ipad.goto(f"{ipad.base}/sessions/{session_id}")
    rows = ipad.locator(".ex-row")
    assert rows.count() == exercises
    assert ipad.locator("article.ex-card:visible").count() == 1
    # The demo's first exercise has two sets in, so it opens and its row says how far it has got.
    assert "2 of" in rows.nth(0).inner_text() and "last 12 reps" in rows.nth(0).inner_text()
    assert "Set 3" in ipad.locator("article.ex-card:visible .next-set").inner_text()
    height = ipad.evaluate("document.documentElement.scrollHeight")
    print(f"\nsession screen, {exercises} exercises, {viewport['width']}x{viewport['height']}: {height} px tall")
    assert height < 2 * viewport["height"]
    if viewport is LANDSCAPE:
        # Two panes: the list beside the open exercise.
        list_box = ipad.locator(".ex-list").bounding_box()
        card_box = ipad.locator("article.ex-card:visible").bounding_box()
        assert list_box["x"] + list_box["width"] <= card_box["x"] and abs(list_box["y"] - card_box["y"]) < 5
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = "portrait" if viewport is PORTRAIT else "landscape"
    ipad.screenshot(path=str(SCREENSHOTS / f"session-focus-{name}.png"), full_page=True)


def test_a_set_starts_the_rest_timer_and_next_opens_the_next_exercise_in_one_tap(new_ipad, live_server):
    session_id, _ = session_under_way(live_server)
    ipad = new_ipad(PORTRAIT)
    sign_in(ipad, "priya@riverside.example")
    ipad.goto(f"{ipad.base}/sessions/{session_id}")
    second = ipad.locator(".ex-row").nth(1)
    name = second.locator(".ex-row-name").inner_text()
    ipad.locator("article.ex-card:visible .btn-next").tap()
    card = ipad.locator("article.ex-card:visible")
    assert card.locator("h3").inner_text() == name and "is-open" in second.get_attribute("class")
    # "Same as last set" is not offered before a set exists.
    assert not card.locator("[data-same-as-last]").is_visible()
    card.locator("button.btn-done").tap()
    card.locator(".set-row").first.wait_for()
    timer = ipad.locator("[data-rest-timer]")
    timer.wait_for(state="visible")
    assert "Rest" in timer.inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    ipad.screenshot(path=str(SCREENSHOTS / "session-focus-resting-portrait.png"))
    assert "1 of" in second.inner_text() or "1 set" in second.inner_text()
    assert "Set 2" in card.locator(".next-set").inner_text()
    ipad.tap("[data-rest-stop]")
    assert not timer.is_visible()
    card.locator("[data-same-as-last]").tap()
    card.locator(".set-row").nth(1).wait_for()
    timer.wait_for(state="visible")
    assert "2 of" in second.inner_text() or "2 sets" in second.inner_text()
    # Undo the second set: the row and the list follow.
    card.locator(".set-row").nth(1).locator(".btn-undo").tap()
    card.locator(".set-row").nth(1).wait_for(state="detached")
    assert card.locator(".set-row").count() == 1
    assert "Set 2" in card.locator(".next-set").inner_text()
    # The rest that set started goes with it.
    timer.wait_for(state="hidden")
    # A reload opens the same exercise: the address kept it.
    ipad.reload()
    assert ipad.locator("article.ex-card:visible h3").inner_text() == name

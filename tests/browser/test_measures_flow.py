"""A trainer runs a Timed Up and Go with the stopwatch by taps (a trial stopped by mistake is
discarded), saves it, rates pain by a tap and saves it through a dropped connection, then finds
both on the client's chart with their trend lines and the TUG trend chart one tap away."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from .conftest import SCREENSHOTS, sign_in

pytestmark = pytest.mark.browser


def _client_id(live_server, last_name):
    with live_server.app.app_context():
        from metpwa.extensions import db
        from metpwa.models import Client

        return db.session.scalar(select(Client.id).where(Client.last_name == last_name))


def _results(live_server, client_id, measure):
    with live_server.app.app_context():
        from metpwa.extensions import db
        from metpwa.models import OutcomeResult

        return [(row.raw, row.display) for row in db.session.scalars(
            select(OutcomeResult).where(OutcomeResult.client_id == client_id, OutcomeResult.measure_key == measure))]


def test_tug_by_stopwatch_and_pain_by_tap_then_the_chart_shows_them(ipad, live_server):
    samuel = _client_id(live_server, "Feldman")
    sign_in(ipad, "priya@riverside.example")
    ipad.goto(f"{ipad.base}/clients/{samuel}/measures")
    ipad.locator(".tile-main", has_text="Timed Up and Go").tap()
    watch = ipad.locator("[data-stopwatch-toggle]")
    watch.wait_for()
    box = watch.bounding_box()
    assert box["height"] >= 1180 / 3 - 10  # a third of the screen

    watch.tap()
    expect(watch).to_contain_text("Stop")
    ipad.wait_for_timeout(1200)
    watch.tap()
    first = ipad.locator("[data-trials] input").nth(0)
    assert 1.1 <= float(first.input_value()) <= 2.5
    expect(ipad.locator("#measure-result .result-sentence")).to_contain_text("TUG")

    ipad.locator("[data-another-trial]").tap()
    watch.tap()
    ipad.wait_for_timeout(1000)
    watch.tap()
    # A trial stopped by mistake at once: discarded, not saved.
    ipad.locator("[data-another-trial]").tap()
    watch.tap()
    watch.tap()
    assert ipad.locator("[data-trials] input").count() == 3
    ipad.locator("[data-trial-discard]").nth(2).tap()
    assert ipad.locator("[data-trials] input").count() == 2
    ipad.locator("label.choice", has_text="No aid").tap()
    ipad.locator("label.choice", has_text="Short strides").tap()
    ipad.locator("[data-save]").tap()
    expect(ipad.locator("[data-save-status]")).to_have_text("Saved.")
    expect(ipad.locator("#measure-result.is-saved .result-sentence")).to_contain_text("TUG")
    [(raw, display)] = _results(live_server, samuel, "tug")
    assert len(raw["trials"]) == 2 and display.endswith(" s")

    ipad.goto(f"{ipad.base}/clients/{samuel}/measures/nprs")
    ipad.locator(".pain-scale label", has_text="4").first.tap()
    expect(ipad.locator("#measure-result .result-value")).to_have_text("4/10")
    # The wifi drops as Save is tapped, twice: the result waits on the page, then goes once.
    ipad.context.set_offline(True)
    ipad.locator("[data-save]").tap()
    ipad.locator("[data-save]").tap(force=True)
    expect(ipad.locator("[data-save-status]")).to_contain_text("Waiting: not saved yet")
    # The waiting result is in the page's memory only: htmx keeps just its (empty) history
    # cache and the current path in browser storage.
    stored = ipad.evaluate("() => JSON.stringify([localStorage, sessionStorage])")
    assert "rating" not in stored and "idempotency_key" not in stored and "4/10" not in stored
    ipad.context.set_offline(False)
    expect(ipad.locator("[data-save-status]")).to_have_text("Saved.", timeout=15_000)
    assert [display for _, display in _results(live_server, samuel, "nprs")][-1:] == ["4/10"]
    assert len(_results(live_server, samuel, "nprs")) == 3  # two from the demo, one from this test

    ipad.goto(f"{ipad.base}/clients/{samuel}")
    card = ipad.locator("#measures")
    expect(card.locator(".measure-line", has_text="TUG")).to_be_visible()
    expect(card.locator(".measure-line", has_text="Pain 4/10")).to_be_visible()
    assert card.locator("svg.sparkline").count() >= 3
    card.locator(".measure-line", has_text="TUG").tap()
    ipad.wait_for_url(f"**/clients/{samuel}/measures/tug/trend")
    chart = ipad.locator(".trend-card svg")
    expect(chart).to_be_visible()
    assert "Timed Up and Go" in chart.get_attribute("aria-label")
    assert chart.bounding_box()["width"] > 600


def test_chair_stand_balance_and_berg_by_taps(ipad, live_server):
    """The countdown, the stance timers and the tap-through questionnaire, on a clock the test
    moves forward (the page times from timestamps, so the fake clock is all it sees)."""
    walter = _client_id(live_server, "Jefferson")
    ipad.clock.install()
    sign_in(ipad, "marcus@riverside.example")

    ipad.goto(f"{ipad.base}/clients/{walter}/measures/chair_stand_30s")
    ipad.locator("[data-countdown-toggle]").tap()
    for _ in range(9):
        ipad.locator(".counter-tap").tap()
    ipad.locator("[data-countdown-toggle]").tap()  # a stray tap while counting changes nothing
    ipad.clock.run_for(31_000)
    expect(ipad.locator("[data-countdown-label]")).to_contain_text("Time")
    expect(ipad.locator("#measure-result .result-value")).to_have_text("9 stands")
    expect(ipad.locator("#measure-result .result-sentence")).to_contain_text("below average for men aged 80-84")
    ipad.locator("[data-save]").tap()
    expect(ipad.locator("[data-save-status]")).to_have_text("Saved.")

    ipad.goto(f"{ipad.base}/clients/{walter}/measures/balance_4stage")
    stages = ipad.locator("[data-stage]")
    for index in range(2):
        stages.nth(index).locator("[data-hold-toggle]").tap()
        ipad.clock.run_for(10_500)
        expect(stages.nth(index).locator("[data-hold-input]")).to_have_value("10")
    expect(stages.nth(3).locator("[data-hold-toggle]")).to_be_disabled()
    stages.nth(2).locator("[data-hold-toggle]").tap()
    ipad.clock.run_for(4_200)
    stages.nth(2).locator("[data-hold-toggle]").tap()
    # clock.install() keeps time running at real speed between the test's steps: on a loaded CI
    # machine the tap after run_for(4_200) has come up to a second later.
    assert 4.0 <= float(stages.nth(2).locator("[data-hold-input]").input_value()) < 6.0
    expect(ipad.locator("#measure-result .result-sentence")).to_contain_text("at fall risk by the CDC STEADI cut-off (at risk: tandem stance held under 10 s)")

    ipad.goto(f"{ipad.base}/clients/{walter}/measures/berg")
    for number in range(1, 15):
        question = ipad.locator("[data-question].is-current")
        expect(question).to_contain_text(f"{number}. ")
        question.locator("label.answer").nth(3 if number < 14 else 1).tap()
        ipad.clock.run_for(300)
    expect(ipad.locator("[data-questionnaire-count]")).to_have_text("14 of 14 answered")
    expect(ipad.locator("#measure-result .result-value")).to_have_text("40/56")
    expect(ipad.locator("#measure-result .result-sentence")).to_contain_text("at fall risk by the common Berg cut-off (at risk: under 45 points)")
    ipad.locator("[data-save]").tap()
    expect(ipad.locator("[data-save-status]")).to_have_text("Saved.")
    assert [display for _, display in _results(live_server, walter, "berg")] == ["40/56"]


def test_a_result_waiting_for_the_wifi_survives_the_idle_lock(ipad, live_server):
    """The idle lock used to leave the page, and a result waiting there for the wifi was lost. Now
    the page locks where it is (client data hidden), the waiting result goes once the trainer
    unlocks, and a server that answers "locked" keeps it waiting instead of dropping it."""
    from metpwa import demo

    walter = _client_id(live_server, "Jefferson")
    before = len(_results(live_server, walter, "nprs"))
    ipad.clock.install()
    sign_in(ipad, "marcus@riverside.example")
    page_url = f"{ipad.base}/clients/{walter}/measures/nprs"
    ipad.goto(page_url)
    ipad.locator(".pain-scale label", has_text="6").first.tap()
    expect(ipad.locator("#measure-result .result-value")).to_have_text("6/10")
    ipad.context.set_offline(True)
    ipad.locator("[data-save]").tap()
    expect(ipad.locator("[data-save-status]")).to_contain_text("Waiting: not saved yet")

    idle_ms = int(ipad.locator("#app").get_attribute("data-idle-seconds")) * 1000
    ipad.clock.run_for(idle_ms + 10_000)
    lock = ipad.locator("#in-place-lock")
    expect(lock).to_be_visible()
    assert ipad.url == page_url  # still here: the waiting result is still in this page
    assert "Jefferson" not in ipad.locator("body").inner_text() and "Jefferson" not in ipad.title()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    ipad.screenshot(path=SCREENSHOTS / "measures-locked-in-place.png")

    # Meanwhile the server has locked this sign-in too; the retry hears "locked" and keeps waiting.
    token = ipad.evaluate("JSON.parse(document.getElementById('app').getAttribute('hx-headers'))['X-CSRFToken']")
    assert ipad.context.request.post(f"{ipad.base}/lock", headers={"X-CSRFToken": token}, max_redirects=0).status == 303
    ipad.context.set_offline(False)
    ipad.wait_for_timeout(500)
    assert len(_results(live_server, walter, "nprs")) == before

    ipad.locator("#in-place-secret").tap()
    ipad.keyboard.type("0000")
    ipad.locator("#in-place-lock button[type=submit]").first.tap()
    expect(ipad.locator("[data-lock-error]")).to_have_text("That PIN or password did not match.")
    ipad.locator("#in-place-secret").tap()
    ipad.keyboard.type(demo.DEMO_PIN)
    ipad.locator("#in-place-lock button[type=submit]").first.tap()
    expect(lock).to_have_count(0)
    assert "Numeric pain rating" in ipad.title()
    expect(ipad.locator("[data-save-status]")).to_have_text("Saved.", timeout=15_000)
    assert [display for _, display in _results(live_server, walter, "nprs")][-1:] == ["6/10"]
    assert len(_results(live_server, walter, "nprs")) == before + 1


def test_six_minute_walk_in_a_hallway_measured_in_feet(ipad, live_server):
    """Issue 16: a 100 ft hallway typed as 100 became 100 m. The screen asks feet or metres, shows the
    distance in metres from the unit chosen, and checks the lengths against that unit's limits."""
    walter = _client_id(live_server, "Jefferson")
    sign_in(ipad, "marcus@riverside.example")
    ipad.goto(f"{ipad.base}/clients/{walter}/measures/six_minute_walk")
    ipad.locator("input[name=laps]").fill("10")
    ipad.locator("#lap_length").fill("100")
    ipad.locator("#extra").fill("50")
    total = ipad.locator("[data-walk-total]")
    expect(total).to_have_text("—")  # no unit assumed
    ipad.locator("label.choice", has_text="No aid").tap()
    ipad.locator("label.choice", has_text="feet").tap()
    expect(total).to_have_text("320 m")
    expect(ipad.locator("#measure-result .result-sentence")).to_contain_text("6-minute walk 320 m")
    ipad.locator("label.choice", has_text="metres").tap()
    expect(total).to_have_text("1050 m")
    expect(ipad.locator("#laps-error")).to_contain_text("not plausible")
    ipad.locator("label.choice", has_text="feet").tap()
    ipad.locator("#lap_length").fill("400")
    expect(ipad.locator("#lap_length-error")).to_contain_text("between 3.3 and 328 ft")
    ipad.locator("#lap_length").fill("100")
    ipad.locator("[data-save]").tap()
    expect(ipad.locator("[data-save-status]")).to_have_text("Saved.")
    assert _results(live_server, walter, "six_minute_walk") == [
        ({"laps": 10, "length_unit": "ft", "lap_length": 100, "extra": 50}, "320 m")]

"""Light pages (issue 21): each screen loads only the scripts it uses, on a direct load and after a
boosted navigation, and what reaches the browser is compressed: sign-in and the session screen
under 60 KB on a first load, a set logged in under 2 KB with headers."""

import pytest
from playwright.sync_api import expect

from .conftest import PORTRAIT, own_session, sign_in

pytestmark = pytest.mark.browser

ON_DEMAND = {"signature": "signature_pad", "measures": "measures.js", "session": "session.js"}


def _transferred(responses) -> int:
    """Bytes on the wire for these responses: headers plus the encoded (compressed) body."""
    total = 0
    for response in responses:
        sizes = response.request.sizes()
        total += sizes["responseHeadersSize"] + sizes["responseBodySize"]
    return total


def _scripts_asked(page) -> set[str]:
    return set(page.evaluate("() => Array.from(document.scripts, s => s.src)"))


def _loaded(page, name) -> bool:
    return any(ON_DEMAND[name] in src for src in _scripts_asked(page))


@pytest.fixture
def cold_ipad(browser, live_server):
    """An iPad with an empty cache and no service worker (its background install is not the page's load)."""
    device = dict(browser.ipad)
    device.update(viewport=PORTRAIT, screen=PORTRAIT, service_workers="block")
    context = browser.new_context(**device)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base = live_server.url
    yield page
    context.close()


def _session_client(live_server, session_id):
    with live_server.app.app_context():
        from metpwa.extensions import db
        from metpwa.models import SessionLog

        return db.session.get(SessionLog, session_id).client_id


def test_sign_in_is_light_and_loads_no_screen_script(cold_ipad):
    responses = []
    cold_ipad.on("response", lambda response: responses.append(response))
    cold_ipad.goto(cold_ipad.base + "/login")
    cold_ipad.wait_for_load_state("networkidle")
    size = _transferred(responses)
    print(f"\nsign-in, first load: {size} bytes transferred in {len(responses)} responses")
    assert size < 60_000
    assert not any(_loaded(cold_ipad, name) for name in ON_DEMAND)
    page = next(r for r in responses if r.url.endswith("/login"))
    assert page.headers.get("content-encoding") in {"gzip", "br", "zstd"}


def test_the_session_screen_is_light_and_a_set_is_under_2_kb(cold_ipad, live_server):
    session_id = own_session(live_server, "light pages")
    sign_in(cold_ipad, "marcus@riverside.example")
    # A first load: the cache emptied the way a fresh install finds it.
    cdp = cold_ipad.context.new_cdp_session(cold_ipad)
    cdp.send("Network.clearBrowserCache")
    responses = []
    cold_ipad.on("response", lambda response: responses.append(response))
    cold_ipad.goto(f"{cold_ipad.base}/sessions/{session_id}")
    cold_ipad.wait_for_load_state("networkidle")
    size = _transferred(responses)
    print(f"\nsession screen, first load: {size} bytes transferred in {len(responses)} responses")
    assert size < 60_000
    assert _loaded(cold_ipad, "session")
    assert not _loaded(cold_ipad, "measures") and not _loaded(cold_ipad, "signature")

    card = cold_ipad.locator("article.ex-card:visible")
    with cold_ipad.expect_response(lambda r: r.url.endswith(f"/sessions/{session_id}/sets")) as logged:
        card.locator("button.btn-done").tap()
    response = logged.value
    response.finished()
    sizes = response.request.sizes()
    round_trip = sum(sizes[key] for key in ("requestHeadersSize", "requestBodySize",
                                            "responseHeadersSize", "responseBodySize"))
    # Chromium's client hints (sec-ch-ua...) are not sent by the iPad's Safari: not counted.
    hints = sum(len(f"{h['name']}: {h['value']}\r\n") for h in response.request.headers_array()
                if h["name"].lower().startswith("sec-ch-"))
    print(f"set logged: {round_trip} bytes with headers, {round_trip - hints} without Chromium's client hints ({sizes})")
    assert response.status == 200 and round_trip - hints < 2048


def test_screen_scripts_work_after_a_boosted_navigation(ipad, live_server):
    """The chart has none of the three; its link swaps in the session screen, whose steppers,
    rest timer and focus rows run on session.js loaded then; a measure screen reached by a tap the same."""
    session_id = own_session(live_server, "light pages")
    client_id = _session_client(live_server, session_id)
    sign_in(ipad, "marcus@riverside.example")
    ipad.goto(f"{ipad.base}/clients/{client_id}")
    assert not any(_loaded(ipad, name) for name in ON_DEMAND)
    ipad.locator(f'a[href="/sessions/{session_id}"]').first.tap()
    ipad.wait_for_url(f"**/sessions/{session_id}")
    ipad.wait_for_function("() => Array.from(document.scripts).some(s => s.dataset.script === 'session')")
    assert not _loaded(ipad, "measures")
    card = ipad.locator("article.ex-card:visible")
    stepper = card.locator(".stepper").first
    number = stepper.locator(".stepper-input")
    before = float(number.input_value() or 0)
    stepper.locator("button.step").nth(1).tap()  # the "+" of the open exercise's first number
    expect(number).to_have_value(str(int(before + 1)))
    # A row of the list opens its exercise without a request: session.js's focus mode.
    second = ipad.locator(".ex-row").nth(1)
    second.tap()
    expect(ipad.locator("article.ex-card:visible h3")).to_have_text(second.locator(".ex-row-name").inner_text())
    ipad.locator("article.ex-card:visible button.btn-done").tap()
    expect(ipad.locator("[data-rest-timer]")).to_be_visible()
    expect(ipad.locator("[data-timer]")).not_to_have_text("0:00")

    # The measures list (boosted from the chart), then a measure screen by a tap: measures.js arrives.
    ipad.goto(f"{ipad.base}/clients/{client_id}/measures")
    assert not _loaded(ipad, "measures")
    ipad.locator(".tile-main", has_text="Timed Up and Go").tap()
    watch = ipad.locator("[data-stopwatch-toggle]")
    watch.tap()
    expect(watch).to_contain_text("Stop")
    assert _loaded(ipad, "measures") and not _loaded(ipad, "signature")
    # Each script is asked for once, however many screens ask.
    assert ipad.evaluate("() => document.querySelectorAll('script[data-script=measures]').length") == 1

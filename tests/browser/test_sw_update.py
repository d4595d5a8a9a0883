"""Issue 20: a new version of the app is announced calmly and starts between actions, never
mid-entry: the banner offers "Start it now" only while nothing is being typed."""

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from .conftest import own_session, sign_in
from .test_offline_outbox import TRAINER, _worker_ready

pytestmark = pytest.mark.browser


def test_a_waiting_version_is_announced_and_started_on_request(new_ipad, live_server, monkeypatch):
    from metpwa.blueprints.pwa import routes

    session_id = own_session(live_server, "light pages")  # reads the screen only
    ipad = new_ipad()
    sign_in(ipad, TRAINER)
    ipad.goto(f"{ipad.base}/sessions/{session_id}")
    _worker_ready(ipad)
    first = ipad.evaluate("() => caches.keys()")
    expect(ipad.locator("#update-banner")).to_have_count(0)

    # A new release: the shell's files change, and so does the worker's version.
    monkeypatch.setattr(routes, "SHELL_FILES", routes.SHELL_FILES[:-1])
    ipad.evaluate("() => navigator.serviceWorker.getRegistration().then((r) => r.update())")
    banner = ipad.locator("#update-banner")
    expect(banner).to_contain_text("A new version is ready: it starts when you leave this screen", timeout=15_000)
    # Typing: the version does not change under the trainer's fingers.
    ipad.locator("#add-exercise input[type=search]").tap()
    expect(banner.locator("[data-update-now]")).to_be_hidden()
    ipad.locator("h1").first.click()
    expect(banner.locator("[data-update-now]")).to_be_visible()
    # The session bar stays clear.
    bar = ipad.locator("form.session-footer").bounding_box()
    box = banner.bounding_box()
    assert box["y"] + box["height"] <= bar["y"]

    banner.locator("[data-update-now]").tap()
    # The new version's cache replaces the old one (evaluate awaits the promise; wait_for_function would not).
    for _ in range(60):
        try:
            keys = ipad.evaluate("() => caches.keys()")
        except PlaywrightError:  # the page reloading under the new version
            keys = []
        if keys and not set(keys) & set(first):
            break
        ipad.wait_for_timeout(250)
    else:
        pytest.fail("the new version did not start")
    ipad.wait_for_load_state()
    expect(ipad.locator("#update-banner")).to_have_count(0)

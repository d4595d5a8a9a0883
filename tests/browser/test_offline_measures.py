"""Issue 20: the guided measures open and work offline from the session screen. The service worker
keeps each test's shell (no client in it) and answers an offline tap on the real test with it; the
client is named from the session page already open, and the result joins the outbox addressed to
the real client's test. No page the service worker keeps holds a client's name."""

import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from .conftest import own_session, sign_in
from .test_offline_outbox import TRAINER, _badge, _client_of, _db, _worker_ready

pytestmark = pytest.mark.browser


def _client_names(live_server, client_id):
    from metpwa.models import Client

    def names(db):
        client = db.session.get(Client, client_id)
        return [client.first_name, client.last_name, client.display_name]

    return _db(live_server, names)


def _tugs(live_server, client_id):
    from metpwa.models import OutcomeResult

    return _db(live_server, lambda db: [(row.idempotency_key, row.performed_at) for row in db.session.scalars(
        select(OutcomeResult).where(OutcomeResult.client_id == client_id, OutcomeResult.measure_key == "tug")
        .order_by(OutcomeResult.id))])


def _cached_texts(page):
    """Every response the service worker keeps, as (URL, text)."""
    return page.evaluate("""async () => {
        const found = [];
        for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            for (const request of await cache.keys()) {
                const response = await cache.match(request);
                const type = response.headers.get("Content-Type") || "";
                found.push([request.url, type.startsWith("image/") ? "" : await response.text()]);
            }
        }
        return found;
    }""")


def test_a_test_opened_offline_from_the_session_screen_is_saved_once_when_back_online(new_ipad, live_server):
    session_id = own_session(live_server, "offline measures")
    client_id = _client_of(live_server, session_id)
    names = _client_names(live_server, client_id)
    before = _tugs(live_server, client_id)
    ipad = new_ipad()
    sign_in(ipad, TRAINER)
    ipad.goto(f"{ipad.base}/sessions/{session_id}")
    _worker_ready(ipad)
    # The session page has the worker keep each test's shell while the wifi is there.
    # (Polled with evaluate, which awaits the promise; wait_for_function would take it as true.)
    for _ in range(60):
        if ipad.evaluate("() => caches.match('/measures/shell/tug').then((hit) => !!hit)"):
            break
        ipad.wait_for_timeout(250)
    else:
        pytest.fail("the session screen did not have the worker keep the TUG shell")

    ipad.context.set_offline(True)
    ipad.locator("details.session-tests summary").tap()
    ipad.locator("a[data-measure-link]", has_text="TUG").tap()
    ipad.wait_for_url(f"**/clients/{client_id}/measures/tug")
    # The shell, named from the session page: the client's name is this tab's, not the cache's.
    expect(ipad.locator("[data-shell-client]")).to_have_text(names[2])
    expect(ipad.locator("[data-shell-orphan]")).to_be_hidden()
    watch = ipad.locator("[data-stopwatch-toggle]")
    watch.tap()
    ipad.wait_for_timeout(1200)
    watch.tap()
    ipad.locator("label.choice", has_text="No aid").tap()
    tapped = time.time()
    ipad.locator("[data-save]").tap()
    expect(ipad.locator("[data-save-status]")).to_contain_text("Waiting: not saved yet")
    expect(_badge(ipad)).to_have_text("Offline: 1 waiting")

    ipad.context.set_offline(False)
    ipad.evaluate("() => window.dispatchEvent(new Event('online'))")
    expect(_badge(ipad)).to_have_text("All saved", timeout=15_000)
    expect(ipad.locator("[data-save-status]")).to_have_text("Saved.")
    after = _tugs(live_server, client_id)
    assert len(after) == len(before) + 1
    _, performed_at = after[-1]
    # The time of the tap, not of the arrival.
    assert abs(performed_at.timestamp() - tapped) < 5

    # What the worker keeps: the static shell, the offline page and tests' shells; no client in any.
    kept = _cached_texts(ipad)
    assert any(url.endswith("/measures/shell/tug") for url, _ in kept)
    for url, text in kept:
        assert "/clients/" not in url and "/sessions/" not in url, url
        for name in names:
            assert name not in text, url

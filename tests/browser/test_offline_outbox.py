"""Issue 20, done when: the gym floor keeps logging with the wifi down. Six sets, a vitals entry and a
Timed Up and Go entered offline survive a reload while still offline and reach the server exactly
once each with the time they were entered; the same outbox replayed adds nothing; a session signed
from another iPad meanwhile turns the late items into an addendum draft; the idle lock and sign-out
leave nothing readable behind."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from metpwa import demo

from .conftest import own_session, sign_in

pytestmark = pytest.mark.browser

TRAINER = "marcus@riverside.example"


def _db(live_server, work):
    with live_server.app.app_context():
        from metpwa.extensions import db

        return work(db)


def _sets(live_server, session_id):
    from metpwa.models import SetLog

    return _db(live_server, lambda db: [(row.idempotency_key, row.performed_at, row.entered_at) for row in db.session.scalars(
        select(SetLog).where(SetLog.session_id == session_id).order_by(SetLog.id))])


def _tug_count(live_server, client_id):
    from metpwa.models import OutcomeResult

    return _db(live_server, lambda db: db.session.scalar(select(func.count()).select_from(OutcomeResult).where(
        OutcomeResult.client_id == client_id, OutcomeResult.measure_key == "tug")))


def _client_of(live_server, session_id):
    from metpwa.models import SessionLog

    return _db(live_server, lambda db: db.session.get(SessionLog, session_id).client_id)


def _worker_ready(page):
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    # The first load of a new worker is not yet controlled by it: load once more under it.
    if not page.evaluate("() => !!navigator.serviceWorker.controller"):
        page.reload()
    page.wait_for_function("() => !!navigator.serviceWorker.controller")


def _badge(page):
    return page.locator("#outbox-badge")


def _waiting_rows(page):
    return page.evaluate("""() => new Promise((resolve) => {
        const open = indexedDB.open("metpwa-outbox", 1);
        open.onsuccess = () => {
            const all = open.result.transaction("entries", "readonly").objectStore("entries").getAll();
            all.onsuccess = () => resolve(all.result.map((row) => ({
                key: row.key, status: row.status,
                data: Array.from(new Uint8Array(row.data)).map((b) => String.fromCharCode(b)).join("")})));
        };
    })""")


def test_offline_sets_vitals_and_tug_reach_the_server_once_each_after_a_reload(new_ipad, live_server):
    session_id = own_session(live_server, "offline sets")
    client_id = _client_of(live_server, session_id)
    before = _sets(live_server, session_id)
    tugs = _tug_count(live_server, client_id)
    ipad = new_ipad()
    sign_in(ipad, TRAINER)
    ipad.goto(f"{ipad.base}/sessions/{session_id}")
    _worker_ready(ipad)
    # The guided test, opened from the session before the wifi drops, in a second tab.
    tug = ipad.context.new_page()
    tug.goto(f"{ipad.base}/clients/{client_id}/measures/tug")
    tug.locator("[data-stopwatch-toggle]").wait_for()

    ipad.context.set_offline(True)
    card = ipad.locator("article.ex-card:visible")
    for _ in range(6):
        card.locator("button.btn-done").tap()
    # Each tap is its own set, shown at once as waiting.
    expect(card.locator(".set-pending.is-waiting")).to_have_count(6)
    expect(_badge(ipad)).to_have_text("Offline: 6 waiting")
    ipad.locator("#vitals-before label.scale-point", has_text="3").first.tap()
    expect(_badge(ipad)).to_have_text("Offline: 7 waiting")
    # The session bar stays clear: the badge is in the top bar.
    bar = ipad.locator("form.session-footer").bounding_box()
    badge = _badge(ipad).bounding_box()
    assert badge["y"] + badge["height"] <= bar["y"] or badge["y"] >= bar["y"] + bar["height"]

    watch = tug.locator("[data-stopwatch-toggle]")
    watch.tap()
    tug.wait_for_timeout(1500)
    watch.tap()
    tug.locator("label.choice", has_text="No aid").tap()
    tug.locator("[data-save]").tap()
    expect(tug.locator("[data-save-status]")).to_contain_text("Waiting: not saved yet")
    tug.close()

    # What waits is sealed: no numbers in the clear in the browser's storage.
    rows = _waiting_rows(ipad)
    assert len(rows) == 8 and {row["status"] for row in rows} == {"waiting"}
    assert not any("reps" in row["data"] or "trials" in row["data"] for row in rows)
    keys = {row["key"] for row in rows}
    assert len(keys) == 8  # two taps of Done are two keys

    # Reloading while offline: the offline page says what waits, and comes back by itself.
    ipad.reload()
    expect(ipad.locator("[data-offline-page]")).to_be_visible()
    expect(ipad.locator("[data-outbox-words]")).to_contain_text("8 items wait")
    # Keep a copy of the outbox to replay it later.
    ipad.evaluate("""() => new Promise((resolve) => {
        const open = indexedDB.open("metpwa-outbox", 1);
        open.onsuccess = () => {
            const all = open.result.transaction("entries", "readonly").objectStore("entries").getAll();
            all.onsuccess = () => { window.sessionStorage.setItem("copy-count", String(all.result.length));
                const copy = indexedDB.open("outbox-copy", 1);
                copy.onupgradeneeded = () => copy.result.createObjectStore("entries", { keyPath: "seq" });
                copy.onsuccess = () => { const t = copy.result.transaction("entries", "readwrite");
                    all.result.forEach((row) => t.objectStore("entries").put(row));
                    t.oncomplete = () => resolve(true); }; };
        };
    })""")
    ipad.context.set_offline(False)
    ipad.wait_for_url(re.compile(rf".*/sessions/{session_id}(\?.*)?$"))
    expect(_badge(ipad)).to_have_text("All saved", timeout=15_000)

    after = _sets(live_server, session_id)
    new = after[len(before):]
    assert len(new) == 6 and {key for key, _, _ in new} <= keys
    for _, performed_at, entered_at in new:
        assert performed_at <= entered_at  # the tap's time, not the arrival's
    assert _tug_count(live_server, client_id) == tugs + 1
    from metpwa.models import SessionLog

    assert _db(live_server, lambda db: db.session.get(SessionLog, session_id).pain_before) == 3

    # The same outbox sent again: every key answered as before, nothing added.
    ipad.evaluate("""() => new Promise((resolve) => {
        const copy = indexedDB.open("outbox-copy", 1);
        copy.onsuccess = () => {
            const all = copy.result.transaction("entries", "readonly").objectStore("entries").getAll();
            all.onsuccess = () => { const open = indexedDB.open("metpwa-outbox", 1);
                open.onsuccess = () => { const t = open.result.transaction("entries", "readwrite");
                    all.result.forEach((row) => t.objectStore("entries").put(row));
                    t.oncomplete = () => resolve(true); }; };
        };
    })""")
    ipad.evaluate("() => window.metpwa.outbox.flush()")
    ipad.wait_for_function("() => window.metpwa.outbox.count() === 0", timeout=15_000)
    assert _sets(live_server, session_id) == after
    assert _tug_count(live_server, client_id) == tugs + 1
    assert len(_waiting_rows(ipad)) == 0


def test_items_entered_while_another_ipad_signs_become_an_addendum_draft(new_ipad, live_server):
    session_id = own_session(live_server, "offline addendum")
    before = _sets(live_server, session_id)
    floor = new_ipad()
    sign_in(floor, TRAINER)
    floor.goto(f"{floor.base}/sessions/{session_id}")
    floor.context.set_offline(True)
    card = floor.locator("article.ex-card:visible")
    card.locator("button.btn-done").tap()
    card.locator("button.btn-done").tap()
    expect(_badge(floor)).to_have_text("Offline: 2 waiting")

    desk = new_ipad()
    sign_in(desk, TRAINER)
    desk.goto(f"{desk.base}/sessions/{session_id}")
    desk.tap("button:has-text('Finish and sign')")
    desk.wait_for_url("**/sign")
    desk.tap("#f-note_performance")
    desk.keyboard.type("Signed from the desk while the floor iPad was offline.")
    desk.tap("button:has-text('Sign and lock')")
    desk.wait_for_url(re.compile(r".*/sessions/\d+$"))

    floor.context.set_offline(False)
    floor.evaluate("() => window.metpwa.outbox.flush()")
    expect(card.locator(".set-pending.is-waiting")).to_have_count(0, timeout=15_000)
    expect(card.locator(".set-pending", has_text="kept as an addendum draft")).to_have_count(2)
    expect(_badge(floor)).to_have_text("All saved")
    assert _sets(live_server, session_id) == before  # the signed note did not change

    desk.reload()
    expect(desk.locator("#late-items")).to_contain_text("2 items from the gym floor arrived after signing")
    assert "after signing" in desk.locator("textarea[name=text]").input_value()


def test_lock_then_sign_out_with_items_waiting_leaves_nothing_readable(new_ipad, live_server):
    session_id = own_session(live_server, "offline sets")  # counts what it adds
    before = _sets(live_server, session_id)
    ipad = new_ipad()
    sign_in(ipad, TRAINER)
    ipad.goto(f"{ipad.base}/sessions/{session_id}")
    ipad.context.set_offline(True)
    ipad.locator("article.ex-card:visible button.btn-done").tap()
    expect(_badge(ipad)).to_have_text("Offline: 1 waiting")

    # The idle lock with something waiting: the page locks where it is, the tab's key copy goes.
    ipad.evaluate("() => document.dispatchEvent(new CustomEvent('metpwa:lock-now'))")
    expect(ipad.locator("#in-place-lock")).to_be_visible()
    assert ipad.evaluate("() => sessionStorage.getItem('metpwa-outbox-key')") is None
    assert not any("reps" in row["data"] for row in _waiting_rows(ipad))

    # Back online and unlocked by the same person: it is sent.
    ipad.context.set_offline(False)
    ipad.locator("#in-place-secret").tap()
    ipad.keyboard.type(demo.DEMO_PIN)
    ipad.locator("#in-place-lock button[type=submit]").first.tap()
    expect(ipad.locator("#in-place-lock")).to_have_count(0)
    expect(_badge(ipad)).to_have_text("All saved", timeout=15_000)
    assert len(_sets(live_server, session_id)) == len(before) + 1

    # Another set waits when the trainer signs out: sent first, then nothing is left.
    ipad.context.set_offline(True)
    ipad.locator("article.ex-card:visible button.btn-done").tap()
    expect(_badge(ipad)).to_have_text("Offline: 1 waiting")
    ipad.context.set_offline(False)
    ipad.evaluate("() => window.metpwa.outbox.flush()")
    expect(_badge(ipad)).to_have_text("All saved", timeout=15_000)
    ipad.context.set_offline(True)
    ipad.locator("article.ex-card:visible button.btn-done").tap()
    ipad.context.set_offline(False)
    ipad.goto(f"{ipad.base}/me")
    ipad.tap("button:has-text('Sign out')")
    # The outbox is sent first, then the form goes; Clear-Site-Data may abort a navigation on the way.
    expect(ipad).to_have_url(re.compile(r".*/login\?bye=1$"), timeout=15_000)
    ipad.wait_for_load_state()
    assert len(_sets(live_server, session_id)) == len(before) + 3
    assert ipad.evaluate("localStorage.length + sessionStorage.length") == 0
    assert ipad.evaluate("() => indexedDB.databases().then((all) => all.map((db) => db.name))") == []

"""A person on an iPad: tap to sign in, reach Today, get locked when idle, unlock with
the PIN pad, sign out and leave nothing behind, install the app."""

import re

import pytest
from playwright.sync_api import expect

from metpwa import demo

from .conftest import session_under_way, sign_in

pytestmark = pytest.mark.browser


def test_tap_to_sign_in_reaches_today_with_my_clients(ipad):
    sign_in(ipad, "marcus@riverside.example")
    assert ipad.locator("h2").inner_text().endswith("Marcus")
    assert ipad.get_by_text("Peggy Ellison").first.is_visible()
    # Her name opens her chart (a session of hers left under way by another test is a Resume link instead).
    ipad.tap("a[href*='/clients/']:has-text('Peggy Ellison')")
    ipad.wait_for_url("**/clients/*")
    assert ipad.locator(".chart-head h2").inner_text() == "Peggy Ellison"


def test_wrong_password_shows_the_message_and_keeps_the_email(ipad):
    ipad.goto(ipad.base + "/login")
    ipad.tap("#email")
    ipad.keyboard.type("marcus@riverside.example")
    ipad.tap("#password")
    ipad.keyboard.type("not the password")
    ipad.tap("button[type=submit]")
    ipad.wait_for_selector(".form-error")
    assert ipad.input_value("#email") == "marcus@riverside.example"


def test_idle_lock_hides_client_data_and_the_pin_pad_unlocks(ipad, live_server):
    sign_in(ipad, "marcus@riverside.example")
    ipad.evaluate("localStorage.setItem('draft', 'Peggy Ellison knee notes')")
    live_server.app.config["IDLE_LOCK_MINUTES"] = 0.05  # 3 seconds
    try:
        ipad.reload()
        ipad.wait_for_url("**/lock?next=*", timeout=15_000)
        body = ipad.locator("body").inner_text()
        assert "Marcus Lee" in body and "Peggy" not in body and "Ellison" not in body
        assert ipad.evaluate("localStorage.length") == 0
        live_server.app.config["IDLE_LOCK_MINUTES"] = 10
        for digit in demo.DEMO_PIN:
            ipad.tap(f".pin-key[data-digit='{digit}']")
        ipad.tap(".pin-go")
        ipad.wait_for_url(live_server.url + "/")
        assert ipad.get_by_text("Peggy Ellison").first.is_visible()
    finally:
        live_server.app.config["IDLE_LOCK_MINUTES"] = 10


def test_a_note_half_typed_when_the_ipad_locks_is_still_there_after_the_pin(ipad, live_server):
    """The idle lock used to leave the sign page for the lock screen, and the note typed there came
    back empty: the page now locks where it is, client hidden, and the PIN brings the words back."""
    session_id, _ = session_under_way(live_server)
    ipad.clock.install()
    sign_in(ipad, "marcus@riverside.example")
    sign_page = f"{ipad.base}/sessions/{session_id}/sign"
    ipad.goto(sign_page)
    client = ipad.title().split(": ", 1)[1].split(" ·")[0]
    words = "Completed three sets of sit-to-stand with good control"
    ipad.locator("textarea[name=note_performance]").tap()
    ipad.keyboard.type(words)
    idle_ms = int(ipad.locator("#app").get_attribute("data-idle-seconds")) * 1000
    ipad.clock.run_for(idle_ms + 10_000)
    lock = ipad.locator("#in-place-lock")
    expect(lock).to_be_visible()
    assert ipad.url == sign_page
    assert client not in ipad.locator("body").inner_text() and client not in ipad.title()
    ipad.locator("#in-place-secret").tap()
    ipad.keyboard.type(demo.DEMO_PIN)
    ipad.locator("#in-place-lock button[type=submit]").first.tap()
    expect(lock).to_have_count(0)
    expect(ipad.locator("textarea[name=note_performance]")).to_have_value(words)


def test_lock_button_then_someone_else_signs_in(new_ipad):
    ipad = new_ipad()
    sign_in(ipad, "marcus@riverside.example")
    ipad.tap("[data-lock-button]")
    ipad.wait_for_url("**/lock")
    ipad.tap("text=Someone else: sign in")
    expect(ipad).to_have_url(re.compile(r".*/login\?bye=1$"), timeout=15_000)
    ipad.wait_for_load_state()
    sign_in(ipad, "priya@riverside.example")
    assert ipad.locator("h2").inner_text().endswith("Priya")


def test_sign_out_clears_browser_storage(ipad):
    sign_in(ipad, "tom@riverside.example")
    ipad.evaluate("sessionStorage.setItem('x', 'client data'); localStorage.setItem('y', 'client data')")
    ipad.tap(".tab >> text=Me")
    ipad.wait_for_url("**/me")
    ipad.tap("button:has-text('Sign out')")
    # The outbox is sent first, then the form goes; Clear-Site-Data may abort a navigation on the way.
    expect(ipad).to_have_url(re.compile(r".*/login\?bye=1$"), timeout=15_000)
    ipad.wait_for_load_state()
    assert ipad.evaluate("localStorage.length + sessionStorage.length") == 0
    assert ipad.get_by_text("This iPad holds no client data").is_visible()


def test_search_as_you_type_updates_results_and_address(ipad):
    sign_in(ipad, "tom@riverside.example")
    ipad.tap(".tab >> text=Clients")
    ipad.wait_for_url("**/clients")
    ipad.tap("#client-q")
    ipad.keyboard.type("washing")
    ipad.wait_for_url("**/clients?q=washing")
    results = ipad.locator("#client-results")
    assert "Washington" in results.inner_text() and "Ellison" not in results.inner_text()


def test_manifest_and_service_worker_register(ipad):
    ipad.goto(ipad.base + "/login")
    scope = ipad.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == ipad.base + "/"
    manifest = ipad.evaluate(
        "fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())")
    assert manifest["display"] == "standalone" and len(manifest["icons"]) == 3
    cached = ipad.evaluate("""async () => {
        const names = await caches.keys();
        const cache = await caches.open(names.find(n => n.startsWith('metpwa-shell-')));
        return (await cache.keys()).map(r => new URL(r.url).pathname);
    }""")
    assert "/static/js/app.js" in cached and "/offline" in cached
    assert not any(path in cached for path in ("/", "/clients", "/login"))


def test_core_script_reads_the_token_and_makes_one_kind_of_key(ipad):
    """core.js is the one place for both: the shell's CSRF token, and idempotency keys in one spelling (a
    version 4 UUID) for sets and test results alike, also where randomUUID is missing (plain http)."""
    sign_in(ipad, "marcus@riverside.example")
    token = ipad.evaluate("JSON.parse(document.getElementById('app').getAttribute('hx-headers'))['X-CSRFToken']")
    assert token and ipad.evaluate("metpwa.csrfToken()") == token
    keys = ipad.evaluate("""() => {
        const made = [metpwa.newKey()];
        crypto.randomUUID = undefined;  // as on plain http over the practice's wifi, or an older Safari
        made.push(metpwa.newKey(), metpwa.newKey());
        return made;
    }""")
    v4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
    assert all(v4.match(key) for key in keys) and len(set(keys)) == 3, keys

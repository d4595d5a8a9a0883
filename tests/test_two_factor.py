"""Two-step sign-in: enrollment with an authenticator app, codes that work once, recovery codes, the
half-signed session that reaches nothing else, throttling, the owner's reset, and the quick PIN
unlock that stays as it was."""

import re
import time
from datetime import UTC, datetime, timedelta

import pyotp
from sqlalchemy import func, select, text

from conftest import next_code
from metpwa.models import AuditEvent, LoginFailure, RecoveryCode, StaffSession, User, utcnow
from metpwa.permissions import Role
from metpwa.rules import totp

# --- The rule itself, on a frozen clock -----------------------------------------------------------

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NOON = datetime(2026, 11, 27, 12, 0, 10, tzinfo=UTC)


def test_a_code_is_taken_within_one_step_either_side_and_never_twice():
    app_code = pyotp.TOTP(SECRET)
    now = totp.step_at(NOON)
    assert totp.matching_step(SECRET, app_code.at(NOON), NOON, None) == now
    # A phone clock 30 seconds off either way still works; a minute off does not.
    assert totp.matching_step(SECRET, app_code.at(NOON - timedelta(seconds=30)), NOON, None) == now - 1
    assert totp.matching_step(SECRET, app_code.at(NOON + timedelta(seconds=30)), NOON, None) == now + 1
    assert totp.matching_step(SECRET, app_code.at(NOON - timedelta(seconds=65)), NOON, None) is None
    assert totp.matching_step(SECRET, app_code.at(NOON + timedelta(seconds=65)), NOON, None) is None
    # Once a step is used, its code and every earlier one are refused.
    assert totp.matching_step(SECRET, app_code.at(NOON), NOON, last_step=now) is None
    assert totp.matching_step(SECRET, app_code.at(NOON - timedelta(seconds=30)), NOON, last_step=now) is None
    assert totp.matching_step(SECRET, app_code.at(NOON + timedelta(seconds=30)), NOON, last_step=now) == now + 1


def test_typed_codes_are_forgiving_about_spaces_and_strict_about_the_rest():
    code = pyotp.TOTP(SECRET).at(NOON)
    assert totp.matching_step(SECRET, f" {code[:3]} {code[3:]} ", NOON, None) is not None
    assert totp.matching_step(SECRET, f"{code[:3]}-{code[3:]}", NOON, None) is not None
    for typed in ("", "12345", "1234567", "abcdef", "１２３４５６", code + "\x00", "٣٤٥٦٧٨"):
        assert totp.matching_step(SECRET, typed, NOON, None) is None


def test_recovery_codes_are_random_keyed_bound_to_their_owner_and_matched_loosely():
    import hashlib

    codes = totp.new_recovery_codes()
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(re.fullmatch(r"[2-9a-z]{5}-[2-9a-z]{5}", code) for code in codes)
    key, other_key = b"k" * 32, b"o" * 32
    keys = {1: key}.get
    stored = totp.hash_recovery_code(codes[0], key, 1, user_id=7)
    assert codes[0] not in stored and stored.startswith("hmac-sha256$1$")
    assert totp.recovery_code_matches(stored, codes[0].upper().replace("-", " "), keys, 7)
    assert not totp.recovery_code_matches(stored, codes[1], keys, 7)
    assert not totp.recovery_code_matches("garbage", codes[0], keys, 7)
    # Without the key nothing can be tested; on another staff member's row it does not open.
    assert not totp.recovery_code_matches(stored, codes[0], {1: other_key}.get, 7)
    assert not totp.recovery_code_matches(stored, codes[0], keys, 8)
    assert not totp.recovery_code_matches(stored, codes[0], {}.get, 7)
    # A salted SHA-256 from before 0013, sealed by the migration as it was, still lets its code in.
    legacy = f"sha256$abc${hashlib.sha256(('abc:' + totp.clean_recovery_code(codes[2])).encode()).hexdigest()}"
    wrapped = totp.wrap_legacy_hash(legacy, key, 1, 7)
    assert totp.recovery_code_matches(wrapped, codes[2], keys, 7)
    assert not totp.recovery_code_matches(wrapped, codes[2], keys, 8)
    assert not totp.recovery_code_matches(legacy, codes[2], keys, 7)  # unsealed: refused


def test_recovery_codes_copied_onto_the_owner_do_not_open_the_owners_account(app, db, make, personas, new_agent):
    from sqlalchemy import text as sql

    colleague = make.user(personas.practice_id, "trainer", two_factor=True)
    with app.app_context():
        from metpwa.extensions import db as _db

        # Someone who can write the database replaces the owner's codes with copies of their own.
        _db.session.execute(sql("DELETE FROM recovery_code WHERE user_id = :owner"), {"owner": personas.owner.id})
        _db.session.execute(sql("INSERT INTO recovery_code (user_id, code_hash, created_at) SELECT :owner, code_hash, "
                                "created_at FROM recovery_code WHERE user_id = :colleague"),
                            {"owner": personas.owner.id, "colleague": colleague.id})
        _db.session.commit()
    forger = new_agent()
    forger.refresh_token("/login")
    step = forger.client.post("/login", data={"email": personas.owner.email, "password": personas.owner.password,
                                              "csrf_token": forger.token})
    assert step.status_code == 303 and step.headers["Location"].startswith("/login/code")
    forger.refresh_token("/login/code")
    answer = forger.client.post("/login/code", data={"code": colleague.recovery_codes[0], "csrf_token": forger.token})
    assert answer.status_code == 422 or answer.headers.get("Location", "").startswith("/login")


# --- Helpers ---------------------------------------------------------------------------------------

def _scalar(app, statement):
    with app.app_context():
        from metpwa.extensions import db

        return db.session.scalar(statement)


def _secret(app, user_id: int) -> str | None:
    """The stored secret, opened with its row (a sealed column read on its own is refused)."""
    with app.app_context():
        from metpwa.extensions import db

        return db.session.get(User, user_id).totp_secret


def _actions(app, user_id):
    with app.app_context():
        from metpwa.extensions import db

        return [(e.action, e.outcome) for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.user_id == user_id).order_by(AuditEvent.id))]


def _wrong_code(secret):
    now = totp.step_at(time.time())
    valid = {totp.code_for(secret, step) for step in range(now - 3, now + 4)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)


def _password_only(agent, persona):
    """The first step only: the password, leaving the sign-in half-signed."""
    agent.refresh_token("/login")
    return agent.client.post("/login", data={"email": persona.email, "password": persona.password,
                                             "csrf_token": agent.token})


def _send_code(agent, code, url="/login/code"):
    agent.refresh_token(url)
    return agent.client.post(url, data={"code": code, "csrf_token": agent.token})


# --- Signing in with a code -------------------------------------------------------------------------

def test_owner_signs_in_with_password_then_code(app, agent, personas):
    first = _password_only(agent, personas.owner)
    assert first.status_code == 303 and first.headers["Location"] == "/login/code"
    page = agent.get("/login/code").get_data(as_text=True)
    assert 'inputmode="numeric"' in page and 'autocomplete="one-time-code"' in page
    assert "Clients" not in page  # no navigation before the second step
    response = _send_code(agent, next_code(app, personas.owner))
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert "Olivia" in agent.get("/").get_data(as_text=True)
    assert ("login", "pending") in _actions(app, personas.owner.id)
    assert ("login_2fa", "ok") in _actions(app, personas.owner.id)


def test_next_survives_the_code_step(app, agent, personas):
    agent.refresh_token("/login")
    first = agent.client.post("/login?next=/clients", data={"email": personas.biller.email,
                                                           "password": personas.biller.password,
                                                           "csrf_token": agent.token})
    assert first.headers["Location"] == "/login/code?next=/clients"
    response = _send_code(agent, next_code(app, personas.biller), "/login/code?next=/clients")
    assert response.headers["Location"] == "/clients"


def test_a_wrong_code_is_refused_at_the_field_and_audited(app, agent, personas):
    _password_only(agent, personas.owner)
    response = _send_code(agent, _wrong_code(personas.owner.totp_secret))
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="code-error"' in body and "did not match" in body
    assert agent.get("/").headers["Location"] == "/login/code"  # still half-signed
    assert ("login_2fa_failed", "denied") in _actions(app, personas.owner.id)
    assert _scalar(app, select(func.count()).select_from(LoginFailure)
                   .where(LoginFailure.email == personas.owner.email)) == 1


def test_bad_input_at_the_code_step_is_a_message_never_an_error(app, agent, personas):
    _password_only(agent, personas.owner)
    for typed in ("", "abc", "9" * 5000, "<script>alert(1)</script>", "١٢٣٤٥٦"):
        response = _send_code(agent, typed)
        assert response.status_code == 422, typed
        body = response.get_data(as_text=True)
        assert 'id="code-error"' in body and "<script>alert" not in body


def test_a_code_works_once(app, new_agent, personas):
    code = totp.code_for(personas.owner.totp_secret, totp.step_at(time.time()))
    first = new_agent()
    _password_only(first, personas.owner)
    assert _send_code(first, code).status_code == 303
    second = new_agent()
    _password_only(second, personas.owner)
    replay = _send_code(second, code)
    assert replay.status_code == 422 and "each code works once" in replay.get_data(as_text=True)


def test_a_recovery_code_works_once(app, new_agent, personas):
    code = personas.biller.recovery_codes[0]
    first = new_agent()
    _password_only(first, personas.biller)
    page = first.get("/login/code?with=recovery").get_data(as_text=True)
    assert "Recovery code" in page
    assert _send_code(first, code.upper(), "/login/code?with=recovery").status_code == 303
    assert ("recovery_code_used", "ok") in _actions(app, personas.biller.id)
    second = new_agent()
    _password_only(second, personas.biller)
    again = _send_code(second, code, "/login/code?with=recovery")
    assert again.status_code == 422 and "used before" in again.get_data(as_text=True)
    assert _scalar(app, select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == personas.biller.id, RecoveryCode.used_at.is_(None))) == 9


def test_five_wrong_codes_pause_the_account_and_signing_in_again_does_not_reset_the_count(app, new_agent,
                                                                                         personas):
    from metpwa.services.signin import GENERIC_FAILURE

    attacker = new_agent()
    _password_only(attacker, personas.owner)
    wrong = _wrong_code(personas.owner.totp_secret)
    for _ in range(3):
        assert _send_code(attacker, wrong).status_code == 422
    # A fresh password does not buy fresh guesses.
    _password_only(attacker, personas.owner)
    assert _send_code(attacker, wrong).status_code == 422
    ended = _send_code(attacker, wrong)
    assert ended.status_code == 303 and ended.headers["Location"] == "/login?paused=1"
    assert "sign-in is paused" in attacker.get("/login?paused=1").get_data(as_text=True)
    assert attacker.get("/login/code").headers["Location"].startswith("/login")
    assert ("lockout", "ok") in _actions(app, personas.owner.id)
    # Even with the password and a right code, the account waits out the pause.
    owner = new_agent()
    refused = owner.login(personas.owner)
    assert refused.status_code == 200 and GENERIC_FAILURE in refused.get_data(as_text=True)


# --- The half-signed session ------------------------------------------------------------------------

def test_half_signed_session_reaches_nothing_but_the_code_step(app, agent, personas, make):
    client_id = make.client_record(personas.practice_id, first="Harriet", last="Quill")
    _password_only(agent, personas.owner)
    token = agent.refresh_token("/login/code")
    for path in ("/", "/clients", f"/clients/{client_id}", "/staff", "/me", "/audit", "/lock", "/emergency",
                 "/login/enroll"):
        response = agent.get(path)
        assert response.status_code == 303 and response.headers["Location"] == "/login/code", path
    htmx = agent.get("/clients?q=Quill", htmx=True)
    assert htmx.status_code == 401 and htmx.headers["HX-Redirect"] == "/login/code" and htmx.get_data() == b""
    before = _scalar(app, select(func.count()).select_from(User))
    for path, data in (("/clients/new", {"first_name": "Eve", "last_name": "Sneak"}),
                       ("/staff", {"full_name": "Eve", "email": "eve@example.test", "role": "owner",
                                   "password": "a long enough password"}),
                       ("/session/ping", {}), ("/unlock", {"secret": "2580"}), ("/lock", {})):
        response = agent.client.post(path, data={**data, "csrf_token": token})
        assert response.status_code == 303 and response.headers["Location"] == "/login/code", path
    assert _scalar(app, select(func.count()).select_from(User)) == before
    # The session row itself stays half-signed, and its cookie never became a sign-in.
    assert _scalar(app, select(StaffSession.second_step).where(StaffSession.user_id == personas.owner.id)) == "code"


def test_half_signed_session_lapses_after_five_minutes(app, agent, personas):
    _password_only(agent, personas.owner)
    with app.app_context():
        from metpwa.extensions import db

        staff_session = db.session.scalar(select(StaffSession).where(StaffSession.user_id == personas.owner.id))
        staff_session.created_at = utcnow() - timedelta(minutes=5, seconds=5)
        staff_session.last_seen_at = staff_session.created_at
        db.session.commit()
    response = agent.get("/login/code")
    assert response.status_code == 303 and response.headers["Location"].startswith("/login")
    late = _send_code(agent, next_code(app, personas.owner))
    assert late.status_code in (303, 400) and agent.get("/").headers["Location"].startswith("/login")
    assert _scalar(app, select(StaffSession.end_reason).where(StaffSession.user_id == personas.owner.id)) \
        == "second step not finished"


def test_staff_without_two_step_sign_in_are_not_asked(app, agent, personas):
    response = agent.login(personas.colleague)
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert agent.get("/login/code").headers["Location"] == "/"


def test_pin_unlock_never_asks_for_a_code(app, agent, personas):
    assert agent.login(personas.owner).status_code == 303
    agent.post("/lock")
    assert agent.get("/").headers["Location"].startswith("/lock")
    response = agent.post("/unlock", data={"secret": "2580"})
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert agent.get("/").status_code == 200
    sign_in_and_lock = [a for a, _ in _actions(app, personas.owner.id) if a != "read"]
    assert sign_in_and_lock[-3:] == ["login_2fa", "lock", "unlock"]


# --- Enrollment ----------------------------------------------------------------------------------------

def test_an_owner_must_set_it_up_before_reaching_any_page(app, agent, personas, make):
    owner = make.user(personas.practice_id, Role.OWNER, name="Nora Newowner", two_factor=False)
    first = _password_only(agent, owner)
    assert first.status_code == 303 and first.headers["Location"] == "/login/enroll"
    for path in ("/", "/clients", "/staff", "/me", "/login/code"):
        assert agent.get(path).headers["Location"] == "/login/enroll", path
    page = agent.get("/login/enroll").get_data(as_text=True)
    secret = _secret(app, owner.id)
    qr = re.search(r"<svg.*?</svg>", page, re.S).group(0)  # the QR code, drawn on the server
    assert "<script" not in qr and "style=" not in qr
    assert " ".join(secret[i:i + 4] for i in range(0, 32, 4)) in page  # the key to type instead
    assert 'inputmode="numeric"' in page and 'autocomplete="one-time-code"' in page
    # The secret is ciphertext in the database.
    with app.app_context():
        from metpwa.extensions import db

        raw = db.session.execute(text('SELECT totp_secret FROM "user" WHERE id = :id'), {"id": owner.id}).scalar()
    assert raw.startswith("mw2:") and secret not in raw

    wrong = _send_code(agent, _wrong_code(secret), "/login/enroll")
    assert wrong.status_code == 422 and 'id="code-error"' in wrong.get_data(as_text=True)
    done = _send_code(agent, pyotp.TOTP(secret).now(), "/login/enroll")
    body = done.get_data(as_text=True)
    assert done.status_code == 200
    codes = re.findall(r"<code>([2-9a-z]{5}-[2-9a-z]{5})</code>", body)
    assert len(codes) == 10
    assert agent.get("/").status_code == 200
    assert ("2fa_enrolled", "ok") in _actions(app, owner.id)
    with app.app_context():
        from metpwa.extensions import db

        stored = db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == owner.id)).all()
    assert len(stored) == 10 and not any(code in hashed for code in codes for hashed in stored)
    # From now on the code is asked at sign-in.
    agent.post("/logout")
    assert _password_only(agent, owner).headers["Location"] == "/login/code"


def test_an_unfinished_enrollment_gets_a_new_secret_at_the_next_sign_in(app, new_agent, personas, make):
    """A QR code left on a screen from an unfinished try must not become the account's secret."""
    biller = make.user(personas.practice_id, Role.BILLER, two_factor=False)
    _password_only(new_agent(), biller)
    secret = _secret(app, biller.id)
    again = new_agent()
    assert _password_only(again, biller).headers["Location"] == "/login/enroll"
    assert _secret(app, biller.id) not in (None, secret)
    assert "This code replaces it" in again.get("/login/enroll").get_data(as_text=True)


def test_a_sign_in_from_before_the_rule_ends_for_an_owner_without_it(app, agent, personas):
    """A session opened before two-step sign-in was required (or the role was given without ending
    sessions) is closed at the next request; the next sign-in sets it up."""
    agent.login(personas.colleague)
    with app.app_context():
        from metpwa.extensions import db

        db.session.get(User, personas.colleague.id).role = Role.OWNER
        db.session.commit()
    response = agent.get("/")
    assert response.status_code == 303 and response.headers["Location"].startswith("/login")
    assert agent.login(personas.colleague).headers["Location"] == "/login/enroll"


def test_a_trainer_opts_in_from_the_me_page_and_may_opt_out(app, agent, personas):
    agent.login(personas.colleague)
    me = agent.get("/me").get_data(as_text=True)
    assert "Set up two-step sign-in" in me
    wrong = agent.post("/me/two-factor", data={"tfon-password": "not my password"})
    assert wrong.status_code == 422 and "not your current password" in wrong.get_data(as_text=True)
    started = agent.post("/me/two-factor", data={"tfon-password": personas.colleague.password})
    assert started.status_code == 303 and started.headers["Location"] == "/me/two-factor"
    page = agent.get("/me/two-factor").get_data(as_text=True)
    assert "<svg" in page and 'autocomplete="one-time-code"' in page
    secret = _secret(app, personas.colleague.id)
    bad = agent.post("/me/two-factor/confirm", data={"code": "12"})
    assert bad.status_code == 422 and 'id="code-error"' in bad.get_data(as_text=True)
    on = agent.post("/me/two-factor/confirm", data={"code": pyotp.TOTP(secret).now()})
    assert on.status_code == 200 and len(re.findall(r"<code>[2-9a-z-]{11}</code>", on.get_data(as_text=True))) == 10
    assert "10 recovery codes left" in agent.get("/me").get_data(as_text=True)

    agent.post("/logout")
    assert _password_only(agent, personas.colleague).headers["Location"] == "/login/code"
    colleague = personas.colleague
    colleague.totp_secret = secret
    assert _send_code(agent, next_code(app, colleague)).status_code == 303
    agent.refresh_token("/me")
    off = agent.post("/me/two-factor/off", data={"tfoff-password": colleague.password})
    assert off.status_code == 303
    assert ("2fa_disabled", "ok") in _actions(app, colleague.id)
    agent.post("/logout")
    assert _password_only(agent, colleague).headers["Location"] == "/"


def test_an_owner_cannot_turn_it_off(app, agent, personas):
    agent.login(personas.owner)
    page = agent.get("/me").get_data(as_text=True)
    assert "Turn off two-step sign-in" not in page and "Required for the owner role" in page
    response = agent.post("/me/two-factor/off", data={"tfoff-password": personas.owner.password})
    assert response.status_code == 422 and "required for the owner role" in response.get_data(as_text=True)
    assert _scalar(app, select(User.totp_enabled_at).where(User.id == personas.owner.id)) is not None


def test_new_recovery_codes_replace_the_old_ones(app, agent, personas):
    agent.login(personas.biller)
    response = agent.post("/me/two-factor/recovery-codes", data={"tfcodes-password": personas.biller.password})
    fresh = re.findall(r"<code>([2-9a-z-]{11})</code>", response.get_data(as_text=True))
    assert response.status_code == 200 and len(fresh) == 10
    with app.app_context():
        from metpwa.extensions import db
        from metpwa.services import twofactor

        user = db.session.get(User, personas.biller.id)
        assert twofactor.check_code(user, personas.biller.recovery_codes[0]) is None
        assert twofactor.check_code(user, fresh[0]) == "recovery"
        db.session.rollback()


# --- The owner's reset ------------------------------------------------------------------------------

def test_owner_resets_a_colleagues_two_step_sign_in(app, new_agent, personas):
    biller = new_agent()
    assert biller.login(personas.biller).status_code == 303
    owner = new_agent()
    owner.login(personas.owner)
    staff_page = owner.get("/staff").get_data(as_text=True)
    assert f'/staff/{personas.biller.id}/two-factor/reset' in staff_page
    assert f'/staff/{personas.owner.id}/two-factor/reset' not in staff_page  # not one's own
    response = owner.post(f"/staff/{personas.biller.id}/two-factor/reset")
    assert response.status_code == 303
    assert biller.get("/").headers["Location"].startswith("/login")  # their sign-ins ended
    with app.app_context():
        from metpwa.extensions import db

        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "2fa_disabled")).one()
        assert event.user_id == personas.owner.id and event.object_id == str(personas.biller.id)
        assert db.session.scalar(select(func.count()).select_from(RecoveryCode)
                                 .where(RecoveryCode.user_id == personas.biller.id)) == 0
    # A biller must have it: the next sign-in sets it up again.
    assert new_agent().login(personas.biller).headers["Location"] == "/login/enroll"
    assert "Sets up two-step sign-in at next sign-in" in owner.get("/staff").get_data(as_text=True)


def test_only_owners_reset_and_only_in_their_practice(app, new_agent, personas):
    outsider = new_agent()
    outsider.login(personas.outsider)
    assert outsider.post(f"/staff/{personas.biller.id}/two-factor/reset").status_code == 404
    assert outsider.post("/staff/987654321/two-factor/reset").status_code == 404
    desk = new_agent()
    desk.login(personas.front_desk)
    assert desk.post(f"/staff/{personas.biller.id}/two-factor/reset").status_code == 403
    owner = new_agent()
    owner.login(personas.owner)
    assert owner.post(f"/staff/{personas.owner.id}/two-factor/reset").status_code == 422
    assert _scalar(app, select(func.count()).select_from(User).where(User.totp_enabled_at.is_not(None))) == 3


def test_the_code_step_and_the_reset_refuse_a_missing_csrf_token(app, new_agent, personas):
    agent = new_agent()
    _password_only(agent, personas.owner)
    refused = agent.client.post("/login/code", data={"code": next_code(app, personas.owner)})
    assert refused.status_code == 400
    assert agent.get("/").headers["Location"] == "/login/code"
    owner = new_agent()
    owner.login(personas.owner)
    assert owner.post(f"/staff/{personas.biller.id}/two-factor/reset", csrf=False).status_code == 400
    assert _scalar(app, select(User.totp_enabled_at).where(User.id == personas.biller.id)) is not None


# --- The demo practice ----------------------------------------------------------------------------

def test_the_demo_owner_signs_in_with_the_printed_key(demo_app):
    """seed-demo printing the key is checked where it really seeds (tests/test_cli.py); here a copy of
    the run's one seeded demo."""
    from conftest import Agent, Persona
    from metpwa import demo

    app, agent = demo_app, Agent(demo_app.test_client())
    dana_id = _scalar(app, select(User.id).where(User.email == "dana@riverside.example"))
    dana = Persona(dana_id, 0, "dana@riverside.example", "owner", "Dana Whitfield", demo.DEMO_PASSWORD,
                   totp_secret=demo.DEMO_TOTP_SECRET)
    response = agent.login(dana)
    assert response.status_code == 303 and response.headers["Location"] == "/"
    # Floor staff sign in as before.
    marcus = Persona(0, 0, "marcus@riverside.example", "trainer", "Marcus Lee", demo.DEMO_PASSWORD)
    assert agent.login(marcus).headers["Location"] == "/"


def test_one_code_sent_twice_at_the_same_moment_lets_in_only_once():
    """Found in review on PostgreSQL: two requests with the same code both read it as unspent. The
    user's row is now locked while a code is checked, so the second waits and finds it spent."""
    import threading

    from conftest import Factory, make_app
    from metpwa.extensions import db
    from metpwa.services import twofactor

    app, cleanup = make_app()
    try:
        make = Factory(app)
        owner = make.user(make.practice("Race Lane MET"), Role.OWNER)

        def race(typed: str) -> list:
            barrier, results = threading.Barrier(2, timeout=2), []

            def sign_in():
                with app.test_request_context("/login/code", method="POST"):
                    got = twofactor.check_code(db.session.get(User, owner.id), typed)
                    try:
                        barrier.wait()  # both have checked before either commits, when nothing holds them
                    except threading.BrokenBarrierError:
                        pass
                    db.session.commit()
                    results.append(got)
                    db.session.remove()

            threads = [threading.Thread(target=sign_in) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            return sorted(results, key=str)

        assert race(owner.recovery_codes[0]) == [None, "recovery"]
        assert race(totp.code_for(owner.totp_secret, totp.step_at(time.time()))) == [None, "code"]
    finally:
        cleanup()


def test_codes_sent_all_at_once_are_judged_no_more_than_the_limit():
    """Found in review on PostgreSQL: each code read the count of failures before any of the others
    had written theirs, so a burst of guesses was all judged, with no pause. Read under the write
    turn, they take turns: five are judged, the fifth pauses the account and ends the half-signed
    session, and the rest find it ended."""
    import threading

    from conftest import Agent, Factory, make_app
    from metpwa.extensions import db

    app, cleanup = make_app()
    try:
        make = Factory(app)
        owner = make.user(make.practice("Burst of Codes MET"), Role.OWNER)
        agent = Agent(app.test_client())
        agent.refresh_token("/login")
        half = agent.client.post("/login", data={"email": owner.email, "password": owner.password,
                                                 "csrf_token": agent.token})
        assert half.headers["Location"].startswith("/login/code")
        token = agent.refresh_token("/login/code")
        cookie = agent.client.get_cookie("metpwa_session").value
        responses = [None] * 12

        def guess(n: int) -> None:
            client = app.test_client()
            client.set_cookie("metpwa_session", cookie)
            responses[n] = client.post("/login/code", data={"code": f"{n:06d}"}, headers={"X-CSRFToken": token})

        threads = [threading.Thread(target=guess, args=(n,)) for n in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with app.app_context():
            outcomes = db.session.scalars(select(AuditEvent.outcome)
                                          .where(AuditEvent.action == "login_2fa_failed")).all()
            lockouts = db.session.scalar(select(func.count()).select_from(AuditEvent)
                                         .where(AuditEvent.action == "lockout"))
            ended = db.session.scalar(select(StaffSession.end_reason))
    finally:
        cleanup()
    assert outcomes == ["denied"] * 5 and lockouts == 1 and ended == "too many code attempts"
    assert sorted(r.status_code for r in responses) == [303] * 8 + [422] * 4

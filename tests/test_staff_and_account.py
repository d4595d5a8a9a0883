"""The owner's staff page and everyone's own PIN and password."""

from sqlalchemy import func, select

from metpwa.extensions import db as _db

from metpwa.models import AuditEvent, User


def test_owner_invites_a_trainer_who_sets_a_password_and_can_then_sign_in(app, new_agent, personas):
    from conftest import Persona
    from metpwa import mail

    owner = new_agent()
    owner.login(personas.owner)
    response = owner.post("/staff", data={"full_name": "Nina Patel", "email": "Nina@Lakeside.example",
                                          "role": "trainer", "credentials": "MES", "npi": ""})
    assert response.status_code == 303
    page = owner.get("/staff").get_data(as_text=True)
    assert "Invitation sent to nina@lakeside.example." in page and "Nina Patel" in page
    message = mail.sent(app)[-1]
    assert message.to == "nina@lakeside.example"
    link = message.body.split("http://localhost", 1)[1].split()[0]
    nina = new_agent()
    nina.refresh_token(link)
    saved = nina.post(link, data={"password": "nina's own password", "confirm": "nina's own password",
                                  "pin": "4826"})
    assert saved.status_code == 303 and saved.headers["Location"] == "/login?welcome=1"
    assert nina.login(Persona(0, 0, "nina@lakeside.example", "trainer", "Nina", "nina's own password")).status_code == 303
    assert "Nina Patel, MES" in owner.get("/staff").get_data(as_text=True)


def test_bad_staff_input_is_shown_at_the_field_and_kept(agent, personas):
    agent.login(personas.owner)
    response = agent.post("/staff", data={"full_name": "Nina Patel", "email": "not-an-email", "role": "trainer",
                                          "credentials": "", "npi": "12345"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "That does not look like an email." in body
    assert "An NPI is exactly 10 digits." in body
    assert 'value="Nina Patel"' in body


def test_role_change_is_audited_and_ends_that_persons_sessions(app, new_agent, personas):
    trainer = new_agent()
    trainer.login(personas.colleague)
    owner = new_agent()
    owner.login(personas.owner)
    assert owner.post(f"/staff/{personas.colleague.id}/role", data={"role": "front_desk"}).status_code == 303
    assert trainer.get("/").status_code == 303  # signed out: the new role starts fresh
    with app.app_context():
        from metpwa.extensions import db

        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "role_change")).one()
        assert event.user_id == personas.owner.id and event.object_id == str(personas.colleague.id)
        assert '"from": "trainer"' in event.detail and '"to": "front_desk"' in event.detail


def test_the_last_owner_cannot_be_demoted_or_deactivated(agent, personas):
    agent.login(personas.owner)
    response = agent.post(f"/staff/{personas.owner.id}/role", data={"role": "trainer"})
    assert response.status_code == 422
    assert "at least one owner" in response.get_data(as_text=True)


def test_set_pin_checks_password_and_refuses_easy_pins(app, agent, personas):
    agent.login(personas.front_desk)
    wrong = agent.post("/me/pin", data={"pin-pin": "4829", "pin-password": "not my password"})
    assert wrong.status_code == 422 and "not your current password" in wrong.get_data(as_text=True)
    easy = agent.post("/me/pin", data={"pin-pin": "1234", "pin-password": personas.front_desk.password})
    assert "not a run or a repeat" in easy.get_data(as_text=True)
    ok = agent.post("/me/pin", data={"pin-pin": "4829", "pin-password": personas.front_desk.password})
    assert ok.status_code == 303
    agent.post("/lock")
    assert agent.post("/unlock", data={"secret": "4829"}).status_code == 303


def test_change_password(app, agent, personas):
    agent.login(personas.colleague)
    mismatch = agent.post("/me/password", data={"pw-current": personas.colleague.password,
                                               "pw-new": "brand new password", "pw-confirm": "different one"})
    assert "The two new passwords differ." in mismatch.get_data(as_text=True)
    ok = agent.post("/me/password", data={"pw-current": personas.colleague.password,
                                         "pw-new": "brand new password", "pw-confirm": "brand new password"})
    assert ok.status_code == 303
    agent.post("/logout")
    from dataclasses import replace

    assert agent.login(replace(personas.colleague, password="brand new password")).status_code == 303
    with app.app_context():
        from metpwa.extensions import db

        assert db.session.get(User, personas.colleague.id).password_hash.startswith("$argon2id$")


def test_wrong_passwords_on_the_me_page_are_limited_and_end_the_sign_in(app, agent, personas):
    """An unlocked iPad left on the floor must not let anyone guess its owner's password at leisure:
    misses on the Me page's forms count together (with the lock screen's) and the fifth ends it."""
    from metpwa.models import StaffSession

    agent.login(personas.colleague)
    tries = [("/me/pin", {"pin-password": "guess zero", "pin-pin": "4826"}, "pin-password"),("/me/pin", {"pin-password": "guess one", "pin-pin": "4826"}, "pin-password"),
             ("/me/password", {"pw-current": "guess two", "pw-new": "a brand new passphrase 42",
                               "pw-confirm": "a brand new passphrase 42"}, "pw-current"),
             ("/me/two-factor", {"tfon-password": "guess three"}, "tfon-password")]
    for path, data, field in tries:
        refused = agent.post(path, data=data)
        assert refused.status_code == 422, path
        assert "not your current password" in refused.get_data(as_text=True)
    # The fifth miss ends the sign-in.
    ended = agent.post("/me/two-factor/off", data={"tfoff-password": "guess four"})
    assert ended.status_code == 303 and ended.headers["Location"] == "/login?ended=1"
    assert "too many wrong PINs or passwords" in agent.get("/login?ended=1").get_data(as_text=True)
    assert agent.get("/me").status_code == 303
    with app.app_context():
        ended_row = _db.session.scalars(select(StaffSession).where(StaffSession.user_id == personas.colleague.id)
                                        .order_by(StaffSession.created_at.desc())).first()
        assert ended_row.ended_at is not None and ended_row.end_reason == "too many password_confirm attempts"
        failures = _db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.user_id == personas.colleague.id, AuditEvent.action == "password_confirm_failed"))
        assert failures == 5


def test_a_right_password_on_the_me_page_still_works_after_a_miss(app, agent, personas):
    agent.login(personas.colleague)
    assert agent.post("/me/pin", data={"pin-password": "not it", "pin-pin": "4826"}).status_code == 422
    saved = agent.post("/me/pin", data={"pin-password": personas.colleague.password, "pin-pin": "4826"})
    assert saved.status_code == 303


def test_a_pin_unlock_does_not_reset_the_count_of_wrong_passwords(app, agent, personas):
    """Found in review: a correct PIN cleared the sign-in's count, so four wrong passwords, lock,
    PIN, four more... went on without end. Password misses also count for the account."""
    agent.login(personas.colleague)
    for n in range(4):
        assert agent.post("/me/pin", data={"pin-password": f"guess {n}", "pin-pin": "4826"}).status_code == 422
    agent.post("/lock", data={})
    assert agent.post("/unlock", data={"secret": "1357"}).status_code == 303
    ended = agent.post("/me/pin", data={"pin-password": "guess 4", "pin-pin": "4826"})
    assert ended.status_code == 303 and ended.headers["Location"] == "/login?ended=1"
    with app.app_context():
        user = _db.session.get(User, personas.colleague.id)
        assert user.locked_until is not None
        events = _db.session.scalars(select(AuditEvent.action).where(AuditEvent.user_id == user.id)).all()
    assert "lockout" in events


def test_a_new_password_ends_the_other_sign_ins(app, new_agent, personas):
    here, elsewhere = new_agent(), new_agent()
    here.login(personas.colleague)
    elsewhere.login(personas.colleague)
    assert elsewhere.get("/me").status_code == 200
    changed = here.post("/me/password", data={"pw-current": personas.colleague.password,
                                              "pw-new": "a brand new passphrase 42",
                                              "pw-confirm": "a brand new passphrase 42"})
    assert changed.status_code == 303
    assert here.get("/me").status_code == 200
    assert elsewhere.get("/me").headers["Location"].startswith("/login")


def test_starting_two_step_setup_is_audited(app, agent, personas):
    agent.login(personas.colleague)
    assert agent.post("/me/two-factor", data={"tfon-password": personas.colleague.password}).status_code == 303
    with app.app_context():
        details = [event.detail_data for event in _db.session.scalars(
            select(AuditEvent).where(AuditEvent.user_id == personas.colleague.id, AuditEvent.action == "update"))]
    assert {"two_factor": "setup started"} in details


def test_guesses_sent_all_at_once_are_counted_one_after_another():
    """Found in review: 20 guesses posted at the same moment were all checked against the limit of
    five (the count was read before any of them was written). The sign-in is now held while each is
    checked and counted."""
    from conftest import lone_practice, post_at_once
    from metpwa.models import LoginFailure

    with lone_practice("Parallel Guess Practice") as practice:
        forms = [{"pin-password": f"parallel guess {n}", "pin-pin": "4826"} for n in range(12)]
        responses = post_at_once(practice, "/me/pin", forms)
        told = [r for r in responses if r.status_code == 422 and "not your current password" in r.get_data(as_text=True)]
        assert len(told) == 4
        assert all(r.status_code in (303, 401) for r in responses if r not in told)
        with practice.app.app_context():
            failures = _db.session.scalar(select(func.count()).select_from(LoginFailure)
                                          .where(LoginFailure.user_id == practice.trainer.id))
        assert failures == 5


def test_the_me_page_checks_the_password_and_hashes_the_pin_with_no_write_lock_held(monkeypatch):
    """Argon2 takes 130-230 ms with the production settings; run under SQLite's one write lock, each
    PIN or password change, and each wrong guess, paused every iPad's set logging for that long."""
    from conftest import lone_practice, try_writing_elsewhere
    from metpwa.models import LoginFailure, StaffSession
    from metpwa.services import signin, staff

    with lone_practice("Me Page Lock Practice") as practice:
        with practice.app.app_context():
            sign_in_id = _db.session.scalar(select(StaffSession.id))
        seen = []

        def watching(function):
            def wrapped(*args, **kwargs):
                seen.append((function.__name__, try_writing_elsewhere("staff_session", sign_in_id)))
                return function(*args, **kwargs)
            return wrapped

        monkeypatch.setattr(signin, "verify_secret", watching(signin.verify_secret))
        monkeypatch.setattr(staff, "hash_secret", watching(staff.hash_secret))
        wrong = practice.agent.post("/me/pin", data={"pin-password": "not my password", "pin-pin": "4826"})
        assert wrong.status_code == 422 and "not your current password" in wrong.get_data(as_text=True)
        saved = practice.agent.post("/me/pin", data={"pin-password": practice.trainer.password, "pin-pin": "4826"})
        assert saved.status_code == 303
        assert sorted(seen) == [("hash_secret", "free")] * 2 + [("verify_secret", "free")] * 2
        with practice.app.app_context():
            # The miss stays counted, the right password took its own count back.
            assert _db.session.scalar(select(StaffSession.pin_failures)) == 1
            assert _db.session.scalar(select(func.count()).select_from(LoginFailure)) == 1
            assert _db.session.scalar(select(User.pin_hash).where(User.id == practice.trainer.id)).startswith("$argon2id$")


def test_a_right_password_is_not_counted_when_the_change_is_then_refused(app, agent, personas):
    """New recovery codes need two-step sign-in on: refused after the password was found right,
    and that right password must not stay counted as a miss."""
    from metpwa.models import LoginFailure, StaffSession

    agent.login(personas.colleague)
    refused = agent.post("/me/two-factor/recovery-codes", data={"tfcodes-password": personas.colleague.password})
    assert refused.status_code == 422 and "Turn on two-step sign-in first" in refused.get_data(as_text=True)
    with app.app_context():
        assert _db.session.scalar(select(func.count()).select_from(LoginFailure)) == 0
        assert _db.session.scalar(select(func.max(StaffSession.pin_failures))) == 0


def test_a_right_password_after_the_sign_in_ended_is_not_left_counted(monkeypatch):
    """Signed out in another tab while the password was being checked: the change is refused, and
    the right password does not stay counted as a miss for the account (found in review)."""
    from conftest import lone_practice
    from metpwa.models import LoginFailure, StaffSession, utcnow
    from metpwa.services import signin
    from sqlalchemy import update

    verify = signin.verify_secret

    def signed_out_meanwhile(*args):
        with _db.engine.begin() as other:
            other.execute(update(StaffSession).values(ended_at=utcnow(), end_reason="signed out"))
        return verify(*args)

    with lone_practice("Other Tab Practice") as practice:
        monkeypatch.setattr(signin, "verify_secret", signed_out_meanwhile)
        ended = practice.agent.post("/me/pin", data={"pin-password": practice.trainer.password, "pin-pin": "4826"})
        assert ended.status_code == 303 and ended.headers["Location"] == "/login?ended=1"
        with practice.app.app_context():
            assert _db.session.scalar(select(func.count()).select_from(LoginFailure)) == 0
            assert _db.session.scalar(select(User.pin_hash).where(User.id == practice.trainer.id)) is None

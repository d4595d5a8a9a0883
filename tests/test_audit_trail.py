"""The audit trail is append-only and tamper-evident: `flask audit verify` names what was changed."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from conftest import Agent, Factory, make_app
from metpwa import dbguards
from metpwa.extensions import db as _db
from metpwa.models import AuditEvent
from metpwa.permissions import Role


@pytest.fixture
def own_app():
    """An app with a database of its own: these tests drop the triggers to play the attacker."""
    app, cleanup = make_app()
    yield app
    cleanup()


def _busy_trail(app) -> Factory:
    make = Factory(app)
    practice = make.practice("Audit Lane MET")
    owner = make.user(practice, Role.OWNER, name="Olive Owner")
    client_id = make.client_record(practice)
    agent = Agent(app.test_client())
    assert agent.login(owner).status_code == 303
    for _ in range(8):
        assert agent.get(f"/clients/{client_id}").status_code == 200
    return make


def _verify(app):
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    return result.exit_code, result.output


def _ids(app) -> list[int]:
    with app.app_context():
        return list(_db.session.scalars(select(AuditEvent.id).order_by(AuditEvent.seq)))


def _as_attacker(app, *statements: tuple[str, dict]) -> None:
    """Drop the append-only triggers, change rows behind the app's back, put the triggers back."""
    with app.app_context():
        dialect = _db.engine.dialect.name
        with _db.engine.begin() as connection:
            for statement in dbguards.unlock(dialect, "audit_event"):
                connection.execute(text(statement))
            for sql, params in statements:
                connection.execute(text(sql), params)
            for statement in dbguards.lock_rows(dialect, "audit_event"):
                connection.execute(text(statement))


def test_every_event_is_sealed_in_order_and_verifies(own_app):
    _busy_trail(own_app)
    with own_app.app_context():
        rows = _db.session.execute(select(AuditEvent.seq, AuditEvent.mac, AuditEvent.prev_mac)
                                   .order_by(AuditEvent.seq)).all()
    assert len(rows) >= 5
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    assert all(r.prev_mac == p.mac for p, r in zip(rows, rows[1:], strict=False))
    code, output = _verify(own_app)
    assert code == 0, output
    assert f"Checked {len(rows)} events" in output and "0 break(s)" in output


def test_the_database_refuses_to_change_or_delete_an_event(own_app):
    _busy_trail(own_app)
    with own_app.app_context():
        for sql in ("UPDATE audit_event SET action = 'read' WHERE seq = 1", "DELETE FROM audit_event WHERE seq = 1"):
            with pytest.raises((IntegrityError, DBAPIError)):
                with _db.engine.begin() as connection:
                    connection.execute(text(sql))


def test_verify_names_an_edited_a_deleted_and_a_reordered_row(own_app):
    _busy_trail(own_app)
    ids = _ids(own_app)
    edited, deleted, first_swapped, second_swapped = ids[1], ids[3], ids[5], ids[6]
    _as_attacker(
        own_app,
        ("UPDATE audit_event SET detail = 'looked at nothing' WHERE id = :id", {"id": edited}),
        ("DELETE FROM audit_event WHERE id = :id", {"id": deleted}),
        # Swap two events' places; the unique sequence needs a parking spot.
        ("UPDATE audit_event SET seq = -seq WHERE id = :id", {"id": first_swapped}),
        ("UPDATE audit_event SET seq = :seq WHERE id = :id", {"seq": 6, "id": second_swapped}),
        ("UPDATE audit_event SET seq = 7 WHERE id = :id", {"id": first_swapped}),
    )
    code, output = _verify(own_app)
    assert code == 1
    lines = output.splitlines()
    assert any(line.startswith("BROKEN edited") and f"event {edited} " in line for line in lines), output
    assert any(line.startswith("BROKEN deleted") and "#4" in line for line in lines), output
    reordered = [line for line in lines if line.startswith("BROKEN reordered")]
    assert any(f"event {second_swapped} " in line for line in reordered), output
    assert any(f"event {first_swapped} " in line for line in reordered), output
    # The event after the swapped pair lost its link too; nothing else is blamed.
    blamed = {line.split("event ")[1].split()[0] for line in lines if line.startswith("BROKEN")}
    assert blamed == {str(edited), str(ids[4]), str(first_swapped), str(second_swapped), str(ids[7])}


def test_a_row_slipped_in_without_a_seal_is_named(own_app):
    _busy_trail(own_app)
    _as_attacker(own_app, ("INSERT INTO audit_event (at, action, outcome) VALUES (:at, 'login', 'ok')",
                           {"at": "2026-11-01 12:00:00.000000"}))
    code, output = _verify(own_app)
    assert code == 1 and "BROKEN unsealed" in output


def test_concurrent_writers_extend_one_unbroken_chain(own_app):
    make = _busy_trail(own_app)
    practice_id = make.practice("Concurrent MET")
    # Eight trainers (owners would each need a one-time code), each signing in and browsing.
    trainers = [make.user(practice_id, Role.TRAINER) for _ in range(8)]
    client_id = make.client_record(practice_id)
    errors: list[BaseException] = []

    def browse(trainer):
        try:
            agent = Agent(own_app.test_client())
            agent.login(trainer)
            for _ in range(5):
                assert agent.get(f"/clients/{client_id}").status_code == 200
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=browse, args=(trainer,)) for trainer in trainers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    with own_app.app_context():
        count, top = _db.session.execute(select(func.count(), func.max(AuditEvent.seq))).one()
    assert count == top
    code, output = _verify(own_app)
    assert code == 0, output

"""Reliability under load and faults: many writers at once, a process killed mid-write, and
migrations down and up again over a seeded practice. Each test reports its figures."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import flask_migrate
import pytest
from sqlalchemy import func, inspect, select, text

from conftest import Agent, Factory, make_app
from metpwa.database import WRITE_TURN_LOCK
from metpwa.extensions import db as _db
from metpwa.models import Client, Coverage, EmergencyContact, PlanGoal, Referral, SessionLog
from metpwa.permissions import Role
from support.figures import report

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def own_app():
    app, cleanup = make_app()
    yield app
    cleanup()


def test_sixteen_writers_at_once_never_see_database_is_locked(own_app):
    """Sixteen iPads saving at the same moment: every save lands, none is refused as locked."""
    make = Factory(own_app)
    practice = make.practice("Busy Floor MET")
    people = [make.user(practice, Role.TRAINER) for _ in range(16)]
    client_id = make.client_record(practice)
    errors: Counter = Counter()
    done: Counter = Counter()
    start = threading.Barrier(16)

    def trainer(persona):
        agent = Agent(own_app.test_client())
        agent.login(persona)
        start.wait()
        for n in range(10):
            try:
                # Sixteen different people: the same person twice is saved once (a double tap).
                response = agent.post(f"/clients/{client_id}/contacts", data={
                    "name": f"Contact {persona.id}-{n}", "relationship_to_client": "Neighbor",
                    "phone": f"(312) 555-{1000 + n:04d}"})
                done[response.status_code] += 1
                agent.get(f"/clients/{client_id}")
            except Exception as error:  # noqa: BLE001 - counted and asserted below
                errors["locked" if "locked" in str(error) else type(error).__name__] += 1

    threads = [threading.Thread(target=trainer, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report(f"reliability: 16 concurrent writers, {sum(done.values())} saves {dict(done)}, "
           f"'database is locked' {errors['locked']}, other errors {sum(errors.values()) - errors['locked']}")
    assert not errors
    assert set(done) <= {200, 303} and sum(done.values()) == 160
    with own_app.app_context():
        assert _db.session.scalar(select(func.count()).select_from(EmergencyContact)) == 160
    code = own_app.test_cli_runner().invoke(args=["audit", "verify"])
    assert code.exit_code == 0, code.output


def _writer_config(app) -> dict:
    options = app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})
    return {"ENV": "testing", "TESTING": True, "SECRET_KEY": "writer", "SESSION_COOKIE_SECURE": False,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SQLALCHEMY_ENGINE_OPTIONS": {k: v for k, v in options.items() if k == "connect_args"},
            "KEYRING": json.loads(app.extensions["metpwa_keyring"].to_json())}


def test_a_process_killed_mid_write_leaves_every_committed_row(own_app):
    make = Factory(own_app)
    practice = make.practice("Power Cut MET")
    env = dict(os.environ, METPWA_WRITER_CONFIG=json.dumps(_writer_config(own_app)),
               PYTHONPATH=f"{ROOT}:{ROOT / 'tests'}")
    lost_total, runs, printed_total = 0, 3, 0
    for _ in range(runs):
        process = subprocess.Popen([sys.executable, str(ROOT / "tests/support/writer.py"), str(practice)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
        committed: list[int] = []
        deadline = time.monotonic() + 60
        while len(committed) < 40 and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            committed.append(int(line))
        os.kill(process.pid, signal.SIGKILL)
        rest, errors = process.communicate()
        committed += [int(x) for x in rest.split()]
        assert len(committed) >= 40, errors[-2000:]
        with own_app.app_context():
            _db.engine.dispose()
            present = set(_db.session.scalars(select(Client.id).where(Client.practice_id == practice)))
        lost_total += len(set(committed) - present)
        printed_total += len(committed)
    with own_app.app_context():
        if _db.engine.dialect.name == "sqlite":
            with _db.engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    verify = own_app.test_cli_runner().invoke(args=["audit", "verify"])
    report(f"reliability: writer killed {runs} times mid-write, {printed_total} commits acknowledged, "
           f"rows lost {lost_total}, integrity ok, audit chain {'intact' if verify.exit_code == 0 else 'BROKEN'}")
    assert lost_total == 0
    assert verify.exit_code == 0, verify.output


def _snapshot(app) -> dict:
    with app.app_context():
        tables = {name: _db.session.execute(text(f'SELECT count(*) FROM "{name}"')).scalar()
                  for name in inspect(_db.engine).get_table_names() if name != "alembic_version"}
        # Sealed values open only with their row, so whole rows are read.
        values = {
            "member_ids": sorted(c.member_id for c in _db.session.scalars(select(Coverage))),
            "notes": sorted(s.note_performance or "" for s in _db.session.scalars(select(SessionLog))),
            "goals": sorted(g.description for g in _db.session.scalars(select(PlanGoal))),
            "referral_reasons": sorted(r.reason for r in _db.session.scalars(select(Referral))),
        }
    return {"tables": tables, **values}


def test_migrations_go_down_and_up_over_a_seeded_practice_with_nothing_lost(demo_app):
    own_app = demo_app  # a copy of the run's one seeded demo, a database of its own
    runner = own_app.test_cli_runner()
    before = _snapshot(own_app)
    assert before["tables"]["session_log"] > 50 and before["member_ids"]
    steps = ["0007_audit_chain", "0006_reports"]
    with own_app.app_context():
        for target in steps:
            flask_migrate.downgrade(revision=target)
        # Tables a later revision adds (recovery codes, emergency grants) go with it by design.
        kept = set(inspect(_db.engine).get_table_names())
        flask_migrate.upgrade()
    after = _snapshot(own_app)
    changed = {name: (before["tables"][name], after["tables"].get(name)) for name in before["tables"]
               if name in kept and before["tables"][name] != after["tables"].get(name)}
    rows = sum(before["tables"].values())
    report(f"reliability: migrations down to {steps[-1]} and back up over the demo practice: {rows} rows in "
           f"{len(before['tables'])} tables, {len(changed)} tables changed, rows lost "
           f"{sum(max(0, b - (a or 0)) for b, a in changed.values())}")
    assert not changed
    assert after["member_ids"] == before["member_ids"] and after["notes"] == before["notes"]
    assert before["goals"] and after["goals"] == before["goals"]
    assert after["referral_reasons"] == before["referral_reasons"]
    verify = runner.invoke(args=["audit", "verify"])
    assert verify.exit_code == 0, verify.output


def test_a_page_being_read_holds_no_write_lock_until_it_writes(own_app):
    """SQLite has one write lock. A change takes it at BEGIN; a page being read (a chart, a PDF being
    drawn) takes it only for its audit event, so it never holds up a trainer logging a set. On
    PostgreSQL the same holds for the audit chain's lock, the one lock every request shares."""
    from metpwa.services import audit

    make = Factory(own_app)
    practice = make.practice("Lock Lane MET")
    client_id = make.client_record(practice)
    url = own_app.config["SQLALCHEMY_DATABASE_URI"]
    sqlite = url.startswith("sqlite")
    if sqlite:
        import sqlite3

        other = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0, isolation_level=None)

        def other_can_write() -> bool:
            try:
                other.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                assert "locked" in str(error)
                return False
            other.execute("ROLLBACK")
            return True
    else:
        with own_app.app_context():
            other = _db.engine.connect()

        def other_can_write() -> bool:
            with other.begin():
                return other.execute(text("SELECT pg_try_advisory_xact_lock(:key)"),
                                     {"key": WRITE_TURN_LOCK}).scalar()

    with own_app.test_request_context(f"/clients/{client_id}", method="GET"):
        client = _db.session.get(Client, client_id)
        assert other_can_write(), "a page being read holds the write lock"
        audit.record("read", client, practice_id=practice)
        _db.session.flush()
        assert not other_can_write(), "the audit event was written without the lock"
        _db.session.commit()
        assert other_can_write()
    if sqlite:
        with own_app.test_request_context(f"/clients/{client_id}/contacts", method="POST"):
            _db.session.get(Client, client_id)
            assert not other_can_write(), "a change must hold the write lock from its first read"
            _db.session.rollback()
    other.close()
    with own_app.app_context():
        code = own_app.test_cli_runner().invoke(args=["audit", "verify"])
    assert code.exit_code == 0, code.output

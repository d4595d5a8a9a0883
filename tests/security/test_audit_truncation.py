"""Cutting the audit trail short: someone who can write the database (and lift its triggers) deletes
the newest events, or all of them. The chain of what is left still links, so `audit verify` must
catch the cut against the head kept outside the database, and against records newer than the
last event."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from conftest import Agent, Factory, make_app
from metpwa import dbguards
from metpwa.extensions import db as _db
from metpwa.models import AuditEvent
from metpwa.permissions import Role

SUMMARY = ("audit truncation: {cuts} cuts of the trail tried (newest events, every event, with and without an "
           "anchor file, a forged anchor); {detected} detected by `audit verify` (exit 1), {missed} missed")


def _busy(**overrides):
    app, cleanup = make_app(**overrides)
    make = Factory(app)
    practice = make.practice("Truncation MET")
    owner = make.user(practice, Role.OWNER)
    client_id = make.client_record(practice)
    # The sign-in comes well after the last event before it, as in a practice's day.
    time.sleep(1.2)
    agent = Agent(app.test_client())
    assert agent.login(owner).status_code == 303
    for _ in range(6):
        assert agent.get(f"/clients/{client_id}").status_code == 200
    return app, cleanup


@pytest.fixture(params=["anchored", "no anchor file"])
def busy_app(request):
    app, cleanup = _busy(**({} if request.param == "anchored" else {"AUDIT_ANCHOR_FILE": None}))
    yield app, request.param
    cleanup()


@pytest.fixture
def anchored_app():
    app, cleanup = _busy()
    yield app
    cleanup()


def _verify(app) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    return result.exit_code, result.output


def _delete(app, where: str) -> int:
    with app.app_context():
        dialect = _db.engine.dialect.name
        with _db.engine.begin() as connection:
            for statement in dbguards.unlock(dialect, "audit_event"):
                connection.execute(text(statement))
            deleted = connection.execute(text(f"DELETE FROM audit_event WHERE {where}")).rowcount  # nosec B608
            for statement in dbguards.lock_rows(dialect, "audit_event"):
                connection.execute(text(statement))
    return deleted


def _top(app) -> int:
    with app.app_context():
        return _db.session.scalar(select(func.max(AuditEvent.seq)))


def _judge(figures, code: int, output: str) -> bool:
    figures["cuts"] += 1
    caught = code == 1 and "BROKEN truncated" in output
    figures["detected" if caught else "missed"] += 1
    return caught


def test_a_whole_trail_verifies_and_moves_the_anchor(busy_app):
    app, kind = busy_app
    code, output = _verify(app)
    assert code == 0, output
    if kind == "anchored":
        anchor = json.loads(Path(app.config["AUDIT_ANCHOR_FILE"]).read_text())
        assert anchor["seq"] == _top(app) and f"Anchor: #{anchor['seq']}" in output
    else:
        assert "Anchor: none" in output


def test_deleting_the_newest_events_is_caught(busy_app, figures):
    app, kind = busy_app
    assert _verify(app)[0] == 0
    top = _top(app)
    if kind == "anchored":
        # Page reads only: nothing but the anchor shows they were there.
        cut = top - 3
    else:
        # Without an anchor only a record newer than the last event shows it: cut from the sign-in on.
        with app.app_context():
            cut = _db.session.scalar(select(AuditEvent.seq).where(AuditEvent.action == "login")) - 1
    assert _delete(app, f"seq > {cut}") == top - cut
    code, output = _verify(app)
    assert _judge(figures, code, output), output
    if kind == "anchored":
        assert f"events #{cut + 1}–#{top} were deleted" in output
    else:
        assert "staff_session record" in output


def test_deleting_every_event_is_caught(busy_app, figures):
    app, kind = busy_app
    assert _verify(app)[0] == 0
    assert _delete(app, "1 = 1") > 0
    code, output = _verify(app)
    assert _judge(figures, code, output), output
    assert "Checked 0 events" in output
    assert ("was deleted" in output or "were deleted" in output)


def test_a_forged_anchor_is_named(anchored_app, figures):
    app = anchored_app
    assert _verify(app)[0] == 0
    path = Path(app.config["AUDIT_ANCHOR_FILE"])
    anchor = json.loads(path.read_text())
    path.write_text(json.dumps({**anchor, "seq": 1}))
    code, output = _verify(app)
    figures["cuts"] += 1
    caught = code == 1 and "BROKEN anchor" in output and "seal does not match" in output
    figures["detected" if caught else "missed"] += 1
    assert caught, output

"""The server's half of the gym floor's outbox (issue 20): each key is taken once and a replay gets
the first answer; the same key with other content is refused and logged, never merged; an item
that reaches a session signed meanwhile becomes a flagged addendum draft, never a silent loss."""

import uuid

import pytest
from sqlalchemy import func, select

from test_sessions import sign, start_session
from metpwa.extensions import db as _db
from metpwa.models import AuditEvent, OutboxReceipt, OutcomeResult, SessionExercise, SessionLog, SetLog

OUTBOX = {"X-Metpwa-Outbox": "1"}


def log(agent, session_id, item, key, headers=None, **values):
    data = {"session_exercise_id": str(item), "idempotency_key": key, "reps": "10", "load": "", "rpe": "5"} | values
    return agent.post(f"/sessions/{session_id}/sets", data=data, htmx=True, headers=headers or {})


@pytest.fixture
def ready(make, personas):
    return make.ready_client(personas.practice_id, personas.colleague.id)


@pytest.fixture
def session(agent, personas, ready):
    agent.login(personas.colleague)
    session_id, items, _ = start_session(agent, ready)
    return session_id, items


def _refusals(app):
    with app.app_context():
        return _db.session.scalar(select(func.count()).select_from(AuditEvent)
                                  .where(AuditEvent.action == "outbox_refused"))


def test_a_set_replayed_answers_with_the_set_saved_and_adds_none(app, agent, session):
    session_id, items = session
    first = log(agent, session_id, items[0], "set-key-000001", reps="8", load="20", performed_at="1")
    again = log(agent, session_id, items[0], "set-key-000001", reps="8", load="20.0", headers=OUTBOX)
    assert first.status_code == again.status_code == 200
    assert first.get_data(as_text=True) == again.get_data(as_text=True)
    with app.app_context():
        assert _db.session.scalar(select(func.count()).select_from(SetLog)) == 1


def test_a_set_key_sent_again_with_other_numbers_is_refused_logged_and_not_merged(app, agent, session):
    session_id, items = session
    log(agent, session_id, items[0], "set-key-000002", reps="8")
    other = log(agent, session_id, items[0], "set-key-000002", reps="12", headers=OUTBOX)
    assert other.status_code == 422
    assert "already used for different values" in other.get_data(as_text=True)
    with app.app_context():
        assert [row.reps for row in _db.session.scalars(select(SetLog))] == [8]
    assert _refusals(app) == 1


def _vitals(agent, session_id, key, **values):
    data = {"pain_before": "3", "heart_rate_before": "72", "systolic_before": "128", "diastolic_before": "82",
            "idempotency_key": key, "performed_at": ""} | values
    return agent.post(f"/sessions/{session_id}/vitals/before", data=data, htmx=True, headers=OUTBOX)


def test_vitals_are_taken_once_per_key_and_other_values_under_it_are_refused(app, agent, session):
    session_id, _ = session
    assert _vitals(agent, session_id, "vitals-key-0001").status_code == 200
    assert _vitals(agent, session_id, "vitals-key-0001").status_code == 200
    # Changed later under a new key: a new entry, taken.
    assert _vitals(agent, session_id, "vitals-key-0002", pain_before="4").status_code == 200
    # The first key again, with other numbers: refused, nothing changes.
    reused = _vitals(agent, session_id, "vitals-key-0001", heart_rate_before="150")
    assert reused.status_code == 422 and "already used for different values" in reused.get_data(as_text=True)
    with app.app_context():
        row = _db.session.get(SessionLog, session_id)
        assert (row.pain_before, row.heart_rate_before) == (4, 72)
        assert _db.session.scalar(select(func.count()).select_from(OutboxReceipt)) == 2
    assert _refusals(app) == 1


def test_a_replayed_response_changes_nothing_after_a_newer_one(app, agent, session):
    session_id, items = session
    url = f"/sessions/{session_id}/exercises/{items[0]}/response"
    first = {"response": "tolerated_well", "idempotency_key": "resp-key-0001"}
    assert agent.post(url, data=first, htmx=True, headers=OUTBOX).status_code == 200
    assert agent.post(url, data={"response": "fatigue", "idempotency_key": "resp-key-0002"}, htmx=True,
                      headers=OUTBOX).status_code == 200
    # A late retry of the first one must not undo the second.
    assert agent.post(url, data=first, htmx=True, headers=OUTBOX).status_code == 200
    with app.app_context():
        assert _db.session.get(SessionExercise, items[0]).response == "fatigue"


def test_items_reaching_a_session_signed_meanwhile_become_an_addendum_draft(app, agent, session):
    session_id, items = session
    log(agent, session_id, items[0], "before-sign-01", reps="10")
    assert sign(agent, session_id).status_code == 303
    late_set = log(agent, session_id, items[0], "late-set-0001", reps="9", load="15", headers=OUTBOX)
    assert late_set.status_code == 202 and late_set.headers["X-Outbox-Outcome"] == "late"
    # Sent again (the reply was lost): still one draft, the same answer.
    assert log(agent, session_id, items[0], "late-set-0001", reps="9", load="15", headers=OUTBOX).status_code == 202
    late_vitals = _vitals(agent, session_id, "late-vitals-01")
    assert late_vitals.status_code == 202
    # The set saved before signing, replayed after it: answered as saved, not a draft.
    assert log(agent, session_id, items[0], "before-sign-01", reps="10", headers=OUTBOX).status_code == 200
    # Without the outbox (a stale page) a signed session still refuses.
    assert log(agent, session_id, items[0], "stale-page-01").status_code == 409
    page = agent.get(f"/sessions/{session_id}").get_data(as_text=True)
    assert "2 items from the gym floor arrived after signing" in page
    assert "9 reps, 15.0 kg" in page or "9 reps, 15 kg" in page
    assert "Vitals before the session, after signing: pain 3" in page
    with app.app_context():
        assert _db.session.scalar(select(func.count()).select_from(SetLog)) == 1
        assert _db.session.get(SessionLog, session_id).heart_rate_before is None
    added = agent.post(f"/sessions/{session_id}/addenda",
                       data={"reason": "Late from the gym floor", "text": "9 reps at 15 kg after signing."})
    assert added.status_code == 303
    assert "arrived after signing" not in agent.get(f"/sessions/{session_id}").get_data(as_text=True)


def test_a_measure_result_key_with_other_values_is_refused_and_logged(app, agent, personas, ready):
    agent.login(personas.colleague)
    key = str(uuid.uuid4())
    url = f"/clients/{ready}/measures/tug"
    first = agent.post(url, data={"idempotency_key": key, "trials": ["12.5"], "walking_aid": "none"}, htmx=True)
    again = agent.post(url, data={"idempotency_key": key, "trials": ["12.5"], "walking_aid": "none"}, htmx=True)
    assert (first.status_code, again.status_code) == (201, 200)
    other = agent.post(url, data={"idempotency_key": key, "trials": ["19.0"], "walking_aid": "none"}, htmx=True)
    assert other.status_code == 422 and "already used for different values" in other.get_data(as_text=True)
    with app.app_context():
        assert [row.value for row in _db.session.scalars(select(OutcomeResult))] == [12.5]
    assert _refusals(app) == 1

"""Issue 20: the session note drafted on the gym floor. A draft is kept in the session's note (the
sign page opens with it), each outbox key once; one reaching a session signed meanwhile becomes an
addendum draft, never a change to the signed note; too long a part is refused at its box."""

import json

import pytest
from sqlalchemy import func, select

from test_outbox import OUTBOX, ready, session  # noqa: F401 (fixtures: a trainer's session under way)
from test_sessions import sign
from metpwa.extensions import db as _db
from metpwa.models import AuditEvent, OutboxReceipt, SessionLog
from metpwa.rules.sessions import NOTE_DRAFT_MAX_CHARS


def draft(agent, session_id, key="", headers=None, **parts):
    data = {"note_client_report": "Stairs easier since Tuesday", "note_performance": "All sit-to-stand sets",
            "note_response": "", "note_plan": "", "idempotency_key": key, "performed_at": ""} | parts
    return agent.post(f"/sessions/{session_id}/note", data=data, htmx=True, headers=headers or {})


@pytest.fixture
def session_id(session):  # noqa: F811 (the fixture imported above)
    return session[0]


def _note(app, session_id):
    with app.app_context():
        row = _db.session.get(SessionLog, session_id)
        return row.note_client_report, row.note_performance, row.note_response, row.note_plan


def test_a_draft_is_kept_in_the_note_and_the_sign_page_opens_with_it(app, agent, session_id):
    screen = agent.get(f"/sessions/{session_id}").get_data(as_text=True)
    assert 'id="note-draft"' in screen and 'data-outbox="note"' in screen
    kept = draft(agent, session_id)
    assert kept.status_code == 200 and "Draft kept" in kept.get_data(as_text=True)
    assert _note(app, session_id) == ("Stairs easier since Tuesday", "All sit-to-stand sets", None, None)
    # Written further: the later draft is the note; an emptied box empties its part.
    draft(agent, session_id, note_performance="", note_plan="Add a step-up next time")
    assert _note(app, session_id) == ("Stairs easier since Tuesday", None, None, "Add a step-up next time")
    sign_page = agent.get(f"/sessions/{session_id}/sign").get_data(as_text=True)
    assert "Add a step-up next time</textarea>" in sign_page
    # The screen opens the card when there is a draft, and says so.
    assert "Session note (draft)" in agent.get(f"/sessions/{session_id}").get_data(as_text=True)
    with app.app_context():
        events = _db.session.scalars(select(AuditEvent).where(AuditEvent.action == "update",
                                                              AuditEvent.object_type == "SessionLog")).all()
        details = [json.loads(event.detail) for event in events if event.detail and "note_draft" in event.detail]
        # Which parts changed, never the words.
        assert details[-1] == {"note_draft": ["note_performance", "note_plan"]}
        assert "step-up" not in str(details)


def test_a_draft_key_is_taken_once_and_other_words_under_it_are_refused(app, agent, session_id):
    assert draft(agent, session_id, "note-key-0001", OUTBOX).status_code == 200
    assert draft(agent, session_id, "note-key-0002", OUTBOX, note_plan="Newer").status_code == 200
    # The first one again (its answer was lost): changes nothing, answered as before.
    assert draft(agent, session_id, "note-key-0001", OUTBOX).status_code == 200
    assert _note(app, session_id)[3] == "Newer"
    reused = draft(agent, session_id, "note-key-0001", OUTBOX, note_client_report="Other words")
    assert reused.status_code == 422 and "already used for different values" in reused.get_data(as_text=True)
    assert _note(app, session_id)[0] == "Stairs easier since Tuesday"
    with app.app_context():
        assert _db.session.scalar(select(func.count()).select_from(OutboxReceipt)
                                  .where(OutboxReceipt.kind == "note")) == 2


def test_too_long_a_part_is_refused_at_its_box_and_the_words_stay_in_the_form(app, agent, session_id):
    long = "x" * (NOTE_DRAFT_MAX_CHARS + 1)
    refused = draft(agent, session_id, "note-key-long", OUTBOX, note_response=long)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'id="d-note_response-error"' in body and "at most 4,000" in body
    assert long in body and "Stairs easier since Tuesday" in body  # nothing typed is lost
    assert _note(app, session_id) == (None, None, None, None)


def test_a_draft_reaching_a_signed_session_becomes_an_addendum_draft(app, agent, session_id):
    assert sign(agent, session_id).status_code == 303
    late = draft(agent, session_id, "note-late-0001", OUTBOX, note_plan="Try the stairs unaided")
    assert late.status_code == 202 and late.headers["X-Outbox-Outcome"] == "late"
    assert draft(agent, session_id, "note-late-0001", OUTBOX, note_plan="Try the stairs unaided").status_code == 202
    # The signed note is unchanged.
    assert _note(app, session_id)[3] == "Progress sit-to-stand load"
    page = agent.get(f"/sessions/{session_id}").get_data(as_text=True)
    assert "Note drafted on the gym floor, after signing" in page and "Try the stairs unaided" in page
    # From a page without the outbox, a signed session refuses.
    assert draft(agent, session_id, "note-stale-001").status_code == 409


def test_the_note_draft_is_for_clinical_staff_of_the_practice_only(app, agent, personas, session_id):
    agent.login(personas.front_desk)
    assert draft(agent, session_id).status_code == 403
    agent.login(personas.outsider)
    assert draft(agent, session_id).status_code == 404
    assert _note(app, session_id) == (None, None, None, None)


def test_the_note_draft_needs_the_csrf_token(app, agent, session_id):
    response = agent.post(f"/sessions/{session_id}/note", data={"note_plan": "x"}, htmx=True, csrf=False)
    assert response.status_code == 400
    assert _note(app, session_id) == (None, None, None, None)

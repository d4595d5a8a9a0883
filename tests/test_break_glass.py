"""Emergency (break-glass) access: an owner grants read-only clinical records for a few hours with a
reason; the holder starts it with their own reason; everything they open is audited; it ends by
itself or when revoked; owners see it on Today and on Staff; other practices see none of it."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from metpwa.models import AuditEvent, EmergencyAccess, utcnow

REASON = "Marcus is out sick; Fran covers the 3 PM clients"


def _count(app, model, *where):
    with app.app_context():
        from metpwa.extensions import db

        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _events(app, action, user_id):
    with app.app_context():
        from metpwa.extensions import db

        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action,
                                                                AuditEvent.user_id == user_id)
                                       .order_by(AuditEvent.id)))


def _grant(owner, persona, hours="4", reason=REASON):
    return owner.post("/emergency", data={"user_id": str(persona.id), "hours": hours, "reason": reason})


@pytest.fixture
def owner(new_agent, personas):
    agent = new_agent()
    assert agent.login(personas.owner).status_code == 303
    return agent


@pytest.fixture
def desk(new_agent, personas):
    agent = new_agent()
    assert agent.login(personas.front_desk).status_code == 303
    return agent


def test_a_grant_needs_a_reason_and_keeps_what_was_typed(app, owner, personas):
    page = owner.get("/emergency").get_data(as_text=True)
    assert personas.front_desk.name in page and personas.biller.name in page
    assert personas.colleague.name not in page  # a trainer already reads clinical records
    for reason, message in (("", "Give the reason in a few words."), ("sick", "10 characters or more")):
        response = _grant(owner, personas.front_desk, hours="8", reason=reason)
        body = response.get_data(as_text=True)
        assert response.status_code == 422
        assert 'id="reason-error"' in body and message in body
        assert f'<option selected value="{personas.front_desk.id}">' in body or \
            f'<option value="{personas.front_desk.id}" selected>' in body
        assert '<option selected value="8">' in body or '<option value="8" selected>' in body
    assert _count(app, EmergencyAccess) == 0


def test_bad_grants_are_refused_at_their_fields(app, owner, personas):
    cases = (
        ({"user_id": str(personas.colleague.id)}, "user_id", "already reads clinical records"),
        ({"user_id": str(personas.outsider.id)}, "user_id", "Choose a staff member of this practice."),
        ({"user_id": "987654321"}, "user_id", "Choose a staff member of this practice."),
        ({"user_id": "99999999999"}, "user_id", "Choose a staff member of this practice."),
        ({"user_id": "abc"}, "user_id", ""),
        ({"hours": "13"}, "hours", "Choose from 1 to 12 hours."),
        ({"hours": "-1"}, "hours", "Choose from 1 to 12 hours."),
        ({"hours": "many"}, "hours", ""),
        ({"reason": "x" * 5000}, "reason", "under 500 characters"),
    )
    for change, field, message in cases:
        data = {"user_id": str(personas.front_desk.id), "hours": "4", "reason": REASON, **change}
        response = owner.post("/emergency", data=data)
        body = response.get_data(as_text=True)
        assert response.status_code == 422, change
        assert f'id="{field}-error"' in body and message in body, change
    assert _count(app, EmergencyAccess) == 0


def test_front_desk_reads_clinical_records_only_after_starting_and_never_writes(app, owner, desk, personas,
                                                                              make):
    client_id = make.client_record(personas.practice_id, first="Harriet", last="Quill")
    assert desk.get(f"/clients/{client_id}/assessments").status_code == 403
    assert _grant(owner, personas.front_desk).status_code == 303
    assert ("emergency_grant", "ok") in [(e.action, e.outcome) for e in _events(app, "emergency_grant",
                                                                             personas.owner.id)]
    # Granted, not yet started: a banner offers it, and the records are still closed.
    banner = desk.get("/").get_data(as_text=True)
    assert "granted you emergency access" in banner and "/emergency/start" in banner
    assert desk.get(f"/clients/{client_id}/assessments").status_code == 403
    start_page = desk.get("/emergency/start").get_data(as_text=True)
    assert REASON in start_page
    missing = desk.post("/emergency/start", data={"reason": ""})
    assert missing.status_code == 422 and 'id="reason-error"' in missing.get_data(as_text=True)
    started = desk.post("/emergency/start", data={"reason": "Harriet fell; checking her health history"})
    assert started.status_code == 303
    # Started: reading works, the banner says so, writing is still refused.
    assert desk.get(f"/clients/{client_id}/assessments").status_code == 200
    assert desk.get("/library").status_code == 200
    assert "Emergency access is on" in desk.get("/").get_data(as_text=True)
    assert desk.post(f"/clients/{client_id}/assessments", data={"performed_on": "11/27/2026"}).status_code == 403
    assert desk.get("/staff").status_code == 403 and desk.get("/audit").status_code == 403


def test_every_request_under_emergency_access_is_audited(app, owner, desk, personas, make):
    client_id = make.client_record(personas.practice_id, first="Harriet", last="Quill")
    _grant(owner, personas.front_desk)
    desk.post("/emergency/start", data={"reason": "Harriet fell; checking her health history"})
    desk.get(f"/clients/{client_id}/assessments")
    desk.get(f"/clients/{client_id}")
    desk.get("/clients?q=Quill")
    desk.post("/session/ping")
    logged = _events(app, "break_glass", personas.front_desk.id)
    paths = [json.loads(e.detail)["path"] for e in logged]
    assert f"/clients/{client_id}/assessments" in paths and "/clients?q=Quill" in paths
    assert f"/clients/{client_id}" in paths
    assert "/session/ping" not in paths
    assert all(e.object_type == "EmergencyAccess" for e in logged)
    # Besides the normal event of the view (the chart records who read it).
    reads = [e for e in _events(app, "read", personas.front_desk.id) if e.client_id == client_id]
    assert reads
    assert ("emergency_start", "ok") in [(e.action, e.outcome) for e in _events(app, "emergency_start",
                                                                             personas.front_desk.id)]


def _insert(app, personas, *, hours_ago: float, hours: float, started: bool = True) -> int:
    """A grant made earlier (rows are inserted, never moved: the times cannot be changed later)."""
    with app.app_context():
        from metpwa.extensions import db

        granted = utcnow() - timedelta(hours=hours_ago)
        access = EmergencyAccess(practice_id=personas.practice_id, user_id=personas.front_desk.id,
                                 granted_by_id=personas.owner.id, granted_at=granted,
                                 expires_at=granted + timedelta(hours=hours), reason=REASON,
                                 started_at=granted if started else None,
                                 start_reason="Checking a client after a fall" if started else None)
        db.session.add(access)
        db.session.commit()
        return access.id


def test_emergency_access_ends_by_itself(app, owner, desk, personas, make):
    client_id = make.client_record(personas.practice_id)
    _insert(app, personas, hours_ago=5, hours=4)
    assert desk.get(f"/clients/{client_id}/assessments").status_code == 403
    assert "emergency access" not in desk.get("/").get_data(as_text=True).lower()
    assert desk.get("/emergency/start").status_code == 404
    today = owner.get("/").get_data(as_text=True)
    assert "Ended in the last week" in today and "Expired" in today and personas.front_desk.name in today


def test_the_owner_ends_it_and_the_holder_loses_access_at_once(app, owner, desk, personas, make):
    client_id = make.client_record(personas.practice_id)
    grant_id = _insert(app, personas, hours_ago=1, hours=4)
    assert desk.get(f"/clients/{client_id}/assessments").status_code == 200
    staff_page = owner.get("/staff").get_data(as_text=True)
    assert f"/emergency/{grant_id}/revoke" in staff_page and "In use until" in staff_page
    assert owner.post(f"/emergency/{grant_id}/revoke").status_code == 303
    assert desk.get(f"/clients/{client_id}/assessments").status_code == 403
    assert _events(app, "emergency_end", personas.owner.id)
    page = owner.get("/emergency").get_data(as_text=True)
    assert f"Ended by {personas.owner.name}" in page


def test_the_holder_may_end_it_early(app, desk, personas, make):
    client_id = make.client_record(personas.practice_id)
    _insert(app, personas, hours_ago=1, hours=4)
    assert desk.post("/emergency/stop").status_code == 303
    assert desk.get(f"/clients/{client_id}/assessments").status_code == 403
    assert desk.post("/emergency/stop").status_code == 404


def test_the_owners_dashboard_shows_open_grants(app, owner, new_agent, personas):
    assert "Emergency access" not in owner.get("/").get_data(as_text=True)
    _grant(owner, personas.biller, hours="2")
    today = owner.get("/").get_data(as_text=True)
    assert 'id="emergency-access"' in today and personas.biller.name in today and REASON in today
    assert "not started" in today
    trainer = new_agent()
    trainer.login(personas.colleague)
    assert 'id="emergency-access"' not in trainer.get("/").get_data(as_text=True)


def test_only_owners_grant_and_other_practices_see_nothing(app, owner, desk, new_agent, personas):
    assert desk.get("/emergency").status_code == 403
    assert desk.post("/emergency", data={"user_id": str(personas.front_desk.id), "hours": "4",
                                         "reason": REASON}).status_code == 403
    _grant(owner, personas.front_desk)
    grant_id = _scalar_id(app)
    outsider = new_agent()
    outsider.login(personas.outsider)
    page = outsider.get("/emergency").get_data(as_text=True)
    assert personas.front_desk.name not in page and REASON not in page
    assert REASON not in outsider.get("/").get_data(as_text=True)
    assert REASON not in outsider.get("/staff").get_data(as_text=True)
    assert outsider.post(f"/emergency/{grant_id}/revoke").status_code == 404
    assert outsider.post("/emergency/987654321/revoke").status_code == 404
    # The outsider cannot lend their records to the home practice's staff either.
    response = outsider.post("/emergency", data={"user_id": str(personas.front_desk.id), "hours": "4",
                                                 "reason": REASON})
    assert response.status_code == 422
    assert _count(app, EmergencyAccess, EmergencyAccess.revoked_at.is_(None)) == 1


def _scalar_id(app):
    with app.app_context():
        from metpwa.extensions import db

        return db.session.scalar(select(EmergencyAccess.id))


def test_who_when_and_why_cannot_be_changed_in_the_database(app, personas):
    grant_id = _insert(app, personas, hours_ago=1, hours=4)
    with app.app_context():
        from metpwa.extensions import db

        for statement in ("UPDATE emergency_access SET reason = 'nothing to see' WHERE id = :id",
                          "UPDATE emergency_access SET expires_at = expires_at WHERE id = :id",
                          "UPDATE emergency_access SET user_id = user_id WHERE id = :id",
                          "DELETE FROM emergency_access WHERE id = :id"):
            with pytest.raises(Exception, match="cannot change"):
                with db.session.begin_nested():
                    db.session.execute(text(statement), {"id": grant_id})
        db.session.execute(text("UPDATE emergency_access SET revoked_at = started_at WHERE id = :id"),
                           {"id": grant_id})
        db.session.rollback()


def test_grant_and_start_refuse_a_missing_csrf_token(app, owner, desk, personas):
    assert owner.post("/emergency", csrf=False, data={"user_id": str(personas.front_desk.id), "hours": "4",
                                                      "reason": REASON}).status_code == 400
    _grant(owner, personas.front_desk)
    assert desk.post("/emergency/start", csrf=False, data={"reason": "A client fell in the gym"}).status_code == 400
    assert _count(app, EmergencyAccess, EmergencyAccess.started_at.is_not(None)) == 0

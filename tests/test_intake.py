"""Health-history intake: saved step by step as a draft, errors at the question with the input kept,
completion, and the clearance gate."""

import io

from sqlalchemy import select

from metpwa.models import IntakeResponse
from support.images import MINIMAL_PDF
from support.intake import step_posts


def _post_steps(agent, client_id, posts, upto=None):
    responses = []
    for key, data in posts.items():
        responses.append(agent.post(f"/clients/{client_id}/intake/steps/{key}", data=data))
        if key == upto:
            break
    return responses


def _intake(app, client_id) -> IntakeResponse:
    with app.app_context():
        from metpwa.extensions import db

        intake = db.session.scalar(select(IntakeResponse).where(IntakeResponse.client_id == client_id))
        if intake is not None:
            db.session.expunge(intake)
        return intake


def test_each_step_is_saved_and_a_trainer_resumes_where_they_left(app, agent, personas, make):
    client_id = make.client_record(personas.practice_id)
    agent.login(personas.colleague)
    first = agent.post(f"/clients/{client_id}/intake/steps/health_history", data=step_posts()["health_history"])
    assert first.status_code == 303 and first.headers["Location"].endswith("/intake/steps/surgeries")
    agent.post(f"/clients/{client_id}/intake/steps/surgeries", data=step_posts()["surgeries"])
    draft = _intake(app, client_id)
    assert draft.completed_at is None and draft.step == 2
    assert draft.answers["surgeries"] == [{"what": "Right knee replacement", "year": 2025}]
    overview = agent.get(f"/clients/{client_id}/intake").get_data(as_text=True)
    assert "Draft started" in overview and "Right knee replacement" in overview
    assert f"/clients/{client_id}/intake/steps/medications" in overview  # resume at the next open step
    back = agent.get(f"/clients/{client_id}/intake/steps/surgeries").get_data(as_text=True)
    assert 'value="Right knee replacement"' in back  # the saved answers come back


def test_errors_show_at_the_question_and_nothing_typed_is_lost(app, agent, personas, make):
    client_id = make.client_record(personas.practice_id)
    agent.login(personas.colleague)
    response = agent.post(f"/clients/{client_id}/intake/steps/activity", data={
        "activity_level": "light", "active_days": "9", "fell_past_year": "maybe", "walking_aids": ["cane"],
        "feels_unsteady": "no"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "from 0 to 7" in body and 'value="9"' in body
    assert 'value="cane" checked' in body
    assert _intake(app, client_id) is None  # the bad screen was not half-saved: no draft until an answer is kept


def test_completing_every_step_completes_the_intake(app, agent, personas, make):
    client_id = make.client_record(personas.practice_id)
    agent.login(personas.colleague)
    responses = _post_steps(agent, client_id, step_posts())
    assert responses[-1].headers["Location"].endswith(f"/clients/{client_id}/intake")
    intake = _intake(app, client_id)
    assert intake.completed_at is not None and intake.clearance_required is False
    overview = agent.get(f"/clients/{client_id}/intake").get_data(as_text=True)
    assert "Lisinopril 10 mg daily (blood pressure)" in overview
    # A completed intake is a record: its steps no longer accept changes.
    again = agent.post(f"/clients/{client_id}/intake/steps/goals", data={"goals": ["sport"]})
    assert again.status_code == 303
    assert sorted(_intake(app, client_id).answers["goals"]) == ["climb_stairs", "walk_farther"]


def test_front_desk_sees_intake_status_but_not_the_answers(agent, new_agent, personas, make):
    client_id = make.client_record(personas.practice_id)
    trainer = new_agent()
    trainer.login(personas.colleague)
    _post_steps(trainer, client_id, step_posts())
    agent.login(personas.front_desk)
    page = agent.get(f"/clients/{client_id}/intake").get_data(as_text=True)
    assert "Completed" in page and "Lisinopril" not in page
    assert agent.post(f"/clients/{client_id}/intake/steps/goals", data={}).status_code == 403


def test_readiness_yes_puts_the_client_in_clearance_required_until_recorded(app, agent, personas, make):
    client_id = make.client_record(personas.practice_id)
    provider_id = make.provider(personas.practice_id)
    agent.login(personas.colleague)
    _post_steps(agent, client_id, step_posts(readiness_yes=("readiness_chest_pain",)))
    intake = _intake(app, client_id)
    assert intake.clearance_required
    assert any("chest pain" in reason for reason in intake.clearance_reasons)
    chart = agent.get(f"/clients/{client_id}").get_data(as_text=True)
    assert "Clearance required" in chart and 'data-item="clearance"' in chart

    from metpwa.services import readiness

    def may_start():
        with app.app_context():
            from metpwa.extensions import db
            from metpwa.models import Client

            return readiness.for_chart(db.session.get(Client, client_id))[1]

    assert may_start() is False
    no_letter = agent.post(f"/clients/{client_id}/clearance/new", data={
        "provider_id": str(provider_id), "cleared_on": "11/20/2026", "restrictions": "Keep HR under 120"},
        content_type="multipart/form-data")
    assert no_letter.status_code == 422 and "Upload the clearance letter" in no_letter.get_data(as_text=True)
    recorded = agent.post(f"/clients/{client_id}/clearance/new", data={
        "provider_id": str(provider_id), "cleared_on": "11/20/2026", "restrictions": "Keep HR under 120",
        "document": (io.BytesIO(MINIMAL_PDF), "clearance.pdf")}, content_type="multipart/form-data")
    assert recorded.status_code == 303
    chart = agent.get(f"/clients/{client_id}").get_data(as_text=True)
    assert "Cleared by Elena Ortiz, MD" in chart


def test_a_new_yearly_intake_keeps_the_old_one(app, agent, personas, make):
    client_id = make.client_record(personas.practice_id)
    agent.login(personas.colleague)
    _post_steps(agent, client_id, step_posts())
    response = agent.post(f"/clients/{client_id}/intake/new")
    assert response.headers["Location"].endswith("/intake/steps/health_history")
    with app.app_context():
        from metpwa.extensions import db

        rows = db.session.scalars(select(IntakeResponse).where(IntakeResponse.client_id == client_id)).all()
        assert sorted(r.completed_at is None for r in rows) == [False, True]


def test_opening_the_health_history_is_audited(app, agent, personas, make):
    """Found in review: the chart's read was on the audit trail but the health history, with its
    answers, was not."""
    from sqlalchemy import select

    from metpwa.extensions import db
    from metpwa.models import AuditEvent

    client_id = make.client_record(personas.practice_id, first="Ivy", last="Audit")
    agent.login(personas.colleague)
    agent.get(f"/clients/{client_id}/intake")
    agent.get(f"/clients/{client_id}/intake/steps/health_history")
    with app.app_context():
        views = [event.detail_data.get("view") for event in db.session.scalars(
            select(AuditEvent).where(AuditEvent.client_id == client_id, AuditEvent.action == "read"))]
    assert "intake" in views and "intake step" in views


def test_a_refused_medicines_step_keeps_three_spare_rows_not_three_more_each_time(app, agent, personas, make):
    """Issue 21: each refused save added three empty rows to the medicines list."""
    client_id = make.client_record(personas.practice_id)
    agent.login(personas.colleague)
    data = {"takes_medications": "yes", "medications-0-name": "", "medications-0-dose": "10 mg daily"}
    # What the form posts back: its three spare rows, left blank.
    data.update({f"medications-{n}-{field}": "" for n in (1, 2, 3) for field in ("name", "dose", "reason")})
    response = agent.post(f"/clients/{client_id}/intake/steps/medications", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and 'value="10 mg daily"' in body
    # The row with a dose and no name (its error shown), then three spare rows: four, not seven.
    assert body.count('name="medications-') == 4 * 3

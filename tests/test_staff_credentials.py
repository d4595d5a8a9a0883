"""Staff credentials and continuing education on screen: bad input at the field, renewals kept as
history, who may see whose, and the signing block on sessions and assessments."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from metpwa.extensions import db as _db
from metpwa.models import AuditEvent, ContinuingEducation, Practice, StaffCredential
from metpwa.models import Client, SessionLog, User
from metpwa.services import assessments
from test_sessions import sign as sign_session
from test_sessions import start_session


def mdY(day: date) -> str:
    return f"{day:%m/%d/%Y}"


def _credential(agent, user_id, **values):
    data = {"kind": "cpr_aed", "number": "", "issuer": "American Heart Association", "issued_on": "",
            "expires_on": "", "state": "", "profession": ""} | values
    return agent.post(f"/staff/{user_id}/credentials", data=data)


def test_expiry_before_issue_is_refused_at_the_field_and_nothing_typed_is_lost(agent, personas):
    agent.login(personas.owner)
    trainer = personas.colleague.id
    response = _credential(agent, trainer, issued_on="05/01/2026", expires_on="04/30/2026", number="CPR-778")
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The expiry date is on or before the issue date" in body
    assert 'value="CPR-778"' in body and 'value="04/30/2026"' in body
    assert 'aria-invalid="true"' in body
    fixed = _credential(agent, trainer, issued_on="05/01/2026", expires_on="05/31/2028", number="CPR-778")
    assert fixed.status_code == 303
    page = agent.get(f"/staff/{trainer}/credentials").get_data(as_text=True)
    assert "CPR-778" in page and "Current until May 31, 2028" in page


def test_an_npi_failing_its_check_digit_and_a_date_nobody_can_read_are_refused(agent, personas):
    agent.login(personas.owner)
    body = _credential(agent, personas.colleague.id, kind="npi", number="1234567890").get_data(as_text=True)
    assert "check digit" in body.lower() or "not a valid npi" in body.lower()
    body = _credential(agent, personas.colleague.id, issued_on="13/45/2026", expires_on="2028").get_data(as_text=True)
    assert body.count("Type the date as MM/DD/YYYY") == 2
    assert _credential(agent, personas.colleague.id, kind="npi", number="1234567893").status_code == 303


def test_a_renewal_is_a_new_row_and_the_old_card_stays_in_the_history(app, agent, personas):
    agent.login(personas.owner)
    trainer = personas.colleague.id
    _credential(agent, trainer, issued_on="01/10/2024", expires_on="01/31/2026", number="OLD-1")
    with app.app_context():
        old = _db.session.scalar(select(StaffCredential).where(StaffCredential.user_id == trainer))
        old_id = old.id
    assert "Renew" in agent.get(f"/staff/{trainer}/credentials?renew={old_id}").get_data(as_text=True)
    assert _credential(agent, trainer, issued_on="01/12/2026", expires_on="01/31/2028", number="NEW-2",
                       renews=str(old_id)).status_code == 303
    page = agent.get(f"/staff/{trainer}/credentials").get_data(as_text=True)
    assert "Earlier cards" in page and "OLD-1" in page and "NEW-2" in page
    with app.app_context():
        rows = _db.session.scalars(select(StaffCredential).where(StaffCredential.user_id == trainer)).all()
        assert sorted((r.number, r.superseded_at is not None) for r in rows) == [("NEW-2", False), ("OLD-1", True)]


def test_negative_ce_hours_are_refused_and_totals_count_against_the_cycle(app, agent, personas):
    agent.login(personas.owner)
    trainer = personas.colleague.id
    with app.app_context():
        today = date.today()
    made = _credential(agent, trainer, kind="mes", number="MES-1", issued_on=mdY(today - timedelta(days=400)),
                expires_on=mdY(today + timedelta(days=300)))
    assert made.status_code == 303, made.get_data(as_text=True)
    bad = agent.post(f"/staff/{trainer}/continuing-education",
                     data={"title": "Knee rehab progressions", "provider": "METI", "hours": "-2",
                           "completed_on": mdY(today), "counts_toward": "mes"})
    body = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Hours cannot be negative." in body and 'value="Knee rehab progressions"' in body
    ok = agent.post(f"/staff/{trainer}/continuing-education",
                    data={"title": "Knee rehab progressions", "provider": "METI", "hours": "2.5",
                          "completed_on": mdY(today - timedelta(days=3)), "counts_toward": "mes"})
    assert ok.status_code == 303
    page = agent.get(f"/staff/{trainer}/credentials").get_data(as_text=True)
    # Issued part-way through the cycle's first year: only this year's 2.5 hours are asked (rules.credentials).
    assert "(MES): 2.5 of 2.5 hours" in page
    with app.app_context():
        assert _db.session.scalar(select(ContinuingEducation.hours)) == Decimal("2.50")


def test_each_person_keeps_their_own_and_only_the_owner_sees_everyones(new_agent, personas):
    trainer = new_agent()
    trainer.login(personas.colleague)
    assert trainer.get(f"/staff/{personas.colleague.id}/credentials").status_code == 200
    assert _credential(trainer, personas.colleague.id, expires_on="12/31/2030").status_code == 303
    assert trainer.get(f"/staff/{personas.front_desk.id}/credentials").status_code == 403
    assert _credential(trainer, personas.front_desk.id, expires_on="12/31/2030").status_code == 403
    outsider = new_agent()
    outsider.login(personas.outsider)
    assert outsider.get(f"/staff/{personas.colleague.id}/credentials").status_code == 404


def _lapse_cpr(app, practice_id, user_id, *, block: bool):
    with app.app_context():
        today = date.today()
        _db.session.add_all([
            StaffCredential(practice_id=practice_id, user_id=user_id, kind="mes", number="MES-9",
                            issued_on=today - timedelta(days=300), expires_on=today + timedelta(days=400)),
            StaffCredential(practice_id=practice_id, user_id=user_id, kind="cpr_aed",
                            issued_on=today - timedelta(days=800), expires_on=today - timedelta(days=5)),
        ])
        _db.session.get(Practice, practice_id).signing_requires_credentials = block
        _db.session.commit()


@pytest.fixture
def ready(make, personas):
    return make.ready_client(personas.practice_id, personas.colleague.id)


def test_a_lapsed_cpr_card_stops_signing_a_session_with_the_fix_named(app, agent, personas, ready):
    _lapse_cpr(app, personas.practice_id, personas.colleague.id, block=True)
    agent.login(personas.colleague)
    session_id, _, _ = start_session(agent, ready)
    response = sign_session(agent, session_id, note_performance="Completed all sets with good form")
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "cannot sign until the credentials the practice requires are current" in body
    assert "CPR/AED" in body and f"/staff/{personas.colleague.id}/credentials" in body
    assert "Completed all sets with good form" in body
    with app.app_context():
        assert _db.session.get(SessionLog, session_id).signed_at is None


def test_with_the_block_off_a_lapsed_card_only_warns_and_signing_goes_ahead(app, agent, personas, ready):
    _lapse_cpr(app, personas.practice_id, personas.colleague.id, block=False)
    agent.login(personas.colleague)
    session_id, _, _ = start_session(agent, ready)
    assert sign_session(agent, session_id).status_code == 303
    page = agent.get(f"/staff/{personas.colleague.id}/credentials").get_data(as_text=True)
    assert 'data-signing="warning"' in page


def test_a_lapsed_card_stops_signing_an_assessment_too(app, agent, personas, ready):
    _lapse_cpr(app, personas.practice_id, personas.colleague.id, block=True)
    agent.login(personas.colleague)
    with app.app_context():
        trainer = _db.session.get(User, personas.colleague.id)
        client = _db.session.get(Client, ready)
        assessment = assessments.start(trainer, client, date.today())
        assessments.add_rom(trainer, assessment, motion="knee.flexion", side="right", mode="active", degrees="104")
        assessment_id = assessment.id
    signed = agent.post(f"/clients/{ready}/assessments/{assessment_id}/sign")
    body = signed.get_data(as_text=True)
    assert signed.status_code == 422
    assert "CPR/AED" in body and "Open my credentials" in body


def test_the_owner_turns_the_signing_block_on_and_it_is_audited(app, agent, personas):
    agent.login(personas.owner)
    assert agent.post("/staff/settings/signing", data={"on": "1"}).status_code == 303
    assert 'data-signing-setting="on"' in agent.get("/staff").get_data(as_text=True)
    with app.app_context():
        assert _db.session.get(Practice, personas.practice_id).signing_requires_credentials is True
        assert _db.session.scalar(select(AuditEvent).where(AuditEvent.object_type == "Practice",
                                                           AuditEvent.action == "update")) is not None


def test_a_card_is_kept_through_the_pdf_pipeline_and_its_download_is_audited(app, agent, personas):
    import io

    from support.images import MINIMAL_PDF

    agent.login(personas.owner)
    trainer = personas.colleague.id
    refused = agent.post(f"/staff/{trainer}/credentials", data={
        "kind": "cpr_aed", "issued_on": "05/01/2026", "expires_on": "05/31/2028",
        "document": (io.BytesIO(b"<html>not a card</html>"), "card.pdf")}, content_type="multipart/form-data")
    assert refused.status_code == 422 and "Upload a PDF, JPEG or PNG" in refused.get_data(as_text=True)
    kept = agent.post(f"/staff/{trainer}/credentials", data={
        "kind": "cpr_aed", "issued_on": "05/01/2026", "expires_on": "05/31/2028",
        "document": (io.BytesIO(MINIMAL_PDF), "cpr card.pdf")}, content_type="multipart/form-data")
    assert kept.status_code == 303
    with app.app_context():
        card = _db.session.scalar(select(StaffCredential).where(StaffCredential.user_id == trainer))
        document_id = card.document_id
        assert document_id is not None
    download = agent.get(f"/staff/{trainer}/documents/{document_id}")
    assert download.status_code == 200 and download.data.startswith(b"%PDF-")
    with app.app_context():
        assert _db.session.scalar(select(AuditEvent).where(AuditEvent.object_type == "PracticeDocument",
                                                           AuditEvent.action == "export")) is not None

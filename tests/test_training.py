"""Staff training: sessions and attendance, each person's own attestation, HIPAA due dates, and the
gate that keeps new staff out of client records until their HIPAA training is on record."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from metpwa.extensions import db as _db
from metpwa.models import AuditEvent, HipaaTrainingWaiver, Practice, TrainingCompletion, TrainingSession, utcnow
from metpwa.permissions import Role


def mdY(day: date) -> str:
    return f"{day:%m/%d/%Y}"


@pytest.fixture
def gated(make):
    """A practice with the gate on from its first day: its owner, a trainer who joined after, a client."""
    practice_id = make.practice("Gatehouse MET", hipaa_gate=True)
    owner = make.user(practice_id, Role.OWNER, name="Gwen Owner")
    trainer = make.user(practice_id, Role.TRAINER, name="Nico Newhire")
    client_id = make.client_record(practice_id, trainer_id=trainer.id)
    return practice_id, owner, trainer, client_id


def _hipaa_session(agent, attendee_id, held_on: date) -> int:
    made = agent.post("/staff/training", data={"topic": "hipaa", "title": "HIPAA for new staff", "held_on": mdY(held_on),
                                               "presenter": "Gwen Owner", "minutes": "60", "notes": ""})
    assert made.status_code == 303, made.get_data(as_text=True)[:3000]
    training_id = int(made.headers["Location"].rsplit("/", 1)[-1])
    assert agent.post(f"/staff/training/{training_id}/attendees",
                      data={"attendees": str(attendee_id), "completed_on": mdY(held_on)}).status_code == 303
    return training_id


def test_new_staff_meet_the_gate_then_open_records_once_they_attest(app, new_agent, gated):
    _, owner, trainer, client_id = gated
    nico = new_agent()
    nico.login(trainer)
    refused = nico.get(f"/clients/{client_id}")
    assert refused.status_code == 303 and refused.headers["Location"].endswith("/staff/training/required")
    htmx = nico.get(f"/clients/{client_id}", htmx=True)
    assert htmx.headers.get("HX-Redirect", "").endswith("/staff/training/required")
    page = nico.get("/staff/training/required").get_data(as_text=True)
    assert "cannot open client records until their HIPAA training is on record" in page and "Gwen Owner" in page

    boss = new_agent()
    boss.login(owner)
    assert boss.get(f"/clients/{client_id}").status_code == 200  # the owner is never stopped
    _hipaa_session(boss, trainer.id, date.today() - timedelta(days=1))
    # Recorded but not attested: still closed, and the message says what is left to do.
    assert nico.get(f"/clients/{client_id}").status_code == 303
    assert "not yet attested" in nico.get("/staff/training/required").get_data(as_text=True)
    with app.app_context():
        completion_id = _db.session.scalar(select(TrainingCompletion.id).where(TrainingCompletion.user_id == trainer.id))
    assert boss.post(f"/staff/training/completions/{completion_id}/attest").status_code == 403
    mine = nico.get("/staff/training/mine").get_data(as_text=True)
    assert "I completed and understood this training" in mine
    assert nico.post(f"/staff/training/completions/{completion_id}/attest").status_code == 303
    assert nico.get(f"/clients/{client_id}").status_code == 200
    board = boss.get("/staff/training").get_data(as_text=True)
    assert "Nico Newhire" in board and "Current until" in board


def test_the_owner_waives_the_gate_with_a_reason_and_it_is_audited(app, new_agent, gated):
    _, owner, trainer, client_id = gated
    boss = new_agent()
    boss.login(owner)
    short = boss.post(f"/staff/{trainer.id}/hipaa-waiver", data={"reason": "busy", "until": ""})
    assert short.status_code == 422 and "Give the reason in a few words" in short.get_data(as_text=True)
    assert boss.post(f"/staff/{trainer.id}/hipaa-waiver",
                     data={"reason": "Covering the Tuesday clinic; training booked", "until": mdY(date.today() + timedelta(days=7))}
                     ).status_code == 303
    nico = new_agent()
    nico.login(trainer)
    assert nico.get(f"/clients/{client_id}").status_code == 200
    with app.app_context():
        waiver = _db.session.scalar(select(HipaaTrainingWaiver))
        assert waiver.reason.startswith("Covering the Tuesday clinic")
        assert _db.session.scalar(select(AuditEvent).where(AuditEvent.object_type == "HipaaTrainingWaiver",
                                                           AuditEvent.action == "create")).user_id == owner.id
        waiver_id = waiver.id
    assert boss.post(f"/staff/{trainer.id}/hipaa-waiver/{waiver_id}/end").status_code == 303
    assert nico.get(f"/clients/{client_id}").status_code == 303


def test_staff_there_before_the_gate_are_listed_overdue_never_locked_out(app, new_agent, make):
    practice_id = make.practice("Old Hands MET")  # staff made before the gate (it is off)
    owner = make.user(practice_id, Role.OWNER, name="Odile Owner")
    veteran = make.user(practice_id, Role.TRAINER, name="Vera Veteran")
    client_id = make.client_record(practice_id, trainer_id=veteran.id)
    with app.app_context():
        _db.session.get(Practice, practice_id).hipaa_gate_since = utcnow()
        _db.session.commit()
    vera = new_agent()
    vera.login(veteran)
    assert vera.get(f"/clients/{client_id}").status_code == 200
    boss = new_agent()
    boss.login(owner)
    board = boss.get("/staff/training").get_data(as_text=True)
    assert "Vera Veteran" in board and "No HIPAA training on record" in board


def test_hipaa_falls_due_a_year_after_the_last_attested_training(app, new_agent, make):
    practice_id = make.practice("Yearly MET")
    owner = make.user(practice_id, Role.OWNER, name="Yara Owner")
    boss = new_agent()
    boss.login(owner)
    # The owner attends their own session: recording their own attendance attests it.
    _hipaa_session(boss, owner.id, date.today() - timedelta(days=400))
    board = boss.get("/staff/training").get_data(as_text=True)
    assert "Overdue since" in board
    with app.app_context():
        assert _db.session.scalar(select(TrainingSession.topic)) == "hipaa"


def test_a_training_held_in_the_future_or_untitled_is_refused_at_the_field(new_agent, personas):
    boss = new_agent()
    boss.login(personas.owner)
    response = boss.post("/staff/training", data={"topic": "emergency", "title": "", "presenter": "Red Cross",
                                                  "held_on": mdY(date.today() + timedelta(days=3)), "minutes": "x"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Give the session a title" in body and "Enter the length in minutes" in body
    assert 'value="Red Cross"' in body

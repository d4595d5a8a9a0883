"""Each role's home screen answers "what do I do next" at the top: the trainer's own credential and
training alerts, the front desk's unfinished health histories and coverage to verify, the owner's
view of everyone's lapsing credentials (60 and 30 days) and overdue HIPAA training."""

import html
from datetime import timedelta

from metpwa.clock import practice_today
from metpwa.extensions import db as _db
from metpwa.models import IntakeResponse, Practice, StaffCredential
from metpwa.permissions import Role


def _card(app, practice_id, user_id, kind, days_left, number="N-1"):
    with app.app_context():
        today = practice_today(_db.session.get(Practice, practice_id))
        _db.session.add(StaffCredential(practice_id=practice_id, user_id=user_id, kind=kind, number=number,
                                        issued_on=today - timedelta(days=700), expires_on=today + timedelta(days=days_left)))
        _db.session.commit()


def _next(body: str) -> str:
    start = body.find('id="next-steps"')
    return html.unescape(body[start:body.find("</section>", start)]) if start >= 0 else ""


def test_a_trainer_sees_their_own_lapsing_card_first_and_not_their_colleagues(app, new_agent, personas):
    _card(app, personas.practice_id, personas.colleague.id, "cpr_aed", 20)
    _card(app, personas.practice_id, personas.front_desk.id, "cpr_aed", 10)
    trainer = new_agent()
    trainer.login(personas.colleague)
    top = _next(trainer.get("/").get_data(as_text=True))
    assert "Your CPR/AED: expires in 20 days" in top
    assert personas.front_desk.name not in top
    assert f"/staff/{personas.colleague.id}/credentials" in top


def test_the_owner_sees_credentials_at_60_and_30_days_and_lapsed_and_overdue_hipaa(app, new_agent, personas):
    _card(app, personas.practice_id, personas.colleague.id, "cpr_aed", 45)
    _card(app, personas.practice_id, personas.colleague.id, "mes", 25, "MES-2")
    _card(app, personas.practice_id, personas.front_desk.id, "cpr_aed", -3)
    _card(app, personas.practice_id, personas.biller.id, "cpr_aed", 90)
    owner = new_agent()
    owner.login(personas.owner)
    top = _next(owner.get("/").get_data(as_text=True))
    assert f"{personas.colleague.name}'s CPR/AED: expires in 45 days" in top
    assert f"{personas.colleague.name}'s Medical Exercise Specialist (MES): expires in 25 days" in top
    assert f"{personas.front_desk.name}'s CPR/AED: lapsed on" in top
    assert personas.biller.name + "'s CPR/AED" not in top  # 90 days out: no alert yet
    assert f"{personas.colleague.name}'s HIPAA training: no HIPAA training on record" in top
    # Lapsed (danger) before lapsing (warn).
    assert top.index("lapsed on") < top.index("expires in 45 days")


def test_the_front_desk_sees_unfinished_health_histories_and_coverage_to_verify(app, new_agent, personas, make):
    client_id = make.client_record(personas.practice_id, first="Iris", last="Unfinished")
    with app.app_context():
        _db.session.add(IntakeResponse(practice_id=personas.practice_id, client_id=client_id, form_version="1",
                                       answers={}))
        _db.session.commit()
    desk = new_agent()
    desk.login(personas.front_desk)
    body = desk.get("/").get_data(as_text=True)
    assert 'id="front-desk"' in body and "Iris Unfinished" in body
    trainer = new_agent()
    trainer.login(personas.colleague)
    assert 'id="front-desk"' not in trainer.get("/").get_data(as_text=True)


def test_the_biller_sees_no_claims_section_until_the_claims_screens_exist(app, new_agent, personas):
    biller = new_agent()
    biller.login(personas.biller)
    body = biller.get("/").get_data(as_text=True)
    assert ("claims.index" in app.view_functions) == ('id="claims-waiting"' in body)
    assert "arrive with the billing" not in body


def test_new_staff_before_hipaa_training_see_what_to_do_and_no_client_names(app, new_agent, make):
    practice_id = make.practice("Fresh MET", hipaa_gate=True)
    make.user(practice_id, Role.OWNER)
    trainer = make.user(practice_id, Role.TRAINER, name="Tess Trainee")
    make.client_record(practice_id, first="Hidden", last="Clientname", trainer_id=trainer.id)
    agent = new_agent()
    agent.login(trainer)
    body = agent.get("/").get_data(as_text=True)
    assert 'data-gate="closed"' in body and "Clientname" not in body


def test_the_places_the_rules_name_for_staff_fixes_exist(app):
    """rules.fixes names these for the signing block, the new-staff gate and the readiness items."""
    from metpwa.rules.fixes import FIX_TARGETS

    mine = {"staff.credentials", "staff.continuing_education", "staff.training", "staff.training_attest"}
    assert mine <= FIX_TARGETS
    assert mine <= set(app.view_functions)

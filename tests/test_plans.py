"""The exercise library and the Plan of Exercise: measurable goals, prescribed exercises,
a new version on every change (the old ones stay readable and locked), acknowledgement, PDF."""

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import exc, func, select, text, update

from metpwa.models import Exercise, PlanExercise, PlanVersion
from support.images import MINIMAL_PDF


def _exercise_ids(app, practice_id, *slugs):
    with app.app_context():
        from metpwa.extensions import db

        rows = dict(db.session.execute(select(Exercise.slug, Exercise.id).where(Exercise.practice_id == practice_id)).all())
    return [rows[slug] for slug in slugs]


def plan_form(ids, **extra):
    data = {"starts_on": "11/16/2026", "review_on": "12/14/2026", "frequency_per_week": "2", "duration_weeks": "8",
            "goals-0-description": "Get up from a chair and walk to the door without help",
            "goals-0-target": "measure:tug", "goals-0-side": "na", "goals-0-direction": "below",
            "goals-0-target_value": "12", "goals-0-by_week": "8",
            "goals-1-description": "Bend the right knee enough to climb stairs foot over foot",
            "goals-1-target": "rom:knee.flexion", "goals-1-side": "right", "goals-1-direction": "above",
            "goals-1-target_value": "115", "goals-1-by_week": "6"}
    for n, exercise_id in enumerate(ids):
        data |= {f"exercises-{n}-exercise_id": str(exercise_id), f"exercises-{n}-sets": "3",
                 f"exercises-{n}-reps": "10", f"exercises-{n}-rest_seconds": "60",
                 f"exercises-{n}-intensity_kind": "rpe", f"exercises-{n}-intensity_value": "5"}
    return data | extra


@pytest.fixture
def client_with_baseline(agent, personas, make):
    client_id = make.client_record(personas.practice_id, first="Ruth", last="Okafor")
    agent.login(personas.colleague)
    assessment = agent.post(f"/clients/{client_id}/assessments").headers["Location"]
    agent.post(assessment + "/rom", data={"motion": "knee.flexion", "side": "right", "mode": "active", "degrees": "95"})
    agent.post(assessment + "/sign")
    return client_id


def test_each_practice_starts_with_over_sixty_exercises(app, personas, agent):
    with app.app_context():
        from metpwa.extensions import db

        count = db.session.scalar(select(func.count()).select_from(Exercise)
                                  .where(Exercise.practice_id == personas.practice_id))
    assert count >= 60
    agent.login(personas.colleague)
    page = agent.get("/library?q=sit&category=functional", htmx=True, headers={"HX-Target": "library-results"})
    assert "Sit to stand" in page.get_data(as_text=True) or "Sit-to-stand" in page.get_data(as_text=True)


def test_a_practice_adds_its_own_exercise_and_only_it_sees_it(app, new_agent, personas):
    trainer = new_agent()
    trainer.login(personas.colleague)
    bad = trainer.post("/library/new", data={"name": "Curb step-down", "category": "functional", "equipment": "step",
                                             "body_region": "knee", "activity_type": "functional_activities",
                                             "default_sets": "2", "instructions": "short"})
    assert bad.status_code == 422 and "Give reps, a hold or a duration" in bad.get_data(as_text=True)
    ok = trainer.post("/library/new", data={
        "name": "Curb step-down", "category": "functional", "equipment": "step", "body_region": "knee",
        "activity_type": "functional_activities", "default_sets": "2", "default_reps": "8", "load_unit": "",
        "instructions": "Stand on a 6-inch curb, lower the other heel to the street slowly, and return."})
    assert ok.status_code == 303
    assert "Curb step-down" in trainer.get("/library?q=curb").get_data(as_text=True)
    outsider = new_agent()
    outsider.login(personas.outsider)
    assert "Curb step-down" not in outsider.get("/library?q=curb").get_data(as_text=True)
    (curb,) = _exercise_ids(app, personas.practice_id, "curb-step-down")
    # Even with a client of its own, the outsider cannot put this practice's exercise in a plan.
    from datetime import date

    from conftest import Factory

    their_client = Factory(app).client_record(personas.other_practice_id, born=date(1960, 1, 1))
    assert outsider.get(f"/clients/{their_client}/plan/exercise-row?exercise_id={curb}").status_code == 404


def test_plan_with_two_goals_and_four_exercises(app, agent, personas, client_with_baseline):
    client_id = client_with_baseline
    ids = _exercise_ids(app, personas.practice_id, "sit-to-stand", "heel-raise", "tandem-stance", "step-up")
    response = agent.post(f"/clients/{client_id}/plan/edit", data=plan_form(ids))
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    page = agent.get(f"/clients/{client_id}/plan").get_data(as_text=True)
    assert "Timed Up and Go below 12 s by week 8" in page
    assert "Right knee flexion above 115 deg by week 6" in page
    assert "Baseline 95 deg" in page  # taken from the signed baseline assessment
    assert "3 x 10, RPE 5, rest 60 s" in page
    assert "Version 1" in page


def test_bad_plan_input_is_shown_at_each_field_and_nothing_is_lost(app, agent, personas, client_with_baseline):
    client_id = client_with_baseline
    ids = _exercise_ids(app, personas.practice_id, "sit-to-stand", "heel-raise")
    response = agent.post(f"/clients/{client_id}/plan/edit", data=plan_form(
        ids, **{"goals-1-by_week": "12", "exercises-1-sets": "40", "exercises-0-seconds": "30",
                "goals-0-description": "Treat the knee tendinitis"}))
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "after the plan ends" in body and "Sets must be" in body and "not both" in body
    assert "“tendinitis”" in body and "Keep my wording because" in body
    assert 'value="40"' in body and "Treat the knee tendinitis" in body


def test_every_change_is_a_new_version_and_old_ones_stay_readable(app, agent, personas, client_with_baseline):
    client_id = client_with_baseline
    ids = _exercise_ids(app, personas.practice_id, "sit-to-stand", "heel-raise", "tandem-stance", "step-up")
    agent.post(f"/clients/{client_id}/plan/edit", data=plan_form(ids))
    no_reason = agent.post(f"/clients/{client_id}/plan/edit", data=plan_form(ids[:3]))
    assert no_reason.status_code == 422
    changed = agent.post(f"/clients/{client_id}/plan/edit",
                         data=plan_form(ids[:3], reason="Step-ups painful at RPE 8; replaced by more balance work"))
    assert changed.status_code == 303
    with app.app_context():
        from metpwa.extensions import db

        versions = db.session.scalars(select(PlanVersion).where(PlanVersion.client_id == client_id)
                                      .order_by(PlanVersion.version)).all()
        assert [(v.version, v.current, len(v.exercises)) for v in versions] == [(1, False, 4), (2, True, 3)]
        first_id = versions[0].id
    old = agent.get(f"/clients/{client_id}/plan/versions/{first_id}").get_data(as_text=True)
    assert "Replaced" in old and "Step-ups" in old or "Step-up" in old
    page = agent.get(f"/clients/{client_id}/plan").get_data(as_text=True)
    assert "Version 2" in page and "replaced by more balance work" in page


def test_saved_versions_are_locked_in_the_database(app, db, agent, personas, client_with_baseline):
    client_id = client_with_baseline
    ids = _exercise_ids(app, personas.practice_id, "sit-to-stand")
    agent.post(f"/clients/{client_id}/plan/edit", data=plan_form(ids))
    with app.app_context():
        for statement in (update(PlanVersion).values(frequency_per_week=5), update(PlanExercise).values(sets=9),
                          text("DELETE FROM plan_goal"), text("DELETE FROM plan_version")):
            with pytest.raises(exc.IntegrityError, match="signed records cannot change"):
                db.session.execute(statement)
            db.session.rollback()


def test_acknowledgement_and_the_plan_pdf(app, agent, personas, client_with_baseline):
    client_id = client_with_baseline
    ids = _exercise_ids(app, personas.practice_id, "sit-to-stand", "heel-raise")
    agent.post(f"/clients/{client_id}/plan/edit", data=plan_form(ids))
    with app.app_context():
        from metpwa.extensions import db

        plan_id = db.session.scalar(select(PlanVersion.id).where(PlanVersion.client_id == client_id))
    future = agent.post(f"/clients/{client_id}/plan/versions/{plan_id}/acknowledgement",
                        data={"received_on": "01/01/2099", "method": "fax"}, content_type="multipart/form-data")
    assert future.status_code == 422
    ok = agent.post(f"/clients/{client_id}/plan/versions/{plan_id}/acknowledgement",
                    data={"received_on": "11/20/2026", "method": "signed_copy",
                          "document": (io.BytesIO(MINIMAL_PDF), "signed plan.pdf")},
                    content_type="multipart/form-data")
    assert ok.status_code == 303
    assert "Signed copy returned, Nov 20, 2026" in agent.get(f"/clients/{client_id}/plan").get_data(as_text=True)
    pdf = agent.get(f"/clients/{client_id}/plan/versions/{plan_id}.pdf")
    reader = PdfReader(io.BytesIO(pdf.get_data()))
    words = " ".join(page.extract_text() for page in reader.pages)
    assert "Plan of Exercise" in words and "Ruth Okafor" in words
    assert "Timed Up and Go below 12 s by week 8" in words and "Sit" in words
    assert re.search(r"Page 1 of \d", words)


def test_rows_are_added_by_htmx_with_the_next_index(app, agent, personas, client_with_baseline):
    client_id = client_with_baseline
    (exercise_id,) = _exercise_ids(app, personas.practice_id, "heel-raise")
    row = agent.get(f"/clients/{client_id}/plan/exercise-row?exercise_id={exercise_id}&exercise_next=3", htmx=True)
    body = row.get_data(as_text=True)
    assert 'name="exercises-3-sets"' in body and 'id="exercise-next"' in body and 'value="4"' in body
    goal = agent.get(f"/clients/{client_id}/plan/goal-row?goal_next=2", htmx=True).get_data(as_text=True)
    assert 'name="goals-2-target"' in goal and "Timed Up and Go" in goal
    picked = agent.get(f"/clients/{client_id}/plan/pick?q=heel", htmx=True).get_data(as_text=True)
    assert "Heel raise" in picked or "Heel raises" in picked

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
    assert "Right knee flexion above 115° by week 6" in page
    assert "Baseline 95°" in page  # taken from the signed baseline assessment
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


def test_the_reason_for_a_change_is_checked_for_scope_like_the_goals(app, agent, personas, client_with_baseline):
    # The reason is printed on the plan and its PDF beside the version: "rehab" and "OA" there are the
    # trainer's words to the referring provider as much as a goal's.
    client_id = client_with_baseline
    ids = _exercise_ids(app, personas.practice_id, "sit-to-stand", "heel-raise")
    agent.post(f"/clients/{client_id}/plan/edit", data=plan_form(ids))
    flagged = agent.post(f"/clients/{client_id}/plan/edit",
                         data=plan_form(ids[:1], based_on_version="1", reason="Rehab progression for knee OA"))
    body = flagged.get_data(as_text=True)
    assert flagged.status_code == 422
    assert "“Rehab”" in body and "Keep my wording because" in body and "Rehab progression for knee OA" in body
    kept = agent.post(f"/clients/{client_id}/plan/edit",
                      data=plan_form(ids[:1], based_on_version="1", reason="Rehab progression for knee OA",
                                     **{"reason-keep": "Quoting the referring physician's order"}))
    assert kept.status_code == 303
    with app.app_context():
        from metpwa.extensions import db

        plan = db.session.scalar(select(PlanVersion).where(PlanVersion.client_id == client_id, PlanVersion.version == 2))
        assert [override["field"] for override in plan.scope_overrides] == ["reason"]


def test_every_change_is_a_new_version_and_old_ones_stay_readable(app, agent, personas, client_with_baseline):
    client_id = client_with_baseline
    ids = _exercise_ids(app, personas.practice_id, "sit-to-stand", "heel-raise", "tandem-stance", "step-up")
    agent.post(f"/clients/{client_id}/plan/edit", data=plan_form(ids))
    no_reason = agent.post(f"/clients/{client_id}/plan/edit", data=plan_form(ids[:3], based_on_version="1"))
    assert no_reason.status_code == 422
    changed = agent.post(f"/clients/{client_id}/plan/edit",
                         data=plan_form(ids[:3], based_on_version="1",
                                        reason="Step-ups painful at RPE 8; replaced by more balance work"))
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


# Saving from the builder: a double tap, or a colleague's stale screen. Dates from today, so the
# plan starts within the last 30 days whenever the suite runs.
def _fresh_form(ids, based_on: str, **extra):
    from datetime import date, timedelta

    start = date.today() - timedelta(days=2)
    return plan_form(ids, starts_on=f"{start:%m/%d/%Y}", review_on=f"{start + timedelta(weeks=4):%m/%d/%Y}",
                     based_on_version=based_on, **extra)


def _opened_on(agent, client_id) -> str:
    """The version the builder says it was opened on (its hidden field): "" for a first plan."""
    page = agent.get(f"/clients/{client_id}/plan/edit").get_data(as_text=True)
    return re.search(r'name="based_on_version" value="([^"]*)"', page).group(1)


def _shown(body: str) -> str:
    """The page's words as a person reads them, without the markup between them."""
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def _saved(app, client_id) -> list[tuple[int, bool, str]]:
    """Each version of the client's plan: number, current, first goal's wording."""
    with app.app_context():
        from metpwa.extensions import db

        return [(v.version, v.current, v.goals[0].description) for v in db.session.scalars(
            select(PlanVersion).where(PlanVersion.client_id == client_id).order_by(PlanVersion.version))]


def _version_events(app, client_id) -> int:
    from metpwa.models import AuditEvent

    with app.app_context():
        from metpwa.extensions import db

        return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.client_id == client_id, AuditEvent.action == "create",
            AuditEvent.object_type == "PlanVersion"))


def test_a_double_tapped_save_makes_one_version(app, agent, personas, client_with_baseline):
    client_id = client_with_baseline
    ids = _exercise_ids(app, personas.practice_id, "sit-to-stand", "heel-raise")
    assert _opened_on(agent, client_id) == ""
    first = _fresh_form(ids, "")
    assert [agent.post(f"/clients/{client_id}/plan/edit", data=first).status_code for _ in range(2)] == [303, 303]
    assert [v[:2] for v in _saved(app, client_id)] == [(1, True)]
    assert _opened_on(agent, client_id) == "1"
    change = _fresh_form(ids[:1], "1", reason="Heel raises hurt the left Achilles; dropped for now")
    taps = [agent.post(f"/clients/{client_id}/plan/edit", data=change) for _ in range(2)]
    assert [tap.status_code for tap in taps] == [303, 303]
    assert {tap.headers["Location"] for tap in taps} == {f"/clients/{client_id}/plan"}
    assert [v[:2] for v in _saved(app, client_id)] == [(1, False), (2, True)]
    assert _version_events(app, client_id) == 2  # one audit event per version saved, none for the repeat
    page = agent.get(f"/clients/{client_id}/plan").get_data(as_text=True)
    assert "Plan of Exercise, version 2" in page and "Version 3" not in page


def test_a_save_from_a_stale_screen_is_refused_and_keeps_what_was_typed(app, agent, new_agent, personas, make,
                                                                        client_with_baseline):
    client_id = client_with_baseline
    ids = _exercise_ids(app, personas.practice_id, "sit-to-stand", "heel-raise", "tandem-stance")
    agent.post(f"/clients/{client_id}/plan/edit", data=_fresh_form(ids, ""))
    assert _opened_on(agent, client_id) == "1"  # Carl opens the builder on version 1 ...
    tess = make.user(personas.practice_id, name="Tess Trainer")
    other = new_agent()
    other.login(tess)
    newer = _fresh_form(ids[:2], _opened_on(other, client_id), reason="Tandem stance too hard for now")
    assert other.post(f"/clients/{client_id}/plan/edit", data=newer).status_code == 303  # ... Tess saves version 2
    typed = _fresh_form(ids, "1", reason="Progressing the goals after a good month", **{
        "goals-0-description": "Walk to the mailbox and back without stopping", "exercises-2-sets": "4"})
    stale = agent.post(f"/clients/{client_id}/plan/edit", data=typed)
    body = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert re.search(r"Someone saved a newer version of this plan \(version 2, by Tess Trainer at [^)]+\) while "
                     r"you were editing\. Your changes are below; review the current plan and save again\.",
                     _shown(body))
    assert "Walk to the mailbox and back without stopping" in body and 'value="4"' in body
    assert ">Progressing the goals after a good month</textarea>" in body
    assert 'name="based_on_version" value="2"' in body and "Save version 3" in body
    assert "Tandem stance too hard for now" in body  # what version 2 holds, to review without leaving the form
    assert [v[:2] for v in _saved(app, client_id)] == [(1, False), (2, True)]
    assert _version_events(app, client_id) == 2
    # Saved again from the page the refusal gave back: now on purpose, on top of Tess's version.
    again = re.search(r'name="based_on_version" value="(\d+)"', body).group(1)
    assert agent.post(f"/clients/{client_id}/plan/edit", data={**typed, "based_on_version": again}).status_code == 303
    assert _saved(app, client_id)[-1] == (3, True, "Walk to the mailbox and back without stopping")


def test_a_first_plan_saved_by_someone_else_meanwhile_is_the_same_conflict(app, agent, new_agent, personas, make,
                                                                           client_with_baseline):
    client_id = client_with_baseline
    ids = _exercise_ids(app, personas.practice_id, "sit-to-stand", "heel-raise")
    assert _opened_on(agent, client_id) == ""
    other = new_agent()
    other.login(make.user(personas.practice_id, name="Tess Trainer"))
    assert other.post(f"/clients/{client_id}/plan/edit", data=_fresh_form(ids, "")).status_code == 303
    mine = _fresh_form(ids[:1], "", **{"goals-1-target_value": "120"})
    stale = agent.post(f"/clients/{client_id}/plan/edit", data=mine)
    body = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "Someone saved a newer version of this plan (version 1, by Tess Trainer at" in _shown(body)
    assert 'value="120"' in body and 'name="based_on_version" value="1"' in body
    assert 'name="reason"' in body  # a second version says why it changes the first
    assert [v[:2] for v in _saved(app, client_id)] == [(1, True)]
    saved = agent.post(f"/clients/{client_id}/plan/edit",
                       data={**mine, "based_on_version": "1", "reason": "Knee goal raised to 120 degrees"})
    assert saved.status_code == 303
    assert [v[:2] for v in _saved(app, client_id)] == [(1, False), (2, True)]


def test_saves_posted_at_once_make_one_version():
    """Three taps in flight together, on a client with a plan and on one without: one new version each."""
    from conftest import lone_practice, post_at_once

    with lone_practice("Plan Double Tap") as practice:
        app = practice.app
        ids = _exercise_ids(app, practice.practice_id, "sit-to-stand", "heel-raise")
        first_plan = practice.make.client_record(practice.practice_id, first="Nell", last="Baker")
        change = _fresh_form(ids, "1", reason="Fewer exercises while the knee settles")
        responses = post_at_once(practice, [f"/clients/{practice.client_id}/plan/edit"] * 3
                                 + [f"/clients/{first_plan}/plan/edit"] * 3, [change] * 3 + [_fresh_form(ids, "")] * 3)
        assert [response.status_code for response in responses] == [303] * 6
        assert [v[:2] for v in _saved(app, practice.client_id)] == [(1, False), (2, True)]
        assert [v[:2] for v in _saved(app, first_plan)] == [(1, True)]
        assert _version_events(app, practice.client_id) == 2 and _version_events(app, first_plan) == 1


# Signing (issue 16, "The Plan of Exercise is signed").
def _first_plan(app, agent, personas, client_id) -> int:
    ids = _exercise_ids(app, personas.practice_id, "sit-to-stand")
    agent.post(f"/clients/{client_id}/plan/edit", data=plan_form(ids))
    with app.app_context():
        from metpwa.extensions import db

        return db.session.scalar(select(PlanVersion.id).where(PlanVersion.client_id == client_id))


def test_a_trainer_signs_the_current_version_and_the_page_and_pdf_say_so(app, agent, personas, client_with_baseline):
    client_id = client_with_baseline
    plan_id = _first_plan(app, agent, personas, client_id)
    draft = agent.get(f"/clients/{client_id}/plan").get_data(as_text=True)
    assert "Draft - not signed" in draft and "Sign version 1" in draft and "I have reviewed this Plan of Exercise" in draft
    pdf = PdfReader(io.BytesIO(agent.get(f"/clients/{client_id}/plan/versions/{plan_id}.pdf").get_data()))
    assert "DRAFT - NOT SIGNED" in " ".join(page.extract_text() for page in pdf.pages).upper()
    signed = agent.post(f"/clients/{client_id}/plan/versions/{plan_id}/sign")
    assert signed.status_code == 303
    page = agent.get(f"/clients/{client_id}/plan").get_data(as_text=True)
    assert "Signed " in page and "by Carl Colleague" in page and "Sign version 1" not in page
    assert "Draft - not signed" not in page
    words = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(
        agent.get(f"/clients/{client_id}/plan/versions/{plan_id}.pdf").get_data())).pages)
    assert re.search(r"Carl Colleague.*signed \w{3} \d{1,2}, \d{4}", words, re.S) and "DRAFT" not in words.upper()
    with app.app_context():
        from metpwa.extensions import db
        from metpwa.models import AuditEvent
        from metpwa.services import plans

        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "sign", AuditEvent.client_id == client_id)) >= 1
        assert plans.readiness_fact(client_id).signed
    again = agent.post(f"/clients/{client_id}/plan/versions/{plan_id}/sign")
    assert again.status_code == 409 and "cannot be signed again" in again.get_data(as_text=True)


def test_a_change_after_signing_is_a_new_unsigned_version_and_the_old_one_cannot_be_signed(
        app, agent, personas, client_with_baseline):
    client_id = client_with_baseline
    first = _first_plan(app, agent, personas, client_id)
    ids = _exercise_ids(app, personas.practice_id, "sit-to-stand", "heel-raise")
    agent.post(f"/clients/{client_id}/plan/edit", data=plan_form(ids, based_on_version="1", reason="Add heel raises"))
    refused = agent.post(f"/clients/{client_id}/plan/versions/{first}/sign")
    assert refused.status_code == 409 and "replaced by a newer version" in refused.get_data(as_text=True)
    page = agent.get(f"/clients/{client_id}/plan").get_data(as_text=True)
    assert "Version 2" in page and "Draft - not signed" in page and "draft - not signed" in page


def test_only_trainers_and_owners_sign_and_other_practices_get_404(app, agent, new_agent, personas,
                                                                  client_with_baseline):
    client_id = client_with_baseline
    plan_id = _first_plan(app, agent, personas, client_id)
    for persona in (personas.front_desk, personas.biller):
        other = new_agent()
        other.login(persona)
        assert other.post(f"/clients/{client_id}/plan/versions/{plan_id}/sign").status_code == 403
    outsider = new_agent()
    outsider.login(personas.outsider)
    assert outsider.post(f"/clients/{client_id}/plan/versions/{plan_id}/sign").status_code == 404
    owner = new_agent()
    owner.login(personas.owner)
    assert owner.post(f"/clients/{client_id}/plan/versions/{plan_id}/sign").status_code == 303


def test_a_plan_signature_is_locked_in_the_database(app, db, agent, personas, client_with_baseline):
    from metpwa.models import PlanSignature

    client_id = client_with_baseline
    plan_id = _first_plan(app, agent, personas, client_id)
    agent.post(f"/clients/{client_id}/plan/versions/{plan_id}/sign")
    with app.app_context():
        for statement in (update(PlanSignature).values(attestation="something else"), text("DELETE FROM plan_signature")):
            with pytest.raises(exc.IntegrityError, match="signed records cannot change"):
                db.session.execute(statement)
            db.session.rollback()


def test_the_chart_says_whether_the_current_plan_is_signed(app, agent, personas, client_with_baseline):
    client_id = client_with_baseline
    plan_id = _first_plan(app, agent, personas, client_id)
    assert "Draft - not signed" in agent.get(f"/clients/{client_id}").get_data(as_text=True)
    agent.post(f"/clients/{client_id}/plan/versions/{plan_id}/sign")
    chart = agent.get(f"/clients/{client_id}").get_data(as_text=True)
    assert "Draft - not signed" not in chart and re.search(r"Signed \w{3} \d{1,2}, \d{4}", chart)

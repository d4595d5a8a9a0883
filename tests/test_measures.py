"""Outcome measures on the tablet: every test saves its score with the sentence reports reuse, the
examples of issue 6 hold through the pages, a result is saved once per key however often it is sent,
bad input is refused at its field, results are locked in the database, and the chart card, trends
and plan goal statuses show the latest values."""

from __future__ import annotations

import re
import threading
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import exc, func, select, text, update

from conftest import Agent, Factory, make_app
from support.figures import report
from metpwa.models import AuditEvent, Exercise, OutcomeResult
from metpwa.permissions import Role

BERG_ALL_FOURS = {f"item-{n}": "4" for n in range(1, 15)}
LEFS_ANSWERS = {f"item-{n}": "2" for n in range(1, 21)}


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _born(age: int) -> date:
    # New Year's Day: the client has had this year's birthday on any test date.
    return date(datetime.now(UTC).year - age, 1, 1)


def _record(agent, client_id, measure, data, *, key=None, performed_at=None, htmx=True):
    data = {"idempotency_key": key or str(uuid.uuid4()), **data}
    if performed_at is not None:
        data["performed_at"] = _iso(performed_at)
    return agent.post(f"/clients/{client_id}/measures/{measure}", data=data, htmx=htmx)


def _rows(app, client_id, measure=None):
    with app.app_context():
        from metpwa.extensions import db

        query = select(OutcomeResult).where(OutcomeResult.client_id == client_id)
        if measure:
            query = query.where(OutcomeResult.measure_key == measure)
        return [(row.measure_key, row.value, row.display, row.interpretation, row.loinc_codes, row.raw)
                for row in db.session.scalars(query.order_by(OutcomeResult.id))]


@pytest.fixture
def trainer(agent, personas):
    agent.login(personas.colleague)
    return agent


@pytest.fixture
def peggy(make, personas):
    """A 72-year-old woman."""
    return make.client_record(personas.practice_id, first="Peggy", last="Ellison", born=_born(72), sex="F")


# --- each measure, through the page -----------------------------------------------------------------

EACH_MEASURE = [
    ("tug", {"trials": ["13.5", "13.7"], "walking_aid": "cane", "observations": ["Short strides"]}, "13.6 s",
     ("TUG 13.6 s; slower than the norm for ages 70-79 (over its 10.2 s upper 95% confidence limit; mean 9.2 s); at "
      "fall risk by the CDC STEADI cut-off (at risk: 12 s or slower)."), {"each trial": "89423-8"}),
    ("chair_stand_30s", {"count": "9"}, "9 stands",
     ("Chair stand 9 stands; at fall risk by the CDC STEADI cut-off (at risk: under 10 stands, below average for "
      "women aged 70-74)."), {"score": "66247-8"}),
    ("balance_4stage", {"stage_seconds": ["10", "10", "4.5", ""]}, "stage 2 of 4",
     "4-stage balance stage 2 of 4; at fall risk by the CDC STEADI cut-off (at risk: tandem stance held under 10 s).",
     {}),
    ("grip", {"unit": "lb", "right": ["45", "47", "46"], "left": ["40", "", ""]}, "right 20.9 kg, left 18.1 kg",
     "Grip right 20.9 kg, left 18.1 kg; right hand 93% of the 49.6 lb mean for women aged 70-74, left hand 96% of "
     "the 41.5 lb mean for women aged 70-74.", {"right hand": "83174-3", "left hand": "83173-5"}),
    ("nprs", {"rating": "6"}, "6/10", "Pain 6/10.", {"score": "72514-3"}),
    ("six_minute_walk", {"laps": "11", "length_unit": "m", "lap_length": "30", "extra": "12", "walking_aid": "none"},
     "342 m",
     "6-minute walk 342 m.", {"score": "64098-7"}),
    ("gait_speed", {"course_m": "4", "trials": ["4.9", "5.1"], "walking_aid": "none"}, "0.80 m/s",
     "Gait speed 0.80 m/s.", {}),
    ("berg", {**BERG_ALL_FOURS, "item-14": "1", "item-13": "2"}, "51/56", ("Berg 51/56; not at fall risk by the "
     "common Berg cut-off (at risk: under 45 points)."), {}),
    ("lefs", LEFS_ANSWERS, "40/80", "LEFS 40/80.", {}),
]


@pytest.mark.parametrize("measure,data,display,sentence,loinc", EACH_MEASURE, ids=[m[0] for m in EACH_MEASURE])
def test_each_measure_saves_its_score_and_sentence(app, trainer, peggy, measure, data, display, sentence, loinc):
    page = trainer.get(f"/clients/{peggy}/measures/{measure}").get_data(as_text=True)
    assert 'data-measure-form="' + measure + '"' in page and "Set up" in page
    response = _record(trainer, peggy, measure, data)
    body = response.get_data(as_text=True)
    assert response.status_code == 201, body
    assert display in body and sentence in body and "Saved" in body
    [(key, _, stored_display, stored_sentence, codes, _)] = _rows(app, peggy, measure)
    assert (key, stored_display, stored_sentence, codes) == (measure, display, sentence, loinc)


def test_the_raw_entry_is_kept_as_numbers_with_the_protocol_version(app, trainer, peggy):
    _record(trainer, peggy, "gait_speed", {"course_m": "10", "trials": ["12.4", "12.6"], "walking_aid": "walker"})
    with app.app_context():
        from metpwa.extensions import db

        row = db.session.scalar(select(OutcomeResult))
        assert row.raw == {"trials": [12.4, 12.6], "course_m": 10}
        assert row.parts == {"trials_s": [12.4, 12.6]}
        assert (row.protocol_version, row.unit, row.walking_aid) == ("gait_speed-1", "m/s", "walker")
        # 83172-7 (NIH Toolbox 4 m walk, better of two trials, standing start) is not this protocol.
        assert row.loinc_codes == {}
        assert row.performed_by.full_name == "Carl Colleague"
        assert row.entered_at >= row.performed_at - timedelta(seconds=1)


def test_preview_shows_the_sentence_and_saves_nothing(app, trainer, peggy):
    response = trainer.post(f"/clients/{peggy}/measures/tug/preview", data={"trials": ["13.6"]}, htmx=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "not saved yet" in body
    assert ("at fall risk by the Barry 2014 cut-off (at risk: 13.5 s or slower; low sensitivity: never use it "
            "alone") in body
    assert _rows(app, peggy) == []


# --- the examples of issue 6 ------------------------------------------------------------------------

def test_a_72_year_olds_tug_of_13_6_s_is_flagged_for_fall_risk(app, trainer, peggy):
    body = _record(trainer, peggy, "tug", {"trials": ["13.6"], "walking_aid": "none"}).get_data(as_text=True)
    assert ("TUG 13.6 s; slower than the norm for ages 70-79 (over its 10.2 s upper 95% confidence limit; mean 9.2 s);"
            " at fall risk by the CDC STEADI cut-off (at risk: 12 s or slower).") in body
    assert "Fall risk" in body
    card = trainer.get(f"/clients/{peggy}/measures/card", htmx=True).get_data(as_text=True)
    assert "TUG 13.6 s" in card and "badge-danger" in card


def test_20_s_to_14_s_is_a_meaningful_change(app, trainer, peggy):
    first = datetime.now(UTC) - timedelta(days=6)
    _record(trainer, peggy, "tug", {"trials": ["20.4", "19.6"], "walking_aid": "cane"}, performed_at=first)
    body = _record(trainer, peggy, "tug", {"trials": ["14.0"], "walking_aid": "cane"}).get_data(as_text=True)
    with app.app_context():
        from metpwa.extensions import db
        from metpwa.models import Practice

        zone = db.session.scalar(select(Practice).where(Practice.id == OutcomeResult.practice_id).limit(1)).zone
    day = first.astimezone(zone)
    assert (f"TUG improved from 20.0 s to 14.0 s since {day:%b} {day.day}; the change is larger than the 1.1 s "
            "minimal detectable change; still at fall risk by the CDC STEADI cut-off (at risk: 12 s or slower).") in body
    sentences = [row[3] for row in _rows(app, peggy, "tug")]
    assert sentences[0].startswith("TUG 20.0 s;") and "improved" in sentences[1]


def test_a_66_year_old_woman_with_10_chair_stands_is_below_average_so_at_fall_risk(app, trainer, make, personas):
    """CDC STEADI: a below-average chair stand is a fall-risk finding, shown like TUG's (issue 16): the
    sentence, the Fall risk badge on the result and the card, and the chart's shaded zone."""
    client_id = make.client_record(personas.practice_id, first="Ida", born=_born(66), sex="F")
    body = _record(trainer, client_id, "chair_stand_30s", {"count": "10"}).get_data(as_text=True)
    assert ("at fall risk by the CDC STEADI cut-off (at risk: under 11 stands, below average for women aged "
            "65-69)") in body
    assert "Fall risk" in body
    card = trainer.get(f"/clients/{client_id}/measures/card", htmx=True).get_data(as_text=True)
    assert "Chair stand" in card and "badge-danger" in card
    trend = trainer.get(f"/clients/{client_id}/measures/chair_stand_30s/trend").get_data(as_text=True)
    assert "Fall risk: under 11 stands, below average for women aged 65-69" in trend
    with app.app_context():
        from metpwa.extensions import db

        assert db.session.scalar(select(OutcomeResult.at_fall_risk).where(OutcomeResult.client_id == client_id))


def test_sex_not_recorded_gets_no_sex_norms(app, trainer, make, personas):
    client_id = make.client_record(personas.practice_id, first="Sam", born=_born(66), sex="U")
    body = _record(trainer, client_id, "chair_stand_30s", {"count": "10"}).get_data(as_text=True)
    assert "Chair stand 10 stands." in body and "average" not in body


def test_arms_used_scores_zero(app, trainer, peggy):
    body = _record(trainer, peggy, "chair_stand_30s", {"count": "8", "arms_used": "yes"}).get_data(as_text=True)
    assert "0 stands (arms used)" in body


# --- saved once per key -----------------------------------------------------------------------------

def test_a_retry_with_the_same_key_answers_with_the_saved_result(app, trainer, peggy):
    key = str(uuid.uuid4())
    first = _record(trainer, peggy, "nprs", {"rating": "4"}, key=key)
    # A retry after a lost answer, the key in another spelling: the saved result, once.
    again = _record(trainer, peggy, "nprs", {"rating": "4"}, key=key.upper())
    assert (first.status_code, again.status_code) == (201, 200)
    assert "Pain 4/10." in again.get_data(as_text=True)
    # The same key with something else is no retry (issue 20): refused, never merged.
    other = _record(trainer, peggy, "nprs", {"rating": "5"}, key=key)
    assert other.status_code == 422 and "already used for different values" in other.get_data(as_text=True)
    assert len(_rows(app, peggy)) == 1


def test_a_key_used_for_another_test_is_refused(app, trainer, peggy):
    key = str(uuid.uuid4())
    _record(trainer, peggy, "nprs", {"rating": "4"}, key=key)
    reused = _record(trainer, peggy, "chair_stand_30s", {"count": "9"}, key=key)
    assert reused.status_code == 422 and "already used for another test" in reused.get_data(as_text=True)
    assert 'value="9"' in reused.get_data(as_text=True)
    assert len(_rows(app, peggy)) == 1


def test_twenty_posts_at_once_with_one_key_save_one_result():
    """Double taps and retries from a flaky connection, all in flight together."""
    app, cleanup = make_app()
    try:
        make = Factory(app)
        practice_id = make.practice("Lakeside Medical Exercise")
        trainer = make.user(practice_id, Role.TRAINER)
        client_id = make.client_record(practice_id, born=_born(72))
        signed_in = Agent(app.test_client())
        assert signed_in.login(trainer).status_code == 303
        cookie = signed_in.client.get_cookie("metpwa_session").value
        key, statuses, start = str(uuid.uuid4()), [], threading.Barrier(20)

        def tap():
            browser = app.test_client()
            browser.set_cookie("metpwa_session", cookie)
            start.wait()
            response = browser.post(f"/clients/{client_id}/measures/tug", headers={"HX-Request": "true",
                                    "X-CSRFToken": signed_in.token},
                                    data={"idempotency_key": key, "trials": ["15.2"], "walking_aid": "none"})
            statuses.append((response.status_code, "TUG 15.2 s" in response.get_data(as_text=True)))

        threads = [threading.Thread(target=tap) for _ in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(statuses) == [(200, True)] * 19 + [(201, True)]
        with app.app_context():
            from metpwa.extensions import db

            assert db.session.scalar(select(func.count()).select_from(OutcomeResult)) == 1
            created = db.session.scalar(select(func.count()).select_from(AuditEvent)
                                        .where(AuditEvent.action == "create", AuditEvent.object_type == "OutcomeResult"))
            assert created == 1
        report("measures: 20 identical concurrent result posts: 1 row, 1 create event, 0 duplicates")
    finally:
        cleanup()


# --- bad input, refused at its field ----------------------------------------------------------------

BAD = [
    ("tug", {"trials": ["-3"], "walking_aid": "none"}, "trials", "Time must be between 0.5 and 300 seconds (trial 1)",
     'value="-3"'),
    ("tug", {"trials": ["12", "13", "14", "15"], "walking_aid": "none"}, "trials", "Record at most 3 trials",
     'value="15"'),
    ("tug", {"trials": [], "walking_aid": "none"}, "trials", "Record at least one trial", ""),
    ("tug", {"trials": ["12"], "walking_aid": "skateboard"}, "walking_aid", "Choose the walking aid", ""),
    ("chair_stand_30s", {"count": "75"}, "count", "Count must be a whole number from 0 to 60", 'value="75"'),
    ("chair_stand_30s", {"count": "8.5"}, "count", "Count must be a whole number from 0 to 60", 'value="8.5"'),
    ("grip", {"unit": "kg", "right": ["120"], "left": []}, "right",
     "Grip over 100 kg is not plausible (right hand, trial 1)", 'value="120"'),
    ("grip", {"unit": "stone", "right": ["20"]}, "unit", "Unit must be kg or lb", ""),
    ("nprs", {"rating": "11"}, "rating", "Pain rating must be a whole number from 0 to 10", ""),
    ("six_minute_walk", {"laps": "10", "length_unit": "m", "lap_length": "30", "extra": "31", "walking_aid": "none"},
     "extra", "Extra distance must be less than one lap (30 m)", 'value="31"'),
    ("six_minute_walk", {"laps": "40", "length_unit": "m", "lap_length": "30", "walking_aid": "none"}, "laps",
     "A distance over 1000 m in six minutes is not plausible", 'value="40"'),
    ("six_minute_walk", {"laps": "10", "lap_length": "100", "walking_aid": "none"}, "length_unit",
     "Choose whether the hallway was measured in feet or metres", 'value="100"'),
    ("gait_speed", {"course_m": "6", "trials": ["5"], "walking_aid": "none"}, "course_m", "Course must be 4 m or 10 m",
     ""),
    ("balance_4stage", {"stage_seconds": ["6", "10"]}, "stage_seconds",
     "Semi-tandem stance is only tried after feet side by side is held for 10 seconds", 'value="6"'),
    ("berg", {**BERG_ALL_FOURS, "item-7": ""}, "items", "All 14 items must be answered (missing: 7)", ""),
]


@pytest.mark.parametrize("measure,data,field,message,kept", BAD, ids=[f"{m[0]}-{m[2]}" for m in BAD])
def test_bad_input_is_refused_at_its_field_and_kept(app, trainer, peggy, measure, data, field, message, kept):
    response = _record(trainer, peggy, measure, data)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(rf'<p class="field-error" id="{field}-error" data-error-for="{field}">{re.escape(message)}', body), body
    assert kept in body and "<html" not in body
    assert _rows(app, peggy) == []


def test_a_refusal_without_htmx_shows_the_whole_screen(app, trainer, peggy):
    response = _record(trainer, peggy, "nprs", {"rating": "12"}, htmx=False)
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "<html" in body and "Set up" in body and "Pain rating must be" in body


def test_a_test_time_from_a_wrong_clock_is_refused(app, trainer, peggy):
    ahead = _record(trainer, peggy, "nprs", {"rating": "3"}, performed_at=datetime.now(UTC) + timedelta(hours=2))
    assert ahead.status_code == 422 and "clock is ahead" in ahead.get_data(as_text=True)
    stale = _record(trainer, peggy, "nprs", {"rating": "3"}, performed_at=datetime.now(UTC) - timedelta(days=9))
    assert stale.status_code == 422 and "more than 7 days ago" in stale.get_data(as_text=True)
    assert _rows(app, peggy) == []


def test_diagnostic_wording_in_the_note_needs_a_reason(app, trainer, peggy):
    data = {"trials": ["14.2"], "walking_aid": "none", "note": "Meniscus tear, antalgic gait"}
    key = str(uuid.uuid4())
    refused = _record(trainer, peggy, "tug", data, key=key)
    assert refused.status_code == 422 and "“tear”" in refused.get_data(as_text=True)
    assert 'value="14.2"' in refused.get_data(as_text=True)
    kept = _record(trainer, peggy, "tug", {**data, "note-keep": "Quoting the surgeon's report"}, key=key)
    assert kept.status_code == 201
    with app.app_context():
        from metpwa.extensions import db

        row = db.session.scalar(select(OutcomeResult))
        assert row.note == "Meniscus tear, antalgic gait" and row.scope_overrides[0]["reason"].startswith("Quoting")


# --- who may see and record -------------------------------------------------------------------------

def test_another_practice_gets_404_and_other_roles_403(new_agent, personas, peggy):
    outsider = new_agent()
    outsider.login(personas.outsider)
    for path in ("", "/card", "/tug", "/tug/trend"):
        assert outsider.get(f"/clients/{peggy}/measures{path}").status_code == 404, path
    assert _record(outsider, peggy, "tug", {"trials": ["12"], "walking_aid": "none"}).status_code == 404
    for persona in (personas.front_desk, personas.biller):
        desk = new_agent()
        desk.login(persona)
        assert desk.get(f"/clients/{peggy}/measures/tug").status_code == 403
        assert desk.get(f"/clients/{peggy}/measures/card").status_code == 403
        assert _record(desk, peggy, "tug", {"trials": ["12"], "walking_aid": "none"}).status_code == 403


def test_an_unknown_test_is_404(trainer, peggy):
    assert trainer.get(f"/clients/{peggy}/measures/oswestry").status_code == 404
    assert _record(trainer, peggy, "oswestry", {"items": ["1"]}).status_code == 404


def test_reads_and_saves_are_audited(app, trainer, peggy):
    trainer.get(f"/clients/{peggy}/measures/tug")
    _record(trainer, peggy, "tug", {"trials": ["12.5"], "walking_aid": "none"})
    trainer.get(f"/clients/{peggy}/measures/tug/trend")
    with app.app_context():
        from metpwa.extensions import db

        events = db.session.execute(select(AuditEvent.action, AuditEvent.object_type, AuditEvent.detail)
                                    .where(AuditEvent.client_id == peggy)).all()
    assert ("create", "OutcomeResult", '{"measure": "tug"}') in events
    views = {detail for action, _, detail in events if action == "read"}
    assert '{"measure": "tug", "view": "measure"}' in views and '{"measure": "tug", "view": "measure trend"}' in views


# --- records are locked -----------------------------------------------------------------------------

def test_saved_results_cannot_be_changed_or_deleted_in_the_database(app, db, trainer, peggy):
    _record(trainer, peggy, "tug", {"trials": ["14.0"], "walking_aid": "none"})
    with app.app_context():
        for statement in (update(OutcomeResult).values(value=11.0), text("DELETE FROM outcome_result")):
            with pytest.raises(exc.IntegrityError, match="signed records cannot change"):
                db.session.execute(statement)
            db.session.rollback()


# --- trends, the chart card and plan goals ----------------------------------------------------------

def test_the_trend_page_draws_the_chart_with_baseline_band_and_goal(app, trainer, peggy, personas):
    first = datetime.now(UTC) - timedelta(days=5)
    _record(trainer, peggy, "tug", {"trials": ["20.0"], "walking_aid": "cane"}, performed_at=first)
    _plan_with_goals(app, trainer, peggy, personas.practice_id)
    _record(trainer, peggy, "tug", {"trials": ["14.0"], "walking_aid": "cane"})
    page = trainer.get(f"/clients/{peggy}/measures/tug/trend").get_data(as_text=True)
    svg = re.search(r'<section class="card trend-card"[^>]*><svg .*?</svg></section>', page, re.S).group(0)
    assert "Baseline 20 s" in svg and "Goal 12 s" in svg and "Fall risk: 12 s or slower" in svg
    assert "style=" not in page and "<style" not in page
    assert page.count('class="badge">Baseline') == 1 and "TUG improved from 20.0 s to 14.0 s" in page


def test_the_chart_card_shows_the_latest_result_with_its_sentence_and_trend_line(trainer, peggy):
    chart = trainer.get(f"/clients/{peggy}").get_data(as_text=True)
    assert f'hx-get="/clients/{peggy}/measures/card"' in chart
    _record(trainer, peggy, "nprs", {"rating": "6"}, performed_at=datetime.now(UTC) - timedelta(days=3))
    _record(trainer, peggy, "nprs", {"rating": "3"})
    card = trainer.get(f"/clients/{peggy}/measures/card", htmx=True).get_data(as_text=True)
    assert "Pain 3/10" in card and "Pain improved from 6/10 to 3/10" in card
    assert 'class="sparkline sparkline-improving"' in card and "2 results" in card


def _plan_with_goals(app, agent, client_id, practice_id):
    with app.app_context():
        from metpwa.extensions import db

        exercise = db.session.scalar(select(Exercise.id).where(Exercise.practice_id == practice_id).limit(1))
    today = datetime.now(UTC).date()
    response = agent.post(f"/clients/{client_id}/plan/edit", data={
        "starts_on": f"{today:%m/%d/%Y}", "review_on": f"{today + timedelta(weeks=4):%m/%d/%Y}",
        "frequency_per_week": "2", "duration_weeks": "8",
        "goals-0-description": "Stand up from a dining chair and walk to the door without help",
        "goals-0-target": "measure:tug", "goals-0-side": "na", "goals-0-direction": "below",
        "goals-0-target_value": "12", "goals-0-by_week": "8",
        "goals-1-description": "Carry two light grocery bags from the car",
        "goals-1-target": "measure:grip", "goals-1-side": "left", "goals-1-direction": "above",
        "goals-1-target_value": "19", "goals-1-by_week": "8",
        "exercises-0-exercise_id": str(exercise), "exercises-0-sets": "3", "exercises-0-reps": "10",
    })
    assert response.status_code == 303, response.get_data(as_text=True)


def test_plan_goals_start_from_the_first_result_and_show_the_latest(app, trainer, peggy, personas):
    earlier = datetime.now(UTC) - timedelta(days=4)
    _record(trainer, peggy, "tug", {"trials": ["20.0"], "walking_aid": "cane"}, performed_at=earlier)
    _record(trainer, peggy, "grip", {"unit": "kg", "right": ["17"], "left": ["13.5"]}, performed_at=earlier)
    _plan_with_goals(app, trainer, peggy, personas.practice_id)
    _record(trainer, peggy, "tug", {"trials": ["14.0"], "walking_aid": "cane"})
    _record(trainer, peggy, "grip", {"unit": "kg", "right": ["18"], "left": ["16.2"]})
    page = trainer.get(f"/clients/{peggy}/plan").get_data(as_text=True)
    tug = re.search(r"Timed Up and Go below 12 s by week 8.*?</li>", page, re.S).group(0)
    assert "Baseline 20 s" in tug and "latest 14 s" in tug and ">progressing<" in tug
    # The left-hand goal reads the left hand, not the stronger right one.
    grip = re.search(r"Left grip strength above 19 kg by week 8.*?</li>", page, re.S).group(0)
    assert "Baseline 13.5 kg" in grip and "latest 16.2 kg" in grip and ">progressing<" in grip
    trend = trainer.get(f"/clients/{peggy}/measures/grip/trend").get_data(as_text=True)
    assert "Grip strength, left hand" in trend and "Goal 19 kg" in trend and "Grip strength, right hand" in trend


def test_the_screen_starts_from_what_is_known(trainer, peggy):
    _record(trainer, peggy, "gait_speed", {"course_m": "10", "trials": ["12.5"], "walking_aid": "walker"})
    walk = trainer.get(f"/clients/{peggy}/measures/six_minute_walk").get_data(as_text=True)
    # The hallway's length and unit are not assumed before the first walk (issue 16).
    assert 'value="walker" checked' in walk and 'name="lap_length" value=""' in walk
    assert 'name="length_unit" value="ft" checked' not in walk and 'name="length_unit" value="m" checked' not in walk
    _record(trainer, peggy, "six_minute_walk", {"laps": "9", "length_unit": "ft", "lap_length": "100", "extra": "35",
                                                 "walking_aid": "walker"})
    again = trainer.get(f"/clients/{peggy}/measures/six_minute_walk").get_data(as_text=True)
    assert 'name="length_unit" value="ft" checked' in again and 'name="lap_length" value="100"' in again
    gait = trainer.get(f"/clients/{peggy}/measures/gait_speed").get_data(as_text=True)
    assert 'value="10" checked' in gait and "Baseline 0.80 m/s on" in gait


def test_a_refusal_with_no_place_on_the_screen_shows_above_the_form(app, trainer, peggy):
    response = _record(trainer, peggy, "nprs", {"rating": "3", "observations": ["Shuffling"]})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'<div class="form-error" role="alert"><p>Choose observations from the list</p>', body)
    broken = _record(trainer, peggy, "nprs", {"rating": "3"}, key="not-a-key")
    assert broken.status_code == 422 and "broken result key" in broken.get_data(as_text=True)
    assert _rows(app, peggy) == []


def test_the_trend_page_shows_each_code_with_what_it_codes_and_the_licence_notices(app, trainer, peggy):
    """Issue 16: LOINC's copyright and licence notice (Regenstrief), and the NIH Toolbox notice for the
    grip codes of its panel, wherever the codes are shown."""
    _record(trainer, peggy, "tug", {"trials": ["13.5", "13.7"], "walking_aid": "none"})
    _record(trainer, peggy, "grip", {"unit": "kg", "right": ["20"], "left": ["18"]})
    tug = trainer.get(f"/clients/{peggy}/measures/tug/trend").get_data(as_text=True)
    grip = trainer.get(f"/clients/{peggy}/measures/grip/trend").get_data(as_text=True)

    assert "LOINC 89423-8 (each trial)" in tug
    assert "Regenstrief Institute" in tug and "loinc.org/license" in tug and "NIH Toolbox" not in tug
    assert "83174-3 (right hand), 83173-5 (left hand)" in grip
    assert "Regenstrief Institute" in grip and "NIH Toolbox" in grip and "Northwestern University" in grip


def test_a_100_ft_hallway_is_recorded_in_feet_and_kept_in_metres(app, trainer, peggy):
    """Issue 16: a 100 ft hallway typed as 100 became 100 m; the screen now asks feet or metres."""
    body = _record(trainer, peggy, "six_minute_walk", {"laps": "10", "length_unit": "ft", "lap_length": "100",
                                                       "extra": "50", "walking_aid": "none"}).get_data(as_text=True)
    assert "6-minute walk 320 m" in body  # 1050 ft = 320.04 m
    with app.app_context():
        from metpwa.extensions import db

        row = db.session.scalar(select(OutcomeResult).where(OutcomeResult.measure_key == "six_minute_walk"))
        assert row.raw == {"laps": 10, "length_unit": "ft", "lap_length": 100, "extra": 50}
        assert (row.value, row.unit, row.protocol_version) == (320.0, "m", "six_minute_walk-3")


def test_a_result_saved_before_the_one_rounding_rule_reads_with_todays_rule(app, db, trainer, peggy):
    """Issue 16 ("One threshold rule, one rounding"; old stored results): a TUG of [11.95, 11.95, 11.94]
    saved before wave 1 kept 11.95 s and "12.0 s" (rounded twice) and a LOINC code on the mean. The
    stored row stays as written (locked); it is shown, charted and judged against goals as today's
    rule reads its raw trials (11.9 s), with a line saying what was saved, and LOINC as today assigns it."""
    from metpwa import dbguards
    from metpwa.models import Client
    from metpwa.services import plans

    _record(trainer, peggy, "tug", {"trials": ["11.95", "11.95", "11.94"], "walking_aid": "none"})
    with app.app_context():
        with dbguards.suspended(db.session.connection(), ["outcome_result"]):
            db.session.execute(update(OutcomeResult).where(OutcomeResult.client_id == peggy).values(
                value=11.95, display="12.0 s", loinc_codes={"mean": "89423-8"}))
        db.session.commit()
        assert plans.latest_values(db.session.get(Client, peggy))[("measure", "tug", "na")] == 11.9
    page = trainer.get(f"/clients/{peggy}/measures/tug/trend").get_data(as_text=True)
    assert "11.9 s" in page and "Saved as 12.0 s before the one-rounding rule" in page
    assert "89423-8 (mean)" not in page
    card = trainer.get(f"/clients/{peggy}/measures/card", htmx=True).get_data(as_text=True)
    assert "TUG 11.9 s" in card and "12.0 s" not in card

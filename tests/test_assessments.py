"""Assessments on the tablet: readings checked at the field, normal-range arithmetic shown,
signing locks (in the database too), baseline comparison, addenda, and the scope guard."""

import re

import pytest
from sqlalchemy import exc, select, text, update

from metpwa.models import Assessment, AuditEvent, Client, RomMeasurement


@pytest.fixture
def started(agent, personas, make):
    client_id = make.client_record(personas.practice_id, first="Opal", last="Reyes")
    agent.login(personas.colleague)
    response = agent.post(f"/clients/{client_id}/assessments")
    return client_id, int(response.headers["Location"].rsplit("/", 1)[-1])


def _rom(agent, client_id, assessment_id, degrees, motion="knee.flexion", side="right"):
    return agent.post(f"/clients/{client_id}/assessments/{assessment_id}/rom", htmx=True,
                      data={"motion": motion, "side": side, "mode": "active", "degrees": degrees})


def test_rom_reading_shows_normal_range_and_percent(agent, started):
    client_id, assessment_id = started
    response = _rom(agent, client_id, assessment_id, "95")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="rom-section"' in body and "<html" not in body
    assert "95°" in body and "0–140°" in body and "VA" in body and "68%" in body
    shoulder = _rom(agent, client_id, assessment_id, "110", motion="shoulder.flexion", side="left")
    assert "0–180°" in shoulder.get_data(as_text=True) and "AAOS" in shoulder.get_data(as_text=True)
    assert "61%" in shoulder.get_data(as_text=True)


def test_a_reading_taken_by_mistake_is_removed_from_the_draft(app, agent, started):
    client_id, assessment_id = started
    body = _rom(agent, client_id, assessment_id, "95").get_data(as_text=True)
    action = re.search(r'hx-post="([^"]*/rom/\d+/remove)" hx-target="#rom-section"', body).group(1)
    removed = agent.post(action, htmx=True)
    assert removed.status_code == 200 and 'id="rom-section"' in removed.get_data(as_text=True)
    assert "95°" not in removed.get_data(as_text=True)
    with app.app_context():
        from metpwa.extensions import db

        assert db.session.scalar(select(RomMeasurement).where(RomMeasurement.assessment_id == assessment_id)) is None


@pytest.mark.parametrize("degrees,message", [("400", "between 0 and 160 degrees"), ("ninety", "must be a number"),
                                             ("-5", "between 0 and 160")])
def test_out_of_range_degrees_are_refused_at_the_field_and_kept(app, agent, started, degrees, message):
    client_id, assessment_id = started
    response = _rom(agent, client_id, assessment_id, degrees)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in body and f'value="{degrees}"' in body
    assert 'value="knee.flexion" selected' in body
    with app.app_context():
        from metpwa.extensions import db

        assert db.session.scalar(select(RomMeasurement.id)) is None


def test_knee_extension_lag_is_negative_and_has_no_percentage(agent, started):
    client_id, assessment_id = started
    body = _rom(agent, client_id, assessment_id, "-10", motion="knee.extension").get_data(as_text=True)
    assert "-10°" in body and "straight = 0°" in body


@pytest.mark.parametrize("grade,kg,message", [("5+", "", "5+ and 0- do not exist"), ("", "140", "100"),
                                              ("", "", "Give a muscle test grade")])
def test_strength_input_checks(agent, started, grade, kg, message):
    client_id, assessment_id = started
    response = agent.post(f"/clients/{client_id}/assessments/{assessment_id}/strength", htmx=True,
                          data={"muscle_group": "knee_extensors", "side": "right", "grade": grade, "dynamometer_kg": kg})
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_scope_guard_flags_diagnostic_wording_and_records_an_override(app, agent, started):
    client_id, assessment_id = started
    data = {"region": "knee", "side": "right", "result": "painful",
            "observation": "Meniscus tear, pain on deep squat"}
    refused = agent.post(f"/clients/{client_id}/assessments/{assessment_id}/screen", htmx=True, data=data)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "“tear”" in body and "Keep my wording because" in body
    assert "Meniscus tear, pain on deep squat" in body
    kept = agent.post(f"/clients/{client_id}/assessments/{assessment_id}/screen", htmx=True,
                      data={**data, "observation-keep": "Quoting the surgeon's operative note"})
    assert kept.status_code == 200
    with app.app_context():
        from metpwa.extensions import db

        overrides = db.session.get(Assessment, assessment_id).scope_overrides
    assert overrides[0]["field"] == "observation" and overrides[0]["reason"].startswith("Quoting")
    functional = agent.post(f"/clients/{client_id}/assessments/{assessment_id}/screen", htmx=True, data={
        "region": "knee", "side": "left", "result": "limited", "observation": "knee flexion 95 degrees, difficulty with stairs"})
    assert functional.status_code == 200


def test_a_long_observation_is_refused_at_its_box_not_cut_short(app, agent, started):
    client_id, assessment_id = started
    long = "Reaches overhead to about 110 degrees, then leans back at the trunk. " * 16
    refused = agent.post(f"/clients/{client_id}/assessments/{assessment_id}/screen", htmx=True,
                         data={"region": "shoulder", "side": "right", "result": "limited", "observation": long})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Keep what you saw to 1,000 characters or fewer" in body
    assert long.strip() in body  # what was typed comes back to be shortened
    with app.app_context():
        from metpwa.extensions import db

        assert db.session.get(Assessment, assessment_id).screen == []


def test_inline_check_warns_as_the_trainer_types(agent, started):
    response = agent.post("/scope/check", htmx=True, data={"field": "notes", "notes": "Diagnosed with bursitis"})
    body = response.get_data(as_text=True)
    assert "“Diagnosed”" in body and "“bursitis”" in body and 'name="notes-keep"' in body
    clean = agent.post("/scope/check", htmx=True, data={"field": "notes", "notes": "Tolerated well, RPE 6"})
    assert "scope-alert" not in clean.get_data(as_text=True)


def test_practice_edits_its_word_list(new_agent, personas, make):
    owner = new_agent()
    owner.login(personas.owner)
    assert owner.post("/scope/terms", data={"phrase": "frozen shoulder", "category": "diagnosis",
                                            "suggestion": "Describe shoulder motion in degrees"}).status_code == 303
    owner.post("/scope/terms/default/tear/off")
    trainer = new_agent()
    trainer.login(personas.colleague)
    body = trainer.post("/scope/check", data={"field": "x", "x": "frozen shoulder; small tear"}).get_data(as_text=True)
    assert "“frozen shoulder”" in body and "“tear”" not in body
    assert trainer.post("/scope/terms", data={"phrase": "x", "category": "diagnosis"}).status_code == 403


def test_signing_locks_the_assessment_in_the_app_and_the_database(app, db, agent, started):
    client_id, assessment_id = started
    empty = agent.post(f"/clients/{client_id}/assessments/{assessment_id}/sign")
    assert empty.status_code == 422 and "at least one finding" in empty.get_data(as_text=True)
    _rom(agent, client_id, assessment_id, "95")
    assert agent.post(f"/clients/{client_id}/assessments/{assessment_id}/sign").status_code == 303
    page = agent.get(f"/clients/{client_id}/assessments/{assessment_id}").get_data(as_text=True)
    assert "locked" in page and "Add reading" not in page
    late = _rom(agent, client_id, assessment_id, "100")
    assert late.status_code == 409 and "signed and locked" in late.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Client, client_id).baseline_assessment_id == assessment_id
        for statement in (text("UPDATE assessment SET notes = 'changed'"), update(RomMeasurement).values(degrees=120),
                          text("DELETE FROM rom_measurement"),
                          text("INSERT INTO rom_measurement (practice_id, assessment_id, motion, side, mode, degrees) "
                               "SELECT practice_id, id, 'knee.flexion', 'left', 'active', 90 FROM assessment")):
            with pytest.raises(exc.IntegrityError, match="signed records cannot change"):
                db.session.execute(statement)
            db.session.rollback()


def test_addendum_keeps_the_original_and_is_scope_checked(app, agent, started):
    client_id, assessment_id = started
    _rom(agent, client_id, assessment_id, "95")
    agent.post(f"/clients/{client_id}/assessments/{assessment_id}/sign")
    missing = agent.post(f"/clients/{client_id}/assessments/{assessment_id}/addenda", data={"text": "x"})
    assert missing.status_code == 422 and "Say why" in missing.get_data(as_text=True)
    flagged = agent.post(f"/clients/{client_id}/assessments/{assessment_id}/addenda",
                         data={"reason": "Reading typed on the wrong side", "text": "Prescribe ibuprofen"})
    assert flagged.status_code == 422
    ok = agent.post(f"/clients/{client_id}/assessments/{assessment_id}/addenda",
                    data={"reason": "Reading typed on the wrong side", "text": "The 95° reading is the left knee."})
    assert ok.status_code == 303
    page = agent.get(f"/clients/{client_id}/assessments/{assessment_id}").get_data(as_text=True)
    assert "The 95° reading is the left knee." in page and "95°" in page


def test_reassessment_compared_with_the_baseline(agent, started):
    client_id, baseline_id = started
    _rom(agent, client_id, baseline_id, "95")
    agent.post(f"/clients/{client_id}/assessments/{baseline_id}/strength", htmx=True,
               data={"muscle_group": "knee_extensors", "side": "right", "grade": "3+", "dynamometer_kg": ""})
    agent.post(f"/clients/{client_id}/assessments/{baseline_id}/sign")
    later = int(agent.post(f"/clients/{client_id}/assessments").headers["Location"].rsplit("/", 1)[-1])
    _rom(agent, client_id, later, "118")
    _rom(agent, client_id, later, "92", motion="shoulder.flexion")
    agent.post(f"/clients/{client_id}/assessments/{later}/strength", htmx=True,
               data={"muscle_group": "knee_extensors", "side": "right", "grade": "4", "dynamometer_kg": ""})
    agent.post(f"/clients/{client_id}/assessments/{later}/sign")
    page = agent.get(f"/clients/{client_id}/assessments/{later}/compare").get_data(as_text=True)
    row = re.search(r"<tr class=\"is-improved\"><td>Knee flexion \(right, active\)</td>.*?</tr>", page, re.S)
    assert row and "95°" in row.group(0) and "118°" in row.group(0) and "+23 degrees" in row.group(0)
    assert "▲ improved" in page and "new" in page
    assert re.search(r"Knee extensors \(right\).*?3\+/5.*?4/5.*?\+2 grade steps", page, re.S)


def test_a_grade_and_a_dynamometer_reading_are_not_compared(agent, started):
    """Graded by hand at baseline, measured with a dynamometer later: two scales, so neither
    "unchanged" nor a change, on the tablet and in words for the report."""
    client_id, baseline_id = started
    agent.post(f"/clients/{client_id}/assessments/{baseline_id}/strength", htmx=True,
               data={"muscle_group": "shoulder_flexors", "side": "right", "grade": "4", "dynamometer_kg": ""})
    agent.post(f"/clients/{client_id}/assessments/{baseline_id}/sign")
    later = int(agent.post(f"/clients/{client_id}/assessments").headers["Location"].rsplit("/", 1)[-1])
    agent.post(f"/clients/{client_id}/assessments/{later}/strength", htmx=True,
               data={"muscle_group": "shoulder_flexors", "side": "right", "grade": "", "dynamometer_kg": "12"})
    agent.post(f"/clients/{client_id}/assessments/{later}/sign")
    page = agent.get(f"/clients/{client_id}/assessments/{later}/compare").get_data(as_text=True)
    row = re.search(r"<tr class=\"is-not_comparable\"><td>Shoulder flexors \(right\)</td>.*?</tr>", page, re.S)
    assert row and "4/5" in row.group(0) and "12 kg" in row.group(0)
    assert "not comparable (different method)" in row.group(0) and "unchanged" not in row.group(0)


def test_outsider_and_front_desk_cannot_reach_assessments(new_agent, personas, started):
    client_id, assessment_id = started
    outsider = new_agent()
    outsider.login(personas.outsider)
    assert outsider.get(f"/clients/{client_id}/assessments/{assessment_id}").status_code == 404
    desk = new_agent()
    desk.login(personas.front_desk)
    assert desk.get(f"/clients/{client_id}/assessments/{assessment_id}").status_code == 403
    assert desk.post(f"/clients/{client_id}/assessments").status_code == 403


def test_reads_and_changes_are_audited(app, agent, started):
    client_id, assessment_id = started
    _rom(agent, client_id, assessment_id, "95")
    agent.get(f"/clients/{client_id}/assessments/{assessment_id}")
    with app.app_context():
        from metpwa.extensions import db

        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "Assessment")).all()
    assert {"create", "update", "read"} <= set(actions)

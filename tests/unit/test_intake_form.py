"""The intake questionnaire checks each step without raising, keeps what was typed, finds the answers that call for clearance, summarises for the chart, and the default consents stay in scope."""

import json
import re
import string
from datetime import date

import pytest

from metpwa.rules.intake import (
    StepResult,
    SummaryLine,
    clearance_reasons,
    fall_risk_flags,
    form_values,
    is_complete,
    list_rows,
    merge_step,
    missing_steps,
    next_step,
    requires_clearance,
    summary,
    validate_step,
)
from metpwa.rules.scope_guard import check
from metpwa.standards.consent_texts import DEFAULT_CONSENTS
from metpwa.standards.intake_form import (
    BODY_OUTLINE,
    BODY_REGIONS,
    BODY_VIEWBOX,
    FORM_VERSION,
    PARQ_PLUS_SOURCE,
    QUESTION_BY_KEY,
    READINESS_CLEARANCE_REASONS,
    STEP_BY_KEY,
    STEP_KEYS,
    STEPS,
    Shape,
)

# One complete, valid post per step, as `request.form.to_dict(flat=False)` gives it.
GOOD_FORMS: dict[str, dict[str, list[str]]] = {
    "health_history": {
        "conditions": ["high_blood_pressure", "arthritis", "joint_replacement"],
        "joint_replacement_which": ["Right knee, 2019"],
        "other_conditions": ["My doctor checks my thyroid every year."],
    },
    "surgeries": {
        "had_surgery": ["yes"],
        "surgeries-0-what": ["Right knee replacement"],
        "surgeries-0-year": ["2019"],
        "surgeries-1-what": ["Gallbladder removed"],
        "surgeries-1-year": [""],
    },
    "medications": {
        "takes_medications": ["yes"],
        "medications-0-name": ["Lisinopril"],
        "medications-0-dose": ["10 mg"],
        "medications-0-reason": ["blood pressure"],
        "medications-1-name": ["Metformin"],
        "medications-1-dose": ["500 mg"],
        "medications-1-reason": ["diabetes"],
        # The spare blank row the form offers for one more.
        "medications-2-name": [""],
        "medications-2-dose": [""],
        "medications-2-reason": [""],
    },
    "pain": {
        "has_pain": ["yes"],
        "pain_regions": ["right_knee", "lower_back"],
        "pain_worst": ["6"],
        "pain_worse_with": ["Stairs and getting out of the car"],
    },
    "activity": {
        "activity_level": ["light"],
        "active_days": ["2"],
        "fell_past_year": ["no"],
        "walking_aids": ["cane"],
        "feels_unsteady": ["no"],
        "worried_about_falling": ["no"],
    },
    "goals": {
        "goals": ["climb_stairs", "walk_farther"],
        "goals_own_words": ["Walk my granddaughter to school."],
    },
    "readiness": {question.key: ["no"] for question in STEPS[-1].questions},
}

GOOD_ANSWERS: dict[str, dict] = {
    "health_history": {
        "conditions": ["high_blood_pressure", "arthritis", "joint_replacement"],
        "joint_replacement_which": "Right knee, 2019",
        "other_conditions": "My doctor checks my thyroid every year.",
    },
    "surgeries": {
        "had_surgery": True,
        "surgeries": [{"what": "Right knee replacement", "year": 2019}, {"what": "Gallbladder removed"}],
    },
    "medications": {
        "takes_medications": True,
        "medications": [
            {"name": "Lisinopril", "dose": "10 mg", "reason": "blood pressure"},
            {"name": "Metformin", "dose": "500 mg", "reason": "diabetes"},
        ],
    },
    "pain": {
        "has_pain": True,
        # Stored in the body map's order, whatever order they were tapped in.
        "pain_regions": ["lower_back", "right_knee"],
        "pain_worst": 6,
        "pain_worse_with": "Stairs and getting out of the car",
    },
    "activity": {
        "activity_level": "light",
        "active_days": 2,
        "fell_past_year": False,
        "walking_aids": ["cane"],
        "feels_unsteady": False,
        "worried_about_falling": False,
    },
    "goals": {
        # Stored in the order of the options.
        "goals": ["walk_farther", "climb_stairs"],
        "goals_own_words": "Walk my granddaughter to school.",
    },
    "readiness": {question.key: False for question in STEPS[-1].questions},
}


def all_good_answers() -> dict:
    answers: dict = {}
    for step_answers in GOOD_ANSWERS.values():
        answers.update(step_answers)
    return answers


def post(step_key: str, **changes: list[str] | None) -> StepResult:
    """The good form of a step with some fields changed (None removes a field)."""
    form = dict(GOOD_FORMS[step_key])
    for key, value in changes.items():
        if value is None:
            form.pop(key, None)
        else:
            form[key] = value
    return validate_step(step_key, form)


# The questionnaire definition


def test_version_and_step_order():
    assert FORM_VERSION == "2026.1"
    assert STEP_KEYS == ("health_history", "surgeries", "medications", "pain", "activity", "goals", "readiness")
    assert set(GOOD_FORMS) == set(STEP_KEYS)


def test_question_keys_are_unique_and_safe_in_row_names():
    keys = [question.key for step in STEPS for question in step.questions]
    assert len(keys) == len(set(keys)) == len(QUESTION_BY_KEY)
    # A "-" in a key would make `<question>-<n>-<field>` ambiguous.
    assert all(re.fullmatch(r"[a-z][a-z_]*", key) for key in keys)


@pytest.mark.parametrize("step", STEPS, ids=lambda step: step.key)
def test_every_question_is_well_formed(step):
    seen: set[str] = set()
    for question in step.questions:
        if question.show_if:
            # The parent is earlier on the same screen, so the page can show or hide the follow-up.
            parent_key, value = question.show_if
            assert parent_key in seen, question.key
            parent = QUESTION_BY_KEY[parent_key]
            if parent.kind == "yes_no":
                assert value is True
            else:
                assert value in {option.value for option in parent.options}
        if question.kind in ("choice", "multi"):
            assert question.options and len({o.value for o in question.options}) == len(question.options)
        else:
            assert not question.options
        if question.kind in ("number", "scale"):
            assert question.minimum is not None and question.maximum is not None
            assert question.minimum < question.maximum
        if question.kind == "scale":
            assert (question.minimum, question.maximum) == (0, 10)
        if question.kind == "list":
            assert question.item_fields and question.max_items > 0
            assert any(item.required for item in question.item_fields)
        else:
            assert not question.item_fields and question.max_items == 0
        seen.add(question.key)
    # Every step has something required, so a step left untouched is never "complete".
    assert any(q.required and not q.show_if for q in step.questions) or step.at_least_one


def test_readiness_screen_is_seven_required_yes_no_questions_each_with_a_reason():
    readiness = STEPS[-1]
    assert len(readiness.questions) == 7
    assert all(q.kind == "yes_no" and q.required and not q.show_if for q in readiness.questions)
    assert list(READINESS_CLEARANCE_REASONS) == [q.key for q in readiness.questions]


def test_body_regions_fit_the_box_and_never_overlap_in_a_view():
    keys = [region.key for region in BODY_REGIONS]
    assert len(keys) == len(set(keys)) == 17
    assert {region.view for region in BODY_REGIONS} == {"front", "back"}
    _, _, width, height = BODY_VIEWBOX

    def inside(shape: Shape) -> bool:
        return 0 <= shape.x and 0 <= shape.y and shape.x + shape.w <= width and shape.y + shape.h <= height

    assert all(inside(region.shape) for region in BODY_REGIONS)
    assert all(inside(shape) for shape in BODY_OUTLINE)
    for view in ("front", "back"):
        shapes = [region.shape for region in BODY_REGIONS if region.view == view]
        for i, a in enumerate(shapes):
            for b in shapes[i + 1 :]:
                apart = a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y or b.y + b.h <= a.y
                assert apart, (a, b)


def test_front_view_draws_the_right_side_on_the_left():
    by_key = {region.key: region for region in BODY_REGIONS}
    for part in ("shoulder", "elbow", "wrist_hand", "hip", "knee", "ankle_foot"):
        assert by_key[f"right_{part}"].shape.x < by_key[f"left_{part}"].shape.x


# Validating a step


@pytest.mark.parametrize("step_key", STEP_KEYS)
def test_every_step_accepts_a_good_answer_set(step_key):
    result = validate_step(step_key, GOOD_FORMS[step_key])
    assert result.ok, result.errors
    assert result.answers == GOOD_ANSWERS[step_key]
    assert result.step_key == step_key
    # Stored as JSON: the answers survive the round trip unchanged.
    assert json.loads(json.dumps(result.answers)) == result.answers


def test_answers_are_typed():
    answers = validate_step("activity", GOOD_FORMS["activity"]).answers
    assert answers["fell_past_year"] is False
    assert type(answers["active_days"]) is int
    assert answers["walking_aids"] == ["cane"]
    assert validate_step("pain", GOOD_FORMS["pain"]).answers["pain_worst"] == 6


def test_only_the_steps_own_fields_are_read_and_kept():
    result = post("goals", csrf_token=["abc"], active_days=["3"])
    assert result.ok
    assert set(result.answers) == {"goals", "goals_own_words"}
    assert set(result.raw) == {"goals", "goals_own_words"}


def test_unknown_step_is_a_key_error_for_the_route():
    with pytest.raises(KeyError):
        validate_step("billing", {})


@pytest.mark.parametrize("value", ["maybe", "Y", "true", "1"])
def test_yes_no_takes_only_yes_or_no(value):
    result = post("activity", feels_unsteady=[value])
    assert result.errors == {"feels_unsteady": "Please answer yes or no."}
    assert "feels_unsteady" not in result.answers
    assert result.raw["feels_unsteady"] == [value]


def test_yes_no_ignores_case_and_spaces():
    assert post("activity", feels_unsteady=[" YES "]).answers["feels_unsteady"] is True


@pytest.mark.parametrize("value", ["8", "-1", "three", "2.5", "1e3", "٣", "9" * 5000, "1_0", "+3"])
def test_a_number_out_of_range_or_not_a_number_gets_a_message(value):
    result = post("activity", active_days=[value])
    assert result.errors == {"active_days": "Enter a number from 0 to 7."}
    assert result.raw["active_days"] == [value]


@pytest.mark.parametrize("value", ["0", "7", " 3 "])
def test_numbers_at_and_inside_the_limits_pass(value):
    assert post("activity", active_days=[value]).answers["active_days"] == int(value)


def test_the_pain_scale_runs_from_0_to_10():
    assert post("pain", pain_worst=["0"]).answers["pain_worst"] == 0
    assert post("pain", pain_worst=["11"]).errors == {"pain_worst": "Tap a number from 0 to 10."}
    assert post("pain", pain_worst=None).errors == {"pain_worst": "Tap a number from 0 to 10."}


def test_an_unknown_choice_gets_a_message():
    result = post("activity", activity_level=["marathoner"])
    assert result.errors == {"activity_level": "Please choose one of the answers shown."}


def test_an_unknown_option_in_a_multi_gets_a_message():
    result = post("goals", goals=["climb_stairs", "fly"])
    assert result.errors == {"goals": "Please choose from the answers shown."}
    assert result.raw["goals"] == ["climb_stairs", "fly"]


def test_none_of_these_stands_alone():
    assert post("health_history", conditions=["none"]).answers["conditions"] == ["none"]
    result = post("health_history", conditions=["none", "diabetes"])
    assert result.errors == {"conditions": "Choose “None of these” or the answers that apply, not both."}
    result = post("activity", walking_aids=["none", "cane"])
    assert result.errors == {"walking_aids": "Choose “No, nothing” or the answers that apply, not both."}


def test_repeated_choices_are_stored_once():
    assert post("goals", goals=["balance", "balance"]).answers["goals"] == ["balance"]


def test_an_empty_post_asks_for_every_required_answer_without_raising():
    errors = validate_step("activity", {}).errors
    assert errors == {
        "activity_level": "Please choose an answer.",
        "active_days": "Enter a number from 0 to 7.",
        "fell_past_year": "Please answer yes or no.",
        "walking_aids": "Please choose at least one answer.",
        "feels_unsteady": "Please answer yes or no.",
        "worried_about_falling": "Please answer yes or no.",
    }
    assert validate_step("health_history", {}).errors == {"conditions": "Please choose at least one answer."}
    assert validate_step("medications", {}).errors == {"takes_medications": "Please answer yes or no."}


@pytest.mark.parametrize("step_key", STEP_KEYS)
def test_no_step_raises_on_junk(step_key):
    junk = {key: ["\x00", "x" * 3000, "-1", "none"] for key in GOOD_FORMS[step_key]}
    result = validate_step(step_key, junk)
    assert isinstance(result, StepResult)
    assert result.errors


def test_a_plain_string_value_is_one_value_not_letters():
    result = validate_step("activity", {**GOOD_FORMS["activity"], "feels_unsteady": "yes"})
    assert result.answers["feels_unsteady"] is True


def test_a_list_row_with_a_dose_but_no_name_gets_a_message_at_that_box():
    result = post("medications", **{"medications-2-dose": ["5 mg"]})
    assert result.errors == {"medications-2-name": "Please fill in the medicine name, or clear this row."}
    assert "medications" not in result.answers
    # The form can be shown again with every row as typed.
    rows = dict(list_rows(result.raw, "medications"))
    assert rows[2] == {"name": "", "dose": "5 mg", "reason": ""}
    assert rows[0]["name"] == "Lisinopril"


def test_list_rows_keep_their_order_and_drop_blank_rows():
    form = {
        "takes_medications": ["yes"],
        "medications-10-name": ["Vitamin D"],
        "medications-2-name": ["Aspirin"],
        "medications-5-name": ["  "],
        "medications-x-name": ["ignored"],
        "medications-2-colour": ["ignored"],
    }
    result = validate_step("medications", form)
    assert result.answers["medications"] == [{"name": "Aspirin"}, {"name": "Vitamin D"}]
    assert set(result.raw) == {"takes_medications", "medications-10-name", "medications-2-name", "medications-5-name"}


def test_a_required_list_needs_a_row():
    result = validate_step("surgeries", {"had_surgery": ["yes"], "surgeries-0-what": [""]})
    assert result.errors == {"surgeries": "Please add at least one, or answer no above."}


def test_a_list_has_a_maximum_number_of_rows():
    form = {"had_surgery": ["yes"], **{f"surgeries-{n}-what": [f"Operation {n}"] for n in range(16)}}
    assert validate_step("surgeries", form).errors == {"surgeries": "Please list no more than 15."}


@pytest.mark.parametrize("year", ["1899", "19", "twenty", str(date.today().year + 1)])
def test_a_surgery_year_must_be_a_real_past_year(year):
    result = post("surgeries", **{"surgeries-0-year": [year]})
    assert list(result.errors) == ["surgeries-0-year"]
    assert result.errors["surgeries-0-year"].startswith("Enter a year from 1900 to ")


def test_text_is_trimmed_to_one_line_and_has_a_length_limit():
    result = post("pain", pain_worse_with=["  Stairs,\r\n\tand\x00 kneeling  "])
    assert result.answers["pain_worse_with"] == "Stairs, and kneeling"
    assert post("pain", pain_worse_with=["x" * 201]).errors == {
        "pain_worse_with": "Please keep this to 200 characters or fewer."
    }
    long_text = post("goals", goals_own_words=["Line one\r\nLine two\x07"]).answers["goals_own_words"]
    assert long_text == "Line one\nLine two"


def test_a_body_map_refuses_an_unknown_region():
    result = post("pain", pain_regions=["right_knee", "tail"])
    assert result.errors == {"pain_regions": "Please choose places from the body outline."}
    assert result.raw["pain_regions"] == ["right_knee", "tail"]


def test_a_body_map_needs_a_region_when_there_is_pain():
    assert post("pain", pain_regions=None).errors == {"pain_regions": "Please tap at least one place on the body."}


def test_goals_need_at_least_one_goal_either_way():
    assert post("goals", goals=None, goals_own_words=[" "]).errors == {"goals": "Add at least one goal."}
    assert post("goals", goals=None).ok
    assert post("goals", goals_own_words=None).ok


# Follow-ups shown only when another answer asks for them


def test_follow_ups_are_ignored_when_the_parent_answer_says_no():
    result = post("activity", fell_past_year=["no"], fall_count=["abc"], fall_injured=["maybe"])
    assert result.ok
    assert "fall_count" not in result.answers and "fall_injured" not in result.answers
    # Still in raw: if the client switches back to yes, what they typed is there.
    assert result.raw["fall_count"] == ["abc"]

    result = post("medications", takes_medications=["no"])
    assert result.ok and result.answers == {"takes_medications": False}

    result = post("pain", has_pain=["no"])
    assert result.ok and result.answers == {"has_pain": False}


def test_follow_ups_are_required_when_the_parent_answer_asks_for_them():
    result = post("activity", fell_past_year=["yes"])
    assert result.errors == {
        "fall_count": "Enter a number from 1 to 50.",
        "fall_injured": "Please answer yes or no.",
    }
    result = post("activity", fell_past_year=["yes"], fall_count=["2"], fall_injured=["no"])
    assert result.ok and result.answers["fall_count"] == 2


def test_a_follow_up_of_a_multi_answer():
    assert post("activity", walking_aids=["cane", "other"]).errors == {"walking_aid_other": "Please fill this in."}
    result = post("activity", walking_aids=["other"], walking_aid_other=["A shopping cart"])
    assert result.answers["walking_aid_other"] == "A shopping cart"
    result = post("health_history", conditions=["pregnancy"], pregnancy_weeks=["20"])
    assert result.answers["pregnancy_weeks"] == 20
    assert "joint_replacement_which" not in result.answers


def test_a_parent_with_an_error_hides_its_follow_ups_until_fixed():
    result = post("activity", fell_past_year=["perhaps"], fall_count=["3"])
    assert result.errors == {"fell_past_year": "Please answer yes or no."}


def test_merging_a_step_drops_follow_ups_the_new_answer_no_longer_asks_for():
    stored = all_good_answers() | {"fell_past_year": True, "fall_count": 3, "fall_injured": False}
    result = post("activity", fell_past_year=["no"])
    merged = merge_step(stored, result)
    assert "fall_count" not in merged and "fall_injured" not in merged
    assert merged["fell_past_year"] is False
    assert merged["medications"] == stored["medications"]


def test_stored_answers_come_back_as_the_form_that_produced_them():
    for step_key in STEP_KEYS:
        values = form_values(step_key, GOOD_ANSWERS[step_key])
        assert validate_step(step_key, values).answers == GOOD_ANSWERS[step_key]
    assert form_values("surgeries", GOOD_ANSWERS["surgeries"]) == {
        "had_surgery": ["yes"],
        "surgeries-0-what": ["Right knee replacement"],
        "surgeries-0-year": ["2019"],
        "surgeries-1-what": ["Gallbladder removed"],
    }


# Completeness


def test_an_empty_intake_misses_every_step():
    assert missing_steps({}) == list(STEP_KEYS)
    assert next_step({}) == "health_history"
    assert not is_complete({})


def test_steps_are_done_in_any_order_and_the_first_gap_is_next():
    answers = GOOD_ANSWERS["health_history"] | GOOD_ANSWERS["pain"] | GOOD_ANSWERS["readiness"]
    assert missing_steps(answers) == ["surgeries", "medications", "activity", "goals"]
    assert next_step(answers) == "surgeries"


def test_a_full_intake_is_complete_after_a_json_round_trip():
    answers = json.loads(json.dumps(all_good_answers()))
    assert missing_steps(answers) == []
    assert next_step(answers) is None
    assert is_complete(answers)


def test_a_missing_follow_up_or_a_corrupt_value_leaves_its_step_incomplete():
    answers = all_good_answers() | {"fell_past_year": True}
    assert missing_steps(answers) == ["activity"]
    answers = all_good_answers() | {"active_days": "lots", "readiness_heart": 1}
    assert missing_steps(answers) == ["activity", "readiness"]


# Medical clearance


def test_no_readiness_yes_and_no_listed_condition_needs_no_clearance():
    answers = all_good_answers()
    assert clearance_reasons(answers) == []
    assert not requires_clearance(answers)
    assert fall_risk_flags(answers) == []


@pytest.mark.parametrize("key", list(READINESS_CLEARANCE_REASONS))
def test_each_readiness_yes_gives_its_own_reason(key):
    answers = all_good_answers() | {key: True}
    assert clearance_reasons(answers) == [READINESS_CLEARANCE_REASONS[key]]
    assert requires_clearance(answers)


def test_every_readiness_yes_is_listed_in_screen_order():
    answers = all_good_answers() | {key: True for key in READINESS_CLEARANCE_REASONS}
    assert clearance_reasons(answers) == list(READINESS_CLEARANCE_REASONS.values())


@pytest.mark.parametrize(
    ("condition", "start"),
    [
        ("heart_disease", "Health history lists heart disease"),
        ("stroke", "Health history lists a stroke or TIA"),
        ("diabetes", "Health history lists diabetes"),
        ("kidney_disease", "Health history lists kidney disease"),
        ("pregnancy", "Health history lists a current pregnancy"),
    ],
)
def test_a_listed_condition_needs_clearance_even_when_the_readiness_screen_says_no(condition, start):
    answers = all_good_answers() | {"conditions": [condition]}
    [reason] = clearance_reasons(answers)
    assert reason.startswith(start)


def test_conditions_that_need_no_clearance_on_their_own():
    answers = all_good_answers() | {"conditions": ["high_blood_pressure", "arthritis", "osteoporosis", "lung_disease"]}
    assert clearance_reasons(answers) == []


def test_two_falls_need_clearance():
    answers = all_good_answers() | {"fell_past_year": True, "fall_count": 2, "fall_injured": False}
    assert clearance_reasons(answers) == [
        "2 falls in the past 12 months: two or more call for a clinician's multifactorial"
        " fall-risk assessment (World Falls Guidelines 2022; AGS/BGS 2010)."
    ]


def test_a_fall_with_injury_needs_clearance():
    answers = all_good_answers() | {"fell_past_year": True, "fall_count": 1, "fall_injured": True}
    [reason] = clearance_reasons(answers)
    assert reason.startswith("Hurt, or unable to get up, after a fall")


def test_one_fall_with_unsteadiness_is_a_fall_risk_flag_not_a_clearance():
    answers = all_good_answers() | {
        "fell_past_year": True,
        "fall_count": 1,
        "fall_injured": False,
        "feels_unsteady": True,
    }
    assert not requires_clearance(answers)
    assert fall_risk_flags(answers) == [
        "Fall-risk screen positive (CDC STEADI key questions: fell in the past 12 months, feels unsteady"
        " standing or walking): assess gait, strength and balance (TUG, 30-second chair stand, 4-stage"
        " balance) at the first assessment."
    ]


def test_worry_alone_screens_positive_and_clearance_keeps_the_flag():
    assert len(fall_risk_flags(all_good_answers() | {"worried_about_falling": True})) == 1
    answers = all_good_answers() | {"fell_past_year": True, "fall_count": 4, "fall_injured": False}
    assert requires_clearance(answers) and len(fall_risk_flags(answers)) == 1


def test_a_stale_fall_count_is_not_counted():
    answers = all_good_answers() | {"fell_past_year": False, "fall_count": 5, "fall_injured": True}
    assert clearance_reasons(answers) == []


# Summary for the chart and the PDF


def test_summary_reads_as_plain_text():
    lines = summary(all_good_answers())
    by_label = {line.label: line for line in lines}
    assert by_label["Medications"] == SummaryLine(
        "Medicines", "Medications", "Lisinopril 10 mg (blood pressure); Metformin 500 mg (diabetes)"
    )
    assert by_label["Surgeries and hospital stays"].text == "Right knee replacement (2019); Gallbladder removed"
    assert by_label["Conditions"].text == "High blood pressure; Arthritis; A joint replacement"
    assert by_label["Where"].text == "Lower back; Right knee"
    assert by_label["Worst pain in the past week"].text == "6/10"
    assert by_label["Days a week with 30 minutes of activity"].text == "2"
    assert by_label["Activity level"].text == "I move around the house and run errands"
    assert by_label["Fell in the past 12 months"].text == "No"
    assert by_label["In the client's words"].text == "Walk my granddaughter to school."
    assert by_label["Heart problem or high blood pressure found by a doctor"].section == "Exercise readiness"
    # Form order, section by section.
    assert [line.section for line in lines] == sorted(
        (line.section for line in lines), key=[step.title for step in STEPS].index
    )


def test_summary_leaves_out_unanswered_questions_and_follow_ups_that_no_longer_apply():
    answers = all_good_answers() | {
        "takes_medications": False,
        "has_pain": False,
        "pain_worst": 7,
        "fall_count": 3,
        "pregnancy_weeks": 12,
    }
    del answers["goals_own_words"]
    labels = {line.label for line in summary(answers)}
    assert "Takes medicines" in labels and "Pain now or most days" in labels
    for absent in ("Medications", "Where", "Worst pain in the past week", "Falls in the past 12 months",
                   "Weeks pregnant", "In the client's words", "Other walking aid"):
        assert absent not in labels


def test_summary_of_nothing_is_empty():
    assert summary({}) == []


# Default consent documents

CONSENT_KEYS = ("informed_consent", "liability_waiver", "privacy_notice", "financial")

# The guard is written for notes. A consent must still name exercise's rare risks and, for the
# financial one, the billing it is about; since issue 16 the guard flags medical conditions and
# billing words, so those known flags are listed here. No other flag is allowed. Saying what the
# trainer does not do ("does not diagnose or treat") is a plain negation and no longer flags.
_RARE_RISK = [("heart or lung condition", "heart attack")]
EXPECTED_SCOPE_FLAGS = {
    "informed_consent": _RARE_RISK,
    "liability_waiver": _RARE_RISK,
    "financial": [("billed", "billing")],
}


def test_the_four_default_consents():
    assert tuple(consent.key for consent in DEFAULT_CONSENTS) == CONSENT_KEYS
    required = {consent.key: consent.required for consent in DEFAULT_CONSENTS}
    # A client may decline to acknowledge the privacy notice without losing services.
    assert required == {"informed_consent": True, "liability_waiver": True, "privacy_notice": False, "financial": True}


@pytest.mark.parametrize("consent", DEFAULT_CONSENTS, ids=lambda consent: consent.key)
def test_a_consent_has_only_the_practice_name_placeholder(consent):
    fields = {name for _, name, _, _ in string.Formatter().parse(consent.body) if name is not None}
    assert fields == {"practice_name"}
    text = consent.body.format(practice_name="Riverside Medical Exercise")
    assert "Riverside Medical Exercise" in text
    assert "{" not in text and "}" not in text
    assert "{" not in consent.title


@pytest.mark.parametrize("consent", DEFAULT_CONSENTS, ids=lambda consent: consent.key)
def test_a_consent_is_short_plain_and_laid_out_in_blocks(consent):
    words = re.findall(r"[A-Za-z’']+", consent.body)
    assert 150 <= len(words) <= 450
    blocks = consent.body.split("\n\n")
    assert all(block == block.strip() and block and "\n" not in block for block in blocks)
    small_words = {"a", "an", "and", "for", "of", "the", "to", "or", "not", "is"}
    for block in blocks:
        if block[-1] not in ".?!:":
            heading_words = block.split()
            assert len(heading_words) <= 8, block
            assert all(word[0].isupper() or word in small_words for word in heading_words), block
            assert heading_words[0][0].isupper(), block
    sentences = [s for s in re.split(r"(?<=[.?!])\s+", consent.body) if s.strip()]
    # Short sentences are most of what an 8th-grade reading level takes.
    assert len(words) / len(sentences) < 18


@pytest.mark.parametrize("consent", DEFAULT_CONSENTS, ids=lambda consent: consent.key)
def test_a_consent_stays_within_scope_of_practice(consent):
    text = consent.body.format(practice_name="Riverside Medical Exercise")
    flags = [(flag.term, flag.matched) for flag in check(f"{consent.title}\n\n{text}")]
    assert flags == EXPECTED_SCOPE_FLAGS.get(consent.key, [])


def test_the_informed_consent_says_what_the_trainer_is_not():
    body = DEFAULT_CONSENTS[0].body
    assert "does not diagnose or treat medical conditions" in body
    assert "not a physical therapist" in body


def test_the_readiness_screen_cites_the_par_q_plus_and_says_it_is_adapted():
    """Issue 16: the screen is built on the PAR-Q+ general health questions (PAR-Q+ Collaboration;
    Warburton 2011) in our own words, so it names its source and says it is not the PAR-Q+ itself."""
    readiness = STEP_BY_KEY["readiness"]
    assert readiness.source == PARQ_PLUS_SOURCE
    assert PARQ_PLUS_SOURCE.startswith("Adapted from") and "PAR-Q+ Collaboration" in PARQ_PLUS_SOURCE
    assert "Warburton DER et al. 2011" in PARQ_PLUS_SOURCE and "It is not the PAR-Q+" in PARQ_PLUS_SOURCE
    assert "PAR-Q+" in readiness.intro and "in our own words" in readiness.intro

"""Unit tests for outcome-measure scoring and interpretation, run against the data tables without an app."""

import re
from datetime import date

import pytest

from metpwa.rules.outcomes import (
    MeasureInputError,
    Score,
    age_on,
    goal_reached,
    interpret,
    loinc_notices,
    loinc_observations,
    score,
    short_date,
)
from metpwa.rules.plan import GoalDraft, goal_status
from metpwa.rules.thresholds import as_shown, mean_as_shown, meets, places_of
from metpwa.standards.measures import (
    CDC_STEADI_CHAIR_STAND,
    CHAIR_STAND_BELOW_AVERAGE,
    GRIP_NORMS,
    KG_PER_LB,
    LOINC_NOTICE,
    M_PER_FT,
    MEASURES,
    NIH_TOOLBOX_NOTICE,
    TUG_AGE_MEANS,
    ChairStandBelowAverage,
    ChangeThreshold,
    FallRiskCutoff,
    GripNorm,
    MeasureDefinition,
    TugAgeMean,
)
from metpwa.standards.questionnaires import BERG_QUESTIONNAIRE, LEFS_QUESTIONNAIRE, QUESTIONNAIRES

MARCH_3 = date(2025, 3, 3)
JUNE_2 = date(2025, 6, 2)


def _tug(*trials: float) -> Score:
    return score("tug", {"trials": list(trials)})


def _berg_items(total: int) -> list[int]:
    items = [4] * (total // 4) + ([total % 4] if total % 4 else [])
    return items + [0] * (14 - len(items))


def _gait(speed: float) -> Score:
    result = score("gait_speed", {"course_m": 4, "trials": [round(4 / speed, 3)]})
    assert result.value == speed
    return result


def _plain(measure: MeasureDefinition, value: float) -> Score:
    """A score at an exact value, for rules that read only the numbers."""
    if measure.key == "grip":
        return Score(measure.key, value, "kg", f"right {value} kg", right_kg=value, right_lb=value / KG_PER_LB)
    return Score(measure.key, value, measure.unit, measure.value_format.format(value))


# --- The examples from issue 6 ------------------------------------------------


def test_a_72_year_olds_tug_of_13_6_s_is_flagged_for_fall_risk():
    age = age_on(date(1952, 5, 1), date(2025, 3, 3))
    result = interpret("tug", _tug(13.6), age=age, sex="female")

    assert age == 72
    assert result.at_fall_risk
    assert {flag.cutoff.threshold for flag in result.fall_risk_flags} == {12.0, 13.5}
    assert result.sentence == ("TUG 13.6 s; slower than the norm for ages 70-79 (over its 10.2 s upper 95% confidence"
                               " limit; mean 9.2 s); at fall risk by the CDC STEADI cut-off (at risk: 12 s or slower).")


def test_a_tug_shown_as_12_0_s_is_judged_as_12_0_s_not_as_its_hundredths():
    result = interpret("tug", _tug(11.94, 11.98, 11.96), age=72, sex="female")

    # The mean, 11.96 s, is kept as it is shown: one rounding, to the tenth.
    assert result.score.value == 12.0
    assert result.at_fall_risk
    assert result.sentence == ("TUG 12.0 s; slower than the norm for ages 70-79 (over its 10.2 s upper 95%"
                               " confidence limit; mean 9.2 s); at fall risk by the CDC STEADI cut-off (at risk: 12 s or"
                               " slower).")
    assert "12.0 s: below" not in " ".join(flag.text for flag in result.fall_risk_flags)


@pytest.mark.parametrize(("trials", "shown", "phrase"), [
    ((11.9, 12.0), "TUG 12.0 s", "at fall risk by the CDC STEADI cut-off"),  # 11.95: half up, not 11.9
    ((10.2, 10.3), "TUG 10.3 s", "slower than the norm for ages 70-79"),  # 10.25: half up, not to even
])
def test_a_result_is_shown_and_judged_rounded_the_same_way(trials, shown, phrase):
    result = interpret("tug", _tug(*trials), age=72, sex="female")

    assert result.sentence.startswith(shown + ";") and phrase in result.sentence


def test_a_change_is_judged_as_it_is_shown():
    """10.06 s to 8.99 s shows as 10.1 s to 9.0 s: a 1.1 s change, which meets the 1.1 s MDC."""
    result = interpret("tug", _tug(8.99), age=72, sex="female", baseline=_tug(10.06))

    assert "improved from 10.1 s to 9.0 s" in result.sentence
    assert "equal to the 1.1 s minimal detectable change" in result.sentence and result.meaningful_change


def test_barry_cut_off_carries_its_never_alone_caution():
    result = interpret("tug", _tug(13.6), age=72, sex="male")
    barry = next(flag for flag in result.fall_risk_flags if flag.cutoff.threshold == 13.5)

    assert not barry.cutoff.use_alone
    assert "never use it alone" in barry.text


def test_tug_between_the_two_cut_offs_is_flagged_by_steadi_only():
    result = interpret("tug", _tug(12.5), age=72, sex="male")

    assert [flag.cutoff.threshold for flag in result.fall_risk_flags] == [12.0]
    assert result.at_fall_risk


def test_tug_from_20_to_14_s_is_a_meaningful_change_with_a_reusable_sentence():
    result = interpret(
        "tug",
        _tug(14.0),
        age=72,
        sex="female",
        baseline=_tug(20.0),
        baseline_date=MARCH_3,
        result_date=JUNE_2,
    )

    (change,) = result.changes
    assert change.direction == "improved"
    assert change.difference == -6.0
    assert change.meaningful
    assert result.meaningful_change
    assert result.sentence == (
        "TUG improved from 20.0 s to 14.0 s since Mar 3; the change is larger than the 1.1 s"
        " minimal detectable change; still at fall risk by the CDC STEADI cut-off (at risk: 12 s or slower)."
    )


def test_baseline_date_gets_its_year_when_it_differs_from_the_result():
    result = interpret(
        "tug", _tug(11.0), age=72, sex="female", baseline=_tug(13.0),
        baseline_date=date(2024, 11, 5), result_date=date(2025, 1, 10),
    )

    assert result.sentence == (
        "TUG improved from 13.0 s to 11.0 s since Nov 5, 2024; the change is larger than the 1.1 s"
        " minimal detectable change; no longer at fall risk by the CDC STEADI cut-off (at risk: 12 s or"
        " slower)."
    )


def test_slower_tug_is_a_decline_and_a_small_change_may_be_noise():
    declined = interpret("tug", _tug(14.0), age=72, sex="male", baseline=_tug(12.0))
    small = interpret("tug", _tug(11.5), age=72, sex="male", baseline=_tug(12.0))

    assert declined.changes[0].direction == "declined"
    assert declined.changes[0].meaningful
    assert "since baseline" in declined.sentence
    assert not small.changes[0].meaningful
    assert "smaller than the 1.1 s minimal detectable change, so it may be measurement variation" in small.sentence


def test_tug_score_is_the_mean_of_the_trials_rounded_once_to_the_tenth_it_is_shown_at():
    result = _tug(10.004, 10.0, 11.0)

    assert result.value == 10.3
    assert result.display == "10.3 s"
    assert result.trials_s == (10.004, 10.0, 11.0)


def test_a_66_year_old_woman_with_10_chair_stands_is_below_average_so_at_fall_risk_cdc_steadi():
    """CDC STEADI 30-Second Chair Stand form: a below-average score indicates a risk for falls, so it is
    a fall-risk finding like TUG's (issue 16): flagged, in the sentence, and on the result's badge."""
    result = interpret("chair_stand_30s", score("chair_stand_30s", {"count": 10}), age=66, sex="female")

    (norm,) = result.norms
    assert norm.worse_than_norm
    assert result.at_fall_risk
    (flag,) = result.fall_risk_flags
    assert (flag.cutoff.threshold, flag.cutoff.at_risk_if, flag.cutoff.source) == (11, "below", CDC_STEADI_CHAIR_STAND)
    assert flag.text == ("Chair stand 10 stands: at fall risk by the CDC STEADI cut-off (at risk: under 11 stands,"
                         " below average for women aged 65-69)")
    assert result.sentence == ("Chair stand 10 stands; at fall risk by the CDC STEADI cut-off (at risk: under 11"
                               " stands, below average for women aged 65-69).")


def test_a_chair_stand_at_the_average_is_not_at_fall_risk_and_arms_used_is():
    at_average = interpret("chair_stand_30s", score("chair_stand_30s", {"count": 11}), age=66, sex="female")
    arms = interpret("chair_stand_30s", score("chair_stand_30s", {"count": 14, "arms_used": True}), age=66,
                     sex="female")

    assert not at_average.at_fall_risk and at_average.fall_risk_flags == ()
    assert at_average.sentence.endswith("; not at fall risk by the CDC STEADI cut-off (at risk: under 11 stands,"
                                        " below average for women aged 65-69).")
    assert arms.at_fall_risk


def test_a_later_chair_stand_says_the_client_is_no_longer_at_fall_risk():
    result = interpret("chair_stand_30s", score("chair_stand_30s", {"count": 12}), age=66, sex="female",
                       baseline=score("chair_stand_30s", {"count": 9}))

    assert not result.at_fall_risk
    assert "; no longer at fall risk by the CDC STEADI cut-off (at risk: under 11 stands" in result.sentence


@pytest.mark.parametrize(("age", "sex"), [(66, None), (66, "unknown"), (59, "female"), (95, "male")])
def test_a_chair_stand_without_a_norm_row_has_no_fall_risk_reading(age, sex):
    result = interpret("chair_stand_30s", score("chair_stand_30s", {"count": 3}), age=age, sex=sex)

    assert not result.at_fall_risk and "fall risk" not in result.sentence


def test_chair_stand_with_arms_used_scores_zero():
    result = score("chair_stand_30s", {"count": 12, "arms_used": True})

    assert result.value == 0
    assert result.arms_used
    assert result.display == "0 stands (arms used)"


def test_chair_stand_without_a_known_sex_has_no_norm():
    result = interpret("chair_stand_30s", score("chair_stand_30s", {"count": 10}), age=66, sex="unknown")

    assert result.norms == ()


def test_chair_stand_change_is_reported_without_a_threshold():
    result = interpret(
        "chair_stand_30s", score("chair_stand_30s", {"count": 12}), age=66, sex="female",
        baseline=score("chair_stand_30s", {"count": 9}),
    )

    assert not result.meaningful_change
    assert "no minimal detectable or clinically important change is on file" in result.sentence


def test_grip_is_the_mean_per_hand_in_kg_and_lb():
    result = score("grip", {"unit": "kg", "right": [20, 22, 24], "left": [18, 19]})

    assert (result.right_kg, result.left_kg) == (22.0, 18.5)
    assert result.right_lb == round(22.0 / KG_PER_LB, 2) == 48.5
    assert result.value == 22.0
    assert result.display == "right 22.0 kg, left 18.5 kg"


def test_grip_entered_in_pounds_is_converted_to_kg():
    result = score("grip", {"unit": "lb", "right": [50, 52, 54]})

    assert result.right_lb == 52.0
    # 52 lb is 23.587 kg: kept as shown, to the tenth.
    assert result.right_kg == round(52.0 * KG_PER_LB, 1) == 23.6
    assert result.left_kg is None


def test_grip_is_compared_with_mathiowetz_for_each_hand():
    result = interpret(
        "grip", score("grip", {"unit": "lb", "right": [45.0], "left": [41.0]}), age=67, sex="female"
    )

    right, left = result.norms
    assert (right.hand, right.reference, right.worse_than_norm) == ("right", 49.6, True)
    assert (left.hand, left.reference, left.worse_than_norm) == ("left", 41.0, False)
    assert right.text == "right hand 91% of the 49.6 lb mean for women aged 65-69"


def test_grip_change_is_judged_hand_by_hand():
    baseline = score("grip", {"unit": "kg", "right": [20], "left": [20]})
    current = score("grip", {"unit": "kg", "right": [27], "left": [25.5]})

    result = interpret("grip", current, age=67, sex="female", baseline=baseline, baseline_date=MARCH_3, result_date=JUNE_2)

    right, left = result.changes
    assert right.meaningful and right.comparison is not None and right.comparison.startswith("larger than")
    assert not left.meaningful and left.comparison is not None and left.comparison.startswith("within the 5.0-6.5 kg")
    assert result.sentence.startswith("Right grip improved from 20.0 kg to 27.0 kg, left grip improved")


def test_tandem_stance_held_8_s_is_flagged():
    result = interpret("balance_4stage", score("balance_4stage", {"stage_seconds": [10, 10, 8]}), age=70, sex="male")

    assert result.score.value == 2
    assert result.at_fall_risk
    assert result.fall_risk_flags[0].text == ("Tandem stance held 8 s: at fall risk by the CDC STEADI cut-off (at risk: tandem stance"
                                             " held under 10 s)")


def test_tandem_stance_never_reached_is_flagged_and_held_10_s_is_not():
    not_reached = interpret("balance_4stage", score("balance_4stage", {"stage_seconds": [10, 4]}), age=70, sex="male")
    held = interpret("balance_4stage", score("balance_4stage", {"stage_seconds": [10, 10, 10, 3]}), age=70, sex="male")

    assert not_reached.at_fall_risk
    assert "not reached" in not_reached.fall_risk_flags[0].text
    assert not held.at_fall_risk
    assert held.score.value == 3
    assert held.score.stage_seconds == (10, 10, 10, 3)


@pytest.mark.parametrize(("total", "flagged"), [(44, True), (45, False)])
def test_berg_under_45_is_flagged(total, flagged):
    result = interpret("berg", score("berg", {"items": _berg_items(total)}), age=80, sex="female")

    assert result.score.value == total
    assert result.at_fall_risk is flagged


def test_lefs_change_of_9_is_the_mcid():
    items_40 = [2] * 20
    items_49 = [3] * 9 + [2] * 11
    items_48 = [3] * 8 + [2] * 12

    met = interpret("lefs", score("lefs", {"items": items_49}), age=50, sex="male", baseline=score("lefs", {"items": items_40}))
    missed = interpret("lefs", score("lefs", {"items": items_48}), age=50, sex="male", baseline=score("lefs", {"items": items_40}))

    assert met.meaningful_change
    assert "equal to the 9-point minimal clinically important difference" in met.sentence
    assert not missed.meaningful_change


@pytest.mark.parametrize(
    ("before", "after", "meaningful"),
    [
        (8, 6, True),  # 2 points
        (3, 2, False),  # 1 point is 33%, but the 30% rule applies only from a baseline of 4
        (3, 1, True),  # 2 points
        (2, 1, False),  # 50%, from below 4
        (4, 3, False),  # 25%
        (8, 7, False),  # 1 point, 12.5%
        (10, 8, True),
        (0, 1, False),  # no relative change from zero
        (2, 3, False),  # a rise: 50% up, but the 30% rule is for a reduction
        (3, 4, False),
        (4, 6, True),  # a rise of 2 points is meaningful
    ],
)
def test_nprs_two_points_or_thirty_percent_from_a_baseline_of_4_farrar_2001(before, after, meaningful):
    """Farrar 2001 (Pain 94:149): about 2 points or 30%, in chronic pain of 4/10 or more at baseline."""
    result = interpret(
        "nprs", score("nprs", {"rating": after}), age=60, sex="female",
        baseline=score("nprs", {"rating": before}), baseline_date=MARCH_3, result_date=JUNE_2,
    )

    assert result.meaningful_change is meaningful


@pytest.mark.parametrize("before", range(11))
def test_a_one_point_nprs_change_is_never_meaningful_farrar_2001(before):
    """Issue 16: 30% of a baseline of 3 or less is a point or less; one point is never called meaningful."""
    for after in (before - 1, before + 1):
        if 0 <= after <= 10:
            result = interpret("nprs", score("nprs", {"rating": after}), age=60, sex="female",
                               baseline=score("nprs", {"rating": before}))
            assert not result.meaningful_change, (before, after)


def test_nprs_below_a_baseline_of_4_is_judged_on_the_2_points_alone():
    result = interpret("nprs", score("nprs", {"rating": 2}), age=60, sex="female",
                       baseline=score("nprs", {"rating": 3}), baseline_date=MARCH_3, result_date=JUNE_2)

    assert result.sentence == (
        "Pain improved from 3/10 to 2/10 since Mar 3; the change is smaller than the 2-point"
        " minimal clinically important difference."
    )


def test_nprs_rise_is_judged_on_points_alone():
    result = interpret(
        "nprs", score("nprs", {"rating": 3}), age=60, sex="female",
        baseline=score("nprs", {"rating": 2}), baseline_date=MARCH_3, result_date=JUNE_2,
    )

    assert result.sentence == (
        "Pain worsened from 2/10 to 3/10 since Mar 3; the change is smaller than the 2-point"
        " minimal clinically important difference."
    )


def test_nprs_sentence_reads_lower_pain_as_improvement():
    result = interpret(
        "nprs", score("nprs", {"rating": 6}), age=60, sex="female",
        baseline=score("nprs", {"rating": 8}), baseline_date=MARCH_3, result_date=JUNE_2,
    )

    assert result.sentence == (
        "Pain improved from 8/10 to 6/10 since Mar 3; the change is at least the 2-point or 30%"
        " minimal clinically important difference."
    )


@pytest.mark.parametrize(
    ("after", "meaningful", "phrase"),
    [
        (0.84, False, "smaller than the 0.05 m/s small meaningful change"),
        (0.85, True, "at least the 0.05 m/s small meaningful change"),
        (0.89, True, "at least the 0.05 m/s small meaningful change"),
        (0.90, True, "at least the 0.10 m/s substantial meaningful change"),
    ],
)
def test_gait_speed_small_and_substantial_change(after, meaningful, phrase):
    result = interpret("gait_speed", _gait(after), age=75, sex="male", baseline=_gait(0.80))

    assert result.meaningful_change is meaningful
    assert phrase in result.sentence


def test_gait_speed_is_course_over_mean_time():
    result = score("gait_speed", {"course_m": 10, "trials": [9.0, 11.0]})

    assert result.value == 1.0
    assert result.display == "1.00 m/s"


def test_six_minute_walk_is_laps_times_lap_length_plus_extra_kept_as_shown():
    result = score("six_minute_walk", {"laps": 12, "length_unit": "m", "lap_length": 30, "extra": 17.5})

    # 377.5 m is shown as 378 m (half up), and 378 m is what is kept and judged.
    assert (result.value, result.display) == (378.0, "378 m")


def test_goal_is_reported_in_the_measures_direction():
    reached = interpret("tug", _tug(9.5), age=72, sex="female", goal=10.0)
    not_yet = interpret("lefs", score("lefs", {"items": [2] * 20}), age=50, sex="male", goal=60)

    assert reached.goal_met is True
    assert reached.sentence.endswith("goal of 10.0 s reached.")
    assert not_yet.goal_met is False
    assert not_yet.sentence.endswith("goal of 60/80 not yet reached.")


def test_interpreting_a_score_as_another_measure_is_refused():
    with pytest.raises(MeasureInputError) as refused:
        interpret("berg", _tug(10.0), age=70, sex="female")

    assert refused.value.field == "measure_key"


# --- Age and dates ------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "tested", "age"),
    [
        (date(1950, 6, 15), date(2025, 6, 14), 74),
        (date(1950, 6, 15), date(2025, 6, 15), 75),
        (date(1952, 2, 29), date(2025, 2, 28), 72),
        (date(1952, 2, 29), date(2025, 3, 1), 73),
    ],
)
def test_age_is_whole_years_on_the_test_date(born, tested, age):
    assert age_on(born, tested) == age


def test_date_of_birth_after_the_test_is_refused():
    with pytest.raises(MeasureInputError) as refused:
        age_on(date(2025, 1, 2), date(2025, 1, 1))

    assert refused.value.field == "date_of_birth"


def test_short_date_adds_the_year_only_when_it_differs():
    assert short_date(MARCH_3, relative_to=JUNE_2) == "Mar 3"
    assert short_date(MARCH_3, relative_to=date(2026, 1, 1)) == "Mar 3, 2025"
    assert short_date(MARCH_3) == "Mar 3, 2025"


# --- Input validation -----------------------------------------------------------

INVALID_ENTRIES = [
    ("tug", {"trials": [-1]}, "trials", "time must be between 0.5 and 300 seconds (trial 1)"),
    ("tug", {"trials": [0.4]}, "trials", "time must be between 0.5 and 300 seconds"),
    ("tug", {"trials": [12.0, 300.5]}, "trials", "time must be between 0.5 and 300 seconds (trial 2)"),
    ("tug", {"trials": []}, "trials", "record at least one trial"),
    ("tug", {}, "trials", "record at least one trial"),
    ("tug", {"trials": [10, 11, 12, 13]}, "trials", "record at most 3 trials"),
    ("tug", {"trials": ["fast"]}, "trials", "time must be a number"),
    ("tug", {"trials": [True]}, "trials", "time must be a number"),
    ("tug", {"trials": [float("nan")]}, "trials", "time must be a number"),
    ("tug", {"trials": "12.0"}, "trials", "enter the readings as a list"),
    ("chair_stand_30s", {"count": 61}, "count", "count must be a whole number from 0 to 60"),
    ("chair_stand_30s", {"count": -1}, "count", "count must be a whole number from 0 to 60"),
    ("chair_stand_30s", {"count": 10.5}, "count", "count must be a whole number from 0 to 60"),
    ("chair_stand_30s", {}, "count", "count must be a number"),
    ("chair_stand_30s", {"count": 10, "arms_used": "yes"}, "arms_used", "arms used must be yes or no"),
    ("balance_4stage", {"stage_seconds": [11]}, "stage_seconds", "hold time must be between 0 and 10 seconds"),
    ("balance_4stage", {"stage_seconds": [-1]}, "stage_seconds", "hold time must be between 0 and 10 seconds"),
    (
        "balance_4stage",
        {"stage_seconds": [10, 8, 10]},
        "stage_seconds",
        "tandem stance is only tried after semi-tandem stance is held for 10 seconds",
    ),
    ("balance_4stage", {"stage_seconds": []}, "stage_seconds", "at least the first stance"),
    ("balance_4stage", {"stage_seconds": [10, 10, 10, 10, 10]}, "stage_seconds", "only 4 stances"),
    ("grip", {"unit": "kg", "right": [101]}, "right", "grip over 100 kg is not plausible"),
    ("grip", {"unit": "lb", "left": [221]}, "left", "grip over 220 lb is not plausible"),
    ("grip", {"unit": "kg", "right": [-5]}, "right", "grip must be between 0 and 100 kg"),
    ("grip", {"unit": "stone", "right": [20]}, "unit", "unit must be kg or lb"),
    ("grip", {"unit": "kg"}, "right", "record at least one trial for one hand"),
    ("grip", {"unit": "kg", "left": [20, 21, 22, 23]}, "left", "record at most 3 trials per hand"),
    ("nprs", {"rating": 11}, "rating", "pain rating must be a whole number from 0 to 10"),
    ("nprs", {"rating": -1}, "rating", "pain rating must be a whole number from 0 to 10"),
    ("nprs", {"rating": 3.5}, "rating", "pain rating must be a whole number from 0 to 10"),
    ("six_minute_walk", {"laps": 10, "length_unit": "m", "lap_length": 0.5}, "lap_length",
     "lap length must be between 1 and 100 m"),
    ("six_minute_walk", {"laps": 10, "length_unit": "m", "lap_length": 101}, "lap_length",
     "lap length must be between 1 and 100 m"),
    ("six_minute_walk", {"laps": 10, "length_unit": "ft", "lap_length": 3}, "lap_length",
     "lap length must be between 3.3 and 328 ft"),
    ("six_minute_walk", {"laps": 10, "length_unit": "ft", "lap_length": 329}, "lap_length",
     "lap length must be between 3.3 and 328 ft"),
    ("six_minute_walk", {"laps": -1, "length_unit": "m", "lap_length": 30}, "laps",
     "laps must be a whole number from 0 to 1000"),
    ("six_minute_walk", {"laps": 2.5, "length_unit": "m", "lap_length": 30}, "laps",
     "laps must be a whole number from 0 to 1000"),
    ("six_minute_walk", {"laps": 5, "length_unit": "m", "lap_length": 30, "extra": -2}, "extra",
     "extra distance must be between 0 and 100 m"),
    ("six_minute_walk", {"laps": 5, "length_unit": "m", "lap_length": 30, "extra": 30}, "extra",
     "less than one lap (30 m)"),
    ("six_minute_walk", {"laps": 5, "length_unit": "ft", "lap_length": 100, "extra": 100}, "extra",
     "less than one lap (100 ft)"),
    ("six_minute_walk", {"laps": 40, "length_unit": "m", "lap_length": 30}, "laps",
     "a distance over 1000 m in six minutes is not plausible"),
    ("six_minute_walk", {"laps": 33, "length_unit": "ft", "lap_length": 100}, "laps",
     "a distance over 1000 m in six minutes is not plausible"),
    ("six_minute_walk", {"laps": 10, "lap_length": 100}, "length_unit", "feet or metres"),
    ("six_minute_walk", {"laps": 10, "length_unit": "yd", "lap_length": 100}, "length_unit", "feet or metres"),
    ("gait_speed", {"course_m": 5, "trials": [4.0]}, "course_m", "course must be 4 m or 10 m"),
    ("gait_speed", {"course_m": 4, "trials": [0.4]}, "trials", "time must be between 0.5 and 120 seconds"),
    ("gait_speed", {"course_m": 4, "trials": [121]}, "trials", "time must be between 0.5 and 120 seconds"),
    ("berg", {"items": [4] * 13 + [5]}, "items", "item score must be a whole number from 0 to 4 (item 14)"),
    ("berg", {"items": [4] * 13 + [-1]}, "items", "item score must be a whole number from 0 to 4"),
    ("berg", {"items": [4] * 13}, "items", "all 14 items must be answered (13 given)"),
    ("berg", {"items": [4, 4, None] + [4] * 11}, "items", "all 14 items must be answered (missing: 3)"),
    ("lefs", {"items": [4] * 19}, "items", "all 20 items must be answered (19 given)"),
    ("lefs", {"items": [4] * 19 + [2.5]}, "items", "item score must be a whole number from 0 to 4 (item 20)"),
]


@pytest.mark.parametrize(("measure_key", "raw", "field", "message"), INVALID_ENTRIES)
def test_bad_input_is_refused_with_a_message_for_the_trainer(measure_key, raw, field, message):
    with pytest.raises(MeasureInputError) as refused:
        score(measure_key, raw)

    assert type(refused.value) is MeasureInputError
    assert refused.value.field == field
    assert message in refused.value.message


@pytest.mark.parametrize(
    ("measure_key", "raw"),
    [
        ("tug", {"trials": [0.5, 300]}),
        ("tug", {"trials": ["12.34"]}),
        ("chair_stand_30s", {"count": 0}),
        ("chair_stand_30s", {"count": 60}),
        ("balance_4stage", {"stage_seconds": [0]}),
        ("grip", {"unit": "kg", "right": [0, 100]}),
        ("grip", {"unit": "lb", "left": [220]}),
        ("nprs", {"rating": 0}),
        ("nprs", {"rating": "10"}),
        ("six_minute_walk", {"laps": 0, "length_unit": "m", "lap_length": 1}),
        ("six_minute_walk", {"laps": 10, "length_unit": "m", "lap_length": 100}),
        ("six_minute_walk", {"laps": 0, "length_unit": "ft", "lap_length": 3.3}),
        ("six_minute_walk", {"laps": 10, "length_unit": "ft", "lap_length": 328}),
        ("gait_speed", {"course_m": 10, "trials": [0.5, 120]}),
        ("berg", {"items": [0] * 14}),
        ("lefs", {"items": [4] * 20}),
    ],
)
def test_entries_at_the_limits_are_accepted(measure_key, raw):
    assert score(measure_key, raw).measure_key == measure_key


# --- Every table row ----------------------------------------------------------


@pytest.mark.parametrize("row", TUG_AGE_MEANS, ids=lambda row: row.ages.label)
def test_tug_is_worse_than_the_age_norm_only_above_its_upper_confidence_limit_bohannon_2006(row: TugAgeMean):
    """Bohannon 2006: the age-band mean has a 95% confidence interval; a time between the mean and the
    interval's upper limit (60-69 9.0 s, 70-79 10.2 s, 80-99 12.7 s) is not worse than the norm."""
    for age in (row.ages.low, row.ages.high):
        assert age is not None
        above_mean = interpret("tug", _tug(row.mean_s + 0.1), age=age, sex=None)
        at_limit = interpret("tug", _tug(row.ci_high_s), age=age, sex=None)
        # Shown as the limit itself (to a tenth), so not called slower than it.
        shown_at_limit = interpret("tug", _tug(row.ci_high_s + 0.04), age=age, sex=None)
        slower = interpret("tug", _tug(row.ci_high_s + 0.05), age=age, sex=None)

        assert at_limit.norms[0].reference == row.ci_high_s
        assert not above_mean.norms[0].worse_than_norm
        assert not at_limit.norms[0].worse_than_norm
        assert not shown_at_limit.norms[0].worse_than_norm
        assert slower.norms[0].worse_than_norm
        assert slower.norms[0].text == (f"slower than the norm for ages {row.ages.label} (over its {row.ci_high_s:g} s"
                                        f" upper 95% confidence limit; mean {row.mean_s:g} s)")
        assert at_limit.norms[0].text.startswith(f"within the norm for ages {row.ages.label} or faster")
    assert row.ci_low_s < row.mean_s < row.ci_high_s


def test_the_tug_upper_confidence_limits_are_bohannons():
    assert [(row.ages.label, row.ci_high_s) for row in TUG_AGE_MEANS] == [
        ("60-69", 9.0), ("70-79", 10.2), ("80-99", 12.7),
    ]


def test_tug_outside_the_age_bands_has_no_norm():
    assert interpret("tug", _tug(9.0), age=59, sex="male").norms == ()
    assert interpret("tug", _tug(9.0), age=100, sex="male").norms == ()


@pytest.mark.parametrize("row", CHAIR_STAND_BELOW_AVERAGE, ids=lambda row: f"{row.sex}-{row.ages.label}")
def test_every_chair_stand_row_is_reachable(row: ChairStandBelowAverage):
    for age in (row.ages.low, row.ages.high):
        assert age is not None
        below = interpret("chair_stand_30s", score("chair_stand_30s", {"count": row.below - 1}), age=age, sex=row.sex)
        at_cut = interpret("chair_stand_30s", score("chair_stand_30s", {"count": row.below}), age=age, sex=row.sex)

        assert below.norms[0].worse_than_norm
        assert below.norms[0].reference == row.below
        assert not at_cut.norms[0].worse_than_norm
        # CDC STEADI: below average is a fall-risk finding.
        assert below.at_fall_risk and not at_cut.at_fall_risk


@pytest.mark.parametrize("row", GRIP_NORMS, ids=lambda row: f"{row.sex}-{row.ages.label}")
def test_every_mathiowetz_row_is_reachable(row: GripNorm):
    for age in (row.ages.low, row.ages.high or 100):
        result = interpret(
            "grip",
            score("grip", {"unit": "lb", "right": [row.right_lb], "left": [row.left_lb - 1]}),
            age=age,
            sex=row.sex,
        )

        right, left = result.norms
        assert (right.reference, right.worse_than_norm) == (row.right_lb, False)
        assert right.text.startswith("right hand 100% of the")
        assert (left.reference, left.worse_than_norm) == (row.left_lb, True)


def test_grip_under_20_has_no_norm():
    assert interpret("grip", score("grip", {"unit": "kg", "right": [30]}), age=19, sex="male").norms == ()


def _raw_at(measure_key: str, value: float) -> dict:
    if measure_key == "tug":
        return {"trials": [value]}
    if measure_key == "berg":
        return {"items": _berg_items(int(value))}
    return {"stage_seconds": [10, 10, value]}


FALL_RISK_CUTOFFS = [(measure.key, cutoff) for measure in MEASURES.values() for cutoff in measure.fall_risk_cutoffs]


@pytest.mark.parametrize(
    ("measure_key", "cutoff"), FALL_RISK_CUTOFFS, ids=[f"{key}-{c.threshold:g}" for key, c in FALL_RISK_CUTOFFS]
)
def test_every_fall_risk_cut_off_flags_at_its_threshold(measure_key: str, cutoff: FallRiskCutoff):
    step = 0.1 if measure_key == "tug" else 1
    if cutoff.at_risk_if == "at_or_above":
        risky, safe = cutoff.threshold, cutoff.threshold - step
    else:
        risky, safe = cutoff.threshold - step, cutoff.threshold

    flagged = interpret(measure_key, score(measure_key, _raw_at(measure_key, risky)), age=75, sex="female")
    clear = interpret(measure_key, score(measure_key, _raw_at(measure_key, safe)), age=75, sex="female")

    assert cutoff in [flag.cutoff for flag in flagged.fall_risk_flags]
    assert cutoff not in [flag.cutoff for flag in clear.fall_risk_flags]
    assert cutoff.source


_TYPICAL_BASELINE = {"tug": 20.0, "grip": 20.0, "nprs": 10.0, "six_minute_walk": 300.0, "gait_speed": 0.8, "lefs": 40.0}

CHANGE_THRESHOLDS = [
    (measure, threshold) for measure in MEASURES.values() for threshold in measure.change_thresholds
]


@pytest.mark.parametrize(
    ("measure", "threshold"),
    CHANGE_THRESHOLDS,
    ids=[f"{m.key}-{t.baseline_from if t.baseline_from is not None else 'all'}" for m, t in CHANGE_THRESHOLDS],
)
def test_every_change_threshold_decides_meaningful_change(measure: MeasureDefinition, threshold: ChangeThreshold):
    before = threshold.baseline_from if threshold.baseline_from is not None else _TYPICAL_BASELINE[measure.key]
    better = 1 if measure.higher_is_better else -1

    def change_of(size: float):
        after = round(before + better * size, 2)
        return interpret(measure.key, _plain(measure, after), age=70, sex="female", baseline=_plain(measure, before))

    reached = change_of(threshold.high)
    # One step of the shown precision short (a change is judged as it is shown).
    places = re.search(r"\{:\.(\d+)f\}", measure.value_format)
    short = change_of(threshold.low - 10 ** -int(places.group(1) if places else 2))

    assert reached.changes[0].threshold is threshold
    assert reached.changes[0].direction == "improved"
    assert reached.meaningful_change
    assert not short.meaningful_change
    assert threshold.source


def test_every_measure_is_defined_for_the_tablet():
    assert set(MEASURES) == {
        "tug", "chair_stand_30s", "balance_4stage", "grip", "nprs", "six_minute_walk", "gait_speed", "berg", "lefs",
    }
    for measure in MEASURES.values():
        assert measure.protocol_version.startswith(measure.key)
        assert all((measure.protocol.set_up, measure.protocol.say, measure.protocol.timing))
        assert measure.protocol_source
        assert measure.equipment
        assert measure.input_limits
        assert all(limit.source for limit in measure.input_limits)


def test_only_verified_loinc_codes_are_shipped():
    shipped = {(key, code.part): code.code for key, measure in MEASURES.items() for code in measure.loinc}

    # Issue 16: each code only where the protocol matches its definition (no 83172-7 for gait speed).
    assert shipped == {
        ("tug", "each trial"): "89423-8",
        ("chair_stand_30s", "score"): "66247-8",
        ("nprs", "score"): "72514-3",
        ("grip", "right hand"): "83174-3",
        ("grip", "left hand"): "83173-5",
        ("six_minute_walk", "score"): "64098-7",
    }
    assert all(code.source for measure in MEASURES.values() for code in measure.loinc)


@pytest.mark.parametrize(
    ("questionnaire", "count", "maximum"), [(BERG_QUESTIONNAIRE, 14, 56), (LEFS_QUESTIONNAIRE, 20, 80)]
)
def test_questionnaires_have_every_item_with_five_answers(questionnaire, count, maximum):
    assert [item.number for item in questionnaire.items] == list(range(1, count + 1))
    assert all(len(item.answers) == 5 and all(item.answers) for item in questionnaire.items)
    assert (questionnaire.min_total, questionnaire.max_total) == (0, maximum)
    assert questionnaire.higher_is_better
    top = score(questionnaire.key, {"items": [4] * count})
    assert top.value == maximum
    assert top.items == (4,) * count


def test_questionnaires_cover_only_free_instruments():
    assert set(QUESTIONNAIRES) == {"berg", "lefs"}


# --- One threshold rule, one rounding (issue 16) ----------------------------------


def test_issue_16_tug_of_11_95_11_95_11_94_is_11_9_s_everywhere():
    """The mean of [11.95, 11.95, 11.94] is 11.947 s: rounded once it is 11.9 s, below the CDC STEADI
    12 s cut-off, and the plan's goal "below 12 s" is met on the same 11.9 s. Rounded twice (to 11.95,
    then to 12.0) it was judged at fall risk while the plan judged the raw 11.95 s "goal met"."""
    tug = _tug(11.95, 11.95, 11.94)
    result = interpret("tug", tug, age=72, sex="female", goal=12.0)
    goal = GoalDraft(1, "Out of the fall-risk range", "measure", "tug", "na", "below", 12.0, "s", 8,
                     baseline_value=15.0)

    assert (tug.value, tug.display) == (11.9, "11.9 s")
    assert not result.at_fall_risk and result.fall_risk_flags == ()
    assert result.goal_met is True
    assert goal_status(goal, tug.value, week=4) == "met"


@pytest.mark.parametrize(("measure_key", "raw", "goal"), [
    ("tug", {"trials": [12.0]}, 12.0),
    ("lefs", {"items": [3] * 20}, 60.0),
    ("grip", {"unit": "kg", "right": [25.0]}, 25.0),
])
def test_a_result_exactly_at_the_goal_is_not_reached_on_the_result_nor_on_the_plan(measure_key, raw, goal):
    """Issue 16: "reached at exactly the goal" differed between rules.outcomes (reached) and rules.plan
    (not met). Both now read a goal as worded: strictly past it, on the value as shown."""
    result = score(measure_key, raw)
    direction = "above" if MEASURES[measure_key].higher_is_better else "below"
    plan_goal = GoalDraft(1, "Goal", "measure", measure_key, "na", direction, goal, result.unit, 8)

    assert interpret(measure_key, result, age=60, sex="female", goal=goal).goal_met is False
    assert goal_reached(measure_key, result.value, goal) is False
    assert goal_status(plan_goal, result.value, week=4) == "not met"


def test_the_plan_judges_a_legacy_two_decimal_value_as_it_is_shown():
    """A result saved before issue 16 kept hundredths (11.95 s) and shows as 12.0 s: the plan reads
    12.0 s, as the chart and the result card show it, so the goal "below 12 s" is not met."""
    goal = GoalDraft(1, "Out of the fall-risk range", "measure", "tug", "na", "below", 12.0, "s", 8,
                     baseline_value=15.0)
    assert goal_status(goal, 11.95, week=4) == "progressing"
    assert goal_status(goal, 11.94, week=4) == "met"


@pytest.mark.parametrize("measure_key", sorted(MEASURES))
def test_every_score_is_kept_at_the_precision_it_is_shown(measure_key):
    """What the chart plots and the plan and report read (the stored value) is the number on the
    result card, not a finer one."""
    raws = {
        "tug": {"trials": [11.95, 11.95, 11.94]},
        "chair_stand_30s": {"count": 9},
        "balance_4stage": {"stage_seconds": [10, 10, 7.5]},
        "grip": {"unit": "lb", "right": [50, 52, 53]},
        "nprs": {"rating": 4},
        "six_minute_walk": {"laps": 12, "length_unit": "m", "lap_length": 30.5, "extra": 12.25},
        "gait_speed": {"course_m": 4, "trials": [4.44, 4.45, 4.46]},
        "berg": {"items": _berg_items(47)},
        "lefs": {"items": [3] * 20},
    }
    result = score(measure_key, raws[measure_key])
    measure = MEASURES[measure_key]
    shown = places_of(measure.value_format)

    assert result.value == round(result.value, shown)
    assert measure.value_format.format(result.value) in result.display


@pytest.mark.parametrize(("value", "places", "shown"), [
    (11.95, 1, 12.0), (9.25, 1, 9.3), (11.94, 1, 11.9), (0.845, 2, 0.85), (377.5, 0, 378.0), (4.0, None, 4.0),
])
def test_a_value_is_shown_rounded_half_up_from_its_decimal_digits(value, places, shown):
    assert as_shown(value, places) == shown


def test_a_mean_is_rounded_once_from_the_readings_digits():
    assert mean_as_shown([11.95, 11.95, 11.94], 1) == 11.9
    assert mean_as_shown([9.2, 9.3], 1) == 9.3
    assert mean_as_shown([0.1, 0.2], 2) == 0.15


@pytest.mark.parametrize(("value", "relation", "reference", "result"), [
    (11.95, "at_or_above", 12.0, True),  # shown 12.0
    (11.94, "at_or_above", 12.0, False),  # shown 11.9
    (12.0, "below", 12.0, False),
    (12.0, "at_or_below", 12.0, True),
    (45.0, "above", 45.0, False),
    (45.4, "above", 45.0, False),  # shown 45 on a whole-point scale
    (45.5, "above", 45.0, True),  # shown 46
])
def test_one_rule_compares_the_shown_value(value, relation, reference, result):
    places = 0 if reference == 45.0 else 1
    assert meets(value, relation, reference, places=places) is result


# --- Cut-offs said plainly (issue 16) ---------------------------------------------------------------


@pytest.mark.parametrize(("measure_key", "raw", "words"), [
    # Berg: at or above 45 is NOT at risk; TUG: at or above 12 s IS at risk. Same words either way.
    ("berg", {"items": _berg_items(45)}, "not at fall risk by the common Berg cut-off (at risk: under 45 points)"),
    ("berg", {"items": _berg_items(44)}, "at fall risk by the common Berg cut-off (at risk: under 45 points)"),
    ("tug", {"trials": [12.0]}, "at fall risk by the CDC STEADI cut-off (at risk: 12 s or slower)"),
    ("tug", {"trials": [11.9]}, "not at fall risk by the CDC STEADI cut-off (at risk: 12 s or slower)"),
    ("balance_4stage", {"stage_seconds": [10, 10, 10, 2]},
     "not at fall risk by the CDC STEADI cut-off (at risk: tandem stance held under 10 s)"),
])
def test_issue_16_each_cut_off_says_at_risk_or_not_at_risk_whichever_its_direction(measure_key, raw, words):
    result = interpret(measure_key, score(measure_key, raw), age=75, sex="female")

    assert result.sentence.endswith(f"; {words}.")
    assert result.at_fall_risk is not words.startswith("not")
    assert "at or above" not in result.sentence and "threshold" not in result.sentence


@pytest.mark.parametrize(("before", "after", "status"), [
    (13.0, 14.0, "still at fall risk"),
    (13.0, 11.0, "no longer at fall risk"),
    (11.0, 12.5, "now at fall risk"),
    (11.0, 10.0, "still not at fall risk"),
])
def test_a_later_result_says_how_the_fall_risk_changed(before, after, status):
    result = interpret("tug", _tug(after), age=72, sex="male", baseline=_tug(before))

    assert result.sentence.endswith(f"; {status} by the CDC STEADI cut-off (at risk: 12 s or slower).")


def test_every_fall_risk_cut_off_names_whose_it_is_and_which_side_is_at_risk():
    for measure in MEASURES.values():
        for cutoff in measure.fall_risk_cutoffs:
            assert cutoff.label.endswith("cut-off") and cutoff.at_risk_when and cutoff.source


# --- LOINC fidelity (issue 16) ----------------------------------------------------------------------


def test_tug_sends_each_trial_under_89423_8_and_the_mean_without_a_code():
    """loinc.org/89423-8 is one timed rise, walk and sit: a trial, not a mean of trials."""
    observations = loinc_observations(_tug(13.5, 13.7, 13.6))

    assert [(o.code, o.part, o.value, o.unit) for o in observations] == [
        ("89423-8", "each trial", 13.5, "s"), ("89423-8", "each trial", 13.7, "s"), ("89423-8", "each trial", 13.6, "s"),
    ]


def test_grip_goes_out_in_the_codes_unit_pounds_force():
    """loinc.org/83145-3: 83174-3 and 83173-5 take [lbf_av]; a grip entered in kg goes out in pounds."""
    result = score("grip", {"unit": "kg", "right": [20.0, 22.0], "left": [18.0]})

    assert [(o.code, o.value, o.unit) for o in loinc_observations(result)] == [
        ("83174-3", result.right_lb, "[lbf_av]"), ("83173-5", result.left_lb, "[lbf_av]"),
    ]
    assert (result.right_lb, result.left_lb) == (46.3, 39.7)


def test_gait_speed_sends_no_code_because_83172_7_is_another_protocol():
    """loinc.org/83144-6: the NIH Toolbox 4 m walk scores the better of two trials from a standing start;
    metpwa's gait speed is the mean of up to three trials with a walking start."""
    assert MEASURES["gait_speed"].loinc == ()
    assert loinc_observations(score("gait_speed", {"course_m": 4, "trials": [5.0, 5.2]})) == ()


def test_codes_that_match_their_protocol_go_out_as_scores_in_their_units():
    assert [(o.code, o.value, o.unit) for o in loinc_observations(score("chair_stand_30s", {"count": 9}))] == [
        ("66247-8", 9, "{#}/(30.s)")]
    assert [(o.code, o.unit) for o in loinc_observations(score("nprs", {"rating": 4}))] == [("72514-3", "{score}")]
    assert [(o.code, o.value, o.unit) for o in loinc_observations(
        score("six_minute_walk", {"laps": 10, "length_unit": "m", "lap_length": 30}))] == [("64098-7", 300.0, "m")]


def test_the_licence_notices_follow_the_codes():
    assert loinc_notices([]) == ()
    assert loinc_notices(["89423-8", "66247-8"]) == (LOINC_NOTICE,)
    assert loinc_notices(["83174-3", "89423-8", "83173-5"]) == (LOINC_NOTICE, NIH_TOOLBOX_NOTICE)
    assert "Regenstrief Institute" in LOINC_NOTICE and "loinc.org/license" in LOINC_NOTICE
    assert "Northwestern University" in NIH_TOOLBOX_NOTICE


def test_every_loinc_code_has_its_unit_source_and_notice():
    for measure in MEASURES.values():
        for code in measure.loinc:
            assert code.unit and code.source and LOINC_NOTICE in code.notices


# --- 6-minute walk in feet or metres (issue 16) --------------------------------------------------------


def test_a_100_ft_hallway_is_100_ft_not_100_m():
    """Issue 16: a 100 ft hallway typed as 100 became 100 m. The unit is chosen with the length, and
    the distance is kept in metres (1 ft = 0.3048 m exactly), the unit of the ATS protocol and the MCID."""
    feet = score("six_minute_walk", {"laps": 12, "length_unit": "ft", "lap_length": 100, "extra": 40})
    metres = score("six_minute_walk", {"laps": 12, "length_unit": "m", "lap_length": 30.48, "extra": 12.192})

    # 1240 ft is 377.952 m.
    assert (feet.value, feet.display) == (378.0, "378 m") == (metres.value, metres.display)


def test_six_minute_walk_feet_limits_are_the_metre_limits_rounded_inward():
    measure = MEASURES["six_minute_walk"]
    for name in ("lap_length", "extra"):
        in_m, in_ft = measure.limit(f"{name}_m"), measure.limit(f"{name}_ft")
        assert in_ft.low * M_PER_FT >= in_m.low and in_ft.high * M_PER_FT <= in_m.high
    assert measure.protocol_version == "six_minute_walk-3"


# --- Validated wording (issue 16) ----------------------------------------------------------------------


def test_lefs_items_are_binkley_1999_word_for_word_with_attribution():
    """Binkley 1999 (Phys Ther 79:371): reworded items are another instrument, not comparable with the
    published 9-point MCID; the items, answers and question are restored and attributed."""
    published = [
        "Any of your usual work, housework, or school activities.",
        "Your usual hobbies, recreational or sporting activities.",
        "Getting into or out of the bath.",
        "Walking between rooms.",
        "Putting on your shoes or socks.",
        "Squatting.",
        "Lifting an object, like a bag of groceries from the floor.",
        "Performing light activities around your home.",
        "Performing heavy activities around your home.",
        "Getting into or out of a car.",
        "Walking 2 blocks.",
        "Walking a mile.",
        "Going up or down 10 stairs (about 1 flight of stairs).",
        "Standing for 1 hour.",
        "Sitting for 1 hour.",
        "Running on even ground.",
        "Running on uneven ground.",
        "Making sharp turns while running fast.",
        "Hopping.",
        "Rolling over in bed.",
    ]
    assert [item.title for item in LEFS_QUESTIONNAIRE.items] == published
    assert [answer.lower() for answer in LEFS_QUESTIONNAIRE.items[0].answers] == [
        "extreme difficulty or unable to perform activity", "quite a bit of difficulty", "moderate difficulty",
        "a little bit of difficulty", "no difficulty",
    ]
    assert LEFS_QUESTIONNAIRE.prompt.endswith("Today, do you or would you have any difficulty at all with:")
    assert "because of your lower limb problem" in LEFS_QUESTIONNAIRE.prompt
    assert "Binkley JM" in LEFS_QUESTIONNAIRE.attribution and "Phys Ther 1999;79(4):371-383" in LEFS_QUESTIONNAIRE.attribution
    assert MEASURES["lefs"].protocol_version == "lefs-2"


def test_rescored_reads_an_old_double_rounded_tug_with_one_rounding_issue_16():
    """Issue 16 ("One threshold rule, one rounding"): a stored [11.95, 11.95, 11.94] s TUG reads 11.9 s
    today; a raw entry today's checks refuse keeps what was recorded."""
    from metpwa.rules.outcomes import Score, display_today, rescored

    recorded = Score("tug", 11.95, "s", "12.0 s")
    today = rescored("tug", {"trials": [11.95, 11.95, 11.94]}, recorded)
    assert (today.value, today.display) == (11.9, "11.9 s")
    assert rescored("tug", {"trials": []}, recorded) is recorded
    assert display_today("tug", {"trials": [11.95, 11.95, 11.94]}, "12.0 s") == "11.9 s"
    assert display_today("tug", {}, "12.0 s") == "12.0 s"

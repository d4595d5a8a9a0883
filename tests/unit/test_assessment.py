"""Range of motion against its normal range, input checks at the field, muscle grades and the baseline comparison."""

import math

import pytest

from metpwa.rules.assessment import (
    DYNAMOMETER_FIELD,
    MUSCLE_GRADE_FIELD,
    AssessmentInputError,
    Comparison,
    MuscleGrade,
    change_words,
    compare,
    parse_muscle_grade,
    rom_percent_of_normal,
    validate_dynamometer_kg,
    validate_rom_degrees,
)
from metpwa.standards.rom import AAOS_VIA_NORKIN_WHITE, NORMAL_RANGES, VA_RATING_SCHEDULE

# standards.md, "Normal range of motion", copied by hand so the table cannot drift unnoticed.
STANDARDS_MD = {
    "shoulder.flexion": (0, 180, AAOS_VIA_NORKIN_WHITE),
    "shoulder.extension": (0, 60, AAOS_VIA_NORKIN_WHITE),
    "shoulder.abduction": (0, 180, AAOS_VIA_NORKIN_WHITE),
    "shoulder.internal_rotation": (0, 70, AAOS_VIA_NORKIN_WHITE),
    "shoulder.external_rotation": (0, 90, AAOS_VIA_NORKIN_WHITE),
    "elbow.flexion": (0, 150, AAOS_VIA_NORKIN_WHITE),
    "forearm.pronation": (0, 80, AAOS_VIA_NORKIN_WHITE),
    "forearm.supination": (0, 80, AAOS_VIA_NORKIN_WHITE),
    "wrist.flexion": (0, 80, AAOS_VIA_NORKIN_WHITE),
    "wrist.extension": (0, 70, AAOS_VIA_NORKIN_WHITE),
    "wrist.radial_deviation": (0, 20, AAOS_VIA_NORKIN_WHITE),
    "wrist.ulnar_deviation": (0, 30, AAOS_VIA_NORKIN_WHITE),
    "hip.flexion": (0, 125, VA_RATING_SCHEDULE),
    "hip.extension": (0, 30, VA_RATING_SCHEDULE),
    "hip.abduction": (0, 45, VA_RATING_SCHEDULE),
    "knee.flexion": (0, 140, VA_RATING_SCHEDULE),
    "ankle.dorsiflexion": (0, 20, VA_RATING_SCHEDULE),
    "ankle.plantarflexion": (0, 45, VA_RATING_SCHEDULE),
}


def test_normal_ranges_are_exactly_the_standards_table():
    assert {n.key: (n.low, n.high, n.source) for n in NORMAL_RANGES} == STANDARDS_MD
    assert len(NORMAL_RANGES) == len(STANDARDS_MD)


@pytest.mark.parametrize(
    ("key", "degrees", "percent"),
    [
        ("knee.flexion", 95, 68),
        ("knee.flexion", "95", 68),
        ("knee.flexion", " 95° ", 68),
        ("shoulder.flexion", 110, 61),
        ("shoulder.flexion", 180, 100),
        ("shoulder.flexion", 190, 106),
        ("hip.abduction", 22.5, 50),
        ("ankle.dorsiflexion", 0, 0),
    ],
)
def test_percent_of_normal(key, degrees, percent):
    assert rom_percent_of_normal(key, degrees) == percent


def test_extension_lag_is_a_valid_reading_without_a_percentage():
    assert validate_rom_degrees("knee.extension", -10) == -10.0
    assert validate_rom_degrees("elbow.extension", "5") == 5.0
    with pytest.raises(KeyError):
        rom_percent_of_normal("knee.extension", -10)


@pytest.mark.parametrize(
    ("key", "degrees", "message"),
    [
        ("shoulder.flexion", 201, "shoulder flexion must be between 0 and 200 degrees"),
        ("shoulder.flexion", -1, "shoulder flexion must be between 0 and 200 degrees"),
        ("knee.flexion", 1400, "knee flexion must be between 0 and 160 degrees"),
        ("wrist.radial_deviation", 41, "wrist radial deviation must be between 0 and 40 degrees"),
        (
            "knee.extension",
            -95,
            "knee extension must be between -90 and 20 degrees (negative means short of straight)",
        ),
        ("knee.flexion", "ninety", "knee flexion must be a number of degrees, for example 110"),
        ("knee.flexion", "", "knee flexion must be a number of degrees, for example 110"),
        ("knee.flexion", True, "knee flexion must be a number of degrees, for example 110"),
        ("knee.flexion", math.nan, "knee flexion must be a number of degrees, for example 110"),
        ("knee.flexion", "inf", "knee flexion must be a number of degrees, for example 110"),
    ],
)
def test_out_of_range_degrees_get_a_clear_message_at_the_field(key, degrees, message):
    with pytest.raises(AssessmentInputError) as raised:
        validate_rom_degrees(key, degrees)
    assert (raised.value.field, raised.value.message, str(raised.value)) == (key, message, message)


def test_hypermobility_is_allowed_up_to_the_plausible_maximum():
    assert validate_rom_degrees("shoulder.flexion", 200) == 200.0
    assert validate_rom_degrees("elbow.flexion", 165.5) == 165.5


def test_an_unknown_motion_is_a_programming_error():
    with pytest.raises(KeyError):
        validate_rom_degrees("knee.abduction", 10)


@pytest.mark.parametrize(
    ("raw", "ordinal", "text"),
    [
        ("0", 0, "0"),
        ("0+", 1, "0+"),
        ("1-", 2, "1-"),
        ("2", 6, "2"),
        ("3-", 8, "3-"),
        ("3", 9, "3"),
        ("3+", 10, "3+"),
        ("4-", 11, "4-"),
        ("4+", 13, "4+"),
        ("5-", 14, "5-"),
        ("5", 15, "5"),
        (" 4 + ", 13, "4+"),
        ("4+/5", 13, "4+"),
        ("4/5", 12, "4"),
        ("3\u2212", 8, "3-"),
    ],
)
def test_muscle_grades_parse_to_an_ordinal(raw, ordinal, text):
    grade = parse_muscle_grade(raw)
    assert (grade.ordinal, str(grade)) == (ordinal, text)


@pytest.mark.parametrize("raw", ["5+", "0-", "6", "-1", "4++", "+4", "3.5", "", "four", "4+-"])
def test_invalid_muscle_grades_get_a_clear_message(raw):
    with pytest.raises(AssessmentInputError) as raised:
        parse_muscle_grade(raw)
    assert raised.value.field == MUSCLE_GRADE_FIELD
    assert "0 to 5 with an optional + or -" in raised.value.message


def test_muscle_grades_compare_in_order():
    grades = [parse_muscle_grade(raw) for raw in ["4-", "3+", "5", "3-", "4", "3"]]
    assert [str(grade) for grade in sorted(grades)] == ["3-", "3", "3+", "4-", "4", "5"]
    assert parse_muscle_grade("4+") > parse_muscle_grade("4")
    with pytest.raises(ValueError):
        MuscleGrade(16)


@pytest.mark.parametrize(("raw", "kg"), [(0, 0), ("24.5", 24.5), (100, 100.0)])
def test_dynamometer_readings(raw, kg):
    assert validate_dynamometer_kg(raw) == kg


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (100.1, "dynamometer reading must be between 0 and 100 kg"),
        (-2, "dynamometer reading must be between 0 and 100 kg"),
        ("strong", "dynamometer reading must be a number of kg, for example 24.5"),
    ],
)
def test_implausible_dynamometer_readings(raw, message):
    with pytest.raises(AssessmentInputError) as raised:
        validate_dynamometer_kg(raw)
    assert (raised.value.field, raised.value.message) == (DYNAMOMETER_FIELD, message)


@pytest.mark.parametrize(
    ("baseline", "current", "kind", "expected"),
    [
        (90, 95, "rom", Comparison(5.0, 5.6, "improved", "degrees")),
        # Under 5 degrees is within goniometer measurement error.
        (90, 94, "rom", Comparison(4.0, 4.4, "unchanged", "degrees")),
        (95, 88, "rom", Comparison(-7.0, -7.4, "declined", "degrees")),
        (0, 10, "rom", Comparison(10.0, None, "improved", "degrees")),
        (-10, -5, "rom", Comparison(5.0, None, "improved", "degrees")),
        ("4-", "4", "mmt", Comparison(1.0, None, "improved", "grade steps")),
        ("4", "4/5", "mmt", Comparison(0.0, None, "unchanged", "grade steps")),
        ("4+", "3", "mmt", Comparison(-4.0, None, "declined", "grade steps")),
        (20, 24, "dynamometer", Comparison(4.0, 20.0, "unchanged", "kg")),
        (20, 25, "dynamometer", Comparison(5.0, 25.0, "improved", "kg")),
        (20.1, 22.3, "dynamometer", Comparison(2.2, 10.9, "unchanged", "kg")),
        (20, 14.5, "dynamometer", Comparison(-5.5, -27.5, "declined", "kg")),
    ],
)
def test_compare_with_baseline(baseline, current, kind, expected):
    assert compare(baseline, current, kind) == expected


def test_compare_takes_parsed_grades_too():
    assert compare(parse_muscle_grade("3"), parse_muscle_grade("3+"), "mmt").direction == "improved"


def test_compare_refuses_values_of_the_wrong_kind():
    with pytest.raises(AssessmentInputError):
        compare("4+", "5", "rom")
    with pytest.raises(AssessmentInputError):
        compare(4.0, 5.0, "mmt")


def test_a_change_of_one_reads_in_the_singular():
    assert change_words(compare("4-", "4", "mmt")) == "+1 grade step"
    assert change_words(compare("4", "3", "mmt")) == "-3 grade steps"
    assert change_words(compare(95, 96, "rom")) == "+1 degree"
    assert change_words(compare(95, 118, "rom")) == "+23 degrees"
    assert change_words(compare(20, 21, "dynamometer")) == "+1 kg"

"""Checks and compares objective assessment values: goniometer readings against their normal range, manual muscle test grades, dynamometer readings, and a re-assessment against the baseline."""

import math
import re
from dataclasses import dataclass
from typing import Literal

from metpwa.rules.errors import InputError
from metpwa.rules.thresholds import meets
from metpwa.standards.measures import BOHANNON_2019
from metpwa.standards.rom import NORMAL_RANGE_BY_KEY, NORMAL_RANGES

ChangeKind = Literal["rom", "mmt", "dynamometer"]
Direction = Literal["improved", "unchanged", "declined"]

BOONE_1978 = (
    "Boone DC et al. 1978, Reliability of goniometric measurements, Phys Ther 58(11):1355-1360:"
    " one tester needs a change of 3-4 degrees to show improvement; different testers over 5"
    " (upper limb) and 6 (lower limb)"
)
ONEILL_2017 = (
    "O'Neill S et al. 2017, Using 4+ to grade near-normal muscle strength does not improve"
    " agreement, Chiropr Man Therap, doi:10.1186/s12998-017-0159-6"
)

# A hypermobile client may pass the normal end; beyond this many degrees past it, a reading is
# far more likely a typing slip (1800 for 180) than a joint. Practice default, not a published value.
HYPERMOBILITY_ALLOWANCE_DEGREES = 20

# A plausibility cap, not a norm: the strongest mean grip in standards.md (Mathiowetz 1985,
# men 30-34, right) is 121.8 lb, about 55 kg.
DYNAMOMETER_MAX_KG = 100.0


class AssessmentInputError(InputError):
    """A value the trainer typed that cannot be recorded; `message` is shown at `field`."""


@dataclass(frozen=True)
class DegreeLimit:
    """The readings a trainer may record for one motion."""

    key: str
    label: str
    low: int
    high: int
    # Said with the error when the sign convention is not obvious.
    hint: str = ""


DEGREE_LIMITS: tuple[DegreeLimit, ...] = (
    *(
        DegreeLimit(normal.key, normal.label, 0, normal.high + HYPERMOBILITY_ALLOWANCE_DEGREES)
        for normal in NORMAL_RANGES
    ),
    # The only negative readings: how far short of straight the elbow or knee stops (an
    # extension lag, e.g. -10), or how far past straight it goes (+5). Straight is 0, so these
    # have no normal arc and no percentage of normal. Beyond 90 short of straight, the number is
    # more likely a flexion reading typed in the wrong row.
    DegreeLimit(
        "elbow.extension", "elbow extension", -90, HYPERMOBILITY_ALLOWANCE_DEGREES, "negative means short of straight"
    ),
    DegreeLimit(
        "knee.extension", "knee extension", -90, HYPERMOBILITY_ALLOWANCE_DEGREES, "negative means short of straight"
    ),
)

DEGREE_LIMIT_BY_KEY: dict[str, DegreeLimit] = {limit.key: limit for limit in DEGREE_LIMITS}


def validate_rom_degrees(joint_motion_key: str, degrees: float | int | str) -> float:
    """The reading as a number, or AssessmentInputError; KeyError for a motion we do not record."""
    limit = DEGREE_LIMIT_BY_KEY[joint_motion_key]
    value = _number(degrees, joint_motion_key, f"{limit.label} must be a number of degrees, for example 110")
    if not limit.low <= value <= limit.high:
        hint = f" ({limit.hint})" if limit.hint else ""
        raise AssessmentInputError(
            joint_motion_key,
            f"{limit.label} must be between {limit.low} and {limit.high} degrees{hint}",
        )
    return value


def rom_percent_of_normal(joint_motion_key: str, degrees: float | int | str) -> int:
    """The reading as a whole percentage of the normal arc, halves up; over 100 when hypermobile.

    Whole percent because that is what a clinician reads and compares: a tenth of a percent of an
    arc is a fraction of a degree, below what a goniometer resolves, and "75%" beside "94.3%" in one
    table read as two precisions (issue 21).
    KeyError for a motion without a normal arc in standards.md (elbow and knee extension).
    """
    normal = NORMAL_RANGE_BY_KEY[joint_motion_key]
    value = validate_rom_degrees(joint_motion_key, degrees)
    return math.floor(100 * (value - normal.low) / normal.arc + 0.5)


@dataclass(frozen=True, order=True)
class MuscleGrade:
    """A manual muscle test grade, counted in thirds of a grade so that 3- < 3 < 3+ < 4-.

    `ordinal` runs from 0 ("0") to 15 ("5"); "0-" and "5+" do not exist.
    """

    ordinal: int

    def __post_init__(self) -> None:
        if not 0 <= self.ordinal <= 15:
            raise ValueError(f"a muscle grade ordinal runs from 0 to 15, not {self.ordinal}")

    @property
    def whole(self) -> int:
        return (self.ordinal + 1) // 3

    @property
    def modifier(self) -> str:
        return {-1: "-", 0: "", 1: "+"}[self.ordinal - 3 * self.whole]

    def __str__(self) -> str:
        return f"{self.whole}{self.modifier}"


MUSCLE_GRADE_FIELD = "muscle_grade"

# "4+", "4 +", and the "4+/5" many trainers write; typographic minus signs count as "-".
_MUSCLE_GRADE = re.compile(r"([0-5])\s*([+-]?)\s*(?:/\s*5)?")
_MINUS_SIGNS = str.maketrans({"−": "-", "–": "-"})


def parse_muscle_grade(raw: str) -> MuscleGrade:
    match = _MUSCLE_GRADE.fullmatch(raw.strip().translate(_MINUS_SIGNS))
    if match is None or match.group(1, 2) in {("0", "-"), ("5", "+")}:
        raise AssessmentInputError(
            MUSCLE_GRADE_FIELD,
            "muscle grade must be 0 to 5 with an optional + or - (for example 4+ or 3-);"
            " 5+ and 0- do not exist",
        )
    step = {"-": -1, "": 0, "+": 1}[match.group(2)]
    return MuscleGrade(3 * int(match.group(1)) + step)


DYNAMOMETER_FIELD = "dynamometer_kg"


def validate_dynamometer_kg(value: float | int | str) -> float:
    kilograms = _number(value, DYNAMOMETER_FIELD, "dynamometer reading must be a number of kg, for example 24.5")
    if not 0 <= kilograms <= DYNAMOMETER_MAX_KG:
        raise AssessmentInputError(
            DYNAMOMETER_FIELD, f"dynamometer reading must be between 0 and {DYNAMOMETER_MAX_KG:g} kg"
        )
    return kilograms


@dataclass(frozen=True)
class ChangeRule:
    """How a re-assessment value is judged against the baseline: any change smaller than
    `unchanged_below` is within measurement error and reads as unchanged."""

    kind: ChangeKind
    unit: str
    unchanged_below: float
    source: str


CHANGE_RULES: tuple[ChangeRule, ...] = (
    ChangeRule(
        "rom",
        "degrees",
        5.0,
        "Practice default between the one-tester and between-tester figures of " + BOONE_1978,
    ),
    # Grades are ordinal: the smallest recorded change, one + or - step, counts. Compare grades
    # by the same tester, since + and - grades do not agree well between testers.
    ChangeRule("mmt", "grade steps", 1.0, "Practice default; see " + ONEILL_2017),
    ChangeRule(
        "dynamometer",
        "kg",
        5.0,
        "Lower end of the grip-strength MCID of 5.0-6.5 kg, " + BOHANNON_2019
        + "; a practice default for other muscle groups",
    ),
)

CHANGE_RULE_BY_KIND: dict[ChangeKind, ChangeRule] = {rule.kind: rule for rule in CHANGE_RULES}


@dataclass(frozen=True)
class Comparison:
    """A re-assessment value against the baseline; for every kind, more is better."""

    change: float
    # None for muscle grades (a percentage of an ordinal scale means nothing) and when the
    # baseline is zero or negative (an extension lag).
    percent_change: float | None
    direction: Direction
    unit: str


def compare(
    baseline_value: float | str | MuscleGrade,
    current_value: float | str | MuscleGrade,
    kind: ChangeKind,
) -> Comparison:
    """Range of motion in degrees, dynamometer in kg, muscle grades as text ("4+") or MuscleGrade."""
    rule = CHANGE_RULE_BY_KIND[kind]
    if kind == "mmt":
        change = float(_grade(current_value).ordinal - _grade(baseline_value).ordinal)
        percent_change = None
    else:
        baseline = _number(baseline_value, "baseline", f"baseline must be a number of {rule.unit}")
        current = _number(current_value, "current", f"current value must be a number of {rule.unit}")
        change = round(current - baseline, 1)
        percent_change = round(100 * (current - baseline) / baseline, 1) if baseline > 0 else None
    # Degrees and kilograms are kept and shown to a tenth; the change is judged as shown, by the
    # one rule every threshold goes through.
    if meets(abs(change), "below", rule.unchanged_below, places=1):
        direction: Direction = "unchanged"
    else:
        direction = "improved" if change > 0 else "declined"
    return Comparison(change, percent_change, direction, rule.unit)


_ONE = {"degrees": "degree", "grade steps": "grade step"}


def change_words(comparison: Comparison) -> str:
    """The change as a report's table shows it, signed: "+23 degrees", "-1 grade step", "+2.5 kg"."""
    sign = "+" if comparison.change > 0 else ""
    unit = _ONE.get(comparison.unit, comparison.unit) if abs(comparison.change) == 1 else comparison.unit
    return f"{sign}{comparison.change:g} {unit}"


def _grade(value: float | str | MuscleGrade) -> MuscleGrade:
    return value if isinstance(value, MuscleGrade) else parse_muscle_grade(str(value))


def _number(raw: object, field: str, message: str) -> float:
    # bool is an int to Python, but a tick box is never a reading.
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise AssessmentInputError(field, message)
    try:
        value = float(raw.strip().removesuffix("°") if isinstance(raw, str) else raw)
    except ValueError:
        raise AssessmentInputError(field, message) from None
    if not math.isfinite(value):
        raise AssessmentInputError(field, message)
    return value

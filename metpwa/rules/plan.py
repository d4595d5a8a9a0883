"""Checks the posted Plan of Exercise builder (dates, goals, prescribed exercises) into typed drafts with a message at each field, and words and judges plan goals for reports."""

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, Protocol

from metpwa.rules import parse
from metpwa.rules.assessment import DEGREE_LIMITS, DYNAMOMETER_MAX_KG
from metpwa.rules.sessions import LOAD_LIMITS as SESSION_LOAD_LIMITS
from metpwa.rules.thresholds import meets, places_of
from metpwa.standards.exercises import ACTIVITY_TYPES
from metpwa.standards.measures import BALANCE_STAGES, MEASURES, InputLimit
from metpwa.standards.questionnaires import QUESTIONNAIRES
from metpwa.standards.screening import MUSCLE_GROUPS

TargetKind = Literal["measure", "rom", "strength"]
Side = Literal["right", "left", "na"]
GoalDirection = Literal["below", "above"]
GoalStatus = Literal["met", "progressing", "not met"]

# Form data as `request.form.to_dict(flat=False)` gives it; plain `to_dict()` strings work too.
FormData = Mapping[str, Sequence[str] | str]

# Limits of a plan (issue 4). Practice defaults, not published values.
FREQUENCY_PER_WEEK = (1, 7)
DURATION_WEEKS = (1, 52)
START_AT_MOST_DAYS_AGO = 30
REASON_CHARS = (3, 1000)
MAX_GOALS = 10
GOAL_DESCRIPTION_CHARS = (3, 500)
MAX_EXERCISES = 30
SETS = (1, 10)
REPS = (1, 100)
SECONDS = (1, 3600)
# The loads a session can log (rules.sessions.LOAD_LIMITS): a plan never prescribes one the gym floor
# would refuse.
LOAD_LIMITS = {unit: float(limit) for unit, limit in SESSION_LOAD_LIMITS.items()}
LOAD_STEP = 0.5
REST_SECONDS = (0, 600)
PROGRESSION_MAX_CHARS = 500
# Borg CR-10 runs 0-10; a percentage is of the one-repetition maximum.
INTENSITY_RANGES: dict[str, tuple[float, float]] = {"rpe": (0.0, 10.0), "percent": (1.0, 100.0)}
INTENSITY_LABELS = {"rpe": "RPE", "percent": "Percent of 1RM"}
LOAD_UNITS = ("kg", "lb")

HEADER_FIELDS = ("starts_on", "review_on", "frequency_per_week", "duration_weeks", "reason")
# The builder's hidden field: the version it was opened on, blank for a first plan.
BASED_ON_FIELD = "based_on_version"
GOAL_FIELDS = ("description", "target", "side", "direction", "target_value", "by_week")
EXERCISE_FIELDS = (
    "exercise_id",
    "sets",
    "reps",
    "seconds",
    "load",
    "load_unit",
    "intensity_kind",
    "intensity_value",
    "rest_seconds",
    "progression",
    "activity_type",
)
# Selects post their first option even on a row nobody touched, so only the boxes a person
# fills in decide whether a row was left empty.
_GOAL_TYPED_FIELDS = ("description", "target", "target_value", "by_week")
_EXERCISE_TYPED_FIELDS = (
    "exercise_id", "sets", "reps", "seconds", "load", "intensity_value", "rest_seconds", "progression",
)


@dataclass(frozen=True)
class GoalTarget:
    """One thing a goal can be measured by; `value` is what the target select posts."""

    kind: TargetKind
    key: str
    # As the source names it: "Timed Up and Go", "knee flexion", "Knee extensors".
    label: str
    unit: str
    low: float
    high: float
    whole_number: bool
    # The way that is better; a goal always points this way.
    direction: GoalDirection
    sides: tuple[Side, ...]
    # How a target value reads in a sentence: "{:g} s", "stage {:g} of 4".
    value_format: str
    hint: str = ""
    # The decimals a measured value is shown with, which is the value a goal is judged on.
    places: int | None = None

    @property
    def value(self) -> str:
        return f"{self.kind}:{self.key}"


def _limit_range(limit: InputLimit) -> tuple[float, float, bool]:
    return limit.low, limit.high, limit.whole_number


def _questionnaire_range(key: str) -> tuple[float, float, bool]:
    questionnaire = QUESTIONNAIRES[key]
    return questionnaire.min_total, questionnaire.max_total, True


_GAIT_COURSE = MEASURES["gait_speed"].limit("course_m")
_GAIT_TRIAL = MEASURES["gait_speed"].limit("trials")

# The values a measure's score can take, from the limits on the inputs it is scored from
# (metpwa.rules.outcomes): a goal outside them could never be measured.
MEASURE_SCORE_RANGES: dict[str, tuple[float, float, bool]] = {
    # The mean of the trials.
    "tug": _limit_range(MEASURES["tug"].limit("trials")),
    # Using the arms scores 0, which the count's range already holds.
    "chair_stand_30s": _limit_range(MEASURES["chair_stand_30s"].limit("count")),
    # The number of stances held for the full time.
    "balance_4stage": (0, len(BALANCE_STAGES), True),
    # The stronger hand's mean, kept in kg.
    "grip": _limit_range(MEASURES["grip"].limit("grip_kg")),
    "nprs": _limit_range(MEASURES["nprs"].limit("rating")),
    "six_minute_walk": _limit_range(MEASURES["six_minute_walk"].limit("distance_m")),
    # Course length over the mean time: shortest course at the slowest time to longest at the fastest.
    "gait_speed": (
        round(_GAIT_COURSE.low / _GAIT_TRIAL.high, 2),
        round(_GAIT_COURSE.high / _GAIT_TRIAL.low, 2),
        False,
    ),
    "berg": _questionnaire_range("berg"),
    "lefs": _questionnaire_range("lefs"),
}

# Only grip is scored per hand; "na" is the stronger hand, the score a trend line follows.
_SIDED_MEASURES = {"grip"}
# The trunk is tested as a whole; every other muscle group and every motion is on one side.
_UNSIDED_MUSCLE_GROUPS = {"trunk_flexors", "trunk_extensors"}


def _measure_value_format(value_format: str) -> str:
    # The measure's own display without its fixed decimals, so a goal reads "12 s", not "12.0 s".
    return re.sub(r"\{:\.\d+f\}", "{:g}", value_format)


GOAL_TARGETS: dict[str, GoalTarget] = {
    target.value: target
    for target in (
        *(
            GoalTarget(
                "measure",
                key,
                MEASURES[key].name,
                MEASURES[key].unit,
                low,
                high,
                whole,
                "above" if MEASURES[key].higher_is_better else "below",
                ("right", "left", "na") if key in _SIDED_MEASURES else ("na",),
                _measure_value_format(MEASURES[key].value_format),
                places=places_of(MEASURES[key].value_format),
            )
            for key, (low, high, whole) in MEASURE_SCORE_RANGES.items()
        ),
        # Goniometer readings: more motion is better, and for extension less lag is better. Degrees
        # and kilograms are kept and shown to a tenth (Numeric(5, 1)).
        *(
            GoalTarget("rom", limit.key, limit.label, "deg", limit.low, limit.high, False, "above",
                       ("right", "left"), "{:g}°", limit.hint, places=1)
            for limit in DEGREE_LIMITS
        ),
        # Strength goals are dynamometer readings; manual muscle test grades are too coarse to aim at.
        *(
            GoalTarget("strength", key, label, "kg", 0.0, DYNAMOMETER_MAX_KG, False, "above",
                       ("na",) if key in _UNSIDED_MUSCLE_GROUPS else ("right", "left"), "{:g} kg", places=1)
            for key, label in MUSCLE_GROUPS
        ),
    )
}


@dataclass(frozen=True)
class ExerciseInfo:
    """A library exercise of the practice, as the caller loads it; an id missing from the mapping
    passed to `parse_plan` is refused, so another practice's exercise cannot be planned."""

    id: int
    name: str
    activity_type: str
    load_unit: str | None


@dataclass(frozen=True)
class PlanHeader:
    starts_on: date
    review_on: date
    frequency_per_week: int
    duration_weeks: int
    reason: str | None


@dataclass(frozen=True)
class GoalDraft:
    """One checked goal row; `baseline_value` is filled in by the caller from the baseline
    assessment (`dataclasses.replace`), since the form does not post it."""

    position: int
    description: str
    target_kind: TargetKind
    target_key: str
    side: Side
    direction: GoalDirection
    target_value: float
    unit: str
    by_week: int
    baseline_value: float | None = None


@dataclass(frozen=True)
class ExerciseDraft:
    position: int
    exercise_id: int
    sets: int
    reps: int | None
    seconds: int | None
    load: float | None
    load_unit: str | None
    intensity_kind: str | None
    intensity_value: float | None
    rest_seconds: int | None
    progression: str | None
    activity_type: str


@dataclass(frozen=True)
class PlanForm:
    """The posted builder, checked.

    `errors` is keyed by form field name ("frequency_per_week", "goals-3-target_value"), or by
    "goals" / "exercises" for the rows as a whole. `header` is None and the draft lists leave out
    rows with errors unless `ok`, so only an ok form is saved. `raw` holds the known fields exactly
    as posted, for showing the page again with `goal_rows(raw)` and `exercise_rows(raw)`.
    """

    header: PlanHeader | None
    goals: list[GoalDraft]
    exercises: list[ExerciseDraft]
    errors: dict[str, str]
    raw: dict[str, list[str]]

    @property
    def ok(self) -> bool:
        return not self.errors


class GoalStatement(Protocol):
    """What goal_text reads: a GoalDraft or a saved PlanGoal."""

    @property
    def target_kind(self) -> str: ...
    @property
    def target_key(self) -> str: ...
    @property
    def side(self) -> str: ...
    @property
    def direction(self) -> str: ...
    @property
    def target_value(self) -> float: ...
    @property
    def unit(self) -> str: ...
    @property
    def by_week(self) -> int: ...


class SavedPlan(Protocol):
    """What same_plan reads: a saved PlanVersion, whose goals and exercises have the drafts' fields."""

    @property
    def starts_on(self) -> date: ...
    @property
    def review_on(self) -> date: ...
    @property
    def frequency_per_week(self) -> int: ...
    @property
    def duration_weeks(self) -> int: ...
    @property
    def goals(self) -> Sequence[object]: ...
    @property
    def exercises(self) -> Sequence[object]: ...


class GoalProgress(Protocol):
    """What goal_status reads: a GoalDraft with its baseline, or a saved PlanGoal."""

    @property
    def direction(self) -> str: ...
    @property
    def target_value(self) -> float: ...
    @property
    def baseline_value(self) -> float | None: ...
    @property
    def by_week(self) -> int: ...


# Row indexes beyond four digits are not rows a person added.
_ROW = re.compile(r"(goals|exercises)-(0|[1-9][0-9]{0,3})-([a-z_]+)", re.ASCII)


def parse_plan(
    form: FormData,
    *,
    exercises: Mapping[int, ExerciseInfo],
    today: date,
    previous_version: int | None = None,
) -> PlanForm:
    """Check one post of the plan builder; never raises on what was posted.

    `exercises` is the practice's own library by id. A reason for the change is required when
    `previous_version` (the version this one replaces) is given.
    """
    raw = _raw_fields(form)
    errors: dict[str, str] = {}
    header, duration = _parse_header(raw, today, previous_version, errors)

    goal_rows_typed = [(n, row) for n, row in goal_rows(raw) if _filled(row, _GOAL_TYPED_FIELDS)]
    goals: list[GoalDraft] = []
    for position, (n, row) in enumerate(goal_rows_typed, start=1):
        goal = _parse_goal(n, row, position, duration, errors)
        if goal is not None:
            goals.append(goal)
    if not goal_rows_typed:
        errors["goals"] = "Add at least one goal."
    elif len(goal_rows_typed) > MAX_GOALS:
        errors["goals"] = f"A plan can have at most {MAX_GOALS} goals."

    exercise_rows_typed = [(n, row) for n, row in exercise_rows(raw) if _filled(row, _EXERCISE_TYPED_FIELDS)]
    drafts: list[ExerciseDraft] = []
    doses: set[tuple[object, ...]] = set()
    for position, (n, row) in enumerate(exercise_rows_typed, start=1):
        draft = _parse_exercise(n, row, position, exercises, errors)
        if draft is None:
            continue
        if _dose(draft) in doses:
            errors[f"exercises-{n}-exercise_id"] = "This exercise is already in the plan."
            continue
        doses.add(_dose(draft))
        drafts.append(draft)
    if not exercise_rows_typed:
        errors["exercises"] = "Add at least one exercise."
    elif len(exercise_rows_typed) > MAX_EXERCISES:
        errors["exercises"] = f"A plan can have at most {MAX_EXERCISES} exercises."

    return PlanForm(header=header, goals=goals, exercises=drafts, errors=errors, raw=raw)


def based_on_version(form: FormData) -> int | None:
    """The version the builder was opened on, from its hidden field; None for a first plan. A
    page without the field counts as opened on no plan, so it cannot replace one unseen."""
    return parse.whole_number(_last(_as_list(form.get(BASED_ON_FIELD, []))), 1, 10**9 - 1)


# What a plan prescribes, field by field; the reason, the baseline values and who saved it are
# about the version, not the plan.
_HEADER_CONTENT = ("starts_on", "review_on", "frequency_per_week", "duration_weeks")
_GOAL_CONTENT = ("description", "target_kind", "target_key", "side", "direction", "target_value", "by_week")
_EXERCISE_CONTENT = ("exercise_id", "sets", "reps", "seconds", "load", "load_unit", "intensity_kind",
                     "intensity_value", "rest_seconds", "progression", "activity_type")


def same_plan(form: PlanForm, saved: SavedPlan) -> bool:
    """Whether a checked post prescribes exactly what a saved version does: the same dates,
    frequency and length, and the same goals and exercises in the same order.

    A double tap, or two people making the same change, is this: one version, not two, whatever
    reason each gave.
    """
    if not form.ok or form.header is None:
        return False

    def content(item: object, fields: tuple[str, ...]) -> tuple[object, ...]:
        return tuple(getattr(item, name) for name in fields)

    return (
        content(form.header, _HEADER_CONTENT) == content(saved, _HEADER_CONTENT)
        and [content(g, _GOAL_CONTENT) for g in form.goals] == [content(g, _GOAL_CONTENT) for g in saved.goals]
        and [content(e, _EXERCISE_CONTENT) for e in form.exercises]
        == [content(e, _EXERCISE_CONTENT) for e in saved.exercises]
    )


def goal_rows(values: FormData) -> list[tuple[int, dict[str, str]]]:
    """The goal rows as `(n, {field: text})` in the order they were posted (the page may have
    been reordered, so `n` is not a position); every field is present, blank if not posted."""
    return _rows(values, "goals", GOAL_FIELDS)


def exercise_rows(values: FormData) -> list[tuple[int, dict[str, str]]]:
    """The exercise rows as `(n, {field: text})` in the order they were posted."""
    return _rows(values, "exercises", EXERCISE_FIELDS)


def value_text(target_kind: str, target_key: str, value: float, unit: str = "") -> str:
    """A goal's target, baseline or latest value as the measure shows it everywhere: the same
    decimals (a TUG of 2.1667 s reads "2.2 s" in goals as in measures) and the same unit ("°")."""
    target = GOAL_TARGETS.get(f"{target_kind}:{target_key}")
    if target is None:
        # A saved goal whose target has since left the standards still has to print.
        return f"{float(value):g} {unit}".strip()
    number = round(float(value), target.places) if target.places is not None else float(value)
    return target.value_format.format(number)


def goal_value(goal: GoalStatement, value: float | None) -> str | None:
    """`value_text` for one of this goal's readings; None when there is none."""
    return None if value is None else value_text(goal.target_kind, goal.target_key, value, goal.unit)


def goal_text(goal: GoalStatement) -> str:
    """One line for notes and reports: "Right knee flexion above 120° by week 6"."""
    target = GOAL_TARGETS.get(f"{goal.target_kind}:{goal.target_key}")
    if target is None:
        # A saved goal whose target has since left the standards still has to print.
        return f"{goal.target_key} {goal.direction} {goal.target_value:g} {goal.unit} by week {goal.by_week}"
    if goal.side in ("right", "left"):
        subject = f"{goal.side.capitalize()} {target.label[:1].lower()}{target.label[1:]}"
    else:
        subject = _capitalized(target.label)
    return f"{subject} {goal.direction} {goal_value(goal, goal.target_value)} by week {goal.by_week}"


def new_version_dates(starts_on: date, review_on: date, duration_weeks: int, today: date) -> tuple[date, date]:
    """The start and review dates the builder opens a new version with: the current version's while
    they can still be saved; once its start is further back than a new version may start, today and
    a review four weeks on (within the plan's weeks), or every change after the first month would be
    refused until both dates were retyped."""
    if starts_on >= today - timedelta(days=START_AT_MOST_DAYS_AGO):
        return starts_on, review_on
    return today, today + timedelta(weeks=min(4, duration_weeks))


def plan_week(starts_on: date, day: date) -> int:
    """The plan week `day` falls in: the start date and the six days after it are week 1."""
    return (day - starts_on).days // 7 + 1


def goal_status(goal: GoalProgress, latest_value: float, *, week: int) -> GoalStatus:
    """Judge a goal by the latest measured value in plan week `week` (see `plan_week`).

    - "met": the latest value, as it is shown, is past the target in the goal's direction.
      Strictly past, as the goal is worded: 12.0 s is not "below 12 s". The result's own sentence
      reads a goal the same way (metpwa.rules.outcomes.goal_reached), through the one rule of
      metpwa.rules.thresholds.
    - "progressing": not met, but better than the baseline, and the goal's week has not passed.
    - "not met": anything else, including a goal without a baseline that is not yet met, since
      progress cannot be shown without one.
    """
    target = GOAL_TARGETS.get(f"{getattr(goal, 'target_kind', '')}:{getattr(goal, 'target_key', '')}")
    places = target.places if target is not None else None
    relation = "below" if goal.direction == "below" else "above"
    if meets(latest_value, relation, goal.target_value, places=places):
        return "met"
    if (
        goal.baseline_value is not None
        and meets(latest_value, relation, goal.baseline_value, places=places)
        and week <= goal.by_week
    ):
        return "progressing"
    return "not met"


def _parse_header(
    raw: Mapping[str, list[str]], today: date, previous_version: int | None, errors: dict[str, str]
) -> tuple[PlanHeader | None, int | None]:
    """The header, or None if any of it is wrong; also the duration on its own, which the goals'
    weeks are checked against even when a date is wrong."""
    header_errors: dict[str, str] = {}
    frequency = parse.whole_number(_text(raw, "frequency_per_week"), *FREQUENCY_PER_WEEK)
    if frequency is None:
        header_errors["frequency_per_week"] = (
            f"Sessions per week must be a whole number from {FREQUENCY_PER_WEEK[0]} to {FREQUENCY_PER_WEEK[1]}."
        )
    duration = parse.whole_number(_text(raw, "duration_weeks"), *DURATION_WEEKS)
    if duration is None:
        header_errors["duration_weeks"] = (
            f"Duration must be a whole number of weeks from {DURATION_WEEKS[0]} to {DURATION_WEEKS[1]}."
        )

    starts_on = parse.us_date(_text(raw, "starts_on"), formats=parse.FULL_DATE_FORMATS)
    earliest = today - timedelta(days=START_AT_MOST_DAYS_AGO)
    if starts_on is None:
        header_errors["starts_on"] = "Enter the start date as MM/DD/YYYY."
    elif starts_on < earliest:
        header_errors["starts_on"] = (
            f"The start date can be at most {START_AT_MOST_DAYS_AGO} days ago ({earliest:%m/%d/%Y} or later)."
        )
    review_on = parse.us_date(_text(raw, "review_on"), formats=parse.FULL_DATE_FORMATS)
    if review_on is None:
        header_errors["review_on"] = "Enter the review date as MM/DD/YYYY."
    elif starts_on is not None and review_on <= starts_on:
        header_errors["review_on"] = "Review date must be after the start date."
    elif starts_on is not None and duration is not None and review_on > starts_on + timedelta(weeks=duration):
        last = starts_on + timedelta(weeks=duration)
        header_errors["review_on"] = (
            f"Review date must be no later than {last:%m/%d/%Y}, the end of the plan ({_weeks(duration)})."
        )

    reason = parse.clean_text(_text(raw, "reason"), multiline=True)
    if not reason and previous_version is not None:
        header_errors["reason"] = f"Say why you are changing version {previous_version}."
    elif reason and len(reason) < REASON_CHARS[0]:
        header_errors["reason"] = "Say a little more about why the plan is changing."
    elif len(reason) > REASON_CHARS[1]:
        header_errors["reason"] = _too_long(REASON_CHARS[1])

    errors.update(header_errors)
    if header_errors or starts_on is None or review_on is None or frequency is None or duration is None:
        return None, duration
    return PlanHeader(starts_on, review_on, frequency, duration, reason or None), duration


def _parse_goal(
    n: int, row: Mapping[str, str], position: int, duration: int | None, errors: dict[str, str]
) -> GoalDraft | None:
    row_errors: dict[str, str] = {}

    def field(name: str) -> str:
        return f"goals-{n}-{name}"

    description = parse.clean_text(row["description"], multiline=False)
    if len(description) < GOAL_DESCRIPTION_CHARS[0]:
        row_errors[field("description")] = "Describe the goal in a few words."
    elif len(description) > GOAL_DESCRIPTION_CHARS[1]:
        row_errors[field("description")] = _too_long(GOAL_DESCRIPTION_CHARS[1])

    by_week = parse.whole_number(row["by_week"], 1, DURATION_WEEKS[1])
    if by_week is None:
        row_errors[field("by_week")] = f"Week must be a whole number from 1 to {duration or DURATION_WEEKS[1]}."
    elif duration is not None and by_week > duration:
        row_errors[field("by_week")] = f"Week {by_week} is after the plan ends ({_weeks(duration)})."

    target_text = row["target"].strip()
    target = GOAL_TARGETS.get(target_text)
    side: Side | None = None
    direction: GoalDirection | None = None
    value: float | None = None
    if target is None:
        row_errors[field("target")] = (
            "Choose a target from the list." if target_text else "Choose what the goal is measured by."
        )
    else:
        side, side_error = _side(target, row["side"].strip())
        if side_error:
            row_errors[field("side")] = side_error
        direction, direction_error = _direction(target, row["direction"].strip())
        if direction_error:
            row_errors[field("direction")] = direction_error
        value, value_error = _target_value(target, row["target_value"], direction)
        if value_error:
            row_errors[field("target_value")] = value_error

    errors.update(row_errors)
    if row_errors or target is None or side is None or direction is None or value is None or by_week is None:
        return None
    return GoalDraft(
        position, description, target.kind, target.key, side, direction, value, target.unit, by_week
    )


def _side(target: GoalTarget, text: str) -> tuple[Side | None, str | None]:
    if not text and "na" in target.sides:
        return "na", None
    for side in target.sides:
        if text == side:
            return side, None
    if target.sides == ("na",):
        return None, f"{_capitalized(target.label)} is not measured on one side: choose not sided."
    if "na" in target.sides:
        return None, "Choose right, left or not sided."
    return None, "Choose right or left."


def _direction(target: GoalTarget, text: str) -> tuple[GoalDirection | None, str | None]:
    # The better way follows from the target, so an untouched select is not an error.
    if not text or text == target.direction:
        return target.direction, None
    if text in ("below", "above"):
        better = "Lower" if target.direction == "below" else "Higher"
        return None, f"{better} is better for {target.label}: choose {target.direction}."
    return None, "Choose above or below."


def _target_value(
    target: GoalTarget, text: str, direction: GoalDirection | None
) -> tuple[float | None, str | None]:
    if not text.strip():
        return None, "Enter the target value."
    value = _decimal(text)
    if value is None:
        return None, "The target must be a number, for example 12."
    hint = f" ({target.hint})" if target.hint else ""
    if target.whole_number and not value.is_integer():
        return None, f"The target must be a whole number from {target.low:g} to {target.high:g}."
    if not target.low <= value <= target.high:
        unit = "" if target.whole_number else f" {target.unit}"
        return None, f"The target must be from {target.low:g} to {target.high:g}{unit}{hint}."
    # A goal at the very end of the scale could never be passed.
    if direction == "below" and value == target.low:
        return None, f"No result can be below {target.low:g}; choose a higher target."
    if direction == "above" and value == target.high:
        return None, f"No result can be above {target.high:g}; choose a lower target."
    # Stored as Numeric(7, 2).
    return round(value, 2), None


def _parse_exercise(
    n: int,
    row: Mapping[str, str],
    position: int,
    library: Mapping[int, ExerciseInfo],
    errors: dict[str, str],
) -> ExerciseDraft | None:
    problems: dict[str, str] = {}  # by the row's own field names

    exercise_id = parse.whole_number(row["exercise_id"], 1, 10**9 - 1)
    info = library.get(exercise_id) if exercise_id is not None else None
    if info is None:
        problems["exercise_id"] = "Choose an exercise from the library."

    sets = parse.whole_number(row["sets"], *SETS)
    if sets is None:
        problems["sets"] = f"Sets must be a whole number from {SETS[0]} to {SETS[1]}."

    reps, seconds = _reps_or_seconds(row, problems)
    load, load_unit = _load(row, info, problems)
    intensity_kind, intensity_value = _intensity(row, problems)

    rest_seconds: int | None = None
    if row["rest_seconds"].strip():
        rest_seconds = parse.whole_number(row["rest_seconds"], *REST_SECONDS)
        if rest_seconds is None:
            problems["rest_seconds"] = (
                f"Rest must be a whole number of seconds from {REST_SECONDS[0]} to {REST_SECONDS[1]}."
            )

    progression = parse.clean_text(row["progression"], multiline=True)
    if len(progression) > PROGRESSION_MAX_CHARS:
        problems["progression"] = _too_long(PROGRESSION_MAX_CHARS)

    activity_type = row["activity_type"].strip()
    if activity_type and activity_type not in ACTIVITY_TYPES:
        problems["activity_type"] = "Choose one of the listed activity types."

    errors.update({f"exercises-{n}-{name}": message for name, message in problems.items()})
    if problems or info is None or sets is None:
        return None
    return ExerciseDraft(
        position,
        info.id,
        sets,
        reps,
        seconds,
        load,
        load_unit,
        intensity_kind,
        intensity_value,
        rest_seconds,
        progression or None,
        # Minutes count toward the exercise's own activity unless the trainer chose another.
        activity_type or info.activity_type,
    )


def _reps_or_seconds(row: Mapping[str, str], problems: dict[str, str]) -> tuple[int | None, int | None]:
    """A set is counted in reps or timed in seconds, never both."""
    reps_text, seconds_text = row["reps"].strip(), row["seconds"].strip()
    if reps_text and seconds_text:
        problems["reps"] = "Give reps or seconds, not both."
    elif not reps_text and not seconds_text:
        problems["reps"] = "Give reps or a time."
    elif reps_text:
        reps = parse.whole_number(reps_text, *REPS)
        if reps is None:
            problems["reps"] = f"Reps must be a whole number from {REPS[0]} to {REPS[1]}."
        return reps, None
    else:
        seconds = parse.whole_number(seconds_text, *SECONDS)
        if seconds is None:
            problems["seconds"] = f"Time must be a whole number of seconds from {SECONDS[0]} to {SECONDS[1]}."
        return None, seconds
    return None, None


def _load(row: Mapping[str, str], info: ExerciseInfo | None,
          problems: dict[str, str]) -> tuple[float | None, str | None]:
    """The load in kg or lb, to the nearest half; none when the box is blank."""
    if not row["load"].strip():
        return None, None
    unit_text = row["load_unit"].strip()
    # An untouched unit select takes the unit the library gives the exercise, if it is a weight.
    if not unit_text and info is not None and info.load_unit in LOAD_UNITS:
        unit_text = info.load_unit
    unit = unit_text if unit_text in LOAD_UNITS else None
    if unit is None:
        problems["load_unit"] = "Choose kg or lb for the load."
    load: float | None = None
    ceiling = LOAD_LIMITS[unit or "kg"]
    typed = _decimal(row["load"])
    if typed is None:
        problems["load"] = "Type the load as a number, such as 12.5."
    elif not 0 <= typed <= ceiling:
        problems["load"] = f"Load must be 0 to {ceiling:g} {unit or 'kg'}."
    else:
        # Half up to the nearest 0.5 (round() would take 2.25 down to 2.0).
        load = math.floor(typed / LOAD_STEP + 0.5) * LOAD_STEP
    return load, unit


def _intensity(row: Mapping[str, str], problems: dict[str, str]) -> tuple[str | None, float | None]:
    """RPE or percent of 1RM; the kind is a select, so chosen without a value it means none was set."""
    kind_text, value_text = row["intensity_kind"].strip(), row["intensity_value"].strip()
    if not value_text:
        return None, None
    if kind_text not in INTENSITY_RANGES:
        problems["intensity_kind"] = "Choose RPE or percent of 1RM."
        return None, None
    low, high = INTENSITY_RANGES[kind_text]
    typed = _decimal(value_text)
    if typed is None or not low <= typed <= high:
        problems["intensity_value"] = f"{INTENSITY_LABELS[kind_text]} is {low:g} to {high:g}."
        return None, None
    # Stored as Numeric(5, 1).
    return kind_text, round(typed, 1)


def _dose(draft: ExerciseDraft) -> tuple[object, ...]:
    # The same exercise twice is fine at two doses; a different progression wording alone is not
    # a different prescription.
    return (
        draft.exercise_id,
        draft.sets,
        draft.reps,
        draft.seconds,
        draft.load,
        draft.load_unit,
        draft.intensity_kind,
        draft.intensity_value,
        draft.rest_seconds,
    )


def _raw_fields(form: FormData) -> dict[str, list[str]]:
    raw: dict[str, list[str]] = {}
    for name, posted in form.items():
        if name in HEADER_FIELDS:
            raw[name] = _as_list(posted)
        elif (match := _ROW.fullmatch(name)) and match[3] in (
            GOAL_FIELDS if match[1] == "goals" else EXERCISE_FIELDS
        ):
            raw[name] = _as_list(posted)
    return raw


def _rows(values: FormData, group: str, fields: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    # A dict keeps insertion order, so each row sits where its first field was posted.
    rows: dict[int, dict[str, str]] = {}
    for name, posted in values.items():
        match = _ROW.fullmatch(name)
        if match and match[1] == group and match[3] in fields:
            rows.setdefault(int(match[2]), dict.fromkeys(fields, ""))[match[3]] = _last(_as_list(posted))
    return list(rows.items())


def _filled(row: Mapping[str, str], fields: tuple[str, ...]) -> bool:
    return any(row[name].strip() for name in fields)


def _as_list(posted: Sequence[str] | str) -> list[str]:
    # `to_dict()` without flat=False gives one string per field; list("12") would be digits.
    return [posted] if isinstance(posted, str) else [str(value) for value in posted]


def _last(posted: Sequence[str]) -> str:
    # Every field here is one box or one select; if more arrive, the last one set wins.
    return posted[-1] if posted else ""


def _text(raw: Mapping[str, list[str]], name: str) -> str:
    return _last(raw.get(name, []))


def _decimal(text: str) -> float | None:
    value = parse.decimal(text)
    return None if value is None else float(value)


def _too_long(limit: int) -> str:
    return f"Please keep this to {limit} characters or fewer."


def _weeks(count: int) -> str:
    return "1 week" if count == 1 else f"{count} weeks"


def _capitalized(label: str) -> str:
    return f"{label[:1].upper()}{label[1:]}"

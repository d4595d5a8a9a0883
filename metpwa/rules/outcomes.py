"""Scores functional outcome measures from the raw trials a trainer enters, and interprets them against fall-risk cut-offs, age/sex norms and the client's baseline in a sentence reports can reuse."""

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from metpwa.rules.errors import InputError
from metpwa.rules.thresholds import Relation, as_shown, mean_as_shown, meets, places_of
from metpwa.standards.measures import (
    BALANCE_HOLD_SECONDS,
    BALANCE_STAGES,
    CHAIR_STAND_BELOW_AVERAGE,
    GRIP_NORMS,
    KG_PER_LB,
    LENGTH_UNITS,
    M_PER_FT,
    MEASURES,
    TANDEM_STAGE,
    TUG_AGE_MEANS,
    ChangeThreshold,
    FallRiskCutoff,
    InputLimit,
    MeasureDefinition,
    Sex,
)
from metpwa.standards.questionnaires import QUESTIONNAIRES

Hand = Literal["right", "left"]
Direction = Literal["improved", "declined", "unchanged"]

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_SEXES: dict[str, Sex] = {"female": "female", "f": "female", "male": "male", "m": "male"}
_PEOPLE = {"female": "women", "male": "men"}


class MeasureInputError(InputError):
    """A raw value was refused; `message` is written for the trainer, `field` names the raw field."""


@dataclass(frozen=True)
class Score:
    measure_key: str
    value: float
    unit: str
    display: str
    trials_s: tuple[float, ...] = ()
    stage_seconds: tuple[float, ...] = ()
    arms_used: bool = False
    right_kg: float | None = None
    left_kg: float | None = None
    right_lb: float | None = None
    left_lb: float | None = None
    items: tuple[int, ...] = ()


@dataclass(frozen=True)
class FallRiskFlag:
    cutoff: FallRiskCutoff
    value: float
    text: str


@dataclass(frozen=True)
class NormComparison:
    text: str
    reference: float
    worse_than_norm: bool
    source: str
    hand: Hand | None = None


@dataclass(frozen=True)
class Change:
    label: str
    baseline: float
    current: float
    difference: float
    direction: Direction
    threshold: ChangeThreshold | None
    meaningful: bool
    # How the change compares with the threshold, e.g. "larger than the 1.1 s minimal
    # detectable change"; None when no threshold is on file for the measure.
    comparison: str | None


@dataclass(frozen=True)
class LoincObservation:
    """One coded value as it goes out (an export, a FHIR Observation): the value in the code's unit."""

    code: str
    display: str
    part: str
    value: float
    unit: str


@dataclass(frozen=True)
class Interpretation:
    measure_key: str
    score: Score
    fall_risk_flags: tuple[FallRiskFlag, ...]
    norms: tuple[NormComparison, ...]
    changes: tuple[Change, ...]
    goal: float | None
    goal_met: bool | None
    sentence: str

    @property
    def at_fall_risk(self) -> bool:
        # A cut-off that must never be used alone (Barry 2014) cannot raise the flag by itself.
        return any(flag.cutoff.use_alone for flag in self.fall_risk_flags)

    @property
    def meaningful_change(self) -> bool:
        return any(change.meaningful for change in self.changes)


def age_on(date_of_birth: date, on_date: date) -> int:
    """Age in whole years on the test date."""
    if on_date < date_of_birth:
        raise MeasureInputError("date_of_birth", "date of birth is after the test date")
    had_birthday = (on_date.month, on_date.day) >= (date_of_birth.month, date_of_birth.day)
    return on_date.year - date_of_birth.year - (0 if had_birthday else 1)


def short_date(day: date, *, relative_to: date | None = None) -> str:
    """'Mar 3', with the year added when it differs from `relative_to` (or that is unknown)."""
    text = f"{_MONTHS[day.month - 1]} {day.day}"
    if relative_to is None or relative_to.year != day.year:
        text += f", {day.year}"
    return text


def definition(measure_key: str) -> MeasureDefinition:
    try:
        return MEASURES[measure_key]
    except KeyError:
        raise KeyError(f"unknown outcome measure {measure_key!r}") from None


def score(measure_key: str, raw: Mapping[str, object]) -> Score:
    """Validate the raw entry for one measure and compute its score."""
    measure = definition(measure_key)
    return _SCORERS[measure.key](measure, raw)


def rescored(measure_key: str, raw: Mapping[str, object], recorded: Score) -> Score:
    """A stored result under today's rules: its raw entry scored again, so results saved before a
    correction (issue 16: TUG means rounded twice, to hundredths and again) are shown and judged with
    one rounding like new ones. The recorded score stands when today's checks refuse the old entry."""
    try:
        return score(measure_key, raw)
    except MeasureInputError:
        return recorded


def display_today(measure_key: str, raw: Mapping[str, object], recorded_display: str) -> str:
    """How a stored result reads under today's rules (see rescored); the recorded words otherwise."""
    try:
        return score(measure_key, raw).display
    except MeasureInputError:
        return recorded_display


def _check(value: float, limit: InputLimit, field: str, where: str) -> float:
    if limit.allowed:
        if value not in limit.allowed:
            choices = " or ".join(f"{choice:g} {limit.unit}" for choice in limit.allowed)
            raise MeasureInputError(field, f"{limit.label} must be {choices}{where}")
        return value
    if limit.whole_number and not (value.is_integer() and limit.low <= value <= limit.high):
        raise MeasureInputError(
            field, f"{limit.label} must be a whole number from {limit.low:g} to {limit.high:g}{where}"
        )
    if value > limit.high and limit.over_message:
        raise MeasureInputError(field, f"{limit.over_message}{where}")
    if not limit.low <= value <= limit.high:
        unit = f" {limit.unit}" if limit.unit else ""
        raise MeasureInputError(
            field, f"{limit.label} must be between {limit.low:g} and {limit.high:g}{unit}{where}"
        )
    return value


def _number(entered: object, limit: InputLimit, field: str, where: str = "") -> float:
    # Form posts send text, JSON sends numbers; a tick box (bool) is never a number.
    value: float | None = None
    if isinstance(entered, (int, float)) and not isinstance(entered, bool):
        value = float(entered)
    elif isinstance(entered, str):
        try:
            value = float(entered.strip())
        except ValueError:
            value = None
    if value is None or not math.isfinite(value):
        raise MeasureInputError(field, f"{limit.label} must be a number{where}")
    return _check(value, limit, field, where)


def _entries(raw: Mapping[str, object], field: str) -> Sequence[object]:
    entered = raw.get(field, ())
    if isinstance(entered, (str, bytes)) or not isinstance(entered, Sequence):
        raise MeasureInputError(field, "enter the readings as a list")
    return entered


def _trials(measure: MeasureDefinition, raw: Mapping[str, object], field: str = "trials") -> tuple[float, ...]:
    entered = _entries(raw, field)
    if not entered:
        raise MeasureInputError(field, "record at least one trial")
    if measure.max_trials is not None and len(entered) > measure.max_trials:
        raise MeasureInputError(field, f"record at most {measure.max_trials} trials")
    limit = measure.limit(field)
    return tuple(
        _number(trial, limit, field, f" (trial {number})") for number, trial in enumerate(entered, start=1)
    )


def _places(measure: MeasureDefinition) -> int | None:
    """The decimals the measure is shown with: every score is rounded to them once, and every
    judgement reads the score as shown (metpwa.rules.thresholds)."""
    return places_of(measure.value_format)


def _shown(measure: MeasureDefinition, value: float | Decimal) -> float:
    return as_shown(value, _places(measure))


def _display(measure: MeasureDefinition, value: float) -> str:
    return measure.value_format.format(_shown(measure, value))


def _judged(measure: MeasureDefinition, value: float, relation: Relation, reference: float) -> bool:
    return meets(value, relation, reference, places=_places(measure))


def _score_tug(measure: MeasureDefinition, raw: Mapping[str, object]) -> Score:
    trials = _trials(measure, raw)
    # The mean of the trials as shown, rounded once: [11.95, 11.95, 11.94] is 11.9 s, not 12.0 s.
    value = mean_as_shown(trials, _places(measure))
    return Score(measure.key, value, measure.unit, _display(measure, value), trials_s=trials)


def _score_chair_stand(measure: MeasureDefinition, raw: Mapping[str, object]) -> Score:
    count = int(_number(raw.get("count"), measure.limit("count"), "count"))
    arms_used = raw.get("arms_used", False)
    if not isinstance(arms_used, bool):
        raise MeasureInputError("arms_used", "arms used must be yes or no")
    # CDC STEADI: pushing up with the arms makes the test invalid, scored 0.
    value = 0 if arms_used else count
    display = _display(measure, value) + (" (arms used)" if arms_used else "")
    return Score(measure.key, value, measure.unit, display, arms_used=arms_used)


def _score_balance(measure: MeasureDefinition, raw: Mapping[str, object]) -> Score:
    entered = _entries(raw, "stage_seconds")
    if not entered:
        raise MeasureInputError("stage_seconds", "record the seconds held for at least the first stance")
    if len(entered) > len(BALANCE_STAGES):
        raise MeasureInputError("stage_seconds", f"the test has only {len(BALANCE_STAGES)} stances")
    limit = measure.limit("stage_seconds")
    held = tuple(
        _number(seconds, limit, "stage_seconds", f" ({BALANCE_STAGES[index].lower()})")
        for index, seconds in enumerate(entered)
    )
    for index, seconds in enumerate(held[:-1]):
        if seconds < BALANCE_HOLD_SECONDS:
            raise MeasureInputError(
                "stage_seconds",
                f"{BALANCE_STAGES[index + 1].lower()} is only tried after"
                f" {BALANCE_STAGES[index].lower()} is held for 10 seconds",
            )
    highest = sum(1 for seconds in held if seconds >= BALANCE_HOLD_SECONDS)
    return Score(measure.key, highest, measure.unit, _display(measure, highest), stage_seconds=held)


def _score_grip(measure: MeasureDefinition, raw: Mapping[str, object]) -> Score:
    unit = raw.get("unit")
    if unit not in ("kg", "lb"):
        raise MeasureInputError("unit", "unit must be kg or lb")
    limit = measure.limit(f"grip_{unit}")
    means_kg: dict[Hand, float] = {}
    means_lb: dict[Hand, float] = {}
    hands: tuple[Hand, Hand] = ("right", "left")
    for hand in hands:
        entered = _entries(raw, hand)
        if measure.max_trials is not None and len(entered) > measure.max_trials:
            raise MeasureInputError(hand, f"record at most {measure.max_trials} trials per hand")
        readings = [
            _number(reading, limit, hand, f" ({hand} hand, trial {number})")
            for number, reading in enumerate(entered, start=1)
        ]
        if readings:
            mean = sum((Decimal(str(reading)) for reading in readings), Decimal(0)) / len(readings)
            # Convert the exact mean, not each reading or a rounded mean, and round once: to the
            # tenth the kilograms are shown at, and the tenth of a pound the norms are given in.
            per_kg = Decimal(str(KG_PER_LB))
            means_kg[hand] = _shown(measure, mean if unit == "kg" else mean * per_kg)
            means_lb[hand] = _shown(measure, mean if unit == "lb" else mean / per_kg)
    if not means_kg:
        raise MeasureInputError("right", "record at least one trial for one hand")
    # The stronger hand is the single number a trend line follows; both hands are kept.
    value = max(means_kg.values())
    display = ", ".join(f"{hand} {_display(measure, kg)}" for hand, kg in means_kg.items())
    return Score(
        measure.key,
        value,
        measure.unit,
        display,
        right_kg=means_kg.get("right"),
        left_kg=means_kg.get("left"),
        right_lb=means_lb.get("right"),
        left_lb=means_lb.get("left"),
    )


def _score_nprs(measure: MeasureDefinition, raw: Mapping[str, object]) -> Score:
    rating = int(_number(raw.get("rating"), measure.limit("rating"), "rating"))
    return Score(measure.key, rating, measure.unit, _display(measure, rating))


def _score_six_minute_walk(measure: MeasureDefinition, raw: Mapping[str, object]) -> Score:
    """Laps times the lap length plus the last part-lap, both entered in the unit the hallway was
    measured in (feet or metres), kept in metres: the MCID and the ATS protocol are in metres."""
    unit = raw.get("length_unit")
    if unit not in LENGTH_UNITS:
        raise MeasureInputError("length_unit", "choose whether the hallway was measured in feet or metres")
    laps = _number(raw.get("laps"), measure.limit("laps"), "laps")
    lap_length = _number(raw.get("lap_length"), measure.limit(f"lap_length_{unit}"), "lap_length")
    extra = _number(raw.get("extra", 0), measure.limit(f"extra_{unit}"), "extra")
    if extra >= lap_length:
        raise MeasureInputError("extra", f"extra distance must be less than one lap ({lap_length:g} {unit})")
    per_unit = Decimal(str(M_PER_FT)) if unit == "ft" else Decimal(1)
    metres = (Decimal(str(laps)) * Decimal(str(lap_length)) + Decimal(str(extra))) * per_unit
    _check(float(metres), measure.limit("distance_m"), "laps", "")
    value = _shown(measure, metres)
    return Score(measure.key, value, measure.unit, _display(measure, value))


def _score_gait_speed(measure: MeasureDefinition, raw: Mapping[str, object]) -> Score:
    course = _number(raw.get("course_m"), measure.limit("course_m"), "course_m")
    trials = _trials(measure, raw)
    mean_s = sum((Decimal(str(trial)) for trial in trials), Decimal(0)) / len(trials)
    speed = _shown(measure, Decimal(str(course)) / mean_s)
    return Score(measure.key, speed, measure.unit, _display(measure, speed), trials_s=trials)


def _score_questionnaire(measure: MeasureDefinition, raw: Mapping[str, object]) -> Score:
    questionnaire = QUESTIONNAIRES[measure.key]
    count = len(questionnaire.items)
    entered = _entries(raw, "items")
    if len(entered) != count:
        raise MeasureInputError("items", f"all {count} items must be answered ({len(entered)} given)")
    missing = [str(number) for number, answer in enumerate(entered, start=1) if answer is None]
    if missing:
        raise MeasureInputError("items", f"all {count} items must be answered (missing: {', '.join(missing)})")
    limit = measure.limit("items")
    points = tuple(
        int(_number(answer, limit, "items", f" (item {number})")) for number, answer in enumerate(entered, start=1)
    )
    total = sum(points)
    return Score(measure.key, total, measure.unit, _display(measure, total), items=points)


_SCORERS: dict[str, Callable[[MeasureDefinition, Mapping[str, object]], Score]] = {
    "tug": _score_tug,
    "chair_stand_30s": _score_chair_stand,
    "balance_4stage": _score_balance,
    "grip": _score_grip,
    "nprs": _score_nprs,
    "six_minute_walk": _score_six_minute_walk,
    "gait_speed": _score_gait_speed,
    "berg": _score_questionnaire,
    "lefs": _score_questionnaire,
}


def interpret(
    measure_key: str,
    score: Score,
    *,
    age: int,
    sex: str | None,
    baseline: Score | None = None,
    baseline_date: date | None = None,
    goal: float | None = None,
    result_date: date | None = None,
) -> Interpretation:
    """Fall-risk flags, norm comparison, change from baseline and goal, with a one-sentence summary."""
    measure = definition(measure_key)
    for checked in (score, baseline):
        if checked is not None and checked.measure_key != measure.key:
            raise MeasureInputError("measure_key", f"a {checked.measure_key} score cannot be read as {measure.name}")
    cutoffs = fall_risk_cutoffs(measure.key, age=age, sex=sex)
    flags = _fall_risk_flags(measure, score, cutoffs)
    norms = _norms(measure, score, age, _SEXES.get((sex or "").strip().lower()))
    changes = _changes(measure, score, baseline)
    # For grip the goal is read against the stronger hand, the number its trend line follows.
    goal_met = None if goal is None else goal_reached(measure.key, score.value, goal)
    since = "baseline" if baseline_date is None else short_date(baseline_date, relative_to=result_date)

    clauses = [_headline(measure, score, changes, since)]
    fall_clause = _fall_risk_clause(measure, score, baseline, cutoffs)
    if changes:
        clauses.extend(_change_clauses(changes))
    elif norms and not (measure.key == "chair_stand_30s" and fall_clause):
        # A first result is read against the norm; later ones against the client's own baseline.
        # The chair stand's norm is its fall-risk cut-off, which the fall-risk clause states.
        clauses.append(", ".join(norm.text for norm in norms))
    if fall_clause:
        clauses.append(fall_clause)
    if goal is not None:
        clauses.append(f"goal of {_display(measure, goal)} {'reached' if goal_met else 'not yet reached'}")

    return Interpretation(
        measure_key=measure.key,
        score=score,
        fall_risk_flags=flags,
        norms=norms,
        changes=changes,
        goal=goal,
        goal_met=goal_met,
        sentence=_sentence(clauses),
    )


def loinc_observations(score: Score) -> tuple[LoincObservation, ...]:
    """The LOINC-coded values of a result, each in its code's unit: TUG's trials one by one under
    89423-8 (the mean goes without a code), grip's mean per hand in pounds-force under 83174-3 and
    83173-5, the other scores as they are. A measure whose protocol matches no code sends none."""
    measure = definition(score.measure_key)
    observations = []
    for code in measure.loinc:
        values: tuple[float | None, ...]
        if code.part == "each trial":
            values = score.trials_s
        elif code.part == "right hand":
            values = (score.right_lb,)
        elif code.part == "left hand":
            values = (score.left_lb,)
        else:
            values = (score.value,)
        observations.extend(
            LoincObservation(code.code, code.display, code.part, value, code.unit) for value in values if value is not None
        )
    return tuple(observations)


def loinc_notices(codes: Iterable[str]) -> tuple[str, ...]:
    """The copyright and licence notices to show beside these LOINC codes, each once, in order:
    Regenstrief's for any LOINC code, and the NIH Toolbox's for the grip codes of its panel."""
    by_code = {code.code: code for measure in MEASURES.values() for code in measure.loinc}
    notices: dict[str, None] = {}
    for code in codes:
        if code in by_code:
            notices.update(dict.fromkeys(by_code[code].notices))
    return tuple(notices)


def _sentence(clauses: list[str]) -> str:
    text = "; ".join(clauses)
    return text[0].upper() + text[1:] + "."


def goal_reached(measure_key: str, value: float, goal: float) -> bool:
    """A goal on a measure is reached when the value as shown is past it, strictly, in the
    measure's better direction: the plan words it "below 12 s", and 12.0 s is not below 12 s.
    The plan's goal status (metpwa.rules.plan.goal_status) reads goals the same way."""
    measure = definition(measure_key)
    return _judged(measure, value, "above" if measure.higher_is_better else "below", goal)


def fall_risk_cutoffs(measure_key: str, *, age: int, sex: str | None) -> tuple[FallRiskCutoff, ...]:
    """The fall-risk cut-offs a result is read against: the measure's own, and for the 30-second
    chair stand the below-average count for the client's age and sex, since CDC STEADI reads a
    below-average score as a risk for falls (issue 16: shown and reported like TUG's)."""
    measure = definition(measure_key)
    cutoffs = measure.fall_risk_cutoffs
    known = _SEXES.get((sex or "").strip().lower())
    if measure.key == "chair_stand_30s" and known is not None:
        row = next((r for r in CHAIR_STAND_BELOW_AVERAGE if r.sex == known and r.ages.contains(age)), None)
        if row is not None:
            at_risk_when = f"under {row.below} stands, below average for {_PEOPLE[known]} aged {row.ages.label}"
            cutoffs = (*cutoffs, FallRiskCutoff(row.below, "below", "CDC STEADI cut-off", row.source, at_risk_when))
    return cutoffs


def _cutoff_value(measure: MeasureDefinition, cutoff: FallRiskCutoff, score: Score) -> float:
    if cutoff.applies_to == "tandem_stance_seconds":
        # A stance never reached was not held at all.
        reached = len(score.stage_seconds) >= TANDEM_STAGE
        return score.stage_seconds[TANDEM_STAGE - 1] if reached else 0.0
    return score.value


def _at_risk(measure: MeasureDefinition, cutoff: FallRiskCutoff, value: float) -> bool:
    # Seconds held are read as typed; a score as it is shown.
    places = None if cutoff.applies_to == "tandem_stance_seconds" else _places(measure)
    return meets(value, cutoff.at_risk_if, cutoff.threshold, places=places)


def _fall_risk_flags(
    measure: MeasureDefinition, score: Score, cutoffs: tuple[FallRiskCutoff, ...]
) -> tuple[FallRiskFlag, ...]:
    flags = []
    for cutoff in cutoffs:
        value = _cutoff_value(measure, cutoff, score)
        if not _at_risk(measure, cutoff, value):
            continue
        if cutoff.applies_to == "tandem_stance_seconds":
            held = f"held {value:g} s" if len(score.stage_seconds) >= TANDEM_STAGE else "not reached"
            subject = f"Tandem stance {held}"
        else:
            subject = f"{measure.short_name} {score.display}"
        flags.append(FallRiskFlag(cutoff, value, f"{subject}: at fall risk {_by(cutoff)}"))
    return tuple(flags)


def _by(cutoff: FallRiskCutoff) -> str:
    """Whose cut-off and which side of it is at risk, in words: "by the CDC STEADI cut-off (at
    risk: 12 s or slower)". Said the same way for every direction, so that "not at fall risk" on a
    Berg of 48 and "at fall risk" on a TUG of 13.6 s read plainly (issue 16)."""
    caution = f"; {cutoff.caution}" if cutoff.caution else ""
    return f"by the {cutoff.label} (at risk: {cutoff.at_risk_when}{caution})"


def _fall_risk_clause(
    measure: MeasureDefinition, score: Score, baseline: Score | None, cutoffs: tuple[FallRiskCutoff, ...]
) -> str | None:
    cutoff = next((c for c in cutoffs if c.use_alone), None)
    if cutoff is None:
        return None
    at_risk = _at_risk(measure, cutoff, _cutoff_value(measure, cutoff, score))
    status = "at fall risk" if at_risk else "not at fall risk"
    if baseline is not None:
        before = _at_risk(measure, cutoff, _cutoff_value(measure, cutoff, baseline))
        if before == at_risk:
            status = f"still {status}"
        else:
            status = "now at fall risk" if at_risk else "no longer at fall risk"
    return f"{status} {_by(cutoff)}"


def _norms(measure: MeasureDefinition, score: Score, age: int, sex: Sex | None) -> tuple[NormComparison, ...]:
    if measure.key == "tug":
        tug_row = next((row for row in TUG_AGE_MEANS if row.ages.contains(age)), None)
        if tug_row is None:
            return ()
        # Worse than the age norm only past the upper 95% confidence limit of Bohannon's mean (issue
        # 16): between the mean and that limit a time is within what the norm allows.
        slower = _judged(measure, score.value, "above", tug_row.ci_high_s)
        limits = f"{tug_row.ci_high_s:g} s upper 95% confidence limit; mean {tug_row.mean_s:g} s"
        ages = f"the norm for ages {tug_row.ages.label}"
        text = f"slower than {ages} (over its {limits})" if slower else f"within {ages} or faster (up to its {limits})"
        return (NormComparison(text, tug_row.ci_high_s, slower, tug_row.source),)
    if sex is None:
        return ()
    people = _PEOPLE[sex]
    if measure.key == "chair_stand_30s":
        chair_row = next((r for r in CHAIR_STAND_BELOW_AVERAGE if r.sex == sex and r.ages.contains(age)), None)
        if chair_row is None:
            return ()
        below = _judged(measure, score.value, "below", chair_row.below)
        band = f"{people} aged {chair_row.ages.label}"
        text = (
            f"below average for {band} (fewer than {chair_row.below} stands)"
            if below
            else f"not below average for {band} ({chair_row.below} or more stands)"
        )
        return (NormComparison(text, chair_row.below, below, chair_row.source),)
    if measure.key == "grip":
        grip_row = next((r for r in GRIP_NORMS if r.sex == sex and r.ages.contains(age)), None)
        if grip_row is None:
            return ()
        comparisons = []
        by_hand: tuple[tuple[Hand, float | None, float], ...] = (
            ("right", score.right_lb, grip_row.right_lb),
            ("left", score.left_lb, grip_row.left_lb),
        )
        for hand, measured, mean in by_hand:
            if measured is None:
                continue
            text = (
                f"{hand} hand {measured / mean * 100:.0f}% of the {mean:.1f} lb mean"
                f" for {people} aged {grip_row.ages.label}"
            )
            comparisons.append(NormComparison(text, mean, _judged(measure, measured, "below", mean), grip_row.source, hand))
        return tuple(comparisons)
    return ()


def _changes(measure: MeasureDefinition, score: Score, baseline: Score | None) -> tuple[Change, ...]:
    if baseline is None:
        return ()
    pairs: list[tuple[str, float, float]] = []
    if measure.key == "grip":
        # Grip is judged hand by hand: the MCID is for one hand's mean.
        for label, before, now in (
            ("right grip", baseline.right_kg, score.right_kg),
            ("left grip", baseline.left_kg, score.left_kg),
        ):
            if before is not None and now is not None:
                pairs.append((label, before, now))
    else:
        pairs.append((measure.short_name, baseline.value, score.value))
    changes = []
    for label, before, now in pairs:
        # Judged on the values as the report shows them (metpwa.rules.thresholds); the difference
        # of two shown values, taken from their decimal digits, keeps 0.85 - 0.80 at 0.05.
        shown_before = _shown(measure, before)
        difference = _shown(measure, Decimal(str(_shown(measure, now))) - Decimal(str(shown_before)))
        if difference == 0:
            direction: Direction = "unchanged"
        else:
            direction = "improved" if (difference > 0) == measure.higher_is_better else "declined"
        threshold = next((t for t in measure.change_thresholds if t.applies_to(before)), None)
        meaningful, comparison = (False, None) if threshold is None else _judge(
            measure, threshold, shown_before, abs(difference), improved=direction == "improved")
        changes.append(Change(label, before, now, difference, direction, threshold, meaningful, comparison))
    return tuple(changes)


def _amount(value: float, unit: str) -> str:
    if unit == "points":
        return f"{value:g}-point"
    if unit == "m/s":
        return f"{value:.2f} m/s"
    return f"{value:g} {unit}"


def _judge(
    measure: MeasureDefinition, threshold: ChangeThreshold, baseline: float, size: float, *, improved: bool
) -> tuple[bool, str]:
    low, high, name = threshold.low, threshold.high, threshold.name

    def reaches(reference: float) -> bool:
        return _judged(measure, size, "at_or_above", reference)

    if threshold.low_name and threshold.high_name:
        if reaches(high):
            return True, f"at least the {_amount(high, threshold.unit)} {threshold.high_name}"
        if reaches(low):
            return True, f"at least the {_amount(low, threshold.unit)} {threshold.low_name}"
        return False, f"smaller than the {_amount(low, threshold.unit)} {threshold.low_name}"
    relative_applies = threshold.relative is not None and (
        threshold.relative_from is None or _judged(measure, baseline, "at_or_above", threshold.relative_from)
    )
    if threshold.relative is not None and not (improved and relative_applies):
        # Farrar's 30% is a reduction in pain from a baseline of 4/10 or more; a rise, or a fall
        # from a lower baseline, is judged on the points alone, or one point from 3/10 (33%) or
        # up from 2/10 would read as a clinically important change.
        described = f"{_amount(low, threshold.unit)} {name}"
        return (True, f"at least the {described}") if reaches(low) else (False, f"smaller than the {described}")
    if threshold.relative is not None:
        described = f"{_amount(low, threshold.unit)} or {threshold.relative * 100:g}% {name}"
        relative_met = baseline > 0 and size / baseline >= threshold.relative
        if reaches(low) or relative_met:
            return True, f"at least the {described}"
        return False, f"smaller than the {described}"
    if low == high:
        described = f"{_amount(low, threshold.unit)} {name}"
        if _judged(measure, size, "above", low):
            return True, f"larger than the {described}"
        if reaches(low):
            return True, f"equal to the {described}"
        # Below an MDC the difference may be no more than test-retest noise.
        noise = ", so it may be measurement variation" if name == "minimal detectable change" else ""
        return False, f"smaller than the {described}{noise}"
    decimals = 0 if float(low).is_integer() and float(high).is_integer() else 1
    described = f"{low:.{decimals}f}-{high:.{decimals}f} {threshold.unit} {name}"
    if _judged(measure, size, "above", high):
        return True, f"larger than the {described}"
    if reaches(high):
        return True, f"equal to the upper end of the {described}"
    if reaches(low):
        # Published estimates span the range, so only its top is a safe claim.
        return False, f"within the {described} range, so possibly meaningful"
    return False, f"smaller than the {described}"


def _headline(measure: MeasureDefinition, score: Score, changes: tuple[Change, ...], since: str) -> str:
    if not changes:
        return f"{measure.short_name} {score.display}"
    described = []
    for change in changes:
        now = _display(measure, change.current)
        if change.direction == "unchanged":
            described.append(f"{change.label} unchanged at {now}")
        else:
            # "Worsened", not "declined": "pain declined from 2/10 to 3/10" reads as less pain.
            verb = "improved" if change.direction == "improved" else "worsened"
            described.append(f"{change.label} {verb} from {_display(measure, change.baseline)} to {now}")
    return f"{', '.join(described)} since {since}"


def _change_clauses(changes: tuple[Change, ...]) -> list[str]:
    moved = [change for change in changes if change.direction != "unchanged"]
    if not moved:
        return []
    if all(change.comparison is None for change in moved):
        return ["no minimal detectable or clinically important change is on file for this measure"]
    clauses = []
    for change in moved:
        if change.comparison is not None:
            subject = "the change" if len(changes) == 1 else f"the {change.label} change"
            clauses.append(f"{subject} is {change.comparison}")
    return clauses

"""Functional outcome measures: a result scored, read against the client's baseline and saved
once per idempotency key; results by client and measure; the trend charts with their reference lines."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import charts
from ..database import rolls_back_on_refusal
from ..extensions import db
from ..models import Client, OutcomeResult, User, utcnow
from ..rules import outcomes as outcome_rules
from ..rules.outcomes import Interpretation, MeasureInputError, Score
from ..standards.measures import (
    GRIP_NORMS,
    KG_PER_LB,
    MEASURES,
    TANDEM_STAGE,
    WALKING_AID_MEASURES,
    WALKING_AIDS,
    MeasureDefinition,
)
from . import audit, plans

NOTE_MAX_CHARS = 1000
SIDES = ("right", "left")
_AIDS = {key for key, _ in WALKING_AIDS}
_PEOPLE = {"F": ("female", "women"), "M": ("male", "men")}

Band = tuple[float | None, float | None]


def definition(measure_key: str) -> MeasureDefinition:
    """The measure, or KeyError for a key metpwa does not know."""
    return outcome_rules.definition(measure_key)


def normalized_key(text: str) -> str:
    """The page's crypto.randomUUID() in one spelling, so a retry always finds its result."""
    try:
        return str(uuid.UUID(text.strip()))
    except (ValueError, AttributeError):
        raise MeasureInputError("idempotency_key", "this page sent a broken result key: reload it and run the "
                                                   "test again") from None


# --- recording --------------------------------------------------------------------------------------


@rolls_back_on_refusal
def record(
    user: User,
    client: Client,
    measure_key: str,
    raw: Mapping[str, object],
    *,
    idempotency_key: str,
    performed_at: datetime | None = None,
    walking_aid: str | None = None,
    observations: Iterable[str] = (),
    note: str | None = None,
    scope_overrides: list[dict] | None = None,
    session_id: int | None = None,
    entered_at: datetime | None = None,
) -> tuple[OutcomeResult, bool]:
    """Score, interpret and save one result; returns it and whether it was new.

    A key seen before answers with the result it saved (a retry, a double tap), whatever was sent
    this time. Raises MeasureInputError (with the field) for input the trainer must fix.
    `entered_at` is for results brought in from before metpwa (and the demo).
    """
    key = normalized_key(idempotency_key)
    existing = _by_key(client.practice_id, key)
    if existing is not None:
        return _replayed(existing, client, measure_key, raw, user), False
    measure = definition(measure_key)
    performed_at = performed_at or utcnow()
    aid, chosen, note = _details(measure, walking_aid, observations, note)
    scored = outcome_rules.score(measure.key, raw)
    baseline = _baseline(client.id, measure.key, performed_at)
    interpretation = _interpret(client, scored, performed_at, baseline)
    entered = _plain(dict(raw))
    result = OutcomeResult(
        practice_id=client.practice_id, client_id=client.id, measure_key=measure.key,
        protocol_version=measure.protocol_version, raw=entered, parts=_parts(scored),
        value=scored.value, unit=scored.unit, display=scored.display, loinc_codes=_loinc(scored),
        interpretation=interpretation.sentence, at_fall_risk=interpretation.at_fall_risk,
        baseline_result_id=baseline.id if baseline else None, walking_aid=aid, observations=chosen, note=note,
        scope_overrides=scope_overrides or [], performed_at=performed_at, entered_at=entered_at or utcnow(),
        performed_by_id=user.id, idempotency_key=key, session_id=session_id,
    )
    db.session.add(result)
    try:
        db.session.flush()
    except IntegrityError:
        # Another request with the same key was saved first (two iPads' retries, a double tap).
        db.session.rollback()
        existing = _by_key(client.practice_id, key)
        if existing is None:
            raise
        return _replayed(existing, client, measure_key, raw, user), False
    audit.record("create", result, user=user, detail={"measure": measure.key})
    db.session.commit()
    return result, True


@rolls_back_on_refusal
def preview(user: User, client: Client, measure_key: str, raw: Mapping[str, object],
            performed_at: datetime | None = None) -> Interpretation:
    """The result and its sentence before saving; the baseline it shows is a read of the record."""
    measure = definition(measure_key)
    scored = outcome_rules.score(measure.key, raw)
    performed_at = performed_at or utcnow()
    interpretation = _interpret(client, scored, performed_at, _baseline(client.id, measure.key, performed_at))
    audit.record("read", client, user=user, detail={"view": "measure preview", "measure": measure.key})
    db.session.commit()
    return interpretation


def _baseline(client_id: int, measure_key: str, performed_at: datetime) -> OutcomeResult | None:
    """The first result on file, unless this test was run before it: then this one is the baseline."""
    first = first_result(client_id, measure_key)
    return first if first is not None and first.performed_at <= performed_at else None


def _by_key(practice_id: int, key: str) -> OutcomeResult | None:
    return db.session.scalar(
        select(OutcomeResult).where(OutcomeResult.practice_id == practice_id, OutcomeResult.idempotency_key == key)
    )


KEY_REUSED = ("this result's key was already used for different values, so it was not saved (nothing was "
              "merged): run the test again as a new result, or discard this one")


def _replayed(existing: OutcomeResult, client: Client, measure_key: str, raw: Mapping[str, object],
              user: User) -> OutcomeResult:
    if existing.client_id != client.id or existing.measure_key != measure_key:
        # The key already saved a result of another client or measure.
        raise MeasureInputError("idempotency_key", "this page's result key was already used for another test: "
                                                   "reload the page and run the test again")
    if json.loads(json.dumps(_plain(dict(raw)))) != json.loads(json.dumps(existing.raw)):
        # A replay must be the same result (issue 20): other values under its key are refused and
        # logged, never merged into the saved one.
        db.session.rollback()
        audit.record("outbox_refused", None, user=user, practice_id=client.practice_id, client_id=client.id,
                     outcome="refused", detail={"why": "key reused with other content", "kind": measure_key,
                                                "key": existing.idempotency_key})
        db.session.commit()
        raise MeasureInputError("idempotency_key", KEY_REUSED)
    return existing


def _details(measure: MeasureDefinition, walking_aid: str | None, observations: Iterable[str],
             note: str | None) -> tuple[str | None, list[str], str | None]:
    aid = None
    if measure.key in WALKING_AID_MEASURES:
        if walking_aid not in _AIDS:
            raise MeasureInputError("walking_aid", "choose the walking aid the client used, or no aid")
        aid = walking_aid
    chosen = set(observations)
    if chosen - set(measure.observations):
        raise MeasureInputError("observations", "choose observations from the list")
    note = (note or "").strip()
    if len(note) > NOTE_MAX_CHARS:
        raise MeasureInputError("note", f"the note must be at most {NOTE_MAX_CHARS} characters")
    # In the protocol's order, so every result lists them alike.
    return aid, [text for text in measure.observations if text in chosen], note or None


def _interpret(client: Client, scored: Score, performed_at: datetime, baseline: OutcomeResult | None
               ) -> Interpretation:
    zone = client.practice.zone
    day = performed_at.astimezone(zone).date()
    return outcome_rules.interpret(
        scored.measure_key, scored, age=outcome_rules.age_on(client.date_of_birth, day), sex=client.sex,
        baseline=as_score(baseline) if baseline else None,
        baseline_date=baseline.performed_at.astimezone(zone).date() if baseline else None, result_date=day,
    )


def _plain(value):
    """The raw entry as numbers: form posts send text, and score() has already checked every field."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, dict):
        return {name: _plain(item) for name, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    try:
        number = float(value)
    except ValueError:
        return str(value).strip()  # a choice such as the grip unit
    return int(number) if number.is_integer() else number


_SEQUENCE_PARTS = ("trials_s", "stage_seconds", "items")
_NUMBER_PARTS = ("right_kg", "left_kg", "right_lb", "left_lb")


def _parts(scored: Score) -> dict:
    parts: dict = {name: list(getattr(scored, name)) for name in _SEQUENCE_PARTS if getattr(scored, name)}
    parts |= {name: getattr(scored, name) for name in _NUMBER_PARTS if getattr(scored, name) is not None}
    if scored.arms_used:
        parts["arms_used"] = True
    return parts


def as_score(result: OutcomeResult) -> Score:
    """A saved result read as today's rules score it (rules.outcomes.rescored), e.g. to be the baseline
    of a later one or a plan goal's latest value: one rounding for every result, old or new."""
    return outcome_rules.rescored(result.measure_key, result.raw, _recorded(result))


def values_today(result: OutcomeResult) -> dict[str, float]:
    """What a plan goal on this measure reads, by side, under today's rules: "na" is the score (for grip
    the stronger hand), "right" and "left" the grip means of each hand tested."""
    scored = as_score(result)
    values = {"na": scored.value}
    values |= {side: kg for side, kg in (("right", scored.right_kg), ("left", scored.left_kg)) if kg is not None}
    return values


def _recorded(result: OutcomeResult) -> Score:
    """A saved result read back as the score it was when it was saved."""
    parts = result.parts
    return Score(
        result.measure_key, result.value, result.unit, result.display,
        **{name: tuple(parts[name]) for name in _SEQUENCE_PARTS if name in parts},
        **{name: parts[name] for name in _NUMBER_PARTS if name in parts},
        arms_used=bool(parts.get("arms_used")),
    )


def _loinc(scored: Score) -> dict[str, str]:
    """The LOINC codes the result goes out with, by part ("each trial", "right hand", ...)."""
    return {observation.part: observation.code for observation in outcome_rules.loinc_observations(scored)}


# --- reading ----------------------------------------------------------------------------------------


def results(client_id: int, measure_key: str) -> list[OutcomeResult]:
    """Oldest first, as a trend reads."""
    return list(db.session.scalars(
        select(OutcomeResult).where(OutcomeResult.client_id == client_id, OutcomeResult.measure_key == measure_key)
        .order_by(OutcomeResult.performed_at, OutcomeResult.id)
    ))


def first_result(client_id: int, measure_key: str) -> OutcomeResult | None:
    """The baseline: the earliest result of the measure, whenever it was entered."""
    return db.session.scalar(
        select(OutcomeResult).where(OutcomeResult.client_id == client_id, OutcomeResult.measure_key == measure_key)
        .order_by(OutcomeResult.performed_at, OutcomeResult.id).limit(1)
    )


def by_measure(client_id: int) -> dict[str, list[OutcomeResult]]:
    """Every result of the client, oldest first, grouped in the order of the measure list."""
    grouped: dict[str, list[OutcomeResult]] = {key: [] for key in MEASURES}
    rows = db.session.scalars(
        select(OutcomeResult).where(OutcomeResult.client_id == client_id)
        .order_by(OutcomeResult.performed_at, OutcomeResult.id)
    )
    for row in rows:
        grouped.setdefault(row.measure_key, []).append(row)
    return {key: rows for key, rows in grouped.items() if rows}


@dataclass(frozen=True)
class Latest:
    """One line of the Measures card: the latest result of a measure with its trend so far."""

    measure: MeasureDefinition
    result: OutcomeResult
    count: int
    sparkline: str


def open_overview(user: User, client: Client) -> list[Latest]:
    """The latest result of each measure the client has done, for the chart card and the picker."""
    latest = []
    for key, rows in by_measure(client.id).items():
        measure = definition(key)
        latest.append(Latest(measure, rows[-1], len(rows),
                             charts.sparkline_svg([row.value for row in rows], higher_is_better=measure.higher_is_better)))
    audit.record("read", client, user=user, detail={"view": "measures"})
    db.session.commit()
    return latest


@dataclass(frozen=True)
class Screen:
    """What the test screen shows beside the control: the baseline and the last result, and the
    walking aid of the client's last walking test, to start from."""

    baseline: OutcomeResult | None
    last: OutcomeResult | None
    walking_aid: str | None


def open_screen(user: User, client: Client, measure_key: str) -> Screen:
    rows = results(client.id, measure_key)
    walking_aid = db.session.scalar(
        select(OutcomeResult.walking_aid).where(OutcomeResult.client_id == client.id,
                                                OutcomeResult.measure_key.in_(WALKING_AID_MEASURES))
        .order_by(OutcomeResult.performed_at.desc(), OutcomeResult.id.desc()).limit(1)
    )
    audit.record("read", client, user=user, detail={"view": "measure", "measure": measure_key})
    db.session.commit()
    return Screen(rows[0] if rows else None, rows[-1] if rows else None, walking_aid)


@dataclass(frozen=True)
class Trend:
    """One chart: a measure's values over time with its baseline, goal and norm or cut-off band."""

    title: str
    unit: str
    higher_is_better: bool
    points: tuple[tuple[date, float], ...]
    baseline: float | None
    goal: float | None
    band: Band | None
    band_label: str | None
    axis: tuple[float, float] | None = None

    def svg(self) -> str:
        return charts.trend_chart_svg(
            self.points, title=self.title, unit=self.unit, higher_is_better=self.higher_is_better,
            baseline=self.baseline, goal=self.goal, band=self.band, band_label=self.band_label, axis=self.axis,
        )


@dataclass(frozen=True)
class History:
    results: list[OutcomeResult]
    trends: list[Trend]
    # The licence notices of the LOINC codes the page shows (Regenstrief; NIH Toolbox for grip).
    notices: tuple[str, ...] = ()
    # Each result's LOINC codes by part, as today's rules assign them.
    loinc: dict[int, dict[str, str]] = field(default_factory=dict)


def open_history(user: User, client: Client, measure_key: str) -> History:
    rows = results(client.id, measure_key)
    audit.record("read", client, user=user, detail={"view": "measure trend", "measure": measure_key})
    db.session.commit()
    # Codes under today's LOINC rules: one saved before a protocol check (83172-7 on a mean of three
    # rolling-start trials) is not shown as if it matched.
    loinc = {row.id: _loinc(as_score(row)) for row in rows}
    codes = [code for row_codes in loinc.values() for code in row_codes.values()]
    return History(rows, trends(client, measure_key, rows), outcome_rules.loinc_notices(codes), loinc)


def trends(client: Client, measure_key: str, rows: list[OutcomeResult]) -> list[Trend]:
    """The chart data; grip has one chart per hand, since its norms and its change are per hand."""
    if not rows:
        return []
    measure = definition(measure_key)
    zone = client.practice.zone
    last_day = rows[-1].performed_at.astimezone(zone).date()
    goals = _goals(client.id, measure_key)
    series: list[tuple[str, str, list[tuple[date, float]], float | None]] = []
    # Every point as today's rules score it, so old and new results share one rounding.
    values = [(row.performed_at.astimezone(zone).date(), values_today(row)) for row in rows]
    if measure.key == "grip":
        # A goal on the stronger hand ("na") is drawn on the hand that is stronger now.
        stronger = max(SIDES, key=lambda side: values[-1][1].get(side) or 0.0)
        for side in SIDES:
            points = [(day, by_side[side]) for day, by_side in values if by_side.get(side) is not None]
            if points:
                goal = goals.get(side, goals.get("na") if side == stronger else None)
                series.append((f"{measure.name}, {side} hand", side, points, goal))
    else:
        points = [(day, by_side["na"]) for day, by_side in values]
        series.append((measure.name, "na", points, goals.get("na")))
    charts_data = []
    for title, side, points, goal in series:
        band = _band(measure, client, last_day, side)
        charts_data.append(Trend(
            title=title, unit=measure.unit, higher_is_better=measure.higher_is_better, points=tuple(points),
            # One point needs no baseline line through it.
            baseline=points[0][1] if len(points) > 1 else None, goal=goal,
            band=band[0] if band else None, band_label=band[1] if band else None, axis=measure.chart_axis,
        ))
    return charts_data


def _goals(client_id: int, measure_key: str) -> dict[str, float]:
    """The current plan's targets on this measure, by side."""
    plan = plans.current(client_id)
    if plan is None:
        return {}
    return {goal.side: goal.target_value for goal in plan.goals
            if goal.target_kind == "measure" and goal.target_key == measure_key}


def _band(measure: MeasureDefinition, client: Client, day: date, side: str) -> tuple[Band, str] | None:
    """The zone to shade: the fall-risk cut-off the measure may be used alone with (for the chair
    stand, the below-average count for the client's age and sex), or else grip's below-the-mean zone."""
    age = outcome_rules.age_on(client.date_of_birth, day)
    cutoffs = outcome_rules.fall_risk_cutoffs(measure.key, age=age, sex=client.sex)
    cutoff = next((c for c in cutoffs if c.use_alone), None)
    if cutoff is not None:
        if cutoff.applies_to == "tandem_stance_seconds":
            # The score counts the stances held 10 s: under 3, the tandem stance was not.
            return (None, TANDEM_STAGE - 0.5), "Fall risk: tandem stance not held 10 s"
        if cutoff.at_risk_if == "at_or_above":
            return (cutoff.threshold, None), f"Fall risk: {cutoff.at_risk_when}"
        if measure.key == "chair_stand_30s":
            # Counts are whole stands: the zone ends between the last below-average count and the next.
            return (None, cutoff.threshold - 0.5), f"Fall risk: {cutoff.at_risk_when}"
        return (None, cutoff.threshold), f"Fall risk: {cutoff.at_risk_when}"
    if client.sex not in _PEOPLE:
        return None
    sex, people = _PEOPLE[client.sex]
    if measure.key == "grip" and side in SIDES:
        grip = next((r for r in GRIP_NORMS if r.sex == sex and r.ages.contains(age)), None)
        if grip is not None:
            mean_kg = round((grip.right_lb if side == "right" else grip.left_lb) * KG_PER_LB, 1)
            return (None, mean_kg), f"Below the {mean_kg:g} kg mean for {people} {grip.ages.label}"
    return None

"""Baseline assessments and re-assessments: recorded row by row as a draft, signed and locked,
compared with the client's baseline, corrected only by addenda."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from ..database import rolls_back_on_refusal
from ..extensions import db
from ..models import (
    Addendum,
    Assessment,
    Client,
    PostureFinding,
    RomMeasurement,
    ScreenFinding,
    StrengthMeasurement,
    User,
    utcnow,
)
from ..rules import assessment as assessment_rules
from ..rules.assessment import AssessmentInputError
from ..rules.errors import RecordLocked
from ..standards.rom import NORMAL_RANGE_BY_KEY
from ..standards.screening import MUSCLE_GROUP_LABELS, POSTURE_BY_KEY, SCREEN_REGIONS, SIDES
from . import audit, credentials

REGION_KEYS = {key for key, _ in SCREEN_REGIONS}
SIDE_KEYS = {key for key, _ in SIDES}


SIGNED = "This assessment is signed and locked. Add an addendum instead."


def for_client(client_id: int) -> list[Assessment]:
    return list(db.session.scalars(
        select(Assessment).where(Assessment.client_id == client_id)
        .order_by(Assessment.performed_on.desc(), Assessment.id.desc())
    ))


def start(user: User, client: Client, performed_on: date) -> Assessment:
    assessment = Assessment(practice_id=client.practice_id, client_id=client.id, performed_on=performed_on,
                            performed_by_id=user.id, scope_overrides=[])
    db.session.add(assessment)
    db.session.flush()
    audit.record("create", assessment, user=user)
    db.session.commit()
    return assessment


def _refuse_if_signed(assessment: Assessment) -> None:
    if assessment.signed:
        raise RecordLocked(SIGNED)


def _side(value: str) -> str:
    if value not in SIDE_KEYS:
        raise AssessmentInputError("side", "Choose the side.")
    return value


@rolls_back_on_refusal
def add_rom(user: User, assessment: Assessment, *, motion: str, side: str, mode: str, degrees: str,
            note: str = "") -> RomMeasurement:
    _refuse_if_signed(assessment)
    if motion not in assessment_rules.DEGREE_LIMIT_BY_KEY:
        raise AssessmentInputError("motion", "Choose the joint and motion.")
    if mode not in ("active", "passive"):
        raise AssessmentInputError("mode", "Choose active or passive.")
    value = assessment_rules.validate_rom_degrees(motion, degrees)
    row = RomMeasurement(practice_id=assessment.practice_id, assessment_id=assessment.id, motion=motion,
                         side=_side(side), mode=mode, degrees=value, note=note.strip()[:200] or None)
    return _added(user, assessment, row)


@rolls_back_on_refusal
def add_strength(user: User, assessment: Assessment, *, muscle_group: str, side: str, grade: str = "",
                 dynamometer_kg: str = "", note: str = "") -> StrengthMeasurement:
    _refuse_if_signed(assessment)
    if muscle_group not in MUSCLE_GROUP_LABELS:
        raise AssessmentInputError("muscle_group", "Choose the muscle group.")
    if not grade.strip() and not dynamometer_kg.strip():
        raise AssessmentInputError("grade", "Give a muscle test grade (0 to 5) or a dynamometer reading.")
    parsed = str(assessment_rules.parse_muscle_grade(grade)) if grade.strip() else None
    kg = assessment_rules.validate_dynamometer_kg(dynamometer_kg) if dynamometer_kg.strip() else None
    row = StrengthMeasurement(practice_id=assessment.practice_id, assessment_id=assessment.id,
                              muscle_group=muscle_group, side=_side(side), grade=parsed, dynamometer_kg=kg,
                              note=note.strip()[:200] or None)
    return _added(user, assessment, row)


OBSERVATION_CHARS = 1000


@rolls_back_on_refusal
def add_screen(user: User, assessment: Assessment, *, region: str, side: str, result: str,
               observation: str, overrides: list[dict]) -> ScreenFinding:
    _refuse_if_signed(assessment)
    if region not in REGION_KEYS:
        raise AssessmentInputError("region", "Choose the body region.")
    if result not in ("no_limitation", "limited", "painful"):
        raise AssessmentInputError("result", "Choose what you saw.")
    if result != "no_limitation" and not observation.strip():
        raise AssessmentInputError("observation", "Describe what the client could not do, or what brought "
                                                  "on pain (for example: reaching overhead limited at 110°).")
    if len(observation.strip()) > OBSERVATION_CHARS:
        # Said, not cut: the tail of a long observation used to vanish without a word.
        raise AssessmentInputError("observation", f"Keep what you saw to {OBSERVATION_CHARS:,} characters or fewer "
                                                  f"(this is {len(observation.strip()):,}).")
    row = ScreenFinding(practice_id=assessment.practice_id, assessment_id=assessment.id, region=region,
                        side=_side(side), result=result, observation=observation.strip() or None)
    _keep_overrides(assessment, overrides)
    return _added(user, assessment, row)


@rolls_back_on_refusal
def toggle_posture(user: User, assessment: Assessment, *, deviation: str, side: str) -> None:
    _refuse_if_signed(assessment)
    if deviation not in POSTURE_BY_KEY:
        raise AssessmentInputError("deviation", "Choose a deviation from the checklist.")
    existing = next((p for p in assessment.posture if p.deviation == deviation), None)
    if existing is not None:
        remove_part(user, assessment, existing)
        return
    side = side if POSTURE_BY_KEY[deviation].sided else "na"
    _added(user, assessment, PostureFinding(practice_id=assessment.practice_id, assessment_id=assessment.id,
                                            deviation=deviation, side=_side(side)))


def _added(user: User, assessment: Assessment, row):
    db.session.add(row)
    db.session.flush()
    audit.record("update", assessment, user=user, detail={"added": type(row).__name__})
    db.session.commit()
    db.session.refresh(assessment)
    return row


@rolls_back_on_refusal
def remove_part(user: User, assessment: Assessment, row) -> None:
    _refuse_if_signed(assessment)
    audit.record("update", assessment, user=user, detail={"removed": type(row).__name__})
    db.session.delete(row)
    db.session.commit()
    db.session.refresh(assessment)


@rolls_back_on_refusal
def save_text(user: User, assessment: Assessment, *, functional_limitations: str, notes: str,
              overrides: list[dict]) -> None:
    _refuse_if_signed(assessment)
    assessment.functional_limitations = functional_limitations.strip() or None
    assessment.notes = notes.strip() or None
    _keep_overrides(assessment, overrides)
    audit.record("update", assessment, user=user, detail={"text": True})
    db.session.commit()


def _keep_overrides(assessment: Assessment, overrides: list[dict]) -> None:
    if overrides:
        assessment.scope_overrides = [*assessment.scope_overrides, *overrides]


@rolls_back_on_refusal
def sign(user: User, assessment: Assessment, client: Client, *, signed_at: datetime | None = None) -> None:
    """Lock the assessment; the first one signed becomes the client's baseline.

    signed_at is for bringing in assessments signed before metpwa (and the demo).
    """
    _refuse_if_signed(assessment)
    credentials.refuse_if_cannot_sign(user)
    if not (assessment.rom or assessment.strength or assessment.screen or assessment.posture):
        raise AssessmentInputError("sign", "Record at least one finding or measurement before signing.")
    # signed_at last: once it reaches the database the row is locked, and reading user.id
    # may flush pending changes on its own.
    assessment.signed_by_id = user.id
    assessment.signed_at = signed_at or utcnow()
    audit.record("sign", assessment, user=user)
    if client.baseline_assessment_id is None:
        client.baseline_assessment_id = assessment.id
        audit.record("update", client, user=user, detail={"baseline_assessment": assessment.id})
    db.session.commit()


@rolls_back_on_refusal
def make_baseline(user: User, client: Client, assessment: Assessment) -> None:
    if not assessment.signed:
        raise AssessmentInputError("baseline", "Sign the assessment before making it the baseline.")
    client.baseline_assessment_id = assessment.id
    audit.record("update", client, user=user, detail={"baseline_assessment": assessment.id})
    db.session.commit()


@rolls_back_on_refusal
def add_addendum(user: User, *, client_id: int, record_type: str, record_id: int, reason: str, text: str,
                 overrides: list[dict], reviewed: list | None = None) -> Addendum:
    """`reviewed`: outbox items that reached the record after signing (models.OutboxReceipt) and
    were offered in this addendum's form; they stop waiting with it."""
    addendum = Addendum(practice_id=user.practice_id, client_id=client_id, record_type=record_type,
                        record_id=record_id, author_id=user.id, reason=reason.strip()[:300], text=text.strip(),
                        scope_overrides=overrides)
    db.session.add(addendum)
    db.session.flush()
    audit.record("amend", addendum, user=user, client_id=client_id, detail={"record": f"{record_type}:{record_id}"})
    for item in reviewed or ():
        item.resolved_at = addendum.written_at or utcnow()
    db.session.commit()
    return addendum


def addenda(record_type: str, record_id: int) -> list[Addendum]:
    return list(db.session.scalars(
        select(Addendum).where(Addendum.record_type == record_type, Addendum.record_id == record_id)
        .order_by(Addendum.written_at)
    ))


def percent_of_normal(row: RomMeasurement) -> int | None:
    if row.motion not in NORMAL_RANGE_BY_KEY:
        return None
    return assessment_rules.rom_percent_of_normal(row.motion, row.degrees)


# How each judgement reads in words (the report PDF, the preview); the tablet adds arrows.
DIRECTION_WORDS = {"improved": "improved", "declined": "declined", "unchanged": "unchanged", "new": "new",
                   "missing": "not re-measured", "not_comparable": "not comparable (different method)"}


@dataclass(frozen=True)
class ComparedValue:
    label: str
    baseline: str
    current: str
    change: str
    direction: str  # a key of DIRECTION_WORDS

    @property
    def judged(self) -> str:
        return DIRECTION_WORDS[self.direction]


def compare(baseline: Assessment, current: Assessment) -> dict[str, list[ComparedValue]]:
    """Re-assessment beside the baseline, value by value, with the change judged by assessment_rules.compare."""

    def rom_label(row):
        limit = assessment_rules.DEGREE_LIMIT_BY_KEY[row.motion]
        return f"{limit.label.capitalize()} ({row.side}, {row.mode})"

    rom = _pair(
        {(r.motion, r.side, r.mode): r for r in baseline.rom}, {(r.motion, r.side, r.mode): r for r in current.rom},
        label=rom_label, value=lambda r: f"{r.degrees:g}°", kind=lambda b, c: ("rom", b.degrees, c.degrees),
    )
    strength = _pair(
        {(s.muscle_group, s.side): s for s in baseline.strength},
        {(s.muscle_group, s.side): s for s in current.strength},
        label=lambda s: f"{MUSCLE_GROUP_LABELS[s.muscle_group]} ({s.side})",
        value=lambda s: " / ".join(v for v in (s.grade and f"{s.grade}/5",
                                               s.dynamometer_kg is not None and f"{s.dynamometer_kg:g} kg") if v),
        kind=lambda b, c: (("dynamometer", b.dynamometer_kg, c.dynamometer_kg)
                           if b.dynamometer_kg is not None and c.dynamometer_kg is not None
                           else ("mmt", b.grade, c.grade) if b.grade and c.grade else None),
    )
    return {"rom": rom, "strength": strength}


def _pair(before: dict, after: dict, *, label, value, kind) -> list[ComparedValue]:
    rows = []
    for key in list(before) + [k for k in after if k not in before]:
        b, c = before.get(key), after.get(key)
        if b is None or c is None:
            row = c or b
            rows.append(ComparedValue(label(row), value(b) if b else "", value(c) if c else "", "",
                                      "new" if b is None else "missing"))
            continue
        pair = kind(b, c)
        if pair is None:
            # Graded by hand one time and measured with a dynamometer the other: two scales.
            rows.append(ComparedValue(label(c), value(b), value(c), "", "not_comparable"))
            continue
        compared = assessment_rules.compare(pair[1], pair[2], pair[0])
        rows.append(ComparedValue(label(c), value(b), value(c), assessment_rules.change_words(compared),
                                  compared.direction))
    return rows

"""The Plan of Exercise: saving a new version on top of the one the builder was opened on (the
previous one is kept, marked superseded), signing the current version, goal baselines from the
baseline assessment, the provider's acknowledgement, and the printout."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import select

from ..database import rolls_back_on_refusal, take_write_lock
from ..extensions import db
from ..models import (
    Assessment,
    Client,
    Document,
    OutcomeResult,
    PlanAcknowledgement,
    PlanExercise,
    PlanGoal,
    PlanSignature,
    PlanVersion,
    User,
    utcnow,
)
from ..rules import plan as plan_rules
from ..rules.readiness import PlanFact
from ..rules.errors import RecordLocked, StaleRecord
from ..standards import attestations
from . import audit, library, measures, printing

ACK_METHODS = {"signed_copy": "Signed copy returned", "fax": "Fax", "email": "Email", "portal": "Portal message",
               "verbal": "Verbal (phone)"}


class NewerVersion(StaleRecord):
    """Another version was saved after the builder was opened, with a different plan: saving
    this one would replace it unseen. `current` is that version."""

    def __init__(self, current: PlanVersion):
        super().__init__(f"Version {current.version} of the plan was saved while this one was being edited. "
                         "Reload the plan, then make the change again.")
        self.current = current


def current(client_id: int) -> PlanVersion | None:
    return db.session.scalar(
        select(PlanVersion).where(PlanVersion.client_id == client_id, PlanVersion.superseded_at.is_(None))
        .order_by(PlanVersion.version.desc()).limit(1)
    )


def versions(client_id: int) -> list[PlanVersion]:
    return list(db.session.scalars(
        select(PlanVersion).where(PlanVersion.client_id == client_id).order_by(PlanVersion.version.desc())
    ))


def readiness_fact(client_id: int) -> PlanFact | None:
    """The current plan as the readiness checks and the claim scrubber see it: signed or not."""
    plan = current(client_id)
    if plan is None:
        return None
    return PlanFact(plan.version, measurable_goals=len(plan.goals), signed=plan.signed, review_on=plan.review_on)


def exercise_infos(practice_id: int) -> dict[int, plan_rules.ExerciseInfo]:
    return {e.id: plan_rules.ExerciseInfo(e.id, e.name, e.activity_type, e.load_unit)
            for e in library.all_active(practice_id)}


def baseline_value(baseline: Assessment | None, goal, *, client_id: int | None = None) -> float | None:
    """The goal's starting point: for an outcome measure the client's first result of it, otherwise
    the reading in the baseline assessment (active range preferred)."""
    if goal.target_kind == "measure":
        if client_id is None:
            return None
        first = db.session.scalar(
            select(OutcomeResult).where(OutcomeResult.client_id == client_id,
                                        OutcomeResult.measure_key == goal.target_key)
            .order_by(OutcomeResult.performed_at, OutcomeResult.id).limit(1)
        )
        return measures.values_today(first).get(goal.side) if first else None
    if baseline is None:
        return None
    if goal.target_kind == "rom":
        rows = [r for r in baseline.rom if r.motion == goal.target_key and r.side == goal.side]
        rows.sort(key=lambda r: r.mode != "active")
        return rows[0].degrees if rows else None
    if goal.target_kind == "strength":
        side = goal.side if goal.side != "na" else "na"
        rows = [s for s in baseline.strength if s.muscle_group == goal.target_key and s.side == side
                and s.dynamometer_kg is not None]
        return rows[0].dynamometer_kg if rows else None
    return None


@rolls_back_on_refusal
def save_version(user: User, client: Client, form: plan_rules.PlanForm, *, based_on_version: int | None,
                 scope_overrides: list[dict], at: datetime | None = None) -> PlanVersion:
    """Save a new version on top of `based_on_version`, the one the builder was opened on (None
    for a first plan); `at` is for bringing in plans written before metpwa (and the demo).

    If another version has been saved since: the same plan (a double tap, two people saving the
    same change) is that version, not a second one; a different plan raises NewerVersion, so
    nobody's change silently replaces a newer one.
    """
    at = at or utcnow()
    # Read again under the write turn: two saves at once each read the version they replace
    # before either wrote, and made two versions (or, on PostgreSQL, the same number twice).
    take_write_lock(db.session.connection())
    previous = current(client.id)
    if previous is not None and previous.version != based_on_version:
        if plan_rules.same_plan(form, previous):
            db.session.commit()
            return previous
        raise NewerVersion(previous)
    baseline = db.session.get(Assessment, client.baseline_assessment_id) if client.baseline_assessment_id else None
    header = form.header
    version = PlanVersion(
        practice_id=client.practice_id, client_id=client.id, version=previous.version + 1 if previous else 1,
        reason=header.reason or "First plan", created_by_id=user.id, created_at=at, starts_on=header.starts_on,
        review_on=header.review_on, frequency_per_week=header.frequency_per_week,
        duration_weeks=header.duration_weeks, baseline_assessment_id=baseline.id if baseline else None,
        scope_overrides=scope_overrides,
    )
    db.session.add(version)
    db.session.flush()
    for draft in form.goals:
        draft = replace(draft, baseline_value=baseline_value(baseline, draft, client_id=client.id))
        db.session.add(PlanGoal(
            practice_id=client.practice_id, plan_id=version.id, position=draft.position,
            description=draft.description, target_kind=draft.target_kind, target_key=draft.target_key,
            side=draft.side, direction=draft.direction, target_value=draft.target_value, unit=draft.unit,
            baseline_value=draft.baseline_value, by_week=draft.by_week,
        ))
    for draft in form.exercises:
        db.session.add(PlanExercise(
            practice_id=client.practice_id, plan_id=version.id, position=draft.position,
            exercise_id=draft.exercise_id, sets=draft.sets, reps=draft.reps, seconds=draft.seconds,
            load=draft.load, load_unit=draft.load_unit, intensity_kind=draft.intensity_kind,
            intensity_value=draft.intensity_value, rest_seconds=draft.rest_seconds, progression=draft.progression,
            activity_type=draft.activity_type,
        ))
    if previous is not None:
        previous.superseded_at = at
    audit.record("create", version, user=user, client_id=client.id,
                 detail={"version": version.version, "goals": len(form.goals), "exercises": len(form.exercises)})
    db.session.commit()
    db.session.refresh(version)
    return version


def attestation(plan: PlanVersion) -> str:
    return attestations.PLAN_OF_EXERCISE.format(version=plan.version)


@rolls_back_on_refusal
def sign(user: User, plan: PlanVersion, client: Client, *, at: datetime | None = None) -> PlanSignature:
    """Sign the current version, with the attestation shown; `at` is for plans signed before metpwa
    (and the demo). A replaced version is not signed afterwards: the plan in force is the one to
    stand behind, and a change is a new version."""
    take_write_lock(db.session.connection())
    db.session.refresh(plan)
    if plan.signature is not None:
        raise RecordLocked(f"Version {plan.version} was signed {plan.signature.signed_at:%m/%d/%Y} by "
                           f"{plan.signature.signed_by.display_name}; it cannot be signed again.")
    if not plan.current:
        raise StaleRecord(f"Version {plan.version} has been replaced by a newer version. Open the current plan "
                          "and sign that one.")
    signature = PlanSignature(practice_id=plan.practice_id, plan_id=plan.id, signed_by_id=user.id,
                              signed_at=at or utcnow(), attestation=attestation(plan))
    db.session.add(signature)
    db.session.flush()
    audit.record("sign", plan, user=user, client_id=client.id, detail={"version": plan.version})
    db.session.commit()
    db.session.refresh(plan)
    return signature


def acknowledge(user: User, plan: PlanVersion, *, received_on: date, method: str, document: Document | None,
                note: str | None) -> PlanAcknowledgement:
    acknowledgement = PlanAcknowledgement(
        practice_id=plan.practice_id, client_id=plan.client_id, plan_id=plan.id, received_on=received_on,
        method=method, document_id=document.id if document else None, note=(note or "").strip() or None,
        recorded_by_id=user.id,
    )
    db.session.add(acknowledgement)
    db.session.flush()
    audit.record("create", acknowledgement, user=user, client_id=plan.client_id, detail={"plan": plan.version})
    db.session.commit()
    return acknowledgement


def acknowledgements(plan_id: int) -> list[PlanAcknowledgement]:
    return list(db.session.scalars(
        select(PlanAcknowledgement).where(PlanAcknowledgement.plan_id == plan_id)
        .order_by(PlanAcknowledgement.received_on)
    ))


def latest_values(client: Client, until: datetime | None = None) -> dict[tuple[str, str, str], float]:
    """The most recent value of each goal target (before `until`, for a report of a past period),
    for goal status: range of motion and strength from signed assessments, outcome measures from
    their results (grip by hand, and "na" for the stronger hand)."""
    values: dict[tuple[str, str, str], float] = {}
    measured = select(OutcomeResult).where(OutcomeResult.client_id == client.id)
    assessed = select(Assessment).where(Assessment.client_id == client.id, Assessment.signed_at.is_not(None))
    if until is not None:
        measured = measured.where(OutcomeResult.performed_at < until)
        assessed = assessed.where(Assessment.performed_on < until.astimezone(client.practice.zone).date())
    results = db.session.scalars(measured.order_by(OutcomeResult.performed_at, OutcomeResult.id))
    for result in results:
        for side, value in measures.values_today(result).items():
            values[("measure", result.measure_key, side)] = value
    for assessment in db.session.scalars(assessed.order_by(Assessment.performed_on, Assessment.id)):
        for row in sorted(assessment.rom, key=lambda r: r.mode == "active"):
            values[("rom", row.motion, row.side)] = row.degrees
        for row in assessment.strength:
            if row.dynamometer_kg is not None:
                values[("strength", row.muscle_group, row.side)] = row.dynamometer_kg
    return values


def plan_pdf(plan: PlanVersion, client: Client) -> bytes:
    return printing.document_pdf(
        "pdf/plan.html", plan=plan, client=client, practice=client.practice, goal_text=plan_rules.goal_text,
        acknowledgements=acknowledgements(plan.id),
    )


def open_pdf(user: User, plan: PlanVersion, client: Client) -> bytes:
    audit.record("print", plan, user=user, client_id=client.id)
    db.session.commit()
    return plan_pdf(plan, client)

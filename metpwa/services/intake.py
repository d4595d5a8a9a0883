"""The health-history intake: a draft saved step by step, completed once, then read-only."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from ..extensions import db
from ..models import Client, IntakeResponse, MedicalClearance, User, utcnow
from ..rules import intake as intake_rules
from ..rules.errors import RecordLocked
from ..standards.intake_form import FORM_VERSION, STEP_KEYS
from . import audit


def latest(client_id: int) -> IntakeResponse | None:
    return db.session.scalar(
        select(IntakeResponse).where(IntakeResponse.client_id == client_id)
        .order_by(IntakeResponse.started_at.desc(), IntakeResponse.id.desc()).limit(1)
    )


def latest_complete(client_id: int) -> IntakeResponse | None:
    return db.session.scalar(
        select(IntakeResponse).where(IntakeResponse.client_id == client_id,
                                     IntakeResponse.completed_at.is_not(None))
        .order_by(IntakeResponse.completed_at.desc(), IntakeResponse.id.desc()).limit(1)
    )


def start_or_resume(user: User, client: Client, *, fresh: bool = False) -> IntakeResponse:
    """The open draft if there is one; otherwise a new draft (also when a yearly update is asked for)."""
    current = latest(client.id)
    if current is not None and not current.complete:
        return current
    if current is not None and not fresh:
        return current
    draft = IntakeResponse(practice_id=client.practice_id, client_id=client.id, form_version=FORM_VERSION,
                           answers={}, started_by_id=user.id)
    db.session.add(draft)
    db.session.flush()
    audit.record("create", draft, user=user, client_id=client.id)
    db.session.commit()
    return draft


def open_draft(user: User, client: Client) -> IntakeResponse:
    """The client's latest intake (a draft or the completed one); for a client with none, a new draft
    not yet saved: save_step keeps it with its first answer, so opening a step changes nothing."""
    current = latest(client.id)
    if current is not None:
        return current
    return IntakeResponse(practice_id=client.practice_id, client_id=client.id, form_version=FORM_VERSION,
                          answers={}, step=0, started_by_id=user.id)


def first_open_step(intake: IntakeResponse) -> str | None:
    missing = intake_rules.missing_steps(intake.answers)
    return missing[0] if missing else None


def save_step(user: User, intake: IntakeResponse, step_key: str, form: Mapping[str, list[str]]):
    """Validate one screen; a clean screen is saved at once (leaving later loses nothing).

    Returns the validator's result so the screen can be shown again with the
    person's own input and a message at each field that needs one.
    """
    if intake.complete:
        # A completed intake is a record; changes mean a new intake.
        raise RecordLocked("This intake is complete and kept as it was answered. Start a new intake to change it.")
    result = intake_rules.validate_step(step_key, form)
    if result.errors:
        return result
    if intake.id is None:
        # A draft opened by open_draft is kept from its first saved answer.
        db.session.add(intake)
        db.session.flush()
        audit.record("create", intake, user=user, client_id=intake.client_id)
    # merge_step returns a new dict, so the JSON column sees the change.
    intake.answers = intake_rules.merge_step(intake.answers, result)
    intake.step = max(intake.step, STEP_KEYS.index(step_key) + 1)
    intake.updated_at = utcnow()
    audit.record("update", intake, user=user, client_id=intake.client_id, detail={"step": step_key})
    if intake_rules.is_complete(intake.answers):
        _complete(user, intake)
    db.session.commit()
    return result


def _complete(user: User, intake: IntakeResponse) -> None:
    intake.completed_at = utcnow()
    reasons = intake_rules.clearance_reasons(intake.answers)
    intake.clearance_required = bool(reasons)
    intake.clearance_reasons = reasons
    audit.record("complete", intake, user=user, client_id=intake.client_id,
                 detail={"clearance_required": bool(reasons)})


def clearance_for(intake: IntakeResponse) -> MedicalClearance | None:
    return db.session.scalar(
        select(MedicalClearance).where(MedicalClearance.intake_id == intake.id)
        .order_by(MedicalClearance.recorded_at.desc()).limit(1)
    )

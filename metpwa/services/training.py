"""Staff training: in-service sessions and who completed them, each person's own attestation, their
HIPAA due dates, and the gate that keeps new staff out of client records until their HIPAA training
is on record (or an owner waived it with a reason)."""

from __future__ import annotations

from datetime import date

from flask import g
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from ..clock import practice_today
from ..database import rolls_back_on_refusal
from ..extensions import db
from ..models import HipaaTrainingWaiver, Practice, TrainingCompletion, TrainingSession, User, utcnow
from ..rules import training as rules
from ..rules.errors import InputError, Refused
from ..standards.training import TrainingTopic
from . import audit
from .credentials import CredentialInputError, store_document


def sessions_of(practice_id: int) -> list[TrainingSession]:
    return list(db.session.scalars(select(TrainingSession).where(TrainingSession.practice_id == practice_id)
                                   .order_by(TrainingSession.held_on.desc(), TrainingSession.id.desc())))


def completions_of(user_id: int) -> list[TrainingCompletion]:
    return list(db.session.scalars(select(TrainingCompletion).where(TrainingCompletion.user_id == user_id)
                                   .order_by(TrainingCompletion.completed_on.desc())))


def _completion(row: TrainingCompletion) -> rules.Completion:
    return rules.Completion(row.session.topic, row.completed_on, row.attested_at is not None, row.id)


def waivers_of(user_id: int) -> list[HipaaTrainingWaiver]:
    return list(db.session.scalars(select(HipaaTrainingWaiver).where(HipaaTrainingWaiver.user_id == user_id)
                                   .order_by(HipaaTrainingWaiver.granted_at.desc())))


def _waiver(row: HipaaTrainingWaiver) -> rules.Waiver:
    return rules.Waiver(row.reason, row.granted_at.date(), row.until, row.revoked_at is not None, row.id)


def is_new(user: User) -> bool:
    return rules.is_new_staff(user.created_at, user.practice.hipaa_gate_since)


def hipaa_due(user: User) -> rules.HipaaDue:
    practice = user.practice
    return rules.hipaa_due([_completion(c) for c in completions_of(user.id)],
                           interval_months=practice.hipaa_training_every_months, new_staff=is_new(user),
                           today=practice_today(practice))


def board(practice: Practice) -> list[rules.TrainingRow]:
    """Everyone active's HIPAA due date, most pressing first."""
    people = list(db.session.scalars(select(User).where(User.practice_id == practice.id, User.active.is_(True))))
    rows = db.session.scalars(select(TrainingCompletion).where(TrainingCompletion.practice_id == practice.id))
    mine: dict[int, list[rules.Completion]] = {}
    for row in rows:
        mine.setdefault(row.user_id, []).append(_completion(row))
    staff = [rules.StaffTraining(p.id, p.full_name, is_new(p), tuple(mine.get(p.id, ()))) for p in people]
    return rules.hipaa_board(staff, interval_months=practice.hipaa_training_every_months,
                             today=practice_today(practice))


def gate(user: User) -> rules.RecordsGate:
    """Whether this person may open client records now (rules.training.may_open_client_records)."""
    if not is_new(user):
        return rules.RecordsGate(True, False, "", None)
    return rules.may_open_client_records(
        person=user.full_name, person_ref=user.id, new_staff=True,
        completions=[_completion(c) for c in completions_of(user.id)],
        waivers=[_waiver(w) for w in waivers_of(user.id)], today=practice_today(user.practice))


def gate_closed_for(user_id: int) -> bool:
    """For the access guard, once per request, and only for staff added after the gate started."""
    if "hipaa_gate_closed" not in g:
        user = db.session.get(User, user_id)
        g.hipaa_gate_closed = user is not None and not gate(user).allowed
    return g.hipaa_gate_closed


# --- Changes ---------------------------------------------------------------------------------------------


def session_problems(practice: Practice, *, topic: str, title: str, held_on: date | None,
                     presenter: str) -> dict[str, str]:
    errors = rules.check_training_session(topic=topic, title=title, held_on=held_on, presenter=presenter)
    if held_on is not None and held_on > practice_today(practice):
        errors.setdefault("held_on", "Record a training once it has been held.")
    return errors


@rolls_back_on_refusal
def add_session(practice: Practice, *, topic: str, title: str, held_on: date | None, presenter: str,
                minutes: int | None, notes: str, upload: FileStorage | None, by: User) -> TrainingSession:
    errors = session_problems(practice, topic=topic, title=title, held_on=held_on, presenter=presenter)
    if errors:
        raise CredentialInputError(errors)
    session = TrainingSession(practice_id=practice.id, topic=TrainingTopic(topic).value, title=title.strip(),
                              held_on=held_on, presenter=presenter.strip(), minutes=minutes,
                              notes=notes.strip() or None, created_by_id=by.id)
    session.materials = store_document(by, upload, kind="training_materials", title=session.title, by=by)
    if session.materials is not None:
        session.materials.user_id = None
    db.session.add(session)
    db.session.flush()
    audit.record("create", session, user=by, detail={"topic": session.topic})
    db.session.commit()
    return session


@rolls_back_on_refusal
def record_attendance(session: TrainingSession, people: list[User], *, completed_on: date | None,
                      by: User) -> int:
    """Each attendee's completion; it counts once they attest on their own sign-in."""
    errors = rules.check_completion(completed_on=completed_on, session_held_on=session.held_on,
                                    today=practice_today(session_practice(session)))
    if not people:
        errors.setdefault("attendees", "Choose who attended.")
    if errors:
        raise CredentialInputError(errors)
    already = {c.user_id for c in session.completions}
    added = 0
    for person in people:
        if person.id in already:
            continue
        row = TrainingCompletion(practice_id=session.practice_id, session_id=session.id, user_id=person.id,
                                 completed_on=completed_on, recorded_by_id=by.id)
        # Someone recording their own attendance attests in the same step.
        if person.id == by.id:
            row.attested_at = utcnow()
        db.session.add(row)
        db.session.flush()
        audit.record("create", row, user=by, detail={"session": session.id, "staff": person.id})
        added += 1
    db.session.commit()
    return added


def session_practice(session: TrainingSession) -> Practice:
    return db.session.get(Practice, session.practice_id)


@rolls_back_on_refusal
def attest(completion: TrainingCompletion, *, by: User) -> None:
    """Only the person themselves attests, signed in as themselves."""
    if completion.user_id != by.id:
        raise Refused("Only the person who completed the training can attest to it, signed in as themselves.")
    if completion.attested_at is not None:
        return
    completion.attested_at = utcnow()
    audit.record("sign", completion, user=by, detail={"session": completion.session_id, "attested": True})
    db.session.commit()


@rolls_back_on_refusal
def waive(member: User, *, reason: str, until: date | None, by: User) -> HipaaTrainingWaiver:
    errors = rules.check_waiver(reason, until=until, today=practice_today(member.practice))
    if errors:
        raise CredentialInputError(errors)
    waiver = HipaaTrainingWaiver(practice_id=member.practice_id, user_id=member.id, reason=reason.strip(),
                                 until=until, granted_by_id=by.id)
    db.session.add(waiver)
    db.session.flush()
    audit.record("create", waiver, user=by, detail={"staff": member.id, "until": until})
    db.session.commit()
    return waiver


@rolls_back_on_refusal
def revoke(waiver: HipaaTrainingWaiver, *, by: User) -> None:
    if waiver.revoked_at is not None:
        raise InputError("waiver", "This waiver has already ended.")
    waiver.revoked_at = utcnow()
    waiver.revoked_by_id = by.id
    audit.record("update", waiver, user=by, detail={"revoked": True})
    db.session.commit()

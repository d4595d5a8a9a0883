"""Staff credentials and continuing education: recording, correcting and renewing them (a renewal is a
new row, the old one kept as history), their files, the alerts they raise, and the signing block a
practice turns on for trainers whose required credentials have lapsed."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from ..clock import practice_today
from ..database import rolls_back_on_refusal
from ..extensions import db
from ..models import ContinuingEducation, Practice, PracticeDocument, StaffCredential, User, utcnow
from ..rules import credentials as rules
from ..rules.errors import InputError, Refused
from ..standards.credentials import CREDENTIALS, CredentialKind, PROFESSION_LABELS, Profession, required_to_sign
from . import audit, documents


class CredentialInputError(InputError):
    """What was typed for a credential or a CE entry, refused: every field's message in `errors`."""

    def __init__(self, errors: dict[str, str]) -> None:
        field, message = next(iter(errors.items()))
        super().__init__(field, message)
        self.errors = errors


class SigningBlocked(Refused):
    """The practice requires current credentials to sign, and the signer's have lapsed. `fix` is where
    they are recorded (rules.fixes Target), so the sign button can link there."""

    def __init__(self, message: str, fix) -> None:
        super().__init__(message)
        self.fix = fix


# --- Reading ------------------------------------------------------------------------------------------


def current_for(user_id: int) -> list[StaffCredential]:
    return list(db.session.scalars(
        select(StaffCredential).where(StaffCredential.user_id == user_id, StaffCredential.superseded_at.is_(None))
        .order_by(StaffCredential.kind, StaffCredential.expires_on)))


def history_for(user_id: int) -> list[StaffCredential]:
    return list(db.session.scalars(
        select(StaffCredential).where(StaffCredential.user_id == user_id, StaffCredential.superseded_at.is_not(None))
        .order_by(StaffCredential.superseded_at.desc())))


def ce_for(user_id: int) -> list[ContinuingEducation]:
    return list(db.session.scalars(
        select(ContinuingEducation).where(ContinuingEducation.user_id == user_id,
                                          ContinuingEducation.removed_at.is_(None))
        .order_by(ContinuingEducation.completed_on.desc())))


def label_of(credential: StaffCredential) -> str:
    """"State licence: Physical therapist (PT), IL", or the kind's label."""
    label = CREDENTIALS[CredentialKind(credential.kind)].label
    if credential.kind == CredentialKind.STATE_LICENCE and credential.profession:
        return f"{label}: {PROFESSION_LABELS[Profession(credential.profession)]}, {credential.state}"
    return label


def held(credential: StaffCredential) -> rules.HeldCredential:
    return rules.HeldCredential(credential.kind, credential.expires_on, credential.id, label_of(credential))


@dataclass(frozen=True)
class CeTotal:
    credential: StaffCredential
    status: rules.CeStatus


def ce_totals(credentials: Iterable[StaffCredential], entries: Iterable[ContinuingEducation],
              today: date) -> list[CeTotal]:
    """Hours in each credential's current cycle against what its issuer asks (rules.credentials.ce_status)."""
    counted = [rules.CeEntry(e.completed_on, e.hours, frozenset(e.counts_toward or ()), e.id) for e in entries]
    totals = []
    for credential in credentials:
        if credential.expires_on is None:
            continue
        status = rules.ce_status(credential.kind, counted, issued_on=credential.issued_on,
                                 expires_on=credential.expires_on, today=today)
        if status is not None:
            totals.append(CeTotal(credential, status))
    return totals


@dataclass(frozen=True)
class Alert:
    """A credential lapsing within 60 days, or lapsed, for the home screens."""

    person: User
    credential: StaffCredential
    expiry: rules.Expiry

    @property
    def name(self) -> str:
        return label_of(self.credential)


def alerts(practice: Practice, *, user_id: int | None = None) -> list[Alert]:
    """Current credentials of active staff that lapse within 60 days or have lapsed, soonest first."""
    today = practice_today(practice)
    query = (select(StaffCredential, User).join(User, User.id == StaffCredential.user_id)
             .where(StaffCredential.practice_id == practice.id, StaffCredential.superseded_at.is_(None),
                    StaffCredential.expires_on.is_not(None), User.active.is_(True)))
    if user_id is not None:
        query = query.where(StaffCredential.user_id == user_id)
    found = []
    for credential, person in db.session.execute(query):
        state = rules.expiry(credential.expires_on, today)
        if state.alert:
            found.append(Alert(person, credential, state))
    return sorted(found, key=lambda a: (a.expiry.days_left, a.person.full_name))


# --- Signing --------------------------------------------------------------------------------------------


def signing_check(user: User) -> rules.SigningCheck:
    practice = user.practice
    requirements = required_to_sign(str(user.role), practice.credentials_required_to_sign)
    return rules.may_sign(person=user.full_name, person_ref=user.id,
                          held=[held(c) for c in current_for(user.id)], requirements=requirements,
                          enforced=practice.signing_requires_credentials, today=practice_today(practice))


def refuse_if_cannot_sign(user: User) -> None:
    """Called by the sign paths of sessions and assessments before anything changes."""
    practice = user.practice
    if not practice.signing_requires_credentials:
        return
    check = signing_check(user)
    if not check.allowed:
        raise SigningBlocked(check.message, check.fix)


@rolls_back_on_refusal
def set_signing_block(practice: Practice, on: bool, *, by: User) -> None:
    practice.signing_requires_credentials = on
    audit.record("update", practice, user=by, detail={"signing_requires_credentials": on})
    db.session.commit()


# --- Files -----------------------------------------------------------------------------------------------


def store_document(member: User, upload: FileStorage | None, *, kind: str, title: str,
                   by: User) -> PracticeDocument | None:
    """A certificate or card through the chart documents' checks (PDFs rewritten to their pages)."""
    read = documents.read_upload(upload)
    if read is None:
        return None
    data, content_type, filename = read
    document = PracticeDocument(
        practice_id=member.practice_id, user_id=member.id, kind=kind, title=title[:160], filename=filename,
        content_type=content_type, size=len(data), sha256=hashlib.sha256(data).hexdigest(), data=data,
        uploaded_by_id=by.id)
    db.session.add(document)
    db.session.flush()
    audit.record("create", document, user=by, detail={"kind": kind, "bytes": len(data)})
    return document


def open_document(document: PracticeDocument, by: User) -> bytes:
    audit.record("export", document, user=by, detail={"kind": document.kind, "filename": document.filename})
    db.session.commit()
    return document.data


# --- Recording ----------------------------------------------------------------------------------------


def problems(member: User, entered: rules.CredentialInput) -> dict[str, str]:
    """Every field's message at once, for a form that also has dates nobody could read."""
    return rules.check_credential(entered, today=practice_today(member.practice)).errors


def ce_problems(member: User, entered: rules.CeInput) -> dict[str, str]:
    return rules.check_ce_entry(entered, today=practice_today(member.practice)).errors


def _checked(entered: rules.CredentialInput, today: date) -> rules.CredentialCheck:
    checked = rules.check_credential(entered, today=today)
    if not checked.ok:
        raise CredentialInputError(checked.errors)
    return checked


def _fill(row: StaffCredential, entered: rules.CredentialInput, checked: rules.CredentialCheck) -> None:
    row.kind = entered.kind
    row.number = checked.number
    row.issuer = " ".join((entered.issuer or "").split()) or None
    row.issued_on = entered.issued_on
    row.expires_on = entered.expires_on
    row.state = checked.state
    row.profession = checked.profession


@rolls_back_on_refusal
def add(member: User, entered: rules.CredentialInput, upload: FileStorage | None, *, by: User,
        renews: StaffCredential | None = None) -> StaffCredential:
    """A new credential, or a renewal: the card it replaces stays on record, superseded."""
    checked = _checked(entered, practice_today(member.practice))
    row = StaffCredential(practice_id=member.practice_id, user_id=member.id, recorded_by_id=by.id)
    _fill(row, entered, checked)
    row.document = store_document(member, upload, kind="credential", title=label_of(row), by=by)
    db.session.add(row)
    db.session.flush()
    if renews is not None:
        renews.superseded_at = utcnow()
        audit.record("update", renews, user=by, detail={"superseded_by": row.id})
    audit.record("create", row, user=by, detail={"kind": row.kind, "staff": member.id,
                                                  "renews": renews.id if renews else None})
    db.session.commit()
    return row


@rolls_back_on_refusal
def correct(credential: StaffCredential, entered: rules.CredentialInput, upload: FileStorage | None, *,
            by: User) -> None:
    """A typing mistake on the card on file (a renewal is `add` with `renews`)."""
    if not credential.current:
        raise InputError("kind", "This card was replaced by a renewal: it stays as it was recorded.")
    checked = _checked(rules.CredentialInput(**{**entered.__dict__, "kind": credential.kind}),
                       practice_today(credential.user.practice))
    before = {"number": credential.number, "issued_on": credential.issued_on, "expires_on": credential.expires_on}
    _fill(credential, rules.CredentialInput(**{**entered.__dict__, "kind": credential.kind}), checked)
    document = store_document(credential.user, upload, kind="credential", title=label_of(credential), by=by)
    if document is not None:
        credential.document = document
    audit.record("update", credential, user=by, detail={"before": before, "document": bool(document)})
    db.session.commit()


@rolls_back_on_refusal
def add_ce(member: User, entered: rules.CeInput, upload: FileStorage | None, *, by: User) -> ContinuingEducation:
    checked = rules.check_ce_entry(entered, today=practice_today(member.practice))
    if not checked.ok:
        raise CredentialInputError(checked.errors)
    entry = ContinuingEducation(
        practice_id=member.practice_id, user_id=member.id, title=" ".join(entered.title.split()),
        provider=" ".join(entered.provider.split()), hours=checked.hours or Decimal(0),
        completed_on=entered.completed_on, counts_toward=list(entered.counts_toward), recorded_by_id=by.id)
    entry.certificate = store_document(member, upload, kind="ce_certificate", title=entry.title, by=by)
    db.session.add(entry)
    db.session.flush()
    audit.record("create", entry, user=by, detail={"hours": str(entry.hours), "staff": member.id})
    db.session.commit()
    return entry


@rolls_back_on_refusal
def remove_ce(entry: ContinuingEducation, *, by: User) -> None:
    """Entered in error: kept on record, no longer counted."""
    entry.removed_at = utcnow()
    audit.record("delete", entry, user=by, detail={"kept": True})
    db.session.commit()

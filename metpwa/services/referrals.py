"""Referring providers, referrals with the diagnosis codes as the order states them, and medical clearance."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ..database import rolls_back_on_refusal
from ..extensions import db
from ..models import Client, Document, MedicalClearance, Referral, ReferralDiagnosis, ReferringProvider, User
from ..rules import icd10
from ..rules.errors import StaleRecord
from . import audit


def providers(practice_id: int) -> list[ReferringProvider]:
    return list(db.session.scalars(
        select(ReferringProvider).where(ReferringProvider.practice_id == practice_id)
        .order_by(ReferringProvider.last_name, ReferringProvider.first_name)
    ))


def add_provider(user: User, values: dict) -> ReferringProvider:
    provider = ReferringProvider(practice_id=user.practice_id, **values)
    db.session.add(provider)
    db.session.flush()
    audit.record("create", provider, user=user)
    db.session.commit()
    return provider


def check_codes(lines: list[str]) -> tuple[list[tuple[str, icd10.Icd10Code]], list[str]]:
    """Each code as written, checked against ICD-10-CM; returns (good, problems)."""
    good, problems = [], []
    for written in lines:
        try:
            good.append((written, icd10.billable_code(written)))
        except icd10.DiagnosisCodeError as error:
            problems.append(error.message)
    return good, problems


def record_referral(user: User, client: Client, *, provider: ReferringProvider, referred_on: date, reason: str,
                    codes: list[tuple[str, icd10.Icd10Code]], authorized_visits: int | None,
                    expires_on: date | None, order_document: Document | None) -> Referral:
    referral = Referral(
        practice_id=client.practice_id, client_id=client.id, provider_id=provider.id, referred_on=referred_on,
        reason=reason, authorized_visits=authorized_visits, expires_on=expires_on,
        order_document_id=order_document.id if order_document else None, recorded_by_id=user.id,
    )
    referral.diagnoses = [
        ReferralDiagnosis(practice_id=client.practice_id, position=n, code=code.code, as_written=written[:120],
                          description=code.description[:300], code_set=icd10.CODE_SET)
        for n, (written, code) in enumerate(codes, start=1)
    ]
    db.session.add(referral)
    db.session.flush()
    audit.record("create", referral, user=user, client_id=client.id,
                 detail={"codes": [code.code for _, code in codes]})
    db.session.commit()
    return referral


def refuse_if_order_on_file(referral: Referral) -> None:
    """The order on file is what the referral rests on: a stale tab, or a file picked for another
    client, must not replace it silently."""
    if referral.order_document_id is not None:
        raise StaleRecord("This referral already has its order on file. A new order is a new referral.")


@rolls_back_on_refusal
def attach_order(user: User, referral: Referral, document: Document) -> None:
    refuse_if_order_on_file(referral)
    referral.order_document_id = document.id
    audit.record("update", referral, user=user, client_id=referral.client_id, detail={"order_document": document.id})
    db.session.commit()


def current_referral(client_id: int) -> Referral | None:
    return db.session.scalar(
        select(Referral).where(Referral.client_id == client_id, Referral.closed_at.is_(None))
        .order_by(Referral.referred_on.desc(), Referral.id.desc()).limit(1)
    )


def record_clearance(user: User, client: Client, *, intake_id: int, cleared_on: date, provider: ReferringProvider,
                     document: Document, restrictions: str | None) -> MedicalClearance:
    clearance = MedicalClearance(
        practice_id=client.practice_id, client_id=client.id, intake_id=intake_id, cleared_on=cleared_on,
        provider_id=provider.id, document_id=document.id, restrictions=restrictions or None,
        recorded_by_id=user.id,
    )
    db.session.add(clearance)
    db.session.flush()
    audit.record("create", clearance, user=user, client_id=client.id)
    db.session.commit()
    return clearance

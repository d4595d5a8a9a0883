"""Billing set-up: the billing provider, the providers who render and supervise, payers and their
settings, the fee schedule with contracted rates, prior authorisations, supervision on record, and
eligibility verifications per coverage. The tables of codes and kinds are in standards/billing.py."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from ..encryption import SealedText
from ..extensions import db
from ..standards.billing import DEFAULT_TIMELY_FILING_DAYS
from .client import Client
from .intake import Coverage
from .practice import User
from .sessions import SessionLog
from .types import UTCDateTime, utcnow


class BillingProvider(db.Model):
    """Box 33 and loop 2010AA: who is paid. Usually the practice; a sole proprietor bills in person."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    # False for a person billing under their own name (first_name then holds the given name).
    organization: Mapped[bool] = mapped_column(default=True)
    first_name: Mapped[str | None] = mapped_column(String(80))
    npi: Mapped[str] = mapped_column(String(10))
    # EI (EIN) or SY (a sole proprietor's social security number, hence encrypted).
    tax_id_kind: Mapped[str] = mapped_column(String(2), default="EI")
    tax_id: Mapped[str] = mapped_column(SealedText())
    taxonomy: Mapped[str | None] = mapped_column(String(10))
    address_line1: Mapped[str] = mapped_column(String(120))
    address_line2: Mapped[str | None] = mapped_column(String(120))
    city: Mapped[str] = mapped_column(String(80))
    state: Mapped[str] = mapped_column(String(2))
    # ZIP+4: the 837P asks the billing provider for all nine digits.
    postal_code: Mapped[str] = mapped_column(String(10))
    phone: Mapped[str | None] = mapped_column(String(30))
    # Interchange identity for 837P/270 files (ISA06/GS02) as the clearinghouse assigned it.
    submitter_id: Mapped[str | None] = mapped_column(String(15))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RenderingProvider(db.Model):
    """Someone who performs, renders or supervises billed services: a staff member (MES, AMES, athletic
    trainer) or a licensed provider (PT, physician) who supervises and renders under route 1."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    # The staff member, when the provider signs in to metpwa; an outside supervising PT may not.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    # standards.billing.CredentialKind: mes, ames, pt, athletic_trainer, physician, other.
    credential: Mapped[str] = mapped_column(String(20))
    npi: Mapped[str | None] = mapped_column(String(10))
    taxonomy: Mapped[str | None] = mapped_column(String(10))
    licence_number: Mapped[str | None] = mapped_column(String(40))
    licence_state: Mapped[str | None] = mapped_column(String(2))
    licence_expires_on: Mapped[date | None]
    # Health and well-being coaching credential (NBHWC), needed for 0591T-0593T.
    coaching_credential: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User | None] = relationship()

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Supervision(db.Model):
    """A licensed provider's supervision of a session, on record for its date (route 1)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("rendering_provider.id"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("session_log.id"), index=True)
    supervised_on: Mapped[date]
    # Says what the supervisor saw of the client's session: clinical free text, sealed like session notes.
    note: Mapped[str | None] = mapped_column(SealedText())
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    supervisor: Mapped[RenderingProvider] = relationship()
    session_log: Mapped[SessionLog] = relationship()

    __table_args__ = (UniqueConstraint("session_id", "supervisor_id", name="uq_supervision_session_supervisor"),)


class Payer(db.Model):
    """An insurer (or self-pay) and how the practice bills it: every route and code choice is a setting here."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    # Electronic payer ID from the clearinghouse's list (2010BB NM109); none for paper-only payers.
    payer_id: Mapped[str | None] = mapped_column(String(15))
    # standards.billing.PayerKind: medicare (traditional), medicare_advantage, commercial, self_pay...
    kind: Mapped[str] = mapped_column(String(30), default="commercial")
    # standards.billing.ClaimRoute: 837p, cms1500, superbill.
    claim_route: Mapped[str] = mapped_column(String(10), default="837p")
    # standards.billing.UnitMethod: cms_total_time or substantial_portion.
    unit_method: Mapped[str] = mapped_column(String(20), default="cms_total_time")
    # Route 2: the payer accepts claims for MES services, under these codes only.
    accepts_mes: Mapped[bool] = mapped_column(default=False)
    mes_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Route 1: the payer pays a licensed provider who renders and supervises (never traditional Medicare).
    allows_supervised_billing: Mapped[bool] = mapped_column(default=False)
    # The modifier this payer wants on the second code of an NCCI pair whose services were distinct:
    # 59, or the more specific XE/XS/XP/XU (standards.billing.DISTINCT_SERVICE_MODIFIERS).
    distinct_service_modifier: Mapped[str] = mapped_column(String(2), default="59", server_default="59")
    requires_referral: Mapped[bool] = mapped_column(default=False)
    requires_authorisation: Mapped[bool] = mapped_column(default=False)
    timely_filing_days: Mapped[int] = mapped_column(default=DEFAULT_TIMELY_FILING_DAYS)
    # SBR09 when it differs from the kind's default (BL, HM, 12...).
    claim_filing_indicator: Mapped[str | None] = mapped_column(String(2))
    address_line1: Mapped[str | None] = mapped_column(String(120))
    address_line2: Mapped[str | None] = mapped_column(String(120))
    city: Mapped[str | None] = mapped_column(String(80))
    state: Mapped[str | None] = mapped_column(String(2))
    postal_code: Mapped[str | None] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        CheckConstraint("timely_filing_days > 0", name="timely_filing_days_positive"),
        CheckConstraint("NOT (kind = 'medicare' AND allows_supervised_billing)", name="medicare_no_supervised"),
        CheckConstraint("NOT (kind = 'medicare' AND accepts_mes)", name="medicare_no_mes"),
        CheckConstraint("distinct_service_modifier IN ('59', 'XE', 'XS', 'XP', 'XU')",
                        name="distinct_service_modifier_known"),
    )


class FeeScheduleEntry(db.Model):
    """The practice's charge for a code, from a date; the latest entry on or before a service date applies."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    code: Mapped[str] = mapped_column(String(5))
    # Per unit for timed codes, per session for untimed ones.
    charge: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    effective_on: Mapped[date]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("practice_id", "code", "effective_on", name="uq_fee_schedule_entry_code_from"),
        CheckConstraint("charge >= 0", name="charge_not_negative"),
    )


class ContractedRate(db.Model):
    """What a payer has agreed to allow for a code, from a date (the expected payment, not the charge)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    payer_id: Mapped[int] = mapped_column(ForeignKey("payer.id"), index=True)
    code: Mapped[str] = mapped_column(String(5))
    allowed: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    effective_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    payer: Mapped[Payer] = relationship()

    __table_args__ = (
        UniqueConstraint("payer_id", "code", "effective_on", name="uq_contracted_rate_code_from"),
        CheckConstraint("allowed >= 0", name="allowed_not_negative"),
    )


class PriorAuthorisation(db.Model):
    """A payer's authorisation for a coverage: its number, dates and visits."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    coverage_id: Mapped[int] = mapped_column(ForeignKey("coverage.id"), index=True)
    number: Mapped[str] = mapped_column(String(50))
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    visits_authorised: Mapped[int | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    coverage: Mapped[Coverage] = relationship()

    __table_args__ = (CheckConstraint("visits_authorised IS NULL OR visits_authorised >= 0",
                                      name="visits_not_negative"),)


class EligibilityVerification(db.Model):
    """One check of a coverage's eligibility: by phone, portal, card or an X12 270/271 exchange."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    coverage_id: Mapped[int] = mapped_column(ForeignKey("coverage.id"), index=True)
    verified_on: Mapped[date]
    # phone, portal, card, x12
    method: Mapped[str] = mapped_column(String(10))
    active: Mapped[bool]
    visits_allowed: Mapped[int | None]
    visits_used: Mapped[int | None]
    copay: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    # Percent the client pays (20.00 is 20 %).
    coinsurance_percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    deductible_remaining: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    authorisation_number: Mapped[str | None] = mapped_column(String(50))
    authorisation_expires_on: Mapped[date | None]
    # The payer's call or transaction reference (TRN, a call reference number).
    reference: Mapped[str | None] = mapped_column(String(50))
    note: Mapped[str | None] = mapped_column(SealedText())
    # The 271 as received, kept for the record; it names the client, hence encrypted and deferred.
    response_x12: Mapped[str | None] = deferred(mapped_column(SealedText()))
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    client: Mapped[Client] = relationship()
    coverage: Mapped[Coverage] = relationship()

    __table_args__ = (
        Index("ix_eligibility_verification_coverage_on", "coverage_id", "verified_on"),
        CheckConstraint("visits_allowed IS NULL OR visits_allowed >= 0", name="visits_allowed_not_negative"),
        CheckConstraint("visits_used IS NULL OR visits_used >= 0", name="visits_used_not_negative"),
    )

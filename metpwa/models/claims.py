"""Claims and what happens to them: the claim, its diagnoses and lines, the batch it left in, every
change of status, and each override of a scrubber finding with its reason.

A line keeps its identity for life (its line control number goes out as REF*6R and comes back on
the remittance), so payments can post against it later. Once a claim is exported its lines never
change: a correction is a new claim with frequency 7 (replacement) or 8 (void) naming the original.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from ..encryption import SealedText
from ..extensions import db
from ..standards.billing import ClaimStatus
from .billing import BillingProvider, Payer, PriorAuthorisation, RenderingProvider
from .client import Client
from .intake import Coverage, Referral
from .practice import User
from .sessions import SessionLog
from .types import UTCDateTime, utcnow

_STATUSES = ", ".join(f"'{status.value}'" for status in ClaimStatus)


class ClaimBatch(db.Model):
    """One exported file: an 837P interchange (or a printed run of CMS-1500s)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    # 837p or cms1500
    kind: Mapped[str] = mapped_column(String(10))
    # ISA13 and GS06, unique per practice so a clearinghouse never sees one twice.
    interchange_control_number: Mapped[int | None]
    group_control_number: Mapped[int | None]
    period_from: Mapped[date | None]
    period_to: Mapped[date | None]
    claim_count: Mapped[int] = mapped_column(default=0)
    # The file as sent: it names clients, hence encrypted and deferred.
    content: Mapped[str | None] = deferred(mapped_column(SealedText()))
    content_sha256: Mapped[str | None] = mapped_column(String(64))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("practice_id", "interchange_control_number", name="uq_claim_batch_interchange"),
    )


class Claim(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    payer_id: Mapped[int] = mapped_column(ForeignKey("payer.id"), index=True)
    # None for a self-pay superbill.
    coverage_id: Mapped[int | None] = mapped_column(ForeignKey("coverage.id"))
    billing_provider_id: Mapped[int] = mapped_column(ForeignKey("billing_provider.id"))
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referral.id"))
    authorisation_id: Mapped[int | None] = mapped_column(ForeignKey("prior_authorisation.id"))
    # CLM01: unique per practice, at most 20 letters and digits.
    patient_control_number: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default=ClaimStatus.DRAFT.value)
    # standards.billing.ClaimFrequency: 1 original, 7 replacement, 8 void.
    frequency_code: Mapped[str] = mapped_column(String(1), default="1")
    # The claim this one replaces or voids, and the payer's number for it (REF*F8, box 22).
    original_claim_id: Mapped[int | None] = mapped_column(ForeignKey("claim.id"))
    original_reference: Mapped[str | None] = mapped_column(String(50))
    # The payer's own number for this claim once accepted (from the 277CA or remittance).
    payer_claim_number: Mapped[str | None] = mapped_column(String(50))
    # standards.billing.PaymentRoute and ClaimRoute, fixed when the claim is built.
    payment_route: Mapped[str] = mapped_column(String(20))
    claim_route: Mapped[str] = mapped_column(String(10))
    place_of_service: Mapped[str] = mapped_column(String(2), default="11")
    # P, S or T: which payer in line this claim goes to.
    payer_responsibility: Mapped[str] = mapped_column(String(1), default="P")
    total_charge: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal(0))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("claim_batch.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    exported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    client: Mapped[Client] = relationship()
    payer: Mapped[Payer] = relationship()
    coverage: Mapped[Coverage | None] = relationship()
    billing_provider: Mapped[BillingProvider] = relationship()
    referral: Mapped[Referral | None] = relationship()
    authorisation: Mapped[PriorAuthorisation | None] = relationship()
    batch: Mapped[ClaimBatch | None] = relationship()
    original_claim: Mapped[Claim | None] = relationship(remote_side="Claim.id")
    diagnoses: Mapped[list[ClaimDiagnosis]] = relationship(
        back_populates="claim", order_by="ClaimDiagnosis.position", cascade="all, delete-orphan")
    lines: Mapped[list[ClaimLine]] = relationship(
        back_populates="claim", order_by="ClaimLine.position", cascade="all, delete-orphan")
    history: Mapped[list[ClaimStatusChange]] = relationship(
        back_populates="claim", order_by="ClaimStatusChange.id", viewonly=True)
    overrides: Mapped[list[ClaimOverride]] = relationship(
        back_populates="claim", order_by="ClaimOverride.id", viewonly=True)

    __table_args__ = (
        UniqueConstraint("practice_id", "patient_control_number", name="uq_claim_practice_control_number"),
        Index("ix_claim_practice_status", "practice_id", "status"),
        CheckConstraint(f"status IN ({_STATUSES})", name="status_known"),
        CheckConstraint("frequency_code IN ('1', '7', '8')", name="frequency_known"),
        CheckConstraint("frequency_code = '1' OR original_claim_id IS NOT NULL", name="correction_names_original"),
        CheckConstraint("total_charge >= 0", name="total_not_negative"),
    )


class ClaimDiagnosis(db.Model):
    """A diagnosis on the claim (HI, box 21 A-L), copied from the referral's order."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"), index=True)
    # 1-12: the pointer the lines use; 1 is the principal diagnosis.
    position: Mapped[int]
    code: Mapped[str] = mapped_column(String(8))
    referral_diagnosis_id: Mapped[int | None] = mapped_column(ForeignKey("referral_diagnosis.id"))

    claim: Mapped[Claim] = relationship(back_populates="diagnoses")

    __table_args__ = (
        UniqueConstraint("claim_id", "position", name="uq_claim_diagnosis_position"),
        CheckConstraint("position BETWEEN 1 AND 12", name="position_range"),
    )


class ClaimLine(db.Model):
    """A service line: one code on one date, from one signed session, with a stable identity."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"), index=True)
    # LX: 1-50 within the claim.
    position: Mapped[int]
    # REF*6R: unique per practice for good, so a remittance line finds its way back here.
    line_control_number: Mapped[str] = mapped_column(String(30))
    service_date: Mapped[date]
    code: Mapped[str] = mapped_column(String(5))
    modifiers: Mapped[list[str]] = mapped_column(JSON, default=list)
    units: Mapped[int]
    charge: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    # 1-based positions in the claim's diagnoses, at most four.
    diagnosis_pointers: Mapped[list[int]] = mapped_column(JSON, default=list)
    place_of_service: Mapped[str | None] = mapped_column(String(2))
    # The documented minutes the units were computed from (timed codes).
    minutes: Mapped[int | None]
    session_id: Mapped[int | None] = mapped_column(ForeignKey("session_log.id"), index=True)
    # Who performed the service (the trainer) and who renders it on the claim (route 1: the supervisor).
    performed_by_id: Mapped[int | None] = mapped_column(ForeignKey("rendering_provider.id"))
    rendering_provider_id: Mapped[int | None] = mapped_column(ForeignKey("rendering_provider.id"))

    claim: Mapped[Claim] = relationship(back_populates="lines")
    session_log: Mapped[SessionLog | None] = relationship()
    performed_by: Mapped[RenderingProvider | None] = relationship(foreign_keys=[performed_by_id])
    rendering_provider: Mapped[RenderingProvider | None] = relationship(foreign_keys=[rendering_provider_id])

    __table_args__ = (
        UniqueConstraint("practice_id", "line_control_number", name="uq_claim_line_control_number"),
        UniqueConstraint("claim_id", "position", name="uq_claim_line_position"),
        CheckConstraint("units > 0", name="units_positive"),
        CheckConstraint("charge >= 0", name="charge_not_negative"),
        CheckConstraint("position BETWEEN 1 AND 50", name="position_range"),
    )


class ClaimStatusChange(db.Model):
    """Every change of a claim's status, who made it and why; never edited."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"), index=True)
    # None for the claim's creation.
    from_status: Mapped[str | None] = mapped_column(String(10))
    to_status: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(Text)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("claim_batch.id"))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    claim: Mapped[Claim] = relationship(back_populates="history")
    changed_by: Mapped[User | None] = relationship()


class ClaimOverride(db.Model):
    """A scrubber finding let through with a reason (never a route finding: the scrubber refuses those)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id"), index=True)
    # rules.claim_scrubber.Finding.key, and the finding's words as they were shown.
    finding_key: Mapped[str] = mapped_column(String(80))
    finding_message: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    overridden_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    overridden_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    claim: Mapped[Claim] = relationship(back_populates="overrides")
    overridden_by: Mapped[User] = relationship()

    __table_args__ = (
        UniqueConstraint("claim_id", "finding_key", name="uq_claim_override_finding"),
        CheckConstraint("length(trim(reason)) > 0", name="reason_given"),
    )

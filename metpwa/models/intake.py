"""What intake gathers about a client: contacts, coverage, the referral and its order,
uploaded documents, the health-history questionnaire and medical clearance."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from ..encryption import SealedBytes, SealedJSON, SealedText
from ..extensions import db
from .client import Client
from .practice import User
from .types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from .billing import Payer


class EmergencyContact(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    relationship_to_client: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str] = mapped_column(String(30))
    alternate_phone: Mapped[str | None] = mapped_column(String(30))
    position: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Soft delete: an old contact stays on record.
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    client: Mapped[Client] = relationship(back_populates="emergency_contacts")


class Coverage(db.Model):
    """One insurance plan of the client; priority 1 is primary, 2 secondary, and so on."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    priority: Mapped[int] = mapped_column(default=1)
    payer_name: Mapped[str] = mapped_column(String(120))
    # Electronic payer id for claims (837P loop 2010BB), when known.
    payer_id: Mapped[str | None] = mapped_column(String(20))
    # "medicare", "medicare_advantage", "medicaid", "commercial", "workers_comp", "auto", "other"
    payer_kind: Mapped[str] = mapped_column(String(30), default="commercial")
    # The practice's billing set-up for this insurer (models.billing.Payer: claim route, unit method,
    # whether it accepts MES services). Empty until billing links it; payer_name stays what the card says.
    payer_record_id: Mapped[int | None] = mapped_column(ForeignKey("payer.id"), index=True)
    plan_name: Mapped[str | None] = mapped_column(String(120))
    member_id: Mapped[str] = mapped_column(SealedText())
    group_number: Mapped[str | None] = mapped_column(String(40))
    # self, spouse, child, other: who holds the policy.
    subscriber_relationship: Mapped[str] = mapped_column(String(10), default="self")
    subscriber_first_name: Mapped[str | None] = mapped_column(String(80))
    subscriber_last_name: Mapped[str | None] = mapped_column(String(80))
    subscriber_date_of_birth: Mapped[date | None]
    effective_on: Mapped[date | None]
    expires_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    client: Mapped[Client] = relationship(back_populates="coverages")
    payer: Mapped[Payer | None] = relationship()


class ReferringProvider(db.Model):
    """A referral source: a physician, PT, chiropractor or other clinician who refers clients.
    Every referral names one; relationship activities (models.referral_network) and the reports
    sent to them make up the referral network."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    credentials: Mapped[str | None] = mapped_column(String(40))
    # physician, physical_therapist, chiropractor, nurse_practitioner, physician_assistant, other
    kind: Mapped[str] = mapped_column(String(30), default="physician")
    npi: Mapped[str | None] = mapped_column(String(10))
    organization: Mapped[str | None] = mapped_column(String(160))
    phone: Mapped[str | None] = mapped_column(String(30))
    fax: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(254))
    address: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # E.g. "Orthopaedic surgery", "Sports medicine".
    specialty: Mapped[str | None] = mapped_column(String(80))
    # How they want progress reports (standards.referral_network.ReportDelivery); None until asked.
    preferred_delivery: Mapped[str | None] = mapped_column(String(20))
    # Moved away or stopped referring: kept for the referrals that name them, left off the
    # quiet-sources list and the pickers.
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def display_name(self) -> str:
        name = f"{self.first_name} {self.last_name}"
        return f"{name}, {self.credentials}" if self.credentials else name


class Document(db.Model):
    """A file kept with the chart: the referral order, a clearance letter, a signed consent PDF."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    # referral_order, clearance, consent, other
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(160))
    filename: Mapped[str] = mapped_column(String(160))
    content_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    # Deferred: lists of documents never pull the file bytes.
    data: Mapped[bytes] = deferred(mapped_column(SealedBytes()))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    uploaded_by: Mapped[User | None] = relationship()


class Referral(db.Model):
    """The referring provider's order: who, when, why, the diagnosis codes exactly as
    written (the trainer never picks a diagnosis), authorized visits and expiry."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("referring_provider.id"))
    referred_on: Mapped[date]
    reason: Mapped[str] = mapped_column(SealedText())
    order_document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))
    authorized_visits: Mapped[int | None]
    expires_on: Mapped[date | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    provider: Mapped[ReferringProvider] = relationship(lazy="joined")
    order_document: Mapped[Document | None] = relationship()
    recorded_by: Mapped[User | None] = relationship()
    diagnoses: Mapped[list[ReferralDiagnosis]] = relationship(
        back_populates="referral", order_by="ReferralDiagnosis.position", cascade="all, delete-orphan"
    )


class ReferralDiagnosis(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"), index=True)
    # 1-12: the order of the codes on the order, later the claim's diagnosis pointers.
    position: Mapped[int]
    code: Mapped[str] = mapped_column(SealedText())
    # The text exactly as the referring provider wrote it, when it differs from the code.
    as_written: Mapped[str] = mapped_column(SealedText())
    description: Mapped[str] = mapped_column(SealedText())
    code_set: Mapped[str] = mapped_column(String(40))

    referral: Mapped[Referral] = relationship(back_populates="diagnoses")

    __table_args__ = (UniqueConstraint("referral_id", "position", name="uq_referral_diagnosis_position"),)


class IntakeResponse(db.Model):
    """The client's health-history questionnaire, saved step by step as a draft."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    form_version: Mapped[str] = mapped_column(String(20))
    answers: Mapped[dict[str, Any]] = mapped_column(SealedJSON(empty=dict))
    # The furthest step reached, so a client who leaves resumes there.
    step: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    clearance_required: Mapped[bool] = mapped_column(default=False)
    clearance_reasons: Mapped[list[str]] = mapped_column(SealedJSON(empty=list))
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    __table_args__ = (Index("ix_intake_response_client_started", "client_id", "started_at"),)

    @property
    def complete(self) -> bool:
        return self.completed_at is not None


class MedicalClearance(db.Model):
    """A provider's written clearance to exercise, answering an intake that asked for one."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intake_response.id"))
    cleared_on: Mapped[date]
    provider_id: Mapped[int] = mapped_column(ForeignKey("referring_provider.id"))
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"))
    restrictions: Mapped[str | None] = mapped_column(SealedText())
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    provider: Mapped[ReferringProvider] = relationship(lazy="joined")
    document: Mapped[Document] = relationship()

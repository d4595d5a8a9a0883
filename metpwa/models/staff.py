"""Staff credentials and continuing education, training sessions and who completed them, the owner's
waivers of the HIPAA-training gate, and the files the practice keeps about its own people and
training (certificates, cards, materials): never client records, so never in a chart."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from ..encryption import SealedBytes, SealedText
from ..extensions import db
from .practice import User
from .types import UTCDateTime, utcnow


class PracticeDocument(db.Model):
    """A file about the practice's staff or training: a certificate, a CPR card, a licence, a CE
    certificate, slides. Kept like a chart document (checked bytes, a hash, encrypted at rest) but
    apart from client records, so it never shows in a chart, an export or a client's retention."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    # The staff member it is about; None for training materials.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    # credential, ce_certificate, training_materials
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(160))
    filename: Mapped[str] = mapped_column(String(160))
    content_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    # Licences and cards carry personal details (a birth date, an address): encrypted like chart files.
    data: Mapped[bytes] = deferred(mapped_column(SealedBytes()))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StaffCredential(db.Model):
    """One credential a staff member holds (standards.credentials.CredentialKind). A renewal is a new
    row; the one it replaces gets superseded_at, so the history of cards stays on record."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    # A state licence: what it licenses (standards.credentials.Profession) and which state issued it.
    profession: Mapped[str | None] = mapped_column(String(30))
    state: Mapped[str | None] = mapped_column(String(2))
    number: Mapped[str | None] = mapped_column(String(40))
    issuer: Mapped[str | None] = mapped_column(String(120))
    issued_on: Mapped[date | None]
    # Valid through this date (rules.credentials.expiry); None only for kinds that never expire (NPI).
    expires_on: Mapped[date | None]
    document_id: Mapped[int | None] = mapped_column(ForeignKey("practice_document.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    document: Mapped[PracticeDocument | None] = relationship()

    __table_args__ = (
        # The home screens ask "what lapses in the next 60 days" across the practice.
        Index("ix_staff_credential_practice_expires", "practice_id", "expires_on"),
        CheckConstraint("expires_on IS NULL OR issued_on IS NULL OR expires_on > issued_on",
                        name="expires_after_issue"),
    )

    @property
    def current(self) -> bool:
        return self.superseded_at is None


class ContinuingEducation(db.Model):
    """One course or activity a staff member completed, with its hours and the credentials it counts toward."""

    __tablename__ = "continuing_education"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str] = mapped_column(String(160))
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    completed_on: Mapped[date]
    # CredentialKind values; one course may count for the MES and the NBC-HWC alike.
    counts_toward: Mapped[list[str]] = mapped_column(JSON, default=list)
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("practice_document.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Entered in error: kept, not counted.
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    certificate: Mapped[PracticeDocument | None] = relationship()

    __table_args__ = (CheckConstraint("hours > 0", name="hours_positive"),)


class TrainingSession(db.Model):
    """An in-service training: HIPAA, documentation standards, assessment technique, emergency procedures."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    # standards.training.TrainingTopic
    topic: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(160))
    held_on: Mapped[date]
    presenter: Mapped[str] = mapped_column(String(120))
    minutes: Mapped[int | None]
    materials_id: Mapped[int | None] = mapped_column(ForeignKey("practice_document.id"))
    # Case examples may name a client: encrypted like notes.
    notes: Mapped[str | None] = mapped_column(SealedText())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    materials: Mapped[PracticeDocument | None] = relationship()
    completions: Mapped[list[TrainingCompletion]] = relationship(back_populates="session",
                                                                 order_by="TrainingCompletion.id")


class TrainingCompletion(db.Model):
    """A person's completion of a training session; it counts once they attest to it themselves."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_session.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    completed_on: Mapped[date]
    # When the person confirmed, signed in as themselves, that they completed and understood it.
    attested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[TrainingSession] = relationship(back_populates="completions")
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    __table_args__ = (UniqueConstraint("session_id", "user_id", name="uq_training_completion_session_user"),)


class HipaaTrainingWaiver(db.Model):
    """The owner's waiver of the new-staff gate: a person opens client records before their HIPAA
    training is on record. Who, by whom, when, until when and why never change (database triggers,
    migration 0015); an owner ends it early with revoked_at."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    # Free text that may name a client ("covering Mrs Ellison's sessions"): encrypted.
    reason: Mapped[str] = mapped_column(SealedText())
    # The last day it holds; None until revoked or until the training is on record.
    until: Mapped[date | None]
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    granted_by: Mapped[User] = relationship(foreign_keys=[granted_by_id])


# Columns no UPDATE may touch once the waiver is written (dbguards.lock_columns in migration 0015).
WAIVER_IMMUTABLE_COLUMNS = ["practice_id", "user_id", "reason", "until", "granted_by_id", "granted_at"]

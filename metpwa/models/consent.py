"""Consent documents: versioned templates the owner keeps, and what clients signed.

Signed records never change; the database refuses updates and deletes (see the
migration's triggers). A withdrawal or a newer version is a new record.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from ..encryption import SealedBytes, SealedText
from ..extensions import db
from .client import Client
from .practice import User
from .types import UTCDateTime, utcnow


class ConsentTemplate(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    # Stable across versions: informed_consent, liability_waiver, privacy_notice, financial, or the practice's own.
    key: Mapped[str] = mapped_column(String(40))
    version: Mapped[int]
    title: Mapped[str] = mapped_column(String(160))
    body: Mapped[str] = mapped_column(Text)
    # Required before the first session (the chart's readiness checklist).
    required: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when a newer version replaces this one or the owner retires the form.
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("practice_id", "key", "version", name="uq_consent_template_version"),)

    @property
    def current(self) -> bool:
        return self.retired_at is None


class ConsentSignature(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("consent_template.id"))
    # SHA-256 of the exact text shown to the signer (title, version and body).
    text_sha256: Mapped[str] = mapped_column(String(64))
    signature_png: Mapped[bytes] = deferred(mapped_column(SealedBytes()))
    signer_name: Mapped[str] = mapped_column(String(120))
    # self, parent, legal_guardian, healthcare_poa, other
    signer_relationship: Mapped[str] = mapped_column(String(20))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    device: Mapped[str] = mapped_column(String(200))
    ip: Mapped[str] = mapped_column(String(45))
    witness_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    # The PDF made at signing time, kept as the record of what was signed.
    pdf: Mapped[bytes] = deferred(mapped_column(SealedBytes()))
    pdf_sha256: Mapped[str] = mapped_column(String(64))

    template: Mapped[ConsentTemplate] = relationship(lazy="joined")
    witness: Mapped[User] = relationship()
    client: Mapped[Client] = relationship()


class ConsentWithdrawal(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    signature_id: Mapped[int] = mapped_column(ForeignKey("consent_signature.id"), unique=True)
    withdrawn_on: Mapped[date]
    reason: Mapped[str] = mapped_column(SealedText())
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

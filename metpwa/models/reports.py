"""Progress reports and discharge summaries to referring providers, and every delivery of a
document out of the practice (the accounting of disclosures reads them)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from ..encryption import SealedBytes, SealedText
from ..extensions import db
from .client import Client
from .intake import ReferringProvider
from .practice import User
from .types import UTCDateTime, utcnow


class ProgressReport(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    # progress or discharge
    kind: Mapped[str] = mapped_column(String(12), default="progress")
    period_start: Mapped[date]
    period_end: Mapped[date]
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("referring_provider.id"))
    recommendations: Mapped[str | None] = mapped_column(SealedText())
    scope_overrides: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A change after finalising is a new report that names the one it replaces.
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("progress_report.id"))
    finalized_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finalized_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    pdf: Mapped[bytes | None] = deferred(mapped_column(SealedBytes()))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))

    client: Mapped[Client] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    finalized_by: Mapped[User | None] = relationship(foreign_keys=[finalized_by_id])
    recipient: Mapped[ReferringProvider | None] = relationship()

    @property
    def final(self) -> bool:
        return self.finalized_at is not None

    @property
    def title(self) -> str:
        return "Discharge summary" if self.kind == "discharge" else "Progress report"


class Disclosure(db.Model):
    """One document sent or handed out: what, to whom, why, how, by whom, when."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    # progress_report, plan, medical_necessity_letter, consent, document
    document_type: Mapped[str] = mapped_column(String(30))
    document_id: Mapped[int | None]
    # download, print, fax, email, portal, hand
    method: Mapped[str] = mapped_column(String(12))
    recipient: Mapped[str] = mapped_column(String(160))
    recipient_address: Mapped[str | None] = mapped_column(String(254))
    # treatment, payment, operations, client_request, other
    purpose: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(SealedText())
    disclosed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    disclosed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    client: Mapped[Client] = relationship(viewonly=True)
    disclosed_by: Mapped[User | None] = relationship()

"""Emergency (break-glass) access: an owner lends a staff member read-only clinical access for a few hours."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..encryption import SealedText
from ..extensions import db
from .practice import User
from .types import UTCDateTime, utcnow


class EmergencyAccess(db.Model):
    """One grant. Who, by whom, when, until when and why never change (database triggers, migration
    0010); only its use and its end are written later: started_at and start_reason once, when the
    holder starts using it, and revoked_at/revoked_by_id when an owner (or the holder) ends it early.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Free text that may name a client ("covering Mrs Ellison's fall"): encrypted like notes.
    reason: Mapped[str] = mapped_column(SealedText())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    start_reason: Mapped[str | None] = mapped_column(SealedText())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined", innerjoin=True)
    granted_by: Mapped[User] = relationship(foreign_keys=[granted_by_id], lazy="joined", innerjoin=True)
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id], lazy="joined")

    __table_args__ = (Index("ix_emergency_access_user_expires", "user_id", "expires_at"),)

    def is_open(self, now: datetime | None = None) -> bool:
        """Granted and not yet over (started or not)."""
        return self.revoked_at is None and self.expires_at > (now or utcnow())

    def is_active(self, now: datetime | None = None) -> bool:
        """In use: open and started by its holder with a reason."""
        return self.started_at is not None and self.is_open(now)

    def ended_at(self) -> datetime:
        return self.revoked_at if self.revoked_at is not None and self.revoked_at < self.expires_at else self.expires_at


# Columns no UPDATE may touch once the grant is written (dbguards.lock_columns in migration 0010).
IMMUTABLE_COLUMNS = ["practice_id", "user_id", "granted_by_id", "granted_at", "expires_at", "reason"]

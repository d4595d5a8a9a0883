"""The audit trail: who did what to which record, when, from where, and how it ended."""

from __future__ import annotations

import json

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from typing import TYPE_CHECKING

from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from .client import Client
    from .practice import User


class AuditEvent(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Null for a failed sign-in to an address that matches no staff member.
    practice_id: Mapped[int | None] = mapped_column(ForeignKey("practice.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("client.id"))
    # read, create, update, delete, print, export, login, login_failed, lockout,
    # logout, lock, unlock, unlock_failed, role_change, ...
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(20), default="ok")
    ip: Mapped[str | None] = mapped_column(String(45))
    device: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[str | None] = mapped_column(Text)
    # Tamper evidence (rules/auditchain.py): the position in the trail, the seal of the event
    # before, this event's HMAC seal, and which audit key sealed it. Set at flush time.
    seq: Mapped[int | None] = mapped_column(unique=True)
    prev_mac: Mapped[str | None] = mapped_column(String(64))
    mac: Mapped[str | None] = mapped_column(String(64))
    key_version: Mapped[int | None]

    # For the owner's report; never written through (the row is append-only).
    user: Mapped[User | None] = relationship(viewonly=True)
    client: Mapped[Client | None] = relationship(viewonly=True)

    @property
    def detail_data(self) -> dict | None:
        """The detail as recorded, when it is JSON (it is for every event the app writes)."""
        try:
            value = json.loads(self.detail) if self.detail else None
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    __table_args__ = (
        Index("ix_audit_event_practice_at", "practice_id", "at"),
        Index("ix_audit_event_client_at", "client_id", "at"),
    )

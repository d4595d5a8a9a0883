"""Clients of the practice: the people whose records everything else hangs on."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..extensions import db
from .practice import Practice, User

if TYPE_CHECKING:
    from .intake import Coverage, EmergencyContact
from .types import UTCDateTime, utcnow


class Client(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(80))
    middle_name: Mapped[str | None] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    preferred_name: Mapped[str | None] = mapped_column(String(80))
    date_of_birth: Mapped[date]
    # Sex as recorded for norms (F, M) or X / U when the client says otherwise.
    sex: Mapped[str] = mapped_column(String(1))
    phone: Mapped[str | None] = mapped_column(String(30))
    # Digits only, kept in step with phone so search by any fragment is one LIKE.
    phone_digits: Mapped[str | None] = mapped_column(String(30), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    address_line1: Mapped[str | None] = mapped_column(String(120))
    address_line2: Mapped[str | None] = mapped_column(String(120))
    city: Mapped[str | None] = mapped_column(String(80))
    state: Mapped[str | None] = mapped_column(String(2))
    postal_code: Mapped[str | None] = mapped_column(String(10))
    # Pays out of pocket (superbill, HSA/FSA route) rather than through insurance.
    self_pay: Mapped[bool] = mapped_column(default=False)
    primary_trainer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # The assessment re-assessments are compared with, and plan goals are measured from.
    baseline_assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessment.id", use_alter=True, name="fk_client_baseline_assessment_id_assessment")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Soft delete only: records are kept for the retention period.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    practice: Mapped[Practice] = relationship()
    primary_trainer: Mapped[User | None] = relationship()
    emergency_contacts: Mapped[list[EmergencyContact]] = relationship(
        back_populates="client", order_by="EmergencyContact.position",
        primaryjoin="and_(EmergencyContact.client_id == Client.id, EmergencyContact.removed_at.is_(None))",
        viewonly=True,
    )
    coverages: Mapped[list[Coverage]] = relationship(
        back_populates="client", order_by="Coverage.priority",
        primaryjoin="and_(Coverage.client_id == Client.id, Coverage.ended_at.is_(None))",
        viewonly=True,
    )

    __table_args__ = (Index("ix_client_practice_name", "practice_id", "last_name", "first_name"),)

    @validates("phone")
    def _keep_phone_digits(self, key: str, value: str | None) -> str | None:
        self.phone_digits = re.sub(r"\D", "", value) if value else None
        return value

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.first_name
        return f"{first} {self.last_name}"

    @property
    def legal_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.middle_name, self.last_name) if part)

    def age_on(self, day: date) -> int:
        before_birthday = (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day)
        return day.year - self.date_of_birth.year - before_birthday

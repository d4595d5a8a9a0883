"""Objective assessments: musculoskeletal screen, range of motion, strength, posture and the
client's own account of their limitations. A signed assessment is locked; corrections are addenda."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..encryption import SealedText
from ..extensions import db
from .practice import User
from .types import UTCDateTime, utcnow


class Assessment(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    performed_on: Mapped[date]
    performed_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    # The client's own words about what they cannot do (not checked for scope: they are quotes).
    functional_limitations: Mapped[str | None] = mapped_column(SealedText())
    notes: Mapped[str | None] = mapped_column(SealedText())
    # Out-of-scope wording the trainer chose to keep, with their reason: [{field, term, matched, reason}]
    scope_overrides: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    performed_by: Mapped[User] = relationship(foreign_keys=[performed_by_id])
    signed_by: Mapped[User | None] = relationship(foreign_keys=[signed_by_id])
    screen: Mapped[list[ScreenFinding]] = relationship(order_by="ScreenFinding.id", back_populates="assessment")
    rom: Mapped[list[RomMeasurement]] = relationship(order_by="RomMeasurement.id", back_populates="assessment")
    strength: Mapped[list[StrengthMeasurement]] = relationship(order_by="StrengthMeasurement.id",
                                                               back_populates="assessment")
    posture: Mapped[list[PostureFinding]] = relationship(order_by="PostureFinding.id", back_populates="assessment")

    @property
    def signed(self) -> bool:
        return self.signed_at is not None


class ScreenFinding(db.Model):
    """One region of the musculoskeletal screen, as a functional observation."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    region: Mapped[str] = mapped_column(String(20))
    side: Mapped[str] = mapped_column(String(5))
    result: Mapped[str] = mapped_column(String(20))
    observation: Mapped[str | None] = mapped_column(SealedText())

    assessment: Mapped[Assessment] = relationship(back_populates="screen")


class RomMeasurement(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    motion: Mapped[str] = mapped_column(String(40))  # e.g. "knee.flexion" (metpwa.standards.rom)
    side: Mapped[str] = mapped_column(String(5))
    mode: Mapped[str] = mapped_column(String(7))  # active or passive
    degrees: Mapped[float] = mapped_column(Numeric(5, 1, asdecimal=False))
    note: Mapped[str | None] = mapped_column(SealedText())

    assessment: Mapped[Assessment] = relationship(back_populates="rom")


class StrengthMeasurement(db.Model):
    """A manual muscle test grade (0 to 5 with + or -) or a dynamometer reading in kg."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    muscle_group: Mapped[str] = mapped_column(String(40))
    side: Mapped[str] = mapped_column(String(5))
    grade: Mapped[str | None] = mapped_column(String(3))
    dynamometer_kg: Mapped[float | None] = mapped_column(Numeric(5, 1, asdecimal=False))
    note: Mapped[str | None] = mapped_column(SealedText())

    assessment: Mapped[Assessment] = relationship(back_populates="strength")


class PostureFinding(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    deviation: Mapped[str] = mapped_column(String(40))
    side: Mapped[str] = mapped_column(String(5))
    note: Mapped[str | None] = mapped_column(SealedText())

    assessment: Mapped[Assessment] = relationship(back_populates="posture")


class Addendum(db.Model):
    """A correction or addition to a signed record; the original stays as it was signed."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    # assessment, plan, session, report
    record_type: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[int]
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(SealedText())
    text: Mapped[str] = mapped_column(SealedText())
    scope_overrides: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    author: Mapped[User] = relationship()

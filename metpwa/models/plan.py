"""The Plan of Exercise: every change is a new version with its reason and author; sessions
start from the current one. Versions never change once saved; a trainer or owner signs one, and the
signature is a row of its own that the database never lets change."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..encryption import SealedText
from ..extensions import db
from .intake import Document
from .library import Exercise
from .practice import User
from .types import UTCDateTime, utcnow


class PlanVersion(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    version: Mapped[int]
    reason: Mapped[str] = mapped_column(SealedText())
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when a newer version replaces this one: the only column that may change.
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    starts_on: Mapped[date]
    review_on: Mapped[date]
    frequency_per_week: Mapped[int]
    duration_weeks: Mapped[int]
    # The baseline assessment the goals were measured against.
    baseline_assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id"))
    scope_overrides: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    created_by: Mapped[User] = relationship()
    signature: Mapped[PlanSignature | None] = relationship(back_populates="plan", lazy="joined")
    goals: Mapped[list[PlanGoal]] = relationship(order_by="PlanGoal.position", back_populates="plan")
    exercises: Mapped[list[PlanExercise]] = relationship(order_by="PlanExercise.position", back_populates="plan")

    __table_args__ = (UniqueConstraint("client_id", "version", name="uq_plan_version_client_version"),)

    @property
    def current(self) -> bool:
        return self.superseded_at is None

    @property
    def signed(self) -> bool:
        return self.signature is not None

    @property
    def signed_at(self) -> datetime | None:
        return self.signature.signed_at if self.signature else None

    @property
    def signed_by(self) -> User | None:
        return self.signature.signed_by if self.signature else None


class PlanSignature(db.Model):
    """A trainer's or owner's signature on one plan version, with the words they attested to.

    Kept apart from the version because a signed version still gets superseded_at when a newer one
    replaces it; this row is never updated or deleted (database triggers), and one per version."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan_version.id"), unique=True)
    signed_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The attestation exactly as shown at signing (standards.attestations), so a later rewording
    # never changes what an earlier signer attested to.
    attestation: Mapped[str] = mapped_column(Text)

    plan: Mapped[PlanVersion] = relationship(back_populates="signature")
    signed_by: Mapped[User] = relationship(lazy="joined")


class PlanGoal(db.Model):
    """A measurable goal: a target on an outcome measure, a range of motion or a strength value."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan_version.id"), index=True)
    position: Mapped[int]
    description: Mapped[str] = mapped_column(SealedText())
    # measure (outcome-measure key), rom (motion key), strength (muscle group key)
    target_kind: Mapped[str] = mapped_column(String(10))
    target_key: Mapped[str] = mapped_column(String(40))
    side: Mapped[str] = mapped_column(String(5), default="na")
    # below or above: "TUG below 12 s" is ("below", 12).
    direction: Mapped[str] = mapped_column(String(5))
    target_value: Mapped[float] = mapped_column(Numeric(7, 2, asdecimal=False))
    unit: Mapped[str] = mapped_column(String(10))
    baseline_value: Mapped[float | None] = mapped_column(Numeric(7, 2, asdecimal=False))
    by_week: Mapped[int]

    plan: Mapped[PlanVersion] = relationship(back_populates="goals")


class PlanExercise(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan_version.id"), index=True)
    position: Mapped[int]
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercise.id"))
    sets: Mapped[int]
    reps: Mapped[int | None]
    seconds: Mapped[int | None]  # a hold or a timed bout, when not reps
    load: Mapped[float | None] = mapped_column(Numeric(6, 1, asdecimal=False))
    load_unit: Mapped[str | None] = mapped_column(String(20))
    # rpe (Borg CR-10, 0-10) or percent (of a one-repetition maximum)
    intensity_kind: Mapped[str | None] = mapped_column(String(8))
    intensity_value: Mapped[float | None] = mapped_column(Numeric(5, 1, asdecimal=False))
    rest_seconds: Mapped[int | None]
    progression: Mapped[str | None] = mapped_column(SealedText())
    activity_type: Mapped[str] = mapped_column(String(30))

    plan: Mapped[PlanVersion] = relationship(back_populates="exercises")
    exercise: Mapped[Exercise] = relationship(lazy="joined")

    @property
    def prescription(self) -> str:
        dose = f"{self.sets} x {self.reps}" if self.reps else f"{self.sets} x {self.seconds} s"
        if self.load is not None:
            dose += f" @ {self.load:g} {self.load_unit or ''}".rstrip()
        if self.intensity_kind == "rpe" and self.intensity_value is not None:
            dose += f", RPE {self.intensity_value:g}"
        elif self.intensity_kind == "percent" and self.intensity_value is not None:
            dose += f", {self.intensity_value:g}% 1RM"
        if self.rest_seconds:
            dose += f", rest {self.rest_seconds} s"
        return dose


class PlanAcknowledgement(db.Model):
    """The referring provider's acknowledgement of a plan version (signed copy, fax, portal)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan_version.id"), index=True)
    received_on: Mapped[date]
    # signed_copy, fax, email, portal, verbal
    method: Mapped[str] = mapped_column(String(20))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))
    note: Mapped[str | None] = mapped_column(SealedText())
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    document: Mapped[Document | None] = relationship()

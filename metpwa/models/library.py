"""The practice's exercise library: seeded with common medical-exercise movements, grown by the practice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow


class Exercise(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(30))
    equipment: Mapped[str] = mapped_column(String(40))
    body_region: Mapped[str] = mapped_column(String(30))
    # Which timed service the minutes count toward (therapeutic exercise, neuromuscular
    # re-education, gait, functional activities): sessions and billing read it.
    activity_type: Mapped[str] = mapped_column(String(30))
    default_sets: Mapped[int | None]
    default_reps: Mapped[int | None]
    default_hold_seconds: Mapped[int | None]
    default_duration_seconds: Mapped[int | None]
    default_rest_seconds: Mapped[int | None]
    each_side: Mapped[bool] = mapped_column(default=False)
    load_unit: Mapped[str | None] = mapped_column(String(20))
    instructions: Mapped[str] = mapped_column(Text)
    # "library" for the seeded movements, "practice" for the practice's own.
    origin: Mapped[str] = mapped_column(String(10), default="practice")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("practice_id", "slug", name="uq_exercise_practice_slug"),
        Index("ix_exercise_practice_name", "practice_id", "name"),
    )

    @property
    def default_dosage(self) -> str:
        parts = []
        if self.default_sets:
            parts.append(f"{self.default_sets} x")
        if self.default_reps:
            parts.append(f"{self.default_reps} reps")
        if self.default_hold_seconds:
            parts.append(f"hold {self.default_hold_seconds} s")
        if self.default_duration_seconds:
            minutes, seconds = divmod(self.default_duration_seconds, 60)
            parts.append(f"{minutes} min" if not seconds else f"{self.default_duration_seconds} s")
        if self.each_side:
            parts.append("each side")
        return " ".join(parts)


class ScopeTerm(db.Model):
    """The practice's own edits to the scope-of-practice word list: an added phrase, or a
    default term switched off (removed_default_key)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    phrase: Mapped[str | None] = mapped_column(String(80))
    category: Mapped[str | None] = mapped_column(String(20))
    suggestion: Mapped[str | None] = mapped_column(Text)
    removed_default_key: Mapped[str | None] = mapped_column(String(80))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

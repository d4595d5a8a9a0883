"""Relationship activities with referral sources: networking events, educational sessions such as
a lunch-and-learn, visits and calls, with who went, notes and a follow-up. The sources themselves
are the referring providers every referral already names (models.intake.ReferringProvider)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..encryption import SealedText
from ..extensions import db
from .intake import ReferringProvider
from .practice import User
from .types import UTCDateTime, utcnow


class RelationshipActivity(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"))
    # standards.referral_network.ActivityKind
    kind: Mapped[str] = mapped_column(String(30))
    held_on: Mapped[date]
    # The staff member who went or called.
    staff_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    # A provider's remark about a shared client may end up here: encrypted like notes.
    notes: Mapped[str | None] = mapped_column(SealedText())
    follow_up_on: Mapped[date | None]
    follow_up_done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    staff: Mapped[User] = relationship(foreign_keys=[staff_id])
    sources: Mapped[list[RelationshipActivitySource]] = relationship(
        back_populates="activity", cascade="all, delete-orphan", order_by="RelationshipActivitySource.id")

    __table_args__ = (
        Index("ix_relationship_activity_practice_held", "practice_id", "held_on"),
        # The owner's home lists open follow-ups by date.
        Index("ix_relationship_activity_practice_follow_up", "practice_id", "follow_up_on"),
    )

    @property
    def follow_up_done(self) -> bool:
        return self.follow_up_done_at is not None


class RelationshipActivitySource(db.Model):
    """A referral source an activity reached: a lunch-and-learn at a clinic reaches several."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("relationship_activity.id"))
    provider_id: Mapped[int] = mapped_column(ForeignKey("referring_provider.id"), index=True)

    activity: Mapped[RelationshipActivity] = relationship(back_populates="sources")
    provider: Mapped[ReferringProvider] = relationship(lazy="joined")

    __table_args__ = (
        UniqueConstraint("activity_id", "provider_id", name="uq_relationship_activity_source_activity_provider"),
    )

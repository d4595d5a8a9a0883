"""The appointment book and session logs: what was planned, what happened set by set, the note,
the signature that locks it all, and addenda after."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..encryption import SealedText
from ..extensions import db
from ..standards.exercises import ACTIVITY_TYPES
from .client import Client
from .library import Exercise
from .plan import PlanExercise, PlanVersion
from .practice import User
from .types import UTCDateTime, utcnow

# The four timed activities session minutes are kept by; billing applies the 8-minute rule to them.
ACTIVITY_COLUMNS = {activity: f"minutes_{activity}" for activity in ACTIVITY_TYPES}


class AppointmentSeries(db.Model):
    """Recurring slots: the same weekdays and time, week after week, until an end date."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    trainer_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    weekdays: Mapped[str] = mapped_column(String(20))  # e.g. "0,3" for Monday and Thursday
    local_time: Mapped[str] = mapped_column(String(5))  # "14:30" in the practice's zone
    duration_minutes: Mapped[int]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Appointment(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    trainer_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    series_id: Mapped[int | None] = mapped_column(ForeignKey("appointment_series.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int]
    # scheduled, cancelled, no_show (attended is read from the session log)
    status: Mapped[str] = mapped_column(String(12), default="scheduled")
    status_reason: Mapped[str | None] = mapped_column(SealedText())
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    client: Mapped[Client] = relationship()
    trainer: Mapped[User] = relationship()

    __table_args__ = (Index("ix_appointment_practice_starts", "practice_id", "starts_at"),)


class SessionLog(db.Model):
    """One session with a client: exercises and sets as they happened, then a signed note."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    trainer_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointment.id"), unique=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan_version.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pain_before: Mapped[int | None]
    pain_after: Mapped[int | None]
    heart_rate_before: Mapped[int | None]
    heart_rate_after: Mapped[int | None]
    systolic_before: Mapped[int | None]
    diastolic_before: Mapped[int | None]
    systolic_after: Mapped[int | None]
    diastolic_after: Mapped[int | None]
    minutes_therapeutic_exercise: Mapped[int] = mapped_column(default=0)
    minutes_neuromuscular_reeducation: Mapped[int] = mapped_column(default=0)
    minutes_gait: Mapped[int] = mapped_column(default=0)
    minutes_functional_activities: Mapped[int] = mapped_column(default=0)
    # The structured note: what the client reports, how they performed, how they responded, what next.
    note_client_report: Mapped[str | None] = mapped_column(SealedText())
    note_performance: Mapped[str | None] = mapped_column(SealedText())
    note_response: Mapped[str | None] = mapped_column(SealedText())
    note_plan: Mapped[str | None] = mapped_column(SealedText())
    # Changes to the Plan of Exercise this session calls for (a skipped exercise, a pain flag).
    plan_changes: Mapped[str | None] = mapped_column(SealedText())
    scope_overrides: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Signed more than 24 hours after the session ended.
    late_entry: Mapped[bool] = mapped_column(default=False)

    client: Mapped[Client] = relationship()
    trainer: Mapped[User] = relationship(foreign_keys=[trainer_id])
    signed_by: Mapped[User | None] = relationship(foreign_keys=[signed_by_id])
    plan: Mapped[PlanVersion | None] = relationship()
    exercises: Mapped[list[SessionExercise]] = relationship(order_by="SessionExercise.position",
                                                            back_populates="session_log")

    __table_args__ = (Index("ix_session_log_client_started", "client_id", "started_at"),)

    @property
    def signed(self) -> bool:
        return self.signed_at is not None

    @property
    def total_activity_minutes(self) -> int:
        return sum(getattr(self, column) for column in ACTIVITY_COLUMNS.values())

    def minutes(self, activity_type: str) -> int:
        return getattr(self, ACTIVITY_COLUMNS[activity_type])


class SessionExercise(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("session_log.id"), index=True)
    position: Mapped[int]
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercise.id"))
    plan_exercise_id: Mapped[int | None] = mapped_column(ForeignKey("plan_exercise.id"))
    activity_type: Mapped[str] = mapped_column(String(30))
    # The prescription as it read when the session started, and the last session's actual sets,
    # copied once at the start so logging a set never has to look back through history.
    prescription: Mapped[str | None] = mapped_column(String(200))
    last_actuals: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    skipped: Mapped[bool] = mapped_column(default=False)
    skip_reason: Mapped[str | None] = mapped_column(SealedText())
    # tolerated_well, fatigue, pain_increase, other
    response: Mapped[str | None] = mapped_column(String(20))
    response_pain: Mapped[int | None]
    response_note: Mapped[str | None] = mapped_column(SealedText())

    session_log: Mapped[SessionLog] = relationship(back_populates="exercises")
    exercise: Mapped[Exercise] = relationship(lazy="joined")
    plan_exercise: Mapped[PlanExercise | None] = relationship()
    sets: Mapped[list[SetLog]] = relationship(order_by="SetLog.set_number", back_populates="session_exercise")


class SetLog(db.Model):
    """One set, logged from the tablet; the idempotency key makes a double tap or a retry one row."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"))
    session_id: Mapped[int] = mapped_column(ForeignKey("session_log.id"), index=True)
    session_exercise_id: Mapped[int] = mapped_column(ForeignKey("session_exercise.id"))
    set_number: Mapped[int]
    reps: Mapped[int | None]
    seconds: Mapped[int | None]
    load: Mapped[Decimal | None] = mapped_column(Numeric(6, 1))
    load_unit: Mapped[str | None] = mapped_column(String(10))
    rpe: Mapped[Decimal | None] = mapped_column(Numeric(3, 1))
    # When it happened on the gym floor, and when the server received it.
    performed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    idempotency_key: Mapped[str] = mapped_column(String(64))
    entered_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))

    session_exercise: Mapped[SessionExercise] = relationship(back_populates="sets")

    __table_args__ = (
        UniqueConstraint("practice_id", "idempotency_key", name="uq_set_log_practice_key"),
        # The next set's number is the highest so far plus one: read from the index, not the rows.
        Index("ix_set_log_exercise_number", "session_exercise_id", "set_number"),
    )


class OutboxReceipt(db.Model):
    """One gym-floor write that arrived from a device's outbox under its idempotency key (a vitals
    entry, a client response, an item that arrived after its session was signed).

    Sets and outcome results carry their key on their own row; the writes that change a field of
    the session instead (vitals, a response) have no row of their own to keep it, so this one does.
    `fingerprint` is a digest of what was sent: the same key with other content is refused, never
    merged. An item for a session signed meanwhile is kept here as `late_text`, an addendum draft
    the trainer reviews on the signed session (never a silent loss) until `resolved_at`.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"))
    idempotency_key: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))
    fingerprint: Mapped[str] = mapped_column(String(64))
    session_id: Mapped[int] = mapped_column(ForeignKey("session_log.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    performed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # "applied", or "late": the session was signed first and this waits as an addendum draft.
    outcome: Mapped[str] = mapped_column(String(10), default="applied")
    late_text: Mapped[str | None] = mapped_column(SealedText())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("practice_id", "idempotency_key", name="uq_outbox_receipt_practice_key"),
    )

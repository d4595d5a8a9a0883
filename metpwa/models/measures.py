"""Functional outcome measure results: one row per test run as it was saved, never edited
(a mistaken result is corrected by running the test again, which saves a new result)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..encryption import SealedText
from ..extensions import db
from .practice import User
from .types import UTCDateTime, utcnow


class OutcomeResult(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"))
    # A key of metpwa.standards.measures.MEASURES, with the protocol version the test followed.
    measure_key: Mapped[str] = mapped_column(String(30))
    protocol_version: Mapped[str] = mapped_column(String(40))
    # What the trainer entered (trials, counts, answers) as numbers, choices such as the grip unit as
    # text, e.g. {"trials": [13.62, 14.1]}.
    raw: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The scored parts beside the score (per-hand grip means, stance times, item points): enough to
    # read this result again as a baseline without re-scoring the raw entry.
    parts: Mapped[dict[str, Any]] = mapped_column(JSON)
    value: Mapped[float] = mapped_column(Numeric(8, 2, asdecimal=False))
    unit: Mapped[str] = mapped_column(String(10))
    display: Mapped[str] = mapped_column(String(120))
    # LOINC codes by part ("score", "right hand", "left hand"); empty when none is verified.
    loinc_codes: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # The sentence as saved, so a report quotes what the trainer saw, even after norms change.
    interpretation: Mapped[str] = mapped_column(SealedText())
    at_fall_risk: Mapped[bool] = mapped_column(default=False)
    # The client's first result of this measure, which the sentence compares with.
    baseline_result_id: Mapped[int | None] = mapped_column(ForeignKey("outcome_result.id"))
    walking_aid: Mapped[str | None] = mapped_column(String(20))
    observations: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(SealedText())
    # Out-of-scope wording kept in the note, with the trainer's reason: [{field, terms, reason, by, at}]
    scope_overrides: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # When the test was run (the tablet's clock) and when the server stored it: a result kept on
    # the page while the wifi was down arrives later than it happened.
    performed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    performed_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    # Made by the page for each result; a retry or a double tap sends the same key again.
    idempotency_key: Mapped[str] = mapped_column(String(36))
    # The session the test was run in, when it was run in one.
    session_id: Mapped[int | None] = mapped_column(ForeignKey("session_log.id"))

    performed_by: Mapped[User] = relationship()

    __table_args__ = (
        UniqueConstraint("practice_id", "idempotency_key", name="uq_outcome_result_practice_idempotency_key"),
        Index("ix_outcome_result_client_measure", "client_id", "measure_key", "performed_at"),
    )

    def values_by_side(self) -> dict[str, float]:
        """The values by side as recorded when saved: "na" is the score (for grip the stronger hand),
        "right" and "left" the grip means of each hand. Plan goals read services.measures.values_today,
        the same values under today's rounding."""
        values = {"na": self.value}
        for side in ("right", "left"):
            kg = self.parts.get(f"{side}_kg")
            if kg is not None:
                values[side] = kg
        return values

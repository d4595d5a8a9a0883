"""The practice's own clock: stored times are UTC, but "today" is the practice's today."""

from __future__ import annotations

from datetime import date, datetime

from .models import Practice, utcnow


def practice_now(practice: Practice) -> datetime:
    return utcnow().astimezone(practice.zone)


def practice_today(practice: Practice) -> date:
    return practice_now(practice).date()

"""When a progress report is due, and how attendance is counted against the plan's frequency."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Due:
    reason: str


def report_due(*, last_report_on: date | None, first_session_on: date | None, visits_since: int, today: date,
               every_visits: int, every_days: int) -> Due | None:
    """Due every `every_visits` signed visits or `every_days` days since the last report (or since
    the first session when there is none yet), whichever comes first (practice settings)."""
    start = last_report_on or first_session_on
    if start is None:
        return None
    since = "since the last report" if last_report_on else "since the first session"
    if visits_since >= every_visits:
        return Due(f"{visits_since} visits {since}")
    days = (today - start).days
    if days >= every_days:
        return Due(f"{days} days {since}")
    return None


def planned_visits(frequency_per_week: int, start: date, end: date) -> int:
    """Visits the plan called for in a period (inclusive), at its weekly frequency."""
    days = (end - start).days + 1
    return max(0, round(frequency_per_week * days / 7))


def attendance_rate(attended: int, planned: int) -> int | None:
    return round(100 * attended / planned) if planned else None

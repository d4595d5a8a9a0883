"""When a progress report is due, how attendance is counted against the plan's frequency, and what
the trainer may write in it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from metpwa.rules.errors import InputError

# About two printed pages: the recommendations close a letter to the referring provider.
RECOMMENDATIONS_CHARS = 4000


class ReportInputError(InputError):
    """Something typed into a progress report that cannot be kept."""


def check_recommendations(text: str) -> str:
    """The recommendations as kept (trimmed), or ReportInputError when they run past the limit."""
    text = text.strip()
    if len(text) > RECOMMENDATIONS_CHARS:
        raise ReportInputError("recommendations", f"Keep the recommendations to {RECOMMENDATIONS_CHARS:,} characters "
                                                  f"or fewer (this is {len(text):,}).")
    return text


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


def report_due_on(*, last_report_on: date | None, first_session_on: date | None, visit_dates: Iterable[date],
                  every_visits: int, every_days: int) -> date | None:
    """The day a report falls due under report_due's rule: the `every_visits`-th signed visit after
    the last report's period (counting the first session itself when there is no report yet), or
    `every_days` days after the start, whichever comes first."""
    start = last_report_on or first_session_on
    if start is None:
        return None
    counted = sorted(day for day in visit_dates if (day > start if last_report_on else day >= start))
    by_days = start + timedelta(days=every_days)
    if len(counted) >= every_visits:
        return min(by_days, counted[every_visits - 1])
    return by_days

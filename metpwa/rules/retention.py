"""How long a client's records must be kept before anyone may purge them.

The practice sets RETENTION_YEARS (7 by default: CMS expects Medicare providers to keep records
at least that long; some states and Medicare Advantage contracts ask for more, so the practice
may raise it, never lower it below what its payers and state require). The clock starts at the
client's last recorded activity, and only an archived client is ever eligible.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Retention:
    keep_until: date
    eligible: bool
    reason: str


def retention(*, last_activity: date, archived: bool, years: int, today: date) -> Retention:
    keep_until = add_years(last_activity, years)
    if not archived:
        return Retention(keep_until, False, "active client")
    if today <= keep_until:
        return Retention(keep_until, False, f"kept until {keep_until:%m/%d/%Y}")
    return Retention(keep_until, True, f"retention ended {keep_until:%m/%d/%Y}")

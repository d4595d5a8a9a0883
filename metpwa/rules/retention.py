"""How long a client's records must be kept before anyone may purge them, and the plain words that go
with the number.

The practice sets RETENTION_YEARS (7 by default). It is the practice's choice, to meet the longest of
what its state and its payer contracts require: no federal rule sets one number for medical records
(metpwa.standards.retention says what each rule covers). The clock starts at the client's last
recorded activity, and only an archived client is ever eligible. A client seen as a minor is kept
at least until the age of majority (the practice's state: metpwa.standards.majority) plus the same
years, however long ago the last visit was (issue 16).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from metpwa.standards.majority import DEFAULT_AGE
from metpwa.standards.retention import FEDERAL_RULES, MEDICAL_RECORDS


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


def majority_on(born_on: date, majority_age: int) -> date:
    return add_years(born_on, majority_age)


def is_minor(born_on: date, on: date, majority_age: int = DEFAULT_AGE) -> bool:
    """Under the age of majority on that day: a parent or legal guardian signs for the client."""
    return on < majority_on(born_on, majority_age)


def retention(*, last_activity: date, archived: bool, years: int, today: date, born_on: date | None = None,
              majority_age: int = DEFAULT_AGE) -> Retention:
    keep_until = add_years(last_activity, years)
    why = ""
    if born_on is not None:
        for_minor = add_years(majority_on(born_on, majority_age), years)
        if for_minor > keep_until:
            keep_until, why = for_minor, f" (seen as a minor: majority at {majority_age} plus {years} years)"
    if not archived:
        return Retention(keep_until, False, "active client")
    if today <= keep_until:
        return Retention(keep_until, False, f"kept until {keep_until:%m/%d/%Y}{why}")
    return Retention(keep_until, True, f"retention ended {keep_until:%m/%d/%Y}{why}")


def basis(years: int) -> list[str]:
    """What the retention report says about its number, without overstating any rule (issue 16)."""
    lines = [
        (
            f"Records are kept {years} years after a client's last activity: RETENTION_YEARS, the practice's"
            " setting, not a number any one law sets."
        ),
        MEDICAL_RECORDS,
        (
            "A client seen as a minor is kept at least until the age of majority in the practice's state"
            f" (18 in most; 19 in Alabama and Nebraska, 21 in Mississippi) plus the same {years} years."
        ),
        "For comparison, federal rules that name a number, and what they cover:",
    ]
    lines += [f"- {rule.years} years: {rule.covers} ({rule.source})." for rule in FEDERAL_RULES]
    longer = [rule for rule in FEDERAL_RULES if rule.years > years]
    if longer:
        named = "; ".join(f"{rule.source}, {rule.years} years" for rule in longer)
        lines.append(f"Check whether these apply to the practice; they ask for more than the setting: {named}.")
    return lines

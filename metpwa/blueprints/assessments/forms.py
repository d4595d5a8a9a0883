"""What an assessment's page posts, read into one dataclass per section.

Degrees, grades and kilograms stay as typed: rules.assessment checks them once the service has
found the assessment still a draft, so a signed one answers 409 whatever was typed, and a refused
row comes back on the page exactly as it was typed (dataclasses.asdict of the reading).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from werkzeug.datastructures import MultiDict

from ...forms import parse_us_date


@dataclass(frozen=True)
class RomReading:
    motion: str
    side: str
    mode: str
    degrees: str
    note: str


@dataclass(frozen=True)
class StrengthReading:
    muscle_group: str
    side: str
    grade: str
    dynamometer_kg: str
    note: str


@dataclass(frozen=True)
class ScreenReading:
    region: str
    side: str
    result: str
    observation: str


@dataclass(frozen=True)
class PostureChoice:
    """A deviation ticked on the checklist (or unticked: a second tap removes it)."""

    deviation: str
    side: str


READINGS = {"rom": RomReading, "strength": StrengthReading, "screen": ScreenReading}


def read_reading(form: MultiDict, section: str) -> RomReading | StrengthReading | ScreenReading:
    """A row of the ROM, strength or screen section; a box not posted is blank."""
    reading = READINGS[section]
    return reading(**{name: form.get(name, "") for name in reading.__dataclass_fields__})


def read_posture(form: MultiDict) -> PostureChoice:
    return PostureChoice(form.get("deviation", ""), form.get("side", "na"))


def read_performed_on(form: MultiDict) -> date | None:
    return parse_us_date(form.get("performed_on", ""))


@dataclass(frozen=True)
class AssessmentText:
    functional_limitations: str
    notes: str


def read_text(form: MultiDict) -> AssessmentText:
    return AssessmentText(form.get("functional_limitations", ""), form.get("notes", ""))

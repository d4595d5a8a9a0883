"""Plain rules for a session on the gym floor: what a logged set may hold, plausible vitals,
which responses are flagged, late entries, and how session minutes split across activities."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from metpwa.rules import parse
from metpwa.rules.errors import InputError

from metpwa.standards.effort import NEAR_MAXIMAL_FROM

# Severe pain on the 0-10 numeric scale starts at 7 (Serlin RC et al. 1995, Pain 61:277, cut
# points 1-4 mild, 5-6 moderate, 7-10 severe); RPE 9-10 is near maximal on the Borg CR-10, past
# 7, "very hard" (metpwa.standards.effort). Either one, on the spot, suggests the plan needs a change.
PAIN_FLAG_AT = 7
RPE_FLAG_AT = Decimal(NEAR_MAXIMAL_FROM)
# A note signed more than this long after the session ended is marked as a late entry.
LATE_AFTER = timedelta(hours=24)
# Tablet clocks drift and sets are sometimes entered a little after the fact; anything outside
# this window around the server's clock is taken as the server's time instead.
PERFORMED_AT_SLACK = timedelta(hours=12)

LIMITS = {
    "reps": (0, 100, "Reps must be a whole number from 0 to 100."),
    "seconds": (0, 3600, "Time must be 0 to 3,600 seconds (an hour)."),
    "pain": (0, 10, "Pain is a whole number from 0 to 10."),
    "heart_rate": (30, 220, "Heart rate must be 30 to 220 beats a minute."),
    "systolic": (70, 250, "Systolic pressure must be 70 to 250 mm Hg."),
    "diastolic": (40, 150, "Diastolic pressure must be 40 to 150 mm Hg."),
    "minutes": (0, 240, "Minutes must be 0 to 240."),
}
LOAD_LIMITS = {"kg": Decimal(250), "lb": Decimal(550)}
# A note draft kept from the gym floor: one part of the structured note is a few paragraphs at most;
# more is a paste gone wrong, and the outbox keeps each draft whole on the iPad until it is sent.
NOTE_DRAFT_MAX_CHARS = 4000


class SessionInputError(InputError):
    """A value from the gym floor that cannot be recorded; `message` is shown at `field`."""


def whole(field: str, raw: str | None, *, kind: str | None = None, required: bool = False) -> int | None:
    """A whole number within its limits, None when blank (unless required)."""
    low, high, message = LIMITS[kind or field]
    text = (raw or "").strip()
    if not text:
        if required:
            raise SessionInputError(field, message)
        return None
    value = parse.whole_number(text, low, high)
    if value is None:
        raise SessionInputError(field, message)
    return value


def load(raw: str | None, unit: str) -> Decimal | None:
    text = (raw or "").strip()
    if not text:
        return None
    ceiling = LOAD_LIMITS.get(unit, LOAD_LIMITS["kg"])
    value = parse.decimal(text)
    if value is None:
        raise SessionInputError("load", "Type the load as a number, such as 12.5.")
    if not 0 <= value <= ceiling:
        raise SessionInputError("load", f"Load must be 0 to {ceiling} {unit or 'kg'}.")
    return value.quantize(Decimal("0.1"))


def rpe(raw: str | None) -> Decimal | None:
    text = (raw or "").strip()
    if not text:
        return None
    value = parse.decimal(text)
    if value is None:
        raise SessionInputError("rpe", "RPE is 0 to 10.")
    if not 0 <= value <= 10 or (value * 2) % 1:
        raise SessionInputError("rpe", "RPE is 0 to 10, in half steps.")
    return value.quantize(Decimal("0.1"))


@dataclass(frozen=True, slots=True)
class SetEntry:
    """One set as the logger sent it (blueprints.sessions.forms.read_set). The numbers stay as typed:
    check_set reads them once the service has found the exercise open, so another practice's set
    answers 404 and a signed session's 409, whatever was typed. `session_exercise_id` is 0 when
    what came is no record id."""

    session_exercise_id: int
    idempotency_key: str
    reps: str | None
    seconds: str | None
    load: str | None
    load_unit: str | None
    rpe: str | None
    performed_at: str | None


@dataclass(frozen=True)
class VitalsEntry:
    """Pain, heart rate and blood pressure before or after the session, as typed (checked by whole
    and check_blood_pressure once the session is known to be open)."""

    pain: str | None
    heart_rate: str | None
    systolic: str | None
    diastolic: str | None


@dataclass(frozen=True)
class SetValues:
    reps: int | None
    seconds: int | None
    load: Decimal | None
    load_unit: str | None
    rpe: Decimal | None


def check_set(*, reps: str | None, seconds: str | None, load_value: str | None, load_unit: str | None,
              rpe_value: str | None) -> SetValues:
    unit = load_unit if load_unit in LOAD_LIMITS else None
    values = SetValues(whole("reps", reps), whole("seconds", seconds), load(load_value, unit or "kg"), unit, rpe(rpe_value))
    if values.reps is None and values.seconds is None:
        raise SessionInputError("reps", "Give the reps (or the time for a hold).")
    if values.load is not None and values.load_unit is None:
        values = SetValues(values.reps, values.seconds, values.load, "kg", values.rpe)
    return values


def check_blood_pressure(systolic: int | None, diastolic: int | None, when: str) -> None:
    if (systolic is None) != (diastolic is None):
        raise SessionInputError(f"systolic_{when}", "Give both numbers of the blood pressure, or neither.")
    if systolic is not None and diastolic is not None and systolic <= diastolic:
        raise SessionInputError(f"systolic_{when}", "The top number (systolic) must be higher than the bottom one.")


def performed_at(client_millis: str | None, now: datetime) -> datetime:
    """When the tablet says the set happened, unless its clock is clearly wrong."""
    try:
        millis = float(client_millis or "")
    except ValueError:
        return now
    if not math.isfinite(millis):
        return now
    try:
        when = datetime.fromtimestamp(millis / 1000, UTC)
    except (OverflowError, OSError, ValueError):
        return now
    return when if abs(when - now) <= PERFORMED_AT_SLACK else now


def is_flagged_pain(pain: int | None) -> bool:
    return pain is not None and pain >= PAIN_FLAG_AT


def is_flagged_effort(value: Decimal | float | None) -> bool:
    return value is not None and Decimal(str(value)) >= RPE_FLAG_AT


def late_entry(ended_at: datetime, signed_at: datetime) -> bool:
    return signed_at - ended_at > LATE_AFTER


# A session is booked for at most 180 minutes. A clock left running longer (Finish forgotten, the
# note signed the next morning) stops at the last set logged plus a cool-down, never at the moment
# of signing: otherwise a note signed days later would look on time and the session days long.
LONGEST_SESSION = timedelta(minutes=180)
COOL_DOWN = timedelta(minutes=10)


def clock_end(started_at: datetime, stopped_at: datetime, last_set_at: datetime | None) -> datetime:
    if stopped_at - started_at <= LONGEST_SESSION:
        return stopped_at
    anchor = max(started_at, last_set_at) if last_set_at is not None else started_at
    return min(stopped_at, anchor + COOL_DOWN, started_at + LONGEST_SESSION)


# For proposing minutes: a rep takes about this long, and each set brings a rest of about this.
SECONDS_PER_REP = 4
REST_SECONDS_PER_SET = 60


def set_seconds(reps: int | None, seconds: int | None) -> int:
    """About how long a set kept the client busy, rest included: its own time when it was timed (a
    hold, a walk), else its reps at a steady tempo."""
    work = seconds if seconds is not None else (reps or 0) * SECONDS_PER_REP
    return work + REST_SECONDS_PER_SET


def split_minutes(total: int, seconds_by_activity: dict[str, int]) -> dict[str, int]:
    """A first split of the session's minutes across activities, in proportion to the time their
    sets took (set_seconds; largest remainder, so the parts add up to the total). Counting sets
    alone gave a 30-minute balance walk the same weight as one set of ten sit-to-stands, and could
    put an activity under the 8-minute rule's first unit. The trainer adjusts."""
    counted = {activity: weight for activity, weight in seconds_by_activity.items() if weight > 0}
    if total <= 0 or not counted:
        return dict.fromkeys(seconds_by_activity, 0)
    all_time = sum(counted.values())
    exact = {activity: total * weight / all_time for activity, weight in counted.items()}
    parts = {activity: math.floor(value) for activity, value in exact.items()}
    leftover = total - sum(parts.values())
    for activity in sorted(exact, key=lambda a: exact[a] - parts[a], reverse=True)[:leftover]:
        parts[activity] += 1
    return {activity: parts.get(activity, 0) for activity in seconds_by_activity}


# The clock's grace: a session closed a little after the last set still documents its minutes.
MINUTES_GRACE = 5


def most_minutes(session_minutes: int) -> int:
    """The most timed minutes a session of this length may document (the hint says the same)."""
    return session_minutes + MINUTES_GRACE


def check_minutes(minutes: dict[str, int], session_minutes: int) -> None:
    """Timed minutes cannot add up to more than the session lasted, with the clock's grace."""
    total = sum(minutes.values())
    if total > most_minutes(session_minutes):
        raise SessionInputError(
            "minutes", f"The activities add up to {total} minutes, but the session lasted {session_minutes}.")


def check_note_draft(note: dict[str, str], labels: dict[str, str]) -> dict[str, str]:
    """A note draft's parts, trimmed; a part longer than NOTE_DRAFT_MAX_CHARS is refused at its field."""
    for name, text in note.items():
        if len(text) > NOTE_DRAFT_MAX_CHARS:
            raise SessionInputError(name, f"{labels[name]} is {len(text):,} characters; a note part holds at most "
                                          f"{NOTE_DRAFT_MAX_CHARS:,}. Shorten it (nothing was kept yet).")
    return {name: text.strip() for name, text in note.items()}

"""Staff training: when each person's HIPAA training falls due, the gate that keeps new staff out of
client records until their HIPAA training is on record (or the owner waived it with a reason), who
is overdue, and the checks on what the owner types. See standards/training.py for what HIPAA itself
asks (training "as necessary and appropriate", not yearly: the interval is the practice's setting)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from metpwa.rules.credentials import add_months
from metpwa.rules.fixes import Target
from metpwa.standards.training import (
    HIPAA_DUE_SOON_DAYS,
    HIPAA_INTERVAL_MONTHS_RANGE,
    TrainingTopic,
)

WAIVER_REASON_CHARS = (10, 500)
TITLE_MAX_CHARS = 160
PRESENTER_MAX_CHARS = 120


def _day(value: date) -> str:
    return f"{value:%b} {value.day}, {value.year}"


@dataclass(frozen=True)
class Completion:
    """A person's completion of one training session; it counts once they attest to it."""

    topic: TrainingTopic | str
    completed_on: date
    attested: bool
    ref: int | None = None


@dataclass(frozen=True)
class Waiver:
    """The owner's waiver of the new-staff gate, with its reason; until None means until revoked."""

    reason: str
    granted_on: date
    until: date | None = None
    revoked: bool = False
    ref: int | None = None

    def active_on(self, today: date) -> bool:
        return not self.revoked and (self.until is None or today <= self.until)


def is_new_staff(joined_at: datetime, gate_since: datetime | None) -> bool:
    """Staff added after the practice turned the gate on (User.created_at, Practice.hipaa_gate_since);
    those already there (migration 0015 sets the moment for existing practices) are listed as overdue,
    never locked out. Moments, not days: someone added earlier on the day of the upgrade is not new."""
    return gate_since is not None and joined_at > gate_since


def _hipaa(completions: Iterable[Completion]) -> list[Completion]:
    return [c for c in completions if TrainingTopic(c.topic) is TrainingTopic.HIPAA]


class HipaaState(StrEnum):
    CURRENT = "current"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    # New staff with none on record: due before they open any client record.
    BEFORE_CLIENT_RECORDS = "before_client_records"


@dataclass(frozen=True)
class HipaaDue:
    state: HipaaState
    last_completed_on: date | None
    due_on: date | None
    days_left: int | None
    text: str
    # A completion is recorded but the person has not attested to it yet.
    awaiting_attestation: bool = False

    @property
    def needs_action(self) -> bool:
        return self.state is not HipaaState.CURRENT


def hipaa_due(completions: Iterable[Completion], *, interval_months: int, new_staff: bool, today: date,
              due_soon_days: int = HIPAA_DUE_SOON_DAYS) -> HipaaDue:
    """Due `interval_months` after the last attested HIPAA completion (the practice's setting)."""
    hipaa = _hipaa(completions)
    attested = [c.completed_on for c in hipaa if c.attested]
    awaiting = any(not c.attested for c in hipaa)
    if not attested:
        if new_staff:
            text = "Due before opening any client record"
            return HipaaDue(HipaaState.BEFORE_CLIENT_RECORDS, None, None, None, text, awaiting)
        return HipaaDue(HipaaState.OVERDUE, None, None, None, "No HIPAA training on record", awaiting)
    last = max(attested)
    due_on = add_months(last, interval_months)
    days_left = (due_on - today).days
    if days_left < 0:
        return HipaaDue(HipaaState.OVERDUE, last, due_on, days_left, f"Overdue since {_day(due_on)}", awaiting)
    if days_left <= due_soon_days:
        return HipaaDue(HipaaState.DUE_SOON, last, due_on, days_left, f"Due {_day(due_on)}", awaiting)
    return HipaaDue(HipaaState.CURRENT, last, due_on, days_left, f"Current until {_day(due_on)}", awaiting)


@dataclass(frozen=True)
class RecordsGate:
    allowed: bool
    waived: bool
    message: str
    fix: Target | None


def may_open_client_records(*, person: str, person_ref: int | None, new_staff: bool,
                            completions: Iterable[Completion], waivers: Iterable[Waiver],
                            today: date) -> RecordsGate:
    """New staff open client records once a HIPAA training they attested to is on record, or while
    an owner's waiver is in force. Staff who were there before the gate are never stopped by it."""
    if not new_staff:
        return RecordsGate(True, False, "", None)
    hipaa = _hipaa(completions)
    if any(c.attested for c in hipaa):
        return RecordsGate(True, False, "", None)
    waiver = next((w for w in waivers if w.active_on(today)), None)
    if waiver is not None:
        until = f" until {_day(waiver.until)}" if waiver.until else ""
        return RecordsGate(True, True, f"HIPAA training waived{until}: {waiver.reason}", None)
    if hipaa:
        return RecordsGate(False, False, (
            f"{person}'s HIPAA training is recorded but not yet attested. {person} confirms it on their home "
            "screen, then client records open."), ("staff.training_attest", person_ref))
    return RecordsGate(False, False, (
        f"{person} cannot open client records until their HIPAA training is on record. Record the training "
        "under Staff > Training, or the owner can waive it with a reason."), ("staff.training", person_ref))


@dataclass(frozen=True)
class StaffTraining:
    ref: int
    name: str
    new_staff: bool
    completions: tuple[Completion, ...]


@dataclass(frozen=True)
class TrainingRow:
    ref: int
    name: str
    due: HipaaDue
    fix: Target


def hipaa_board(staff: Iterable[StaffTraining], *, interval_months: int, today: date) -> list[TrainingRow]:
    """Everyone's HIPAA due date, the most pressing first (none on record, then longest overdue)."""
    rows = [TrainingRow(p.ref, p.name, hipaa_due(p.completions, interval_months=interval_months,
                                                 new_staff=p.new_staff, today=today), ("staff.training", p.ref))
            for p in staff]
    urgency = {HipaaState.BEFORE_CLIENT_RECORDS: 0, HipaaState.OVERDUE: 1, HipaaState.DUE_SOON: 2,
               HipaaState.CURRENT: 3}
    return sorted(rows, key=lambda r: (urgency[r.due.state], r.due.days_left if r.due.days_left is not None
                                       else -10**6, r.name))


def overdue(staff: Iterable[StaffTraining], *, interval_months: int, today: date) -> list[TrainingRow]:
    """Those whose HIPAA training is overdue or, for new staff, not yet on record."""
    return [row for row in hipaa_board(staff, interval_months=interval_months, today=today)
            if row.due.state in (HipaaState.OVERDUE, HipaaState.BEFORE_CLIENT_RECORDS)]


def due_soon(staff: Iterable[StaffTraining], *, interval_months: int, today: date) -> list[TrainingRow]:
    return [row for row in hipaa_board(staff, interval_months=interval_months, today=today)
            if row.due.state is HipaaState.DUE_SOON]


# --- What the owner types -------------------------------------------------------------------------


def check_interval(months: int | None) -> dict[str, str]:
    low, high = HIPAA_INTERVAL_MONTHS_RANGE
    if months is None or not (low <= months <= high):
        return {"hipaa_training_every_months": f"HIPAA training every {low} to {high} months."}
    return {}


def check_waiver(reason: str, *, until: date | None, today: date) -> dict[str, str]:
    errors = {}
    low, high = WAIVER_REASON_CHARS
    text = (reason or "").strip()
    if len(text) < low:
        errors["reason"] = f"Give the reason in a few words ({low} characters or more)."
    elif len(text) > high:
        errors["reason"] = f"Keep the reason under {high} characters."
    if until is not None and until < today:
        errors["until"] = "The waiver would end in the past: choose today or a later date, or leave it empty."
    return errors


def check_training_session(*, topic: str, title: str, held_on: date | None, presenter: str) -> dict[str, str]:
    errors = {}
    try:
        TrainingTopic(topic)
    except ValueError:
        errors["topic"] = "Choose the topic from the list."
    if not (title or "").strip():
        errors["title"] = "Give the session a title, like \"HIPAA refresher 2027\"."
    elif len(title) > TITLE_MAX_CHARS:
        errors["title"] = f"The title is at most {TITLE_MAX_CHARS} characters."
    if held_on is None:
        errors["held_on"] = "Enter the date of the session."
    if not (presenter or "").strip():
        errors["presenter"] = "Enter who presented it (a person or the course provider)."
    elif len(presenter) > PRESENTER_MAX_CHARS:
        errors["presenter"] = f"The presenter is at most {PRESENTER_MAX_CHARS} characters."
    return errors


def check_completion(*, completed_on: date | None, session_held_on: date, today: date) -> dict[str, str]:
    if completed_on is None:
        return {"completed_on": "Enter the date the person completed the training."}
    if completed_on > today:
        return {"completed_on": "A completion cannot be recorded before it happens."}
    if completed_on < session_held_on:
        return {"completed_on": "The completion is before the session was held: check the date."}
    return {}


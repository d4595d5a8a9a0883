"""What the schedule, the session screen and the sign page post, read into typed values.

Each reader returns a frozen dataclass. Numbers a person types on the gym floor (reps, load, vitals,
the response's pain) stay as typed in it (rules.sessions.SetEntry, VitalsEntry): the rules the
service calls check them once the session is known to be open, so another practice's session
answers 404 and a signed one 409, whatever was typed. The set logger's reader is the hot path's:
no WTForms, no query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from werkzeug.datastructures import MultiDict

from ...forms import keep_reasons, parse_us_date
from ...rules import parse
from ...rules import sessions as session_rules
from ...scoping import record_id, record_id_or_none
from ...services.schedule import MAX_WEEKS
from ...standards.exercises import ACTIVITY_TYPES
from ...standards.session_log import NOTE_FIELDS


def _clock(text: str) -> time | None:
    try:
        return time.fromisoformat(text)
    except ValueError:
        return None


def week_of(args: MultiDict) -> date | None:
    """The schedule's week, from ?week=MM/DD/YYYY (any day of it)."""
    return parse_us_date(args.get("week", ""))


@dataclass(frozen=True)
class Booking:
    """An appointment, or a weekly series when weekdays are chosen. `errors` are the boxes that
    could not be read; whether the client and trainer are this practice's is the route's to ask."""

    client_id: int | None
    trainer_id: int | None
    day: date | None
    clock: time | None
    duration_minutes: int
    weekdays: list[int]
    weeks: int
    errors: dict[str, str]


def read_booking(form: MultiDict) -> Booking:
    errors = {}
    day = parse_us_date(form.get("day", ""))
    if day is None:
        errors["day"] = "Enter the date as MM/DD/YYYY."
    clock = _clock(form.get("time", ""))
    if clock is None:
        errors["time"] = "Enter the time, for example 14:30."
    # A blank box takes the page's default; anything unreadable is refused, not replaced.
    duration = parse.whole_number(form.get("duration_minutes") or "60", 15, 180)
    if duration is None:
        errors["duration_minutes"] = "A session is 15 to 180 minutes."
    weekdays = [weekday for text in form.getlist("weekdays")
                if (weekday := parse.whole_number(text, 0, 6)) is not None]
    weeks = parse.whole_number(form.get("weeks") or "1", 1, MAX_WEEKS)
    if weekdays and weeks is None:
        errors["weeks"] = f"Repeat for 1 to {MAX_WEEKS} weeks."
    return Booking(record_id_or_none(form.get("client_id", "")), record_id_or_none(form.get("trainer_id", "")),
                   day, clock, duration or 60, weekdays, weeks or 1, errors)


@dataclass(frozen=True)
class AppointmentChange:
    """A reschedule (day and time) or a cancellation or no-show (its reason); `back` is where the
    page came from, checked by the route (access.safe_next). `errors` are the boxes the action needs
    that could not be read, shown at the appointment's own boxes."""

    day: date | None
    clock: time | None
    reason: str
    back: str | None
    errors: dict[str, str]


def read_appointment_change(form: MultiDict, action: str) -> AppointmentChange:
    day, clock, reason = parse_us_date(form.get("day", "")), _clock(form.get("time", "")), form.get("reason", "").strip()
    errors = {}
    if action == "reschedule":
        if day is None:
            errors["day"] = "Give the new date (MM/DD/YYYY)."
        if clock is None:
            errors["time"] = "Give the new time, for example 14:30."
    elif not reason:
        errors["reason"] = "Give the reason: attendance reports show it."
    return AppointmentChange(day, clock, reason, form.get("back"), errors)


def chosen_id(form: MultiDict, name: str) -> int | None:
    """A record chosen on the page (an appointment to start, an exercise to add); None when none
    was, or when what came is no record id."""
    return form.get(name, type=record_id)


def read_set(form: MultiDict) -> session_rules.SetEntry:
    return session_rules.SetEntry(form.get("session_exercise_id", 0, type=record_id),
                          (form.get("idempotency_key") or "").strip()[:64], form.get("reps"), form.get("seconds"),
                          form.get("load"), form.get("load_unit"), form.get("rpe"), form.get("performed_at"))


@dataclass(frozen=True)
class ResponseEntry:
    """How the client took an exercise: a key of standards.session_log.RESPONSES, the pain as typed
    (asked for a pain increase), a note."""

    response: str
    pain: str | None
    note: str | None


def read_response(form: MultiDict) -> ResponseEntry:
    return ResponseEntry(form.get("response", ""), form.get("response_pain"), form.get("response_note"))


def read_key(form: MultiDict) -> str | None:
    """The outbox's idempotency key for a vitals entry or a response (none from a page without it)."""
    return (form.get("idempotency_key") or "").strip()[:64] or None


def read_performed_at(form: MultiDict) -> str | None:
    """When the tablet says it happened (milliseconds since 1970, as typed; rules.sessions checks it)."""
    return form.get("performed_at") or None


def from_outbox(headers) -> bool:
    """Sent by the iPad's outbox (static/js/outbox.js), which may deliver it after the session was
    signed elsewhere: such an item is kept as an addendum draft rather than refused."""
    return headers.get("X-Metpwa-Outbox") == "1"


def read_skip_reason(form: MultiDict) -> str:
    return form.get("skip_reason", "")


def read_vitals(form: MultiDict, when: str) -> session_rules.VitalsEntry:
    """The page's boxes end in _before or _after."""
    return session_rules.VitalsEntry(*(form.get(f"{name}_{when}") for name in ("pain", "heart_rate", "systolic", "diastolic")))


@dataclass(frozen=True)
class SessionNote:
    """The sign page: the note's parts by SessionLog column, the minutes by activity and the pain
    after the session (read, with a message at each box that could not be), and the reasons typed
    to keep flagged wording."""

    note: dict[str, str]
    minutes: dict[str, int]
    pain_after: int | None
    keep_reasons: dict[str, str]
    errors: dict[str, str]

    def as_text(self) -> str:
        """The note as one text, its parts labelled: what an addendum holds when the session was
        signed on another iPad while this note was being written."""
        return "\n".join(f"{field.label}: {text}" for field in NOTE_FIELDS
                         if (text := self.note[field.key].strip()))


def read_note_draft(form: MultiDict) -> dict[str, str]:
    """The structured note's parts as typed on the session screen (a draft: nothing else is read)."""
    return {field.key: form.get(field.key, "") for field in NOTE_FIELDS}


def read_note(form: MultiDict) -> SessionNote:
    note = {field.key: form.get(field.key, "") for field in NOTE_FIELDS}
    errors, minutes = {}, {}
    for activity in ACTIVITY_TYPES:
        try:
            minutes[activity] = session_rules.whole(f"minutes_{activity}", form.get(f"minutes_{activity}"),
                                                    kind="minutes") or 0
        except session_rules.SessionInputError as error:
            errors[error.field] = error.message
    try:
        pain_after = session_rules.whole("pain_after", form.get("pain_after"), kind="pain")
    except session_rules.SessionInputError as error:
        errors[error.field], pain_after = error.message, None
    return SessionNote(note, minutes, pain_after, keep_reasons(form, note), errors)

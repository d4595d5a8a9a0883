"""The appointment book: single and weekly appointments, reschedules, cancellations and no-shows."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from ..database import rolls_back_on_refusal
from ..extensions import db
from ..models import Appointment, AppointmentSeries, Client, Practice, SessionLog, User, utcnow
from ..rules.errors import InputError, StaleRecord
from . import audit

MAX_WEEKS = 26
LONGEST_MINUTES = 180  # the longest appointment the schedule books (forms.read_booking)
STATUS_LABELS = {"scheduled": "Scheduled", "cancelled": "Cancelled", "no_show": "No-show"}


class ScheduleInputError(InputError):
    """A booking or a move the book cannot take; the message is shown at the box named."""


def _refuse_clash(client: Client, starts: list[datetime], duration_minutes: int, *,
                  moving: Appointment | None = None) -> None:
    """A client is in one place at a time: a booking or a move onto another of their appointments
    still on the book (a double tap on Book, a series over an earlier one) is refused, naming it.
    Cancelled and no-show appointments free their time."""
    length = timedelta(minutes=duration_minutes)
    held = db.session.scalars(select(Appointment).where(
        Appointment.client_id == client.id, Appointment.status == "scheduled",
        Appointment.starts_at > min(starts) - timedelta(minutes=LONGEST_MINUTES),
        Appointment.starts_at < max(starts) + length,
    ).order_by(Appointment.starts_at))
    for other in held:
        if moving is not None and other.id == moving.id:
            continue
        other_start = other.starts_at
        if any(start < other_start + timedelta(minutes=other.duration_minutes) and other_start < start + length
               for start in starts):
            raise ScheduleInputError("time", f"{client.display_name} is already booked {_when(other_start, client)} "
                                             f"with {other.trainer.full_name}. Choose another time, or change that "
                                             "appointment.")


def _when(moment: datetime, client: Client) -> str:
    """Dec 9, 2026, 2:00 PM in the practice's zone, as the schedule writes it."""
    local = moment.astimezone(client.practice.zone)
    return f"{local:%b} {local.day}, {local.year}, {local.hour % 12 or 12}:{local:%M %p}"


def at_local(practice: Practice, day: date, clock: time) -> datetime:
    """A wall-clock time in the practice's zone as aware UTC (zoneinfo handles daylight saving)."""
    return datetime.combine(day, clock, tzinfo=practice.zone).astimezone(UTC)


def day_bounds(practice: Practice, day: date) -> tuple[datetime, datetime]:
    start = at_local(practice, day, time(0, 0))
    return start, at_local(practice, day + timedelta(days=1), time(0, 0))


@rolls_back_on_refusal
def book(user: User, client: Client, *, trainer: User, day: date, clock: time, duration_minutes: int,
         weekdays: list[int] | None = None, weeks: int = 1) -> list[Appointment]:
    """One appointment, or the same slot on the given weekdays for a number of weeks (a series)."""
    practice = client.practice
    series = None
    days = [day]
    if weekdays:
        chosen = set(weekdays)
        # N weeks counted from the first day, so every chosen weekday comes N times: counted from
        # that week's Monday, a series starting on a Friday for Mondays and Wednesdays lost its
        # first week (and a one-week series booked nothing).
        days = [each for each in (day + timedelta(days=n) for n in range(7 * min(weeks, MAX_WEEKS)))
                if each.weekday() in chosen]
    _refuse_clash(client, [at_local(practice, each, clock) for each in days], duration_minutes)
    if weekdays:
        series = AppointmentSeries(practice_id=client.practice_id, client_id=client.id, trainer_id=trainer.id,
                                   weekdays=",".join(str(d) for d in sorted(set(weekdays))),
                                   local_time=f"{clock:%H:%M}", duration_minutes=duration_minutes,
                                   created_by_id=user.id)
        db.session.add(series)
        db.session.flush()
    booked = []
    for each in days:
        appointment = Appointment(practice_id=client.practice_id, client_id=client.id, trainer_id=trainer.id,
                                  series_id=series.id if series else None, starts_at=at_local(practice, each, clock),
                                  duration_minutes=duration_minutes)
        db.session.add(appointment)
        booked.append(appointment)
    db.session.flush()
    audit.record("create", series or booked[0], user=user, client_id=client.id, detail={"appointments": len(booked)})
    db.session.commit()
    return booked


def session_of(appointment: Appointment) -> SessionLog | None:
    return db.session.scalar(select(SessionLog).where(SessionLog.appointment_id == appointment.id))


def refuse_if_kept(appointment: Appointment) -> None:
    """A session was held for this appointment (a stale schedule page): it stays as it happened,
    since attendance reads it."""
    if session_of(appointment) is not None:
        raise StaleRecord("A session was held for this appointment; it cannot be moved, cancelled or marked as a "
                          "no-show. Reload the schedule.")


@rolls_back_on_refusal
def reschedule(user: User, appointment: Appointment, *, day: date, clock: time) -> None:
    refuse_if_kept(appointment)
    before = appointment.starts_at
    moved_to = at_local(appointment.client.practice, day, clock)
    _refuse_clash(appointment.client, [moved_to], appointment.duration_minutes, moving=appointment)
    appointment.starts_at = moved_to
    appointment.status = "scheduled"
    audit.record("update", appointment, user=user, detail={"from": before.isoformat(), "to":
                                                          appointment.starts_at.isoformat()})
    db.session.commit()


@rolls_back_on_refusal
def set_status(user: User, appointment: Appointment, status: str, reason: str) -> None:
    """Cancelled or no-show, always with the reason (attendance reports read both). A no-show only
    once its time has come: tapped on next week's row, attendance counted a visit not yet due."""
    refuse_if_kept(appointment)
    starts = appointment.starts_at
    if status == "no_show" and starts > utcnow():
        raise ScheduleInputError("reason", f"Not yet: this appointment starts {_when(starts, appointment.client)}. "
                                           "If the client called to say they will not come, use Cancel.")
    appointment.status = status
    appointment.status_reason = reason.strip()[:300]
    appointment.status_changed_at = datetime.now(UTC)
    audit.record("update", appointment, user=user, detail={"status": status})
    db.session.commit()


def reinstate(user: User, appointment: Appointment) -> None:
    """Marked no-show or cancelled, and then the client came after all: the visit is starting, so
    attendance must not count it both ways. The caller commits it with the session."""
    if appointment.status == "scheduled":
        return
    audit.record("update", appointment, user=user,
                 detail={"status": "scheduled", "was": appointment.status, "why": "a session started"})
    appointment.status = "scheduled"
    appointment.status_reason = None
    appointment.status_changed_at = datetime.now(UTC)


def for_day(practice: Practice, day: date, *, trainer_id: int | None = None) -> list[Appointment]:
    start, end = day_bounds(practice, day)
    stmt = select(Appointment).where(Appointment.practice_id == practice.id, Appointment.starts_at >= start,
                                     Appointment.starts_at < end)
    if trainer_id is not None:
        stmt = stmt.where(Appointment.trainer_id == trainer_id)
    return list(db.session.scalars(stmt.order_by(Appointment.starts_at)))


def for_range(practice: Practice, first: date, days: int) -> list[Appointment]:
    start, _ = day_bounds(practice, first)
    _, end = day_bounds(practice, first + timedelta(days=days - 1))
    return list(db.session.scalars(
        select(Appointment).where(Appointment.practice_id == practice.id, Appointment.starts_at >= start,
                                  Appointment.starts_at < end).order_by(Appointment.starts_at)
    ))


def sessions_for(appointments: list[Appointment]) -> dict[int, SessionLog]:
    ids = [a.id for a in appointments]
    if not ids:
        return {}
    rows = db.session.scalars(select(SessionLog).where(SessionLog.appointment_id.in_(ids)))
    return {row.appointment_id: row for row in rows}


def attendance(client_id: int, since: datetime | None = None, until: datetime | None = None) -> dict[str, int]:
    """Counts for reports: attended (signed sessions), no-shows and cancellations."""
    appointments = select(Appointment).where(Appointment.client_id == client_id)
    sessions = select(SessionLog).where(SessionLog.client_id == client_id, SessionLog.signed_at.is_not(None))
    if since is not None:
        appointments = appointments.where(Appointment.starts_at >= since)
        sessions = sessions.where(SessionLog.started_at >= since)
    if until is not None:
        appointments = appointments.where(Appointment.starts_at < until)
        sessions = sessions.where(SessionLog.started_at < until)
    rows = list(db.session.scalars(appointments))
    return {"attended": len(list(db.session.scalars(sessions))),
            "no_show": sum(1 for a in rows if a.status == "no_show"),
            "cancelled": sum(1 for a in rows if a.status == "cancelled")}

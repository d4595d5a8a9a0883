"""Sessions on the gym floor: start from the current plan (with the last session's numbers),
log sets idempotently, record responses, finish, sign and lock; addenda after signing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import bindparam, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import selectinload

from ..database import rolls_back_on_refusal, take_write_lock
from ..clock import practice_today
from ..extensions import db
from ..models import (
    ACTIVITY_COLUMNS,
    Appointment,
    Client,
    Exercise,
    PlanExercise,
    Practice,
    SessionExercise,
    SessionLog,
    SetLog,
    User,
    utcnow,
)
from ..rules import sessions as session_rules
from ..rules.errors import RecordLocked, RecordNotFound
from ..rules.readiness import checklist
from ..rules.scope_guard import what_they_say
from ..standards.session_log import NOTE_FIELDS, RESPONSES
from . import audit, credentials, outbox, plans, readiness, referrals, schedule, scope
from .signin import SignedIn

class SessionBlocked(Exception):
    """What stands between this client and a session, in words for the trainer."""

    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def blockers(client: Client) -> list[str]:
    reasons = [f"{item.label}: {item.detail}" if item.detail else item.label
               for item in checklist(readiness.facts(client)) if not item.done]
    if plans.current(client.id) is None:
        reasons.append("Plan of Exercise: there is no plan to start from yet.")
    referral = referrals.current_referral(client.id)
    if referral is not None and referral.authorized_visits:
        used = db.session.scalar(
            select(func.count()).select_from(SessionLog).where(
                SessionLog.client_id == client.id, SessionLog.signed_at.is_not(None),
                # From the referral's day in the practice's zone: an evening session is that day's.
                SessionLog.started_at >= schedule.day_bounds(client.practice, referral.referred_on)[0])
        )
        if used >= referral.authorized_visits:
            reasons.append(f"Referral: all {referral.authorized_visits} authorized visits are used; the referring "
                           "provider must authorize more.")
    return reasons


def in_progress(client_id: int) -> SessionLog | None:
    return db.session.scalar(
        select(SessionLog).where(SessionLog.client_id == client_id, SessionLog.signed_at.is_(None))
        .order_by(SessionLog.started_at.desc()).limit(1)
    )


def started_today(session_log: SessionLog, practice: Practice) -> bool:
    start, end = schedule.day_bounds(practice, practice_today(practice))
    return start <= session_log.started_at < end


def left_unsigned(client: Client) -> list[SessionLog]:
    """Sessions of earlier days never signed: each is its own visit, waiting for its (late) note."""
    start, _ = schedule.day_bounds(client.practice, practice_today(client.practice))
    return list(db.session.scalars(
        select(SessionLog).where(SessionLog.client_id == client.id, SessionLog.signed_at.is_(None),
                                 SessionLog.started_at < start).order_by(SessionLog.started_at)
    ))


def last_signed(client_id: int, before: datetime | None = None) -> SessionLog | None:
    stmt = select(SessionLog).where(SessionLog.client_id == client_id, SessionLog.signed_at.is_not(None))
    if before is not None:
        stmt = stmt.where(SessionLog.started_at < before)
    return db.session.scalar(
        stmt.options(selectinload(SessionLog.exercises).selectinload(SessionExercise.sets))
        .order_by(SessionLog.started_at.desc()).limit(1)
    )


def _actuals(last: SessionLog | None, exercise_id: int) -> list[dict]:
    if last is None:
        return []
    for row in last.exercises:
        if row.exercise_id == exercise_id and row.sets:
            return [{"reps": s.reps, "seconds": s.seconds, "load": str(s.load) if s.load is not None else None,
                     "load_unit": s.load_unit, "rpe": str(s.rpe) if s.rpe is not None else None} for s in row.sets]
    return []


def start(user: User, client: Client, *, appointment: Appointment | None = None,
          at: datetime | None = None) -> SessionLog:
    """Start (or resume) the client's session from the current Plan of Exercise."""
    # Two taps on Start at once must open one session: the client's row is locked until commit
    # (PostgreSQL; a change on SQLite already holds the database's write lock), after the write
    # turn, which every writer takes before its row locks.
    take_write_lock(db.session.connection())
    db.session.execute(select(Client.id).where(Client.id == client.id).with_for_update())
    current = in_progress(client.id)
    # Only today's unsigned session is resumed: one left unsigned on an earlier day is that day's
    # visit (Today lists it to sign, as a late entry); today's sets would make two visits one.
    if current is not None and started_today(current, client.practice):
        return current
    reasons = blockers(client)
    if reasons:
        audit.record("session_start", client, user=user, outcome="blocked", detail={"why": reasons[:5]})
        db.session.commit()
        raise SessionBlocked(reasons)
    if appointment is not None:
        schedule.reinstate(user, appointment)
    return open_session(user, client, plan=plans.current(client.id), appointment=appointment, at=at)


def open_session(user: User, client: Client, *, plan, appointment: Appointment | None = None,
                 at: datetime | None = None) -> SessionLog:
    """Create the session from a plan version without the readiness check: for start() once the
    chart is ready, and for bringing in sessions recorded before metpwa (the demo's history)."""
    started = at or utcnow()
    last = last_signed(client.id, before=started)
    session_log = SessionLog(practice_id=client.practice_id, client_id=client.id, trainer_id=user.id,
                         appointment_id=appointment.id if appointment else None, plan_id=plan.id, started_at=started,
                         scope_overrides=[])
    db.session.add(session_log)
    db.session.flush()
    for item in plan.exercises:
        db.session.add(SessionExercise(
            practice_id=client.practice_id, session_id=session_log.id, position=item.position,
            exercise_id=item.exercise_id, plan_exercise_id=item.id, activity_type=item.activity_type,
            prescription=item.prescription, last_actuals=_actuals(last, item.exercise_id),
        ))
    audit.record("create", session_log, user=user, client_id=client.id, detail={"plan_version": plan.version})
    db.session.commit()
    return session_log


SIGNED = "This session is signed and locked. Reload the page; corrections are addenda."


def _refuse_if_signed(session_log: SessionLog) -> None:
    if session_log.signed:
        raise RecordLocked(SIGNED)


@dataclass(frozen=True, slots=True)
class LoggedSet:
    """A set as stored, for the fragment that shows it: plain values, no ORM object to build."""

    id: int
    session_id: int
    session_exercise_id: int
    set_number: int
    reps: int | None
    seconds: int | None
    load: Decimal | None
    load_unit: str | None
    rpe: Decimal | None
    performed_at: datetime
    entered_at: datetime


@dataclass(frozen=True, slots=True)
class PlannedSet:
    """What the plan asked of each set of an exercise (none of it when the exercise was added on
    the floor): the set table's "planned" column and the "2 of 3 sets" progress."""

    sets: int | None
    reps: int | None
    seconds: int | None
    load: float | None
    load_unit: str | None


def planned(item: SessionExercise) -> PlannedSet:
    plan = item.plan_exercise
    if plan is None:
        return PlannedSet(None, None, None, None, None)
    return PlannedSet(plan.sets, plan.reps, plan.seconds, plan.load, plan.load_unit)


def open_exercise(session_log: SessionLog, chosen: int | None) -> int | None:
    """Which exercise the session screen opens: the one asked for, else the first not skipped that
    still has planned sets to do (or, added on the floor, none yet), else the first."""
    items = session_log.exercises
    if chosen is not None and any(item.id == chosen for item in items):
        return chosen
    for item in items:
        wanted = item.plan_exercise.sets if item.plan_exercise else 1
        if not item.skipped and len(item.sets) < wanted:
            return item.id
    return items[0].id if items else None


# The gym floor's hot path runs these on every set, so they are built once (Core, on the tables):
# SQLAlchemy then skips per-call construction, cache-key work and the ORM's unit of work.
_SESSION, _ITEM, _SETS = SessionLog.__table__, SessionExercise.__table__, SetLog.__table__
_PLANNED = PlanExercise.__table__
# The plan's numbers come in the same select (an outer join), so the set table's "planned" column
# and the exercise's progress cost no extra query.
_SET_TARGET = (
    select(_SESSION.c.practice_id, _SESSION.c.client_id, _SESSION.c.signed_at, _ITEM.c.skipped,
           _PLANNED.c.sets.label("planned_sets"), _PLANNED.c.reps.label("planned_reps"),
           _PLANNED.c.seconds.label("planned_seconds"), _PLANNED.c.load.label("planned_load"),
           _PLANNED.c.load_unit.label("planned_unit"))
    .join(_ITEM, _ITEM.c.session_id == _SESSION.c.id)
    .outerjoin(_PLANNED, _PLANNED.c.id == _ITEM.c.plan_exercise_id)
    .where(_ITEM.c.id == bindparam("item"), _SESSION.c.id == bindparam("session"),
           _SESSION.c.practice_id == bindparam("practice"))
    # PostgreSQL: "not signed yet" and the exercise's sets hold until commit, so two iPads logging
    # the same exercise take turns (SQLite's write lock already makes them).
    .with_for_update(of=[_ITEM, _SESSION])
)
# The next number is read in the insert itself, not in the locking select: on PostgreSQL that
# select's snapshot predates the wait for the lock, and two sets at once both became "set 2".
_NEXT_NUMBER = (select(func.coalesce(func.max(_SETS.c.set_number), 0) + 1)
                .where(_SETS.c.session_exercise_id == bindparam("item")).scalar_subquery())
_LOGGED_COLUMNS = [_SETS.c[name] for name in LoggedSet.__slots__]
_ADD_SET = {
    dialect: insert(_SETS).values(set_number=_NEXT_NUMBER)
    .on_conflict_do_nothing(index_elements=["practice_id", "idempotency_key"]).returning(*_LOGGED_COLUMNS)
    for dialect, insert in (("sqlite", sqlite_insert), ("postgresql", postgresql_insert))
}
_SAVED_SET = select(*_LOGGED_COLUMNS).where(_SETS.c.practice_id == bindparam("practice"),
                                            _SETS.c.idempotency_key == bindparam("key"))


@rolls_back_on_refusal
def log_set(user: User | SignedIn, session_id: int, entry: session_rules.SetEntry, *,
            late_as_draft: bool = False) -> tuple[LoggedSet, bool, PlannedSet]:
    """One set from the tablet, in a fixed number of queries whatever the client's history.

    Returns (the set, True when new, what the plan asked of it). A repeated idempotency key (a double tap, a retry after
    the wifi dropped) returns the set already stored instead of a second one; other numbers under
    a key already used are refused. From the outbox (`late_as_draft`), a set that reaches the session
    after it was signed is kept as an addendum draft (ArrivedAfterSigning). The write lock is
    taken here, not at the start of the request, and held for two short statements and the
    audit event, so two iPads logging at once barely wait for each other.
    """
    session_exercise_id = entry.session_exercise_id
    connection = db.session.connection()
    take_write_lock(connection)
    found = connection.execute(_SET_TARGET, {"item": session_exercise_id, "session": session_id,
                                             "practice": user.practice_id}).first()
    if found is None:
        raise RecordNotFound()
    if found.signed_at is not None:
        replay = _late_set(user, session_id, entry, found) if late_as_draft else None
        if replay is None:
            raise RecordLocked(SIGNED)
        db.session.commit()
        return replay, False, _planned_of(found)
    if found.skipped:
        raise session_rules.SessionInputError("session_exercise_id",
                                              "This exercise was skipped: add it again to log sets.")
    key = entry.idempotency_key
    if len(key) < 8:
        raise session_rules.SessionInputError("idempotency_key",
                                              "This page is out of date: reload it and log the set again.")
    values = session_rules.check_set(reps=entry.reps, seconds=entry.seconds, load_value=entry.load,
                             load_unit=entry.load_unit, rpe_value=entry.rpe)
    now = utcnow()
    row = {"practice_id": found.practice_id, "session_id": session_id, "session_exercise_id": session_exercise_id,
           "item": session_exercise_id, "reps": values.reps, "seconds": values.seconds, "load": values.load,
           "load_unit": values.load_unit, "rpe": values.rpe,
           "performed_at": session_rules.performed_at(entry.performed_at, now), "entered_at": now,
           "idempotency_key": key, "entered_by_id": user.id}
    created = connection.execute(_ADD_SET[connection.dialect.name], row).first()
    plan = _planned_of(found)
    if created is None:
        existing = LoggedSet(*connection.execute(_SAVED_SET, {"practice": found.practice_id, "key": key}).one())
        if existing.session_exercise_id != session_exercise_id:
            # A key is unique in the practice, but a repeat counts only for the same exercise: another
            # exercise's set (perhaps another client's) is never shown as this one's.
            raise session_rules.SessionInputError("idempotency_key",
                                                  "This page is out of date: reload it and log the set again.")
        if _set_content(existing) != _set_content(values):
            # A replay must be the same set; other numbers under its key are refused, never merged.
            outbox.refuse_reused(user, practice_id=found.practice_id, client_id=found.client_id, kind="set", key=key)
        db.session.commit()
        return existing, False, plan
    audit.append(connection, "create", practice_id=found.practice_id, user_id=user.id, client_id=found.client_id,
                 object_type="SetLog", object_id=created.id)
    db.session.commit()
    return LoggedSet(*created), True, plan


def _planned_of(found) -> PlannedSet:
    return PlannedSet(found.planned_sets, found.planned_reps, found.planned_seconds,
                      None if found.planned_load is None else float(found.planned_load), found.planned_unit)


def _set_content(values) -> tuple:
    return (values.reps, values.seconds, None if values.load is None else Decimal(values.load).normalize(),
            values.load_unit if values.load is not None else None,
            None if values.rpe is None else Decimal(values.rpe).normalize())


def _late_set(user: User | SignedIn, session_id: int, entry: session_rules.SetEntry, found) -> LoggedSet | None:
    """A set from the outbox that reached a signed session: the same set saved before the signature
    is a replay (returned as saved); anything else is kept as an addendum draft (outbox.keep_late
    raises ArrivedAfterSigning). None: not a set the outbox can keep (no key)."""
    key = outbox.checked_key(entry.idempotency_key)
    if key is None:
        return None
    values = session_rules.check_set(reps=entry.reps, seconds=entry.seconds, load_value=entry.load,
                                     load_unit=entry.load_unit, rpe_value=entry.rpe)
    saved = db.session.execute(_SAVED_SET, {"practice": user.practice_id, "key": key}).first()
    if saved is not None:
        saved = LoggedSet(*saved)
        if saved.session_exercise_id != entry.session_exercise_id or _set_content(saved) != _set_content(values):
            outbox.refuse_reused(user, practice_id=found.practice_id, client_id=found.client_id, kind="set", key=key)
        return saved
    session_log = db.session.get(SessionLog, session_id)
    item = db.session.get(SessionExercise, entry.session_exercise_id)
    when = session_rules.performed_at(entry.performed_at, utcnow())
    text = f"Set of {item.exercise.name} logged at {when:%H:%M} UTC, after signing: {_set_words(values)}"
    outbox.keep_late(user, session_log, key=key, kind="set", content=dict(zip(
        ("reps", "seconds", "load", "load_unit", "rpe", "item"), (*_set_content(values), item.id))),
        text=text, performed_at=when)


def _set_words(values) -> str:
    parts = []
    if values.reps is not None:
        parts.append(f"{values.reps} reps")
    if values.seconds is not None:
        parts.append(f"{values.seconds} s")
    if values.load is not None:
        parts.append(f"{Decimal(values.load).normalize():f} {values.load_unit or ''}".strip())
    if values.rpe is not None:
        parts.append(f"RPE {Decimal(values.rpe).normalize():f}")
    return ", ".join(parts) or "no numbers"


@rolls_back_on_refusal
def undo_set(user: User, session_log: SessionLog, row: SetLog) -> None:
    _refuse_if_signed(session_log)
    audit.record("delete", row, user=user, client_id=session_log.client_id, detail={"set": row.set_number})
    db.session.delete(row)
    db.session.commit()


@rolls_back_on_refusal
def record_response(user: User, session_log: SessionLog, item: SessionExercise, *, response: str, pain: str | None,
                    note: str | None, key: str | None = None, performed_at: str | None = None,
                    late_as_draft: bool = False) -> None:
    """How the client took the exercise. `key` (from the outbox) makes a replay change nothing; one
    that reaches the session after it was signed becomes an addendum draft."""
    key = outbox.checked_key(key)
    content = {"item": item.id, "response": response, "pain": pain, "note": (note or "").strip()}
    if outbox.replayed(user, session_log, key=key, kind="response", content=content):
        return
    if session_log.signed and key is not None and late_as_draft:
        words = RESPONSES.get(response, response)
        outbox.keep_late(user, session_log, key=key, kind="response", content=content,
                         performed_at=session_rules.performed_at(performed_at, utcnow()),
                         text=f"Client response to {item.exercise.name}, after signing: {words}"
                              + (f", pain {pain}/10" if pain and response == "pain_increase" else "")
                              + (f" ({content['note']})" if content["note"] else ""))
    _refuse_if_signed(session_log)
    if response not in RESPONSES:
        raise session_rules.SessionInputError("response", "Choose how the client responded.")
    value = session_rules.whole("response_pain", pain, kind="pain")
    if response == "pain_increase" and value is None:
        raise session_rules.SessionInputError("response_pain", "Rate the pain from 0 to 10.")
    item.response, item.response_pain = response, value if response == "pain_increase" else None
    item.response_note = (note or "").strip()[:300] or None
    outbox.keep(user, session_log, key=key, kind="response", content=content,
                performed_at=session_rules.performed_at(performed_at, utcnow()) if key else None)
    audit.record("update", session_log, user=user, client_id=session_log.client_id, detail={"response": response})
    db.session.commit()


SKIP_REASON_MAX_CHARS = 300


@rolls_back_on_refusal
def skip(user: User, session_log: SessionLog, item: SessionExercise, reason: str) -> None:
    _refuse_if_signed(session_log)
    reason = reason.strip()
    if not reason:
        raise session_rules.SessionInputError("skip_reason", "Say why the exercise was skipped.")
    if len(reason) > SKIP_REASON_MAX_CHARS:
        raise session_rules.SessionInputError("skip_reason", f"Keep the reason to {SKIP_REASON_MAX_CHARS} characters "
                                              "or fewer: a line for the plan changes.")
    # The reason goes on the session's plan changes and from there into the progress report to the
    # referring provider, so it is held to scope of practice like every other clinical sentence.
    flags = scope.flags_for(session_log.practice_id, reason)
    if flags:
        raise session_rules.SessionInputError("skip_reason", f"{what_they_say(flags)}: say what the client could "
                                              "not do or felt instead (it goes to the referring provider).")
    item.skipped, item.skip_reason = True, reason
    note = f"Skipped {item.exercise.name}: {reason}"
    session_log.plan_changes = f"{session_log.plan_changes}\n{note}" if session_log.plan_changes else note
    audit.record("update", session_log, user=user, client_id=session_log.client_id, detail={"skipped": item.exercise_id})
    db.session.commit()


@rolls_back_on_refusal
def add_exercise(user: User, session_log: SessionLog, exercise: Exercise) -> SessionExercise:
    _refuse_if_signed(session_log)
    position = 1 + max((e.position for e in session_log.exercises), default=0)
    item = SessionExercise(practice_id=session_log.practice_id, session_id=session_log.id, position=position,
                           exercise_id=exercise.id, activity_type=exercise.activity_type,
                           prescription=f"added: {exercise.default_dosage}".strip(),
                           last_actuals=_actuals(last_signed(session_log.client_id, session_log.started_at), exercise.id))
    db.session.add(item)
    db.session.flush()
    note = f"Added {exercise.name}"
    session_log.plan_changes = f"{session_log.plan_changes}\n{note}" if session_log.plan_changes else note
    audit.record("update", session_log, user=user, client_id=session_log.client_id, detail={"added": exercise.id})
    db.session.commit()
    return item


@rolls_back_on_refusal
def move(user: User, session_log: SessionLog, item: SessionExercise, step: int) -> None:
    _refuse_if_signed(session_log)
    ordered = sorted(session_log.exercises, key=lambda e: e.position)
    index = ordered.index(item)
    other = index + step
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
        for position, row in enumerate(ordered, start=1):
            row.position = position
        db.session.commit()


@rolls_back_on_refusal
def save_vitals(user: User, session_log: SessionLog, vitals: session_rules.VitalsEntry, *, when: str,
                key: str | None = None, performed_at: str | None = None, late_as_draft: bool = False) -> None:
    """Pain, heart rate and blood pressure before or after the session, checked for plausibility.
    `key` (from the outbox) as for record_response."""
    key = outbox.checked_key(key)
    content = {"when": when, "pain": vitals.pain, "heart_rate": vitals.heart_rate, "systolic": vitals.systolic,
               "diastolic": vitals.diastolic}
    if outbox.replayed(user, session_log, key=key, kind="vitals", content=content):
        return
    if session_log.signed and key is not None and late_as_draft:
        told = ", ".join(f"{label} {content[name]}" for name, label in (
            ("pain", "pain"), ("heart_rate", "heart rate"), ("systolic", "systolic"), ("diastolic", "diastolic"))
            if content[name] not in (None, ""))
        outbox.keep_late(user, session_log, key=key, kind="vitals", content=content,
                         performed_at=session_rules.performed_at(performed_at, utcnow()),
                         text=f"Vitals {when} the session, after signing: {told or 'nothing entered'}")
    _refuse_if_signed(session_log)
    pain = session_rules.whole(f"pain_{when}", vitals.pain, kind="pain")
    heart = session_rules.whole(f"heart_rate_{when}", vitals.heart_rate, kind="heart_rate")
    systolic = session_rules.whole(f"systolic_{when}", vitals.systolic, kind="systolic")
    diastolic = session_rules.whole(f"diastolic_{when}", vitals.diastolic, kind="diastolic")
    session_rules.check_blood_pressure(systolic, diastolic, when)
    setattr(session_log, f"pain_{when}", pain)
    setattr(session_log, f"heart_rate_{when}", heart)
    setattr(session_log, f"systolic_{when}", systolic)
    setattr(session_log, f"diastolic_{when}", diastolic)
    outbox.keep(user, session_log, key=key, kind="vitals", content=content,
                performed_at=session_rules.performed_at(performed_at, utcnow()) if key else None)
    audit.record("update", session_log, user=user, client_id=session_log.client_id, detail={"vitals": when})
    db.session.commit()


@rolls_back_on_refusal
def save_note_draft(user: User, session_log: SessionLog, note: dict[str, str], *, key: str | None = None,
                    performed_at: str | None = None, late_as_draft: bool = False) -> None:
    """The session note as drafted on the gym floor, kept in the session's own note fields (the sign
    page opens with it; signing locks it). Each draft is the whole note, so the last one sent wins:
    the outbox sends them in the order they were written. `key` as for record_response; a draft that
    reaches a session signed meanwhile becomes an addendum draft, never a change to the signed note."""
    key = outbox.checked_key(key)
    labels = {field.key: field.label for field in NOTE_FIELDS}
    note = session_rules.check_note_draft(note, labels)
    if outbox.replayed(user, session_log, key=key, kind="note", content=note):
        return
    if session_log.signed and key is not None and late_as_draft:
        told = "\n".join(f"{labels[name]}: {text}" for name, text in note.items() if text)
        outbox.keep_late(user, session_log, key=key, kind="note", content=note,
                         performed_at=session_rules.performed_at(performed_at, utcnow()),
                         text=f"Note drafted on the gym floor, after signing:\n{told or 'nothing written'}")
    _refuse_if_signed(session_log)
    changed = [name for name, text in note.items() if (getattr(session_log, name) or "") != text]
    for name in changed:
        setattr(session_log, name, note[name] or None)
    outbox.keep(user, session_log, key=key, kind="note", content=note,
                performed_at=session_rules.performed_at(performed_at, utcnow()) if key else None)
    # Which parts changed, never their words: the audit trail is not a second copy of the note.
    audit.record("update", session_log, user=user, client_id=session_log.client_id,
                 detail={"note_draft": changed})
    db.session.commit()


@rolls_back_on_refusal
def finish(user: User, session_log: SessionLog, *, at: datetime | None = None) -> None:
    """Stop the clock and propose the minutes by activity from the sets logged. Finishing again
    after more sets (back to the session from the sign page) moves the end to the last of them."""
    _refuse_if_signed(session_log)
    # Server time (entered_at), not the tablet's (performed_at): an iPad a few minutes fast would
    # make every set look later than the end and every Finish stretch the session.
    last_entered = max((s.entered_at for item in session_log.exercises for s in item.sets), default=None)
    if session_log.ended_at is None or (last_entered is not None and last_entered > session_log.ended_at):
        _stop_clock(session_log, at or utcnow())
        audit.record("update", session_log, user=user, client_id=session_log.client_id, detail={"finished": True})
        db.session.commit()


def _stop_clock(session_log: SessionLog, at: datetime) -> None:
    session_log.ended_at = _clock_end(session_log, at)
    busy = dict.fromkeys(ACTIVITY_COLUMNS, 0)
    for item in session_log.exercises:
        if not item.skipped:
            busy[item.activity_type] += sum(session_rules.set_seconds(s.reps, s.seconds) for s in item.sets)
    for activity, minutes in session_rules.split_minutes(duration_minutes(session_log), busy).items():
        setattr(session_log, ACTIVITY_COLUMNS[activity], minutes)


def _clock_end(session_log: SessionLog, at: datetime) -> datetime:
    last_set = max((s.performed_at for item in session_log.exercises for s in item.sets), default=None)
    return session_rules.clock_end(session_log.started_at, at, last_set)


def duration_minutes(session_log: SessionLog) -> int:
    end = session_log.ended_at or utcnow()
    return max(0, round((end - session_log.started_at).total_seconds() / 60))


@rolls_back_on_refusal
def sign(user: User, session_log: SessionLog, *, note: dict[str, str], minutes: dict[str, int], pain_after: int | None,
         overrides: list[dict], at: datetime | None = None) -> None:
    """Write the note and minutes, sign, and lock; `at` is for records signed before metpwa (the demo)."""
    _refuse_if_signed(session_log)
    # Everything is checked before anything changes: a refused signature leaves the session as it was.
    credentials.refuse_if_cannot_sign(user)
    if not (note.get("note_performance") or "").strip():
        raise session_rules.SessionInputError("note_performance", "Describe how the client performed.")
    end = session_log.ended_at or _clock_end(session_log, at or utcnow())
    session_rules.check_minutes(minutes, max(0, round((end - session_log.started_at).total_seconds() / 60)))
    if session_log.ended_at is None:
        _stop_clock(session_log, end)
    for field, text in note.items():
        setattr(session_log, field, text.strip() or None)
    for activity, value in minutes.items():
        setattr(session_log, ACTIVITY_COLUMNS[activity], value)
    session_log.pain_after = pain_after
    if overrides:
        session_log.scope_overrides = [*session_log.scope_overrides, *overrides]
    signed_at = at or utcnow()
    session_log.late_entry = session_rules.late_entry(session_log.ended_at, signed_at)
    audit.record("sign", session_log, user=user, client_id=session_log.client_id, detail={"late_entry": session_log.late_entry})
    # signed_at last: once it reaches the database the whole session is locked.
    session_log.signed_by_id = user.id
    session_log.signed_at = signed_at
    db.session.commit()


def logger_defaults(item: SessionExercise) -> dict[str, object]:
    """What the logger starts at: this session's last set, else last session's first set, else
    the plan's prescription. Reps unless the exercise is a hold or a timed bout."""
    plan, sets = item.plan_exercise, item.sets
    previous = item.last_actuals[0] if item.last_actuals else {}
    if plan is not None:
        timed = bool(plan.seconds and not plan.reps)
    else:
        timed = bool(previous.get("seconds") and not previous.get("reps"))
    field = "seconds" if timed else "reps"
    value = load = unit = rpe = None
    if sets:
        last = sets[-1]
        value, load, unit, rpe = getattr(last, field), last.load, last.load_unit, last.rpe
    elif previous:
        value, load, unit, rpe = previous.get(field), previous.get("load"), previous.get("load_unit"), previous.get("rpe")
    elif plan is not None:
        value, load, unit = getattr(plan, field), plan.load, plan.load_unit
        rpe = plan.intensity_value if plan.intensity_kind == "rpe" else None
    unit = unit if unit in session_rules.LOAD_LIMITS else "kg"
    return {"timed": timed, "value": value or (30 if timed else 10), "load": _plain(load), "unit": unit,
            "most_load": session_rules.LOAD_LIMITS[unit], "rpe": _plain(rpe)}


def _plain(value) -> str:
    return "" if value is None or value == "" else f"{float(value):g}"


def for_client(client_id: int, limit: int = 50) -> list[SessionLog]:
    return list(db.session.scalars(
        select(SessionLog).where(SessionLog.client_id == client_id).order_by(SessionLog.started_at.desc()).limit(limit)
    ))


def history(client_id: int, exercise_id: int, *, before: datetime, sessions: int = 6) -> list[tuple[SessionLog, list[SetLog]]]:
    """The client's recent signed sessions with this exercise: sets, for the card's history and trend."""
    rows = db.session.execute(
        select(SessionLog, SessionExercise).join(SessionExercise, SessionExercise.session_id == SessionLog.id)
        .where(SessionLog.client_id == client_id, SessionLog.signed_at.is_not(None), SessionLog.started_at < before,
               SessionExercise.exercise_id == exercise_id)
        .options(selectinload(SessionExercise.sets))
        .order_by(SessionLog.started_at.desc()).limit(sessions)
    ).all()
    return [(session_log, list(item.sets)) for session_log, item in reversed(rows)]

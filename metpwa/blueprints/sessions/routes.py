"""Schedule, starting a session, logging sets one tap at a time, finishing, signing, addenda."""

from datetime import date, timedelta

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from ...access import requires, safe_next
from ...charts import sparkline_svg
from ...clock import practice_today
from ...database import writes_last
from ...extensions import db, htmx
from ...forms import AddendumForm
from ...models import ACTIVITY_COLUMNS, Appointment, Client, Exercise, SessionExercise, SessionLog, SetLog, User
from ...permissions import Role
from ...rules import sessions as session_rules
from ...scoping import get_for_practice
from ...rules.errors import ArrivedAfterSigning
from ...services import assessments, audit, credentials, library, outbox, schedule, scope, sessions, signin
from ...standards.exercises import ACTIVITY_SHORT_LABELS
from ...standards.measures import MEASURES
from ...standards.session_log import NOTE_FIELDS, RESPONSES
from . import bp, forms


def _session_log(session_id: int) -> SessionLog:
    return get_for_practice(SessionLog, session_id)


def _item(session_log: SessionLog, item_id: int) -> SessionExercise:
    item = db.session.get(SessionExercise, item_id)
    if item is None or item.session_id != session_log.id:
        abort(404)
    return item


def _late(late: ArrivedAfterSigning):
    """An outbox item that reached a session signed meanwhile: kept as an addendum draft (202), and
    the outbox on the iPad is told so by the header, not by a guess from the words."""
    return render_template("sessions/_late.html", message=late.message), 202, {"X-Outbox-Outcome": "late"}


# ---- schedule ----

def _trainers() -> list[User]:
    return list(db.session.scalars(select(User).where(
        User.practice_id == current_user.practice_id, User.active.is_(True),
        User.role.in_([Role.TRAINER, Role.OWNER])).order_by(User.full_name)))


@bp.get("/schedule")
@requires("clients.view")
def schedule_week():
    return _schedule_page()


def _schedule_page(errors: dict | None = None, values: dict | None = None, status: int = 200, *,
                   week: date | None = None, change: dict | None = None):
    """The week (?week=, else the one given, else this one). `errors` and `values` are the booking
    form's; `change` is a refused move, cancellation or no-show: its appointment, action, errors and
    what was typed, shown in that appointment's own boxes."""
    practice = current_user.practice
    start = forms.week_of(request.args) or week or practice_today(practice)
    start -= timedelta(days=start.weekday())
    appointments = schedule.for_range(practice, start, 7)
    days = [(start + timedelta(days=n), [a for a in appointments if a.starts_at.astimezone(practice.zone).date()
                                         == start + timedelta(days=n)]) for n in range(7)]
    clients = list(db.session.scalars(select(Client).where(Client.practice_id == practice.id,
                                                           Client.archived_at.is_(None))
                                      .order_by(Client.last_name, Client.first_name)))
    audit.viewed(detail={"list": "schedule", "week": start.isoformat()})
    return render_template("sessions/schedule.html", days=days, week=start, clients=clients, trainers=_trainers(),
                           booked=_just_booked(request.args.get("booked", type=int)),
                           done=schedule.sessions_for(appointments), errors=errors or {}, values=values or {},
                           chosen_days=values.getlist("weekdays") if values else [], change=change or {},
                           today=practice_today(practice)), status


def _just_booked(appointment_id: int | None) -> tuple[Appointment, int] | None:
    """The appointment a booking just made and how many its series holds, for the confirmation;
    another practice's id says nothing."""
    first = db.session.get(Appointment, appointment_id) if appointment_id else None
    if first is None or first.practice_id != current_user.practice_id:
        return None
    if first.series_id is None:
        return first, 1
    count = db.session.scalar(select(func.count()).select_from(Appointment)
                              .where(Appointment.series_id == first.series_id))
    return first, count


@bp.post("/schedule")
@requires("clients.edit")
def book():
    booking = forms.read_booking(request.form)
    errors = dict(booking.errors)
    client = db.session.get(Client, booking.client_id) if booking.client_id else None
    trainer = db.session.get(User, booking.trainer_id) if booking.trainer_id else None
    if client is None or client.practice_id != current_user.practice_id:
        errors["client_id"] = "Choose the client."
    if trainer is None or trainer.practice_id != current_user.practice_id:
        errors["trainer_id"] = "Choose the trainer."
    if errors:
        return _schedule_page(errors=errors, values=request.form, status=422)
    try:
        booked = schedule.book(current_user, client, trainer=trainer, day=booking.day, clock=booking.clock,
                               duration_minutes=booking.duration_minutes, weekdays=booking.weekdays, weeks=booking.weeks)
    except schedule.ScheduleInputError as clash:
        return _schedule_page(errors={clash.field: clash.message}, values=request.form, status=422)
    # The week it starts, saying what was booked (the page reads the first appointment back).
    return redirect(url_for("sessions.schedule_week", week=f"{booking.day:%m/%d/%Y}", booked=booked[0].id), code=303)


@bp.post("/appointments/<int:appointment_id>/<action>")
@requires("clients.edit")
def appointment_action(appointment_id: int, action: str):
    appointment = get_for_practice(Appointment, appointment_id)
    if action not in ("reschedule", "cancel", "no-show"):
        abort(404)
    schedule.refuse_if_kept(appointment)
    change = forms.read_appointment_change(request.form, action)
    week = appointment.starts_at.astimezone(current_user.practice.zone).date()
    back = url_for("sessions.schedule_week", week=f"{week:%m/%d/%Y}")
    errors = change.errors
    if not errors:
        try:
            if action == "reschedule":
                schedule.reschedule(current_user, appointment, day=change.day, clock=change.clock)
            else:
                schedule.set_status(current_user, appointment, "cancelled" if action == "cancel" else "no_show",
                                    change.reason)
        except schedule.ScheduleInputError as refused:
            errors = {refused.field: refused.message}
    if errors:
        # The appointment's week again, with the message at its box and what was typed kept; the
        # address shown is the week's, so a reload or Back never asks for this POST-only one.
        page, status = _schedule_page(status=422, week=week, change={"appointment_id": appointment.id, "action": action,
                                                                     "errors": errors, "values": request.form})
        return page, status, {"HX-Push-Url": back}
    return redirect(safe_next(change.back) or back, code=303)


# ---- starting and running a session ----

@bp.post("/clients/<int:client_id>/sessions")
@requires("clinical.write")
def start(client_id: int):
    client = get_for_practice(Client, client_id)
    appointment_id = forms.chosen_id(request.form, "appointment_id")
    appointment = get_for_practice(Appointment, appointment_id) if appointment_id else None
    if appointment is not None and appointment.client_id != client.id:
        abort(404)
    if appointment is not None and (held := schedule.session_of(appointment)) is not None:
        # Start tapped again on a stale Today page: the appointment already has its session.
        return redirect(url_for("sessions.screen", session_id=held.id), code=303)
    try:
        session_log = sessions.start(current_user, client, appointment=appointment)
    except sessions.SessionBlocked as blocked:
        return render_template("sessions/blocked.html", client=client, reasons=blocked.reasons), 409
    return redirect(url_for("sessions.screen", session_id=session_log.id), code=303)


@bp.get("/clients/<int:client_id>/sessions")
@requires("clinical.view")
def client_sessions(client_id: int):
    client = get_for_practice(Client, client_id)
    audit.viewed(client, detail={"list": "sessions"})
    return render_template("sessions/list.html", client=client, rows=sessions.for_client(client.id))


def _screen_context(session_log: SessionLog) -> dict:
    return {"session_log": session_log, "client": session_log.client, "responses": RESPONSES,
            "activity_labels": ACTIVITY_SHORT_LABELS, "started_ms": int(session_log.started_at.timestamp() * 1000),
            "pain_flag": session_rules.PAIN_FLAG_AT, "rpe_flag": session_rules.RPE_FLAG_AT,
            "logger_defaults": sessions.logger_defaults, "planned": sessions.planned}


@bp.get("/sessions/<int:session_id>")
@requires("clinical.view")
def screen(session_id: int):
    session_log = _session_log(session_id)
    audit.viewed(session_log, user=current_user, client_id=session_log.client_id)
    if session_log.signed:
        return _signed_page(session_log)
    return render_template("sessions/screen.html", **_screen_context(session_log),
                           open_id=sessions.open_exercise(session_log, forms.chosen_id(request.args, "open")),
                           measures=MEASURES.values(), note_fields=NOTE_FIELDS)


def _signed_page(session_log: SessionLog, *, errors: dict | None = None, values: dict | None = None,
                 flags: dict | None = None, stale_note: bool = False, status: int = 200):
    late = outbox.late_drafts(session_log.id)
    if late and not values:
        # What reached the session after it was signed waits in the addendum form for review.
        values = {"text": outbox.draft_text(late), "reason": "Entered on the gym floor before the session was signed; "
                                                              "it reached the server after signing."}
    return render_template("sessions/signed.html", **_screen_context(session_log), note_fields=NOTE_FIELDS,
                           addenda=assessments.addenda("session", session_log.id), errors=errors or {},
                           values=values or {}, flags=flags or {}, stale_note=stale_note, late=late), status


@bp.post("/sessions/<int:session_id>/sets")
@writes_last
@requires("clinical.write")
def log_set(session_id: int):
    entry = forms.read_set(request.form)
    try:
        # The request's principal, not current_user: the hot path loads no ORM user.
        row, _, plan = sessions.log_set(signin.signed_in(), session_id, entry,
                                        late_as_draft=forms.from_outbox(request.headers))
    except ArrivedAfterSigning as late:
        return _late(late)
    except session_rules.SessionInputError as error:
        if not htmx:
            raise  # without the page's script there is no set logger to show it in: the error page says it
        return render_template("sessions/_set_error.html", error=error), 422, {
            "HX-Retarget": f"#logger-error-{entry.session_exercise_id}", "HX-Reswap": "innerHTML"}
    if not htmx:
        return redirect(url_for("sessions.screen", session_id=session_id, open=row.session_exercise_id,
                                _anchor=f"ex-{row.session_exercise_id}"), code=303)
    # Sets are numbered in order and only the last can be undone, so its number is the count so far.
    return render_template("sessions/_set_logged.html", row=row, plan=plan, item_id=row.session_exercise_id,
                           done=row.set_number, latest=row, rpe_flag=session_rules.RPE_FLAG_AT)


@bp.post("/sessions/<int:session_id>/sets/<int:set_id>/undo")
@requires("clinical.write")
def undo_set(session_id: int, set_id: int):
    session_log = _session_log(session_id)
    row = db.session.get(SetLog, set_id)
    if row is None or row.session_id != session_log.id:
        abort(404)
    item = row.session_exercise
    sessions.undo_set(current_user, session_log, row)
    if htmx:
        db.session.refresh(item)
        return render_template("sessions/_set_logged.html", row=None, plan=sessions.planned(item), item_id=item.id,
                               done=len(item.sets), latest=item.sets[-1] if item.sets else None)
    return redirect(url_for("sessions.screen", session_id=session_log.id, open=item.id), code=303)


def _card(session_log: SessionLog, item: SessionExercise, *, errors: dict | None = None, status: int = 200):
    if htmx:
        # The card stays open, and its row in the list (skipped, a pain flag) follows out of band.
        context = {**_screen_context(session_log), "item": item, "open_id": item.id}
        return render_template("sessions/_exercise.html", **context, errors=errors or {}) + render_template(
            "sessions/_ex_row.html", **context, oob=True), status
    return redirect(url_for("sessions.screen", session_id=session_log.id, open=item.id, _anchor=f"ex-{item.id}"), code=303)


@bp.post("/sessions/<int:session_id>/exercises/<int:item_id>/<action>")
@requires("clinical.write")
def exercise_action(session_id: int, item_id: int, action: str):
    session_log = _session_log(session_id)
    item = _item(session_log, item_id)
    try:
        if action == "response":
            response = forms.read_response(request.form)
            sessions.record_response(current_user, session_log, item, response=response.response, pain=response.pain,
                                     note=response.note, key=forms.read_key(request.form),
                                     performed_at=forms.read_performed_at(request.form),
                                     late_as_draft=forms.from_outbox(request.headers))
        elif action == "skip":
            sessions.skip(current_user, session_log, item, forms.read_skip_reason(request.form))
        elif action in ("up", "down"):
            sessions.move(current_user, session_log, item, -1 if action == "up" else 1)
            return redirect(url_for("sessions.screen", session_id=session_log.id, open=item.id, _anchor=f"ex-{item.id}"),
                            code=303)
        else:
            abort(404)
    except ArrivedAfterSigning as late:
        return _late(late)
    except session_rules.SessionInputError as error:
        return _card(session_log, item, errors={error.field: error.message}, status=422)
    return _card(session_log, item)


@bp.get("/sessions/<int:session_id>/exercises/<int:item_id>/history")
@requires("clinical.view")
def exercise_history(session_id: int, item_id: int):
    session_log = _session_log(session_id)
    item = _item(session_log, item_id)
    rows = sessions.history(session_log.client_id, item.exercise_id, before=session_log.started_at)
    audit.viewed(item, user=current_user, client_id=session_log.client_id, detail={"view": "exercise history"})
    loads = [max((float(s.load or 0) for s in sets), default=0) for _, sets in rows]
    volume = [sum((s.reps or 0) * float(s.load or 1) for s in sets) for _, sets in rows]
    return render_template("sessions/_history.html", rows=rows, item=item,
                           load_trend=sparkline_svg(loads, higher_is_better=True) if len(loads) > 1 else None,
                           volume_trend=sparkline_svg(volume, higher_is_better=True) if len(volume) > 1 else None)


@bp.post("/sessions/<int:session_id>/exercises")
@requires("clinical.write")
def add_exercise(session_id: int):
    session_log = _session_log(session_id)
    exercise = get_for_practice(Exercise, forms.chosen_id(request.form, "exercise_id") or 0)
    sessions.add_exercise(current_user, session_log, exercise)
    return redirect(url_for("sessions.screen", session_id=session_log.id, _anchor="add-exercise"), code=303)


@bp.get("/sessions/<int:session_id>/pick")
@requires("clinical.write")
def pick(session_id: int):
    session_log = _session_log(session_id)
    query = request.args.get("q", "")[:60]
    results = library.search(session_log.practice_id, query, limit=10) if query.strip() else []
    return render_template("sessions/_pick.html", session_log=session_log, results=results, query=query)


@bp.post("/sessions/<int:session_id>/vitals/<when>")
@requires("clinical.write")
def vitals(session_id: int, when: str):
    session_log = _session_log(session_id)
    if when not in ("before", "after"):
        abort(404)
    try:
        sessions.save_vitals(current_user, session_log, forms.read_vitals(request.form, when), when=when,
                             key=forms.read_key(request.form), performed_at=forms.read_performed_at(request.form),
                             late_as_draft=forms.from_outbox(request.headers))
    except ArrivedAfterSigning as late:
        return _late(late)
    except session_rules.SessionInputError as error:
        return render_template("sessions/_vitals.html", **_screen_context(session_log), when=when,
                               errors={error.field: error.message}, values=request.form), 422
    if htmx:
        return render_template("sessions/_vitals.html", **_screen_context(session_log), when=when, errors={},
                               values={}, saved=True)
    return redirect(url_for("sessions.screen", session_id=session_log.id), code=303)


@bp.post("/sessions/<int:session_id>/note")
@requires("clinical.write")
def note_draft(session_id: int):
    session_log = _session_log(session_id)
    try:
        sessions.save_note_draft(current_user, session_log, forms.read_note_draft(request.form),
                                 key=forms.read_key(request.form), performed_at=forms.read_performed_at(request.form),
                                 late_as_draft=forms.from_outbox(request.headers))
    except ArrivedAfterSigning as late:
        return _late(late)
    except session_rules.SessionInputError as error:
        return render_template("sessions/_note_draft.html", session_log=session_log, note_fields=NOTE_FIELDS,
                               errors={error.field: error.message}, values=request.form), 422
    if htmx:
        return render_template("sessions/_note_draft.html", session_log=session_log, note_fields=NOTE_FIELDS,
                               errors={}, values={}, kept=True)
    return redirect(url_for("sessions.screen", session_id=session_log.id, _anchor="note-draft"), code=303)


@bp.post("/sessions/<int:session_id>/finish")
@requires("clinical.write")
def finish(session_id: int):
    session_log = _session_log(session_id)
    sessions.finish(current_user, session_log)
    return redirect(url_for("sessions.sign", session_id=session_log.id), code=303)


def _sign_page(session_log: SessionLog, *, errors: dict, values: dict, flags: dict, status: int = 200):
    return render_template("sessions/sign.html", **_screen_context(session_log), note_fields=NOTE_FIELDS, errors=errors,
                           values=values, flags=flags, activity_columns=ACTIVITY_COLUMNS,
                           duration=(duration := sessions.duration_minutes(session_log)),
                           most_minutes=session_rules.most_minutes(duration)), status


@bp.route("/sessions/<int:session_id>/sign", methods=["GET", "POST"])
@requires("clinical.write")
def sign(session_id: int):
    session_log = _session_log(session_id)
    if session_log.signed and request.method == "POST":
        # Signed on another iPad while this note was being written: what was typed is not lost,
        # it waits in the addendum form, since the signed note itself can no longer change.
        typed = forms.read_note(request.form).as_text()
        return _signed_page(session_log, values={"text": typed}, stale_note=True, status=409)
    if session_log.signed:
        return redirect(url_for("sessions.screen", session_id=session_log.id), code=303)
    if request.method == "GET":
        audit.viewed(session_log, user=current_user, client_id=session_log.client_id, detail={"view": "sign"})
        return _sign_page(session_log, errors={}, values={}, flags={})
    posted = forms.read_note(request.form)
    review = scope.review(current_user, posted.note, posted.keep_reasons)
    errors = {**posted.errors, **review.errors}
    if not errors:
        try:
            sessions.sign(current_user, session_log, note=posted.note, minutes=posted.minutes,
                          pain_after=posted.pain_after, overrides=review.overrides)
        except session_rules.SessionInputError as error:
            errors[error.field] = error.message
        except credentials.SigningBlocked as blocked:
            # At the sign button, with the way to the fix; the note typed waits in the form.
            errors["sign"] = blocked.message
        else:
            return redirect(url_for("sessions.screen", session_id=session_log.id), code=303)
    return _sign_page(session_log, errors=errors, values=request.form, flags=review.flags, status=422)


@bp.post("/sessions/<int:session_id>/addenda")
@requires("clinical.write")
def addendum(session_id: int):
    session_log = _session_log(session_id)
    form = AddendumForm(record="note")
    form.validate_on_submit()
    review = scope.review(current_user, {"text": form.text.data or ""}, form.keep_reasons())
    errors = {**form.messages, **review.errors}
    if errors or not session_log.signed:
        return _signed_page(session_log, errors=errors, values=form.values, flags=review.flags, status=422)
    assessments.add_addendum(current_user, client_id=session_log.client_id, record_type="session", record_id=session_log.id,
                             reason=form.reason.data, text=form.text.data, overrides=review.overrides,
                             reviewed=outbox.late_drafts(session_log.id))
    return redirect(url_for("sessions.screen", session_id=session_log.id, _anchor="addenda"), code=303)

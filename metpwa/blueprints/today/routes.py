"""Today, each person's home screen: what to do next at the top (by role), then the day's clients in
time order, what each one's session status is, and what blocks them."""

from flask import current_app, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select

from ...clock import practice_now
from ...extensions import db
from ...models import SessionLog
from ...permissions import Role
from ...services import audit, clients, emergency, home, reports, schedule, sessions, training
from . import bp


def _link(endpoint: str, args: dict) -> str | None:
    """Where an item is fixed, when that screen exists in this build (the referral network's may not)."""
    return url_for(endpoint, **args) if endpoint in current_app.view_functions else None


def _top(user) -> dict:
    """What each role sees first; sections whose screens are not built yet are left out, not faked."""
    steps = home.next_steps(user)
    gate = training.gate(user) if user.role != Role.OWNER else None
    has = current_app.view_functions
    return {
        "next_steps": steps,
        "links": [_link(step.endpoint, step.args) for step in steps],
        "gate": gate,
        "front_desk": home.front_desk(user) if user.role == Role.FRONT_DESK else None,
        "claims": home.claim_counts(user.practice_id) if user.can("billing.view") and "claims.index" in has else None,
        "readiness_url": url_for("readiness.index") if user.can("staff.manage") and "readiness.index" in has else None,
    }


@bp.get("/")
def index():
    practice = current_user.practice
    now = practice_now(practice)
    top = _top(current_user)
    if top["gate"] is not None and not top["gate"].allowed:
        # New staff before their HIPAA training: no client names, only what to do about it.
        audit.viewed(detail={"list": "today", "appointments": 0})
        return render_template("today/index.html", now=now, appointments=[], done={}, blocked={}, open_sessions=[],
                               my_clients=[], everyone=False, due={}, emergency=None, gated=True, **top)
    everyone = request.args.get("who") == "all" or not current_user.can("clinical.write")
    appointments = schedule.for_day(practice, now.date(), trainer_id=None if everyone else current_user.id)
    done = schedule.sessions_for(appointments)
    open_sessions = []
    blocked, due = {}, {}
    if current_user.can("clinical.view"):
        # Walk-ins in progress, and any session of an earlier day still unsigned (its note is now a
        # late entry); today's booked ones show on their appointment below.
        day_start, _ = schedule.day_bounds(practice, now.date())
        open_sessions = list(db.session.scalars(
            select(SessionLog).where(SessionLog.practice_id == practice.id, SessionLog.signed_at.is_(None),
                                     or_(SessionLog.appointment_id.is_(None), SessionLog.started_at < day_start),
                                     *(() if everyone else (SessionLog.trainer_id == current_user.id,)))
            .order_by(SessionLog.started_at)
        ))
        for appointment in appointments:
            if appointment.id not in done and appointment.status == "scheduled":
                blocked.setdefault(appointment.client_id, sessions.blockers(appointment.client))
            if appointment.client_id not in due:
                due[appointment.client_id] = reports.due(appointment.client, now.date())
    mine = clients.search(current_user, mine_only=True) if current_user.can("clinical.view") and not appointments else []
    # The owner's dashboard shows emergency access granted, in use, or ended this week.
    emergency_access = emergency.overview(practice.id) if current_user.can("staff.manage") else None
    audit.viewed(detail={"list": "today", "appointments": len(appointments)})
    return render_template("today/index.html", now=now, appointments=appointments, done=done, blocked=blocked,
                           open_sessions=open_sessions, my_clients=mine, everyone=everyone,
                           due=due, emergency=emergency_access, gated=False, **top)

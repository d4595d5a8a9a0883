"""Emergency (break-glass) access: an owner lends a staff member read-only clinical records for a
few hours, with a reason; the holder starts it with their own reason, every request they make
while it runs is audited as "break_glass", and owners see it on Today and the Staff page.

The lent capabilities are permissions.EMERGENCY_CAPABILITIES (reading only). holds() below (for
SignedIn.can) and access.load_user (for User.can) ask active_for() and pass the answer to
permissions.holds, so every server-side role check honours a running grant and nothing else does.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from flask import current_app, g, request
from sqlalchemy import func, or_, select

from ..database import rolls_back_on_refusal
from ..extensions import db
from ..models import AuditEvent, EmergencyAccess, Practice, User, utcnow
from ..permissions import EMERGENCY_CAPABILITIES, can
from ..permissions import holds as role_holds
from ..rules.errors import InputError
from ..scoping import MAX_ID
from . import audit

if TYPE_CHECKING:
    from .signin import SignedIn

REASON_MIN = 10
REASON_MAX = 500
RECENT_DAYS = 7
# The page's heartbeat carries no record; logging it would bury what the holder opened.
_NOT_LOGGED = frozenset({"auth.ping"})


class EmergencyRuleBroken(InputError):
    """A grant or start that cannot be made; shown at the form field named."""


def max_hours() -> int:
    return int(current_app.config["EMERGENCY_ACCESS_MAX_HOURS"])


def lends_anything(user: User | SignedIn) -> bool:
    """True for roles a grant would give more to (front desk, billing); owners and trainers already read."""
    return any(not can(user.role, capability) for capability in EMERGENCY_CAPABILITIES)


def holds(person: User | SignedIn, capability: str) -> bool:
    """permissions.holds, with the person's running grant looked up only when it could lend the
    capability (a front-desk or billing role, a reading capability)."""
    lent = capability in EMERGENCY_CAPABILITIES and not can(person.role, capability) \
        and active_for(person) is not None
    return role_holds(person, capability, under_emergency_grant=lent)


def eligible_staff(practice_id: int) -> list[User]:
    staff = db.session.scalars(select(User).where(User.practice_id == practice_id, User.active.is_(True))
                               .order_by(User.full_name))
    return [member for member in staff if lends_anything(member)]


def _clean_reason(text: str | None, field: str) -> str:
    reason = " ".join((text or "").split())
    if len(reason) < REASON_MIN:
        raise EmergencyRuleBroken(field, f"Give the reason in a few words ({REASON_MIN} characters or more).")
    if len(reason) > REASON_MAX:
        raise EmergencyRuleBroken(field, f"Keep the reason under {REASON_MAX} characters.")
    return reason


@rolls_back_on_refusal
def grant(practice: Practice, *, user_id: int | None, hours: int | None, reason: str | None,
          by: User) -> EmergencyAccess:
    # A database integer at most: PostgreSQL answers a larger id with an error, not "no such row".
    member = db.session.get(User, user_id) if user_id and 0 < user_id <= MAX_ID else None
    if member is None or member.practice_id != practice.id or not member.active:
        raise EmergencyRuleBroken("user_id", "Choose a staff member of this practice.")
    if not lends_anything(member):
        raise EmergencyRuleBroken("user_id", f"{member.full_name} already reads clinical records as "
                                             f"{member.role.label.lower()}.")
    if hours is None or not 1 <= hours <= max_hours():
        raise EmergencyRuleBroken("hours", f"Choose from 1 to {max_hours()} hours.")
    reason = _clean_reason(reason, "reason")
    now = utcnow()
    if open_grant_for(member, now) is not None:
        raise EmergencyRuleBroken("user_id", f"{member.full_name} already has emergency access. End it first.")
    access = EmergencyAccess(practice_id=practice.id, user_id=member.id, user=member, granted_by_id=by.id,
                             granted_by=by, granted_at=now, expires_at=now + timedelta(hours=hours), reason=reason)
    db.session.add(access)
    db.session.flush()
    audit.record("emergency_grant", access, user=by, detail={"to": member.id, "hours": hours})
    db.session.commit()
    _forget()
    return access


@rolls_back_on_refusal
def start(access: EmergencyAccess, *, reason: str | None, by: User) -> None:
    """The holder breaks the glass: their own reason, then clinical records open to read."""
    if access.user_id != by.id or not access.is_open():
        raise EmergencyRuleBroken("reason", "This emergency access has ended.")
    if access.started_at is not None:
        return
    access.start_reason = _clean_reason(reason, "reason")
    access.started_at = utcnow()
    audit.record("emergency_start", access, user=by)
    db.session.commit()
    _forget()


def revoke(access: EmergencyAccess, *, by: User) -> None:
    """End a grant early (an owner, or its holder); a grant already over stays as it ended."""
    if not access.is_open():
        return
    access.revoked_at = utcnow()
    access.revoked_by_id = by.id
    access.revoked_by = by
    audit.record("emergency_end", access, user=by)
    db.session.commit()
    _forget()


def open_grant_for(user: User | SignedIn, now: datetime | None = None) -> EmergencyAccess | None:
    """The user's grant that has not ended, started or not."""
    return db.session.scalar(
        select(EmergencyAccess).where(EmergencyAccess.user_id == user.id, EmergencyAccess.revoked_at.is_(None),
                                      EmergencyAccess.expires_at > (now or utcnow()))
        .order_by(EmergencyAccess.id.desc()).limit(1)
    )


def active_for(user: User | SignedIn) -> EmergencyAccess | None:
    """The user's started, running grant, looked up once per request."""
    cache = g.setdefault("metpwa_emergency", {})
    if user.id not in cache:
        access = open_grant_for(user)
        cache[user.id] = access if access is not None and access.started_at is not None else None
    access = cache[user.id]
    return access if access is not None and access.is_active() else None


def _forget() -> None:
    g.pop("metpwa_emergency", None)


def note_request(user: User | SignedIn) -> None:
    """Every request made under a running grant leaves a "break_glass" event, besides its own."""
    if request.endpoint in _NOT_LOGGED or not lends_anything(user):
        return
    access = active_for(user)
    if access is None:
        return
    audit.record("break_glass", access, user=user,
                 detail={"method": request.method, "path": request.full_path.rstrip("?")[:300],
                         "view": request.endpoint})
    db.session.commit()


@dataclass(frozen=True)
class Overview:
    """What owners see: grants still open, and those that ended in the last week, with how many
    requests each holder made under theirs."""

    open: list[EmergencyAccess]
    recent: list[EmergencyAccess]
    requests: Counter

    def __bool__(self) -> bool:
        return bool(self.open or self.recent)


def overview(practice_id: int) -> Overview:
    now = utcnow()
    since = now - timedelta(days=RECENT_DAYS)
    grants = list(db.session.scalars(
        select(EmergencyAccess).where(EmergencyAccess.practice_id == practice_id,
                                      or_(EmergencyAccess.expires_at > since, EmergencyAccess.revoked_at > since))
        .order_by(EmergencyAccess.granted_at.desc())
    ))
    ids = [str(access.id) for access in grants]
    requests: Counter = Counter()
    if ids:
        requests.update(dict(db.session.execute(
            select(AuditEvent.object_id, func.count()).where(AuditEvent.action == "break_glass",
                                                             AuditEvent.object_type == "EmergencyAccess",
                                                             AuditEvent.object_id.in_(ids))
            .group_by(AuditEvent.object_id)
        ).all()))
    return Overview(open=[a for a in grants if a.is_open(now)], recent=[a for a in grants if not a.is_open(now)],
                    requests=requests)

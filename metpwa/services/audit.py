"""Writes the audit trail; every service that touches client data calls record()."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_login import current_user
from sqlalchemy import Connection, event, insert, select
from sqlalchemy.orm import Session, selectinload

from ..database import take_write_lock
from ..extensions import db
from ..keys import keyring
from ..models import AuditEvent, Client, User
from ..models.types import UTCDateTime, utcnow
from ..rules import auditchain
from . import auditanchor
from .requestinfo import client_ip, device

# Orders events recorded in one flush the way they were recorded; session.new is a set.
_recorded = itertools.count()
# Built once: they run on every change, and a prebuilt statement skips SQLAlchemy's per-call
# construction and cache-key work.
_HEAD = (select(AuditEvent.__table__.c.seq, AuditEvent.__table__.c.mac)
         .where(AuditEvent.__table__.c.seq.is_not(None)).order_by(AuditEvent.__table__.c.seq.desc()).limit(1))
_APPEND = insert(AuditEvent.__table__)


def record(
    action: str,
    target: Any = None,
    *,
    client_id: int | None = None,
    outcome: str = "ok",
    detail: dict | str | None = None,
    user: User | None = None,
    practice_id: int | None = None,
) -> AuditEvent:
    """Add one audit event to the current transaction; the caller commits it with the change.

    The client is taken from the target when it is a client or carries client_id,
    so a reviewer can ask "who saw this client's records" in one query.
    """
    if user is None and current_user and current_user.is_authenticated:
        user = current_user
    if client_id is None and target is not None:
        client_id = target.id if isinstance(target, Client) else getattr(target, "client_id", None)
    if practice_id is None:
        practice_id = getattr(target, "practice_id", None) or (user.practice_id if user else None)
    event = AuditEvent(
        action=action,
        practice_id=practice_id,
        user_id=user.id if user else None,
        client_id=client_id,
        object_type=type(target).__name__ if target is not None else None,
        object_id=str(target.id) if getattr(target, "id", None) is not None else None,
        outcome=outcome,
        ip=client_ip(),
        device=device(),
        detail=json.dumps(detail, sort_keys=True, default=str) if isinstance(detail, dict) else detail,
    )
    event._metpwa_order = next(_recorded)
    db.session.add(event)
    return event


def viewed(target: Any = None, **event) -> None:
    """Someone opened this record (or a list: `target` None, `detail` saying which): the read event,
    committed at once, before the page is drawn. A page being read takes the write turn only for
    this event, so it holds SQLite's one write lock for a moment, not for the whole rendering."""
    record("read", target, **event)
    db.session.commit()


def exported(target: Any = None, **event) -> None:
    """A copy left the app (a CSV download): the event, committed before the first byte is sent."""
    record("export", target, **event)
    db.session.commit()


def _chain_head(connection: Connection) -> tuple[int, str]:
    """Take the chain's turn for this transaction and return its head (position and seal)."""
    # Held to commit, so two transactions never both extend the same head (SQLite: its one write
    # lock, which a change already holds and a page read takes here; PostgreSQL: the write turn,
    # which a transaction may already hold: advisory locks are taken again without waiting).
    take_write_lock(connection)
    head = connection.execute(_HEAD).first()
    return (head.seq, head.mac) if head else (0, auditchain.GENESIS)


def _seal_new_events(session: Session, flush_context, instances) -> None:
    """Give each new event its place in the chain and its seal just before it is written.

    Done at flush rather than in record() so events added by any path are sealed, in the
    transaction that writes them: a rolled-back transaction leaves no gap in the chain.
    """
    new = sorted((obj for obj in session.new if isinstance(obj, AuditEvent)),
                 key=lambda e: getattr(e, "_metpwa_order", 0))
    if not new:
        return
    seq, prev = _chain_head(session.connection())
    ring = keyring()
    version = ring.current["audit"]
    key = ring.key("audit", version)
    for item in new:
        if item.at is None:
            item.at = utcnow()
        seq += 1
        item.seq, item.prev_mac, item.key_version = seq, prev, version
        item.mac = prev = auditchain.seal(key, item.prev_mac, _sealed_values(item))
    auditanchor.note_head(session, seq, prev)


def _sealed_values(item: AuditEvent) -> dict:
    # Column defaults apply at INSERT, after the seal; fill them now so the seal covers them.
    if item.outcome is None:
        item.outcome = "ok"
    return {name: getattr(item, name) for name in auditchain.SEALED_FIELDS}


def append(connection: Connection, action: str, *, practice_id: int, user_id: int | None, client_id: int | None,
           object_type: str | None, object_id: int | str | None, detail: dict | None = None) -> None:
    """Write one sealed event now, on the transaction's connection, without the ORM.

    For the gym floor's hot path (a set logged every few seconds per trainer): the same event
    record() would add, chained and sealed the same way, for a fraction of the cost of a flush.
    The caller commits it with the change it describes.
    """
    seq, prev = _chain_head(connection)
    ring = keyring()
    version = ring.current["audit"]
    values = {"at": utcnow(), "practice_id": practice_id, "user_id": user_id, "client_id": client_id,
              "action": action, "object_type": object_type,
              "object_id": str(object_id) if object_id is not None else None, "outcome": "ok",
              "ip": client_ip(), "device": device(),
              "detail": json.dumps(detail, sort_keys=True, default=str) if detail is not None else None}
    mac = auditchain.seal(ring.key("audit", version), prev, values)
    connection.execute(_APPEND, {**values, "seq": seq + 1, "prev_mac": prev, "mac": mac, "key_version": version})
    auditanchor.note_head(db.session(), seq + 1, mac)


event.listen(Session, "before_flush", _seal_new_events)


def chain_rows(batch: int = 2000) -> Iterator[dict]:
    """Every event in chain order, read in batches so a large trail does not fill memory.

    Rows without a place in the chain (inserted behind the app's back) come first, so the
    verifier names them too.
    """
    columns = [AuditEvent.id, AuditEvent.seq, AuditEvent.prev_mac, AuditEvent.mac, AuditEvent.key_version]
    columns += [getattr(AuditEvent, name) for name in auditchain.SEALED_FIELDS]
    yield from db.session.execute(select(*columns).where(AuditEvent.seq.is_(None))
                                  .order_by(AuditEvent.id)).mappings()
    after = 0
    while True:
        rows = db.session.execute(select(*columns).where(AuditEvent.seq > after)
                                  .order_by(AuditEvent.seq).limit(batch)).mappings().all()
        if not rows:
            return
        yield from rows
        after = rows[-1]["seq"]


# Records that are only ever written together with an audit event, by the time they were written:
# one newer than the trail's last event means events after it were removed.
_RECORD_TIMES = (("client", "created_at"), ("staff_session", "created_at"), ("session_log", "created_at"),
                 ("set_log", "entered_at"), ("document", "uploaded_at"), ("consent_signature", "signed_at"))


def _newest_record() -> tuple[str, datetime] | None:
    from sqlalchemy import column, func, table

    newest = None
    for name, col in _RECORD_TIMES:
        at = db.session.scalar(select(func.max(column(col, UTCDateTime()))).select_from(table(name)))
        if at is not None and (newest is None or at > newest[1]):
            newest = (name, at)
    return newest


def verify_chain() -> tuple[list[auditchain.Finding], auditchain.Summary]:
    """Every seal and link, then the trail's end against the anchor kept outside the database and
    against the newest records. A trail found whole moves the anchor to its head."""
    ring = keyring()
    summary = auditchain.Summary()
    findings = list(auditchain.verify(chain_rows(), lambda v: ring.lookup("audit", v), summary))
    where = auditanchor.path()
    summary.anchor_path = str(where) if where is not None else None
    if where is not None:
        auditanchor.flush_pending()
        try:
            anchor = auditanchor.read(where, ring)
        except auditanchor.AnchorBroken as broken:
            findings.append(auditchain.Finding("anchor", None, None, str(broken)))
            anchor = None
        if anchor is not None:
            summary.anchor_seq, summary.anchor_at = anchor.seq, anchor.at
            at_anchor = db.session.scalar(select(AuditEvent.mac).where(AuditEvent.seq == anchor.seq))
            findings += auditchain.check_end(summary, anchor.seq, anchor.mac, anchor.at, at_anchor)
    findings += auditchain.check_records(summary, _newest_record())
    if where is not None and not findings and summary.head_seq is not None:
        auditanchor.write(where, ring, summary.head_seq, summary.head_mac)
    return findings, summary


# --- Failed sign-ins no practice sees ------------------------------------------------------------

@dataclass(frozen=True)
class FailureGroup:
    key: str  # the address typed, or the client address
    tries: int
    first: datetime
    last: datetime


@dataclass(frozen=True)
class SignInFailures:
    since: datetime
    unknown_total: int  # tries at addresses that match no staff member: no practice's report shows them
    by_email: list[FailureGroup]
    by_ip: list[FailureGroup]
    known_by_practice: dict[int, int]  # practice id -> failures on its own accounts (its owner sees these)


def signin_failures(since: datetime, limit: int = 20) -> SignInFailures:
    """For the operator: failed sign-ins since a time, above all those at unknown addresses
    (practice_id is empty, so no owner's audit report lists them), by address typed and by client
    address, busiest first. Counted in Python over the events: the detail is JSON text on both engines."""
    from sqlalchemy import func

    failed = (AuditEvent.action == "login_failed", AuditEvent.at >= since)
    by_email: dict[str, list] = {}
    by_ip: dict[str, list] = {}
    unknown = 0
    rows = db.session.execute(select(AuditEvent.detail, AuditEvent.ip, AuditEvent.at)
                              .where(*failed, AuditEvent.practice_id.is_(None))
                              .execution_options(yield_per=1000))
    for detail, ip, at in rows:
        unknown += 1
        try:
            email = json.loads(detail).get("email") if detail else None
        except (ValueError, AttributeError):
            email = None
        for groups, key in ((by_email, email or "(none)"), (by_ip, ip or "(none)")):
            seen = groups.setdefault(key, [0, at, at])
            seen[0] += 1
            seen[1], seen[2] = min(seen[1], at), max(seen[2], at)

    def busiest(groups: dict[str, list]) -> list[FailureGroup]:
        ordered = sorted(groups.items(), key=lambda item: (-item[1][0], item[0]))[:limit]
        return [FailureGroup(key, tries, first, last) for key, (tries, first, last) in ordered]

    known = dict(db.session.execute(select(AuditEvent.practice_id, func.count())
                                    .where(*failed, AuditEvent.practice_id.is_not(None))
                                    .group_by(AuditEvent.practice_id)).all())
    return SignInFailures(since, unknown, busiest(by_email), busiest(by_ip), known)


# --- The owner's audit report -------------------------------------------------------------------

def event_count(practice_id: int) -> int:
    """How many events the trail holds for one practice (an owner's verify page shows no more)."""
    from sqlalchemy import func

    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.practice_id == practice_id))


# Every action the app records, in the words the owner's report uses.
ACTIONS = {
    "read": "Viewed", "create": "Created", "update": "Changed", "delete": "Removed", "sign": "Signed",
    "amend": "Amended", "complete": "Completed", "withdraw": "Withdrawn", "print": "Printed",
    "export": "Exported", "login": "Signed in", "login_failed": "Failed sign-in", "lockout": "Sign-in paused",
    "logout": "Signed out", "session_start": "Session started", "lock": "Screen locked", "unlock": "Unlocked",
    "unlock_failed": "Failed unlock", "unlock_account": "Sign-in pause cleared", "role_change": "Role changed",
    "handoff_start": "Hand-off to client", "handoff_end": "Hand-off ended", "handoff_end_failed": "Failed hand-off end",
    "break_glass": "Emergency access", "key_rotation": "Key rotated", "backup": "Backup made",
    "restore": "Backup restored",
    "login_2fa": "Two-step code accepted", "login_2fa_failed": "Failed two-step code",
    "2fa_enrolled": "Two-step sign-in turned on", "2fa_disabled": "Two-step sign-in turned off",
    "recovery_code_used": "Recovery code used", "emergency_grant": "Emergency access granted",
    "emergency_start": "Emergency access started", "emergency_end": "Emergency access ended",
    "password_confirm_failed": "Wrong password on the Me page",
    "integrity_failed": "Integrity check failed",
    "invite": "Staff invited", "invite_resent": "Invitation sent again", "invite_cancelled": "Invitation cancelled",
    "invite_accepted": "Invitation accepted", "invite_refused": "Invitation link refused",
    "outbox_refused": "Gym-floor item refused (key reused)",
}


@dataclass(frozen=True)
class AuditFilter:
    """What the owner asked for; times are the practice's local days, turned into UTC bounds."""

    practice_id: int
    since: datetime | None = None
    until: datetime | None = None
    user_id: int | None = None
    client_id: int | None = None
    action: str | None = None

    def where(self) -> list:
        clauses = [AuditEvent.practice_id == self.practice_id]
        if self.since is not None:
            clauses.append(AuditEvent.at >= self.since)
        if self.until is not None:
            clauses.append(AuditEvent.at < self.until)
        if self.user_id is not None:
            clauses.append(AuditEvent.user_id == self.user_id)
        if self.client_id is not None:
            clauses.append(AuditEvent.client_id == self.client_id)
        if self.action:
            clauses.append(AuditEvent.action == self.action)
        return clauses


def events(query: AuditFilter, *, before_id: int | None = None, limit: int = 50) -> list[AuditEvent]:
    """Newest first, a page at a time (keyset on id, so paging stays fast on a long trail)."""
    statement = (select(AuditEvent).where(*query.where()).order_by(AuditEvent.id.desc()).limit(limit)
                 .options(selectinload(AuditEvent.user), selectinload(AuditEvent.client)))
    if before_id is not None:
        statement = statement.where(AuditEvent.id < before_id)
    return list(db.session.scalars(statement))


def all_events(query: AuditFilter, batch: int = 1000) -> Iterator[AuditEvent]:
    before = None
    while True:
        page = events(query, before_id=before, limit=batch)
        yield from page
        if len(page) < batch:
            return
        before = page[-1].id

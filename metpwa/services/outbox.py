"""The server's half of the gym floor's outbox (static/js/outbox.js): each idempotency key is
accepted once and a replay is answered with what the first one got; the same key with other content
is refused and logged, never merged; an item that reaches a session signed meanwhile becomes a
flagged addendum draft for the trainer instead of being lost.

Sets and outcome results keep their key on their own row (services.sessions.log_set,
services.measures.record); vitals and client responses change fields of the session, so their key
and a digest of what was sent are kept here (models.OutboxReceipt).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import select

from ..extensions import db
from ..models import OutboxReceipt, SessionLog, User, utcnow
from ..rules import sessions as session_rules
from ..rules.errors import ArrivedAfterSigning
from . import audit
from .signin import SignedIn

KEY_REUSED = ("This item's key was already used for different values, so it was not saved (nothing was "
              "merged). Enter it again as a new item, or discard it.")
LATE = ("This session was signed before this arrived. It is kept as an addendum draft on the signed "
        "session for the trainer to review.")


def fingerprint(kind: str, content: dict) -> str:
    """A digest of what was sent, in one spelling: the same values give the same digest."""
    canonical = json.dumps({"kind": kind, **{name: "" if value is None else str(value)
                                            for name, value in content.items()}}, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def checked_key(key: str | None) -> str | None:
    """The key as sent, or None for a write without one (a page without the outbox script)."""
    key = (key or "").strip()
    if not key:
        return None
    if not 8 <= len(key) <= 64:
        raise session_rules.SessionInputError("idempotency_key", "This page is out of date: reload it and enter this again.")
    return key


def receipt(practice_id: int, key: str) -> OutboxReceipt | None:
    return db.session.scalar(select(OutboxReceipt).where(OutboxReceipt.practice_id == practice_id,
                                                         OutboxReceipt.idempotency_key == key))


def refuse_reused(user: User | SignedIn, *, practice_id: int, client_id: int | None, kind: str, key: str) -> None:
    """Log a key sent again with other content, then refuse it: the audit event is committed on its
    own, since the refusal rolls back everything else."""
    db.session.rollback()
    audit.record("outbox_refused", None, user=user, practice_id=practice_id, client_id=client_id, outcome="refused",
                 detail={"why": "key reused with other content", "kind": kind, "key": key[:36]})
    db.session.commit()
    raise session_rules.SessionInputError("idempotency_key", KEY_REUSED)


def replayed(user: User | SignedIn, session_log: SessionLog, *, key: str | None, kind: str, content: dict) -> bool:
    """True when this key was already taken for this content (answer as before, change nothing);
    refuses the key sent with other content, or for another session or kind of write."""
    if key is None:
        return False
    found = receipt(session_log.practice_id, key)
    if found is None:
        return False
    if found.session_id != session_log.id or found.kind != kind or found.fingerprint != fingerprint(kind, content):
        refuse_reused(user, practice_id=session_log.practice_id, client_id=session_log.client_id, kind=kind, key=key)
    if found.outcome == "late":
        raise ArrivedAfterSigning(LATE)
    return True


def keep(user: User | SignedIn, session_log: SessionLog, *, key: str | None, kind: str, content: dict,
         performed_at: datetime | None = None) -> None:
    """Add this write's receipt to the transaction that applies it (the caller commits both)."""
    if key is None:
        return
    db.session.add(OutboxReceipt(practice_id=session_log.practice_id, idempotency_key=key, kind=kind,
                                 fingerprint=fingerprint(kind, content), session_id=session_log.id, user_id=user.id,
                                 received_at=utcnow(), performed_at=performed_at, outcome="applied"))


def keep_late(user: User | SignedIn, session_log: SessionLog, *, key: str, kind: str, content: dict, text: str,
              performed_at: datetime | None = None) -> None:
    """The session was signed before this arrived: keep it as a flagged addendum draft, commit, and
    say so (ArrivedAfterSigning). A replay of it finds the receipt and is told the same."""
    found = receipt(session_log.practice_id, key)
    if found is not None:
        if found.session_id != session_log.id or found.kind != kind or found.fingerprint != fingerprint(kind, content):
            refuse_reused(user, practice_id=session_log.practice_id, client_id=session_log.client_id, kind=kind, key=key)
        raise ArrivedAfterSigning(LATE)
    late = OutboxReceipt(practice_id=session_log.practice_id, idempotency_key=key, kind=kind,
                         fingerprint=fingerprint(kind, content), session_id=session_log.id, user_id=user.id,
                         received_at=utcnow(), performed_at=performed_at, outcome="late", late_text=text)
    db.session.add(late)
    db.session.flush()
    audit.record("create", late, user=user, client_id=session_log.client_id, detail={"late": kind})
    db.session.commit()
    raise ArrivedAfterSigning(LATE)


def late_drafts(session_id: int) -> list[OutboxReceipt]:
    """Items that arrived after the session was signed and wait for the trainer's review."""
    return list(db.session.scalars(
        select(OutboxReceipt).where(OutboxReceipt.session_id == session_id, OutboxReceipt.outcome == "late",
                                    OutboxReceipt.resolved_at.is_(None)).order_by(OutboxReceipt.performed_at,
                                                                                  OutboxReceipt.id)))


def draft_text(drafts: list[OutboxReceipt]) -> str:
    return "\n".join(str(row.late_text) for row in drafts if row.late_text)


def resolve_late(user: User, session_log: SessionLog) -> None:
    """The trainer added the addendum (or set the drafts aside): they stop waiting. The caller commits."""
    for row in late_drafts(session_log.id):
        row.resolved_at = utcnow()
        audit.record("update", row, user=user, client_id=session_log.client_id, detail={"late": "reviewed"})

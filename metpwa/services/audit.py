"""Writes the audit trail; every service that touches client data calls record()."""

from __future__ import annotations

import json
from typing import Any

from flask_login import current_user

from ..extensions import db
from ..models import AuditEvent, Client, User
from .requestinfo import client_ip, device


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
    db.session.add(event)
    return event

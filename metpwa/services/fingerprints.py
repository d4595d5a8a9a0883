"""Signed PDFs (consents, final reports) checked against the SHA-256 taken when they were signed, before
they are served: a copy changed in the database is refused, recorded and logged, never shown."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from flask import current_app

from ..extensions import db
from ..models import User
from . import audit


class RecordAltered(Exception):
    """A signed record that no longer matches the SHA-256 taken when it was signed."""


def check_pdf(record: Any, data: bytes | None, stored_sha256: str | None, *, user: User, what: str) -> bytes:
    """`data` when it matches `stored_sha256`; otherwise the refusal goes to the audit trail (owners see
    it) and to the server's log, and RecordAltered is raised. `what` names the record in the log."""
    found = hashlib.sha256(data or b"").hexdigest()
    if data is None or not hmac.compare_digest(found, stored_sha256 or ""):
        audit.record("integrity_failed", record, user=user, client_id=record.client_id, outcome="refused",
                     detail={"stored_sha256": stored_sha256, "found_sha256": found})
        db.session.commit()
        current_app.logger.error("%s %s: its PDF no longer matches the SHA-256 stored at signing "
                                 "(stored %s, found %s); refused", what, record.id, stored_sha256, found)
        raise RecordAltered(record.id)
    return data

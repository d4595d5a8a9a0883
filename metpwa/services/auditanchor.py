"""The audit trail's head, kept outside the database so that a trail cut short can be told apart
from one that simply stopped.

The chain of seals (rules/auditchain.py) shows an edited, deleted or reordered event, but not the
newest events removed, or all of them: what is left still chains. So the head (position and seal
of the newest committed event) is also written to a small file under the keyring's custody
(AUDIT_ANCHOR_FILE, by default beside the keyring), sealed with the audit key, and `audit verify`
compares the trail with it: a trail that ends before the anchor, or whose event at the anchor's
position carries another seal, was cut or rewritten.

Cost: the head is known at flush and noted after commit; the file is written at most once every
AUDIT_ANCHOR_SECONDS per process (a timer writes the last head of a burst), and at every verify
and backup. The window this leaves is honest and small: events committed in the last
AUDIT_ANCHOR_SECONDS before the database is tampered with (or before the process was killed) can be
removed without the anchor knowing. The file only moves forward (a lock keeps workers from
writing an older head over a newer one); a restore of the app's database sets it back on purpose.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
import threading
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..keys import Keyring, keyring

_HEAD_KEY = "metpwa_audit_head"


class AnchorBroken(Exception):
    """The anchor file is there but is not what this keyring wrote (changed, or unreadable)."""


@dataclass(frozen=True)
class Anchor:
    seq: int
    mac: str
    at: str  # when it was written (UTC, ISO 8601)
    key_version: int
    seal: str

    @staticmethod
    def content(seq: int, mac: str, at: str, key_version: int) -> bytes:
        return f"metpwa-audit-anchor|{seq}|{mac}|{at}|{key_version}".encode()


def configured_path(app) -> Path | None:
    """AUDIT_ANCHOR_FILE, or the keyring file's folder, or instance/ in development; None when
    the keyring came from the configuration (tests) and no file was named."""
    if app.config.get("AUDIT_ANCHOR_FILE"):
        return Path(app.config["AUDIT_ANCHOR_FILE"])
    if app.config.get("KEYRING_FILE") and not app.config.get("KEYRING"):
        return Path(app.config["KEYRING_FILE"]).parent / "audit-anchor.json"
    if app.config["ENV"] == "development" and not app.config.get("KEYRING"):
        return Path(app.instance_path) / "audit-anchor.json"
    return None


def path() -> Path | None:
    return configured_path(current_app)


def read(where: Path, ring: Keyring) -> Anchor | None:
    """The anchor in the file, None when there is none yet; AnchorBroken when it is not genuine."""
    try:
        data = json.loads(where.read_text())
        anchor = Anchor(int(data["seq"]), str(data["mac"]), str(data["at"]), int(data["key_version"]),
                        str(data["seal"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise AnchorBroken(f"the anchor {where} cannot be read: {error}") from None
    key = ring.lookup("audit", anchor.key_version)
    if key is None:
        raise AnchorBroken(f"the anchor {where} was sealed with audit key {anchor.key_version}, not in the keyring")
    expected = hmac.new(key, Anchor.content(anchor.seq, anchor.mac, anchor.at, anchor.key_version),
                        hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, anchor.seal):
        raise AnchorBroken(f"the anchor {where} was changed: its seal does not match")
    return anchor


def write(where: Path, ring: Keyring, seq: int, mac: str, *, force: bool = False) -> bool:
    """Move the anchor to this head; unless forced, only forward. True when the file changed."""
    where.parent.mkdir(parents=True, exist_ok=True)
    lock = os.open(where.with_name(where.name + ".lock"), os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not force:
            try:
                current = read(where, ring)
            except AnchorBroken:
                current = None  # never silently replaced: verify reports it; a new head overwrites it here
            if current is not None and current.seq >= seq:
                return False
        version = ring.current["audit"]
        at = datetime.now(UTC).isoformat(timespec="seconds")
        seal = hmac.new(ring.key("audit", version), Anchor.content(seq, mac, at, version), hashlib.sha256).hexdigest()
        temporary = where.with_name(where.name + ".tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(asdict(Anchor(seq, mac, at, version, seal)), handle)
        os.replace(temporary, where)
        return True
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        os.close(lock)


# --- Noting committed heads ----------------------------------------------------------------------

class _Pending:
    """Per anchor file in this process: the newest committed head not yet written, when the file
    was last written, and the timer that will write the tail of a burst."""

    def __init__(self) -> None:
        self.head: tuple[int, str] | None = None
        self.written_at = 0.0
        self.timer: threading.Timer | None = None
        self.lock = threading.Lock()


_pending: dict[Path, _Pending] = {}
_pending_lock = threading.Lock()


def note_head(session: Session, seq: int, mac: str) -> None:
    """Called when events are flushed: the transaction's newest head, anchored once it commits."""
    session.info[_HEAD_KEY] = (seq, mac)


@event.listens_for(Session, "after_commit")
def _anchor_committed(session: Session) -> None:
    head = session.info.pop(_HEAD_KEY, None)
    if head is None or not has_app_context():
        return
    where = path()
    if where is None:
        return
    committed(where, keyring(), head, float(current_app.config["AUDIT_ANCHOR_SECONDS"]))


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(_HEAD_KEY, None)


def committed(where: Path, ring: Keyring, head: tuple[int, str], every: float) -> None:
    with _pending_lock:
        state = _pending.setdefault(where, _Pending())
    with state.lock:
        if state.head is None or head[0] > state.head[0]:
            state.head = head
        due = state.written_at + every - time.monotonic()
        if due > 0:
            if state.timer is None:
                state.timer = threading.Timer(due, _flush, args=(where, ring, state))
                state.timer.daemon = True
                state.timer.start()
            return
        head, state.head = state.head, None
        state.written_at = time.monotonic()
    write(where, ring, *head)


def _flush(where: Path, ring: Keyring, state: _Pending) -> None:
    with state.lock:
        state.timer = None
        head, state.head = state.head, None
        state.written_at = time.monotonic()
    if head is not None:
        try:
            write(where, ring, *head)
        except OSError as error:  # a timer has no request to fail; the next verify or backup anchors
            import logging

            logging.getLogger("metpwa").error("audit anchor %s not written: %s", where, error)


def flush_pending() -> None:
    """Write any head still waiting for its timer (before a verify or a backup)."""
    where = path()
    state = _pending.get(where) if where is not None else None
    if state is None:
        return
    with state.lock:
        if state.timer is not None:
            state.timer.cancel()
            state.timer = None
        head, state.head = state.head, None
        state.written_at = time.monotonic()
    if head is not None:
        write(where, keyring(), *head)

"""Encryption at rest for the most sensitive values: AES-256-GCM under the keyring's data key.

Column types do the work, so services and templates read and write plain values and nothing
sensitive reaches the database file, its WAL or a backup in the clear. Each value carries the
key version that sealed it, so a rotated key only changes what new writes use; the column name is
bound in as associated data, so a value copied into another column will not decrypt there.

Values the app never encrypted (none, once migration 0008 has run) are handed back as they are.
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import LargeBinary, Text
from sqlalchemy.types import TypeDecorator

from .keys import Keyring, keyring

BYTES_MAGIC = b"\x00mwe"
TEXT_PREFIX = "mwe:"
_NONCE = 12


class DecryptionError(Exception):
    """A value that is not what this keyring wrote: a wrong or missing key, or a changed value."""


def encrypt(plain: bytes, context: str, ring: Keyring | None = None) -> bytes:
    ring = ring or keyring()
    version = ring.current["data"]
    nonce = os.urandom(_NONCE)
    sealed = AESGCM(ring.key("data", version)).encrypt(nonce, plain, context.encode())
    return BYTES_MAGIC + version.to_bytes(2, "big") + nonce + sealed


def is_encrypted(blob: bytes) -> bool:
    return blob.startswith(BYTES_MAGIC)


def version_of(blob: bytes) -> int:
    return int.from_bytes(blob[len(BYTES_MAGIC):len(BYTES_MAGIC) + 2], "big")


def decrypt(blob: bytes, context: str, ring: Keyring | None = None) -> bytes:
    if not is_encrypted(blob):
        return blob
    ring = ring or keyring()
    version = version_of(blob)
    key = ring.lookup("data", version)
    if key is None:
        raise DecryptionError(f"{context}: sealed with data key {version}, which is not in the keyring")
    start = len(BYTES_MAGIC) + 2
    try:
        return AESGCM(key).decrypt(blob[start:start + _NONCE], blob[start + _NONCE:], context.encode())
    except InvalidTag:
        raise DecryptionError(f"{context}: the value was changed or belongs elsewhere") from None


def encrypt_text(plain: str, context: str, ring: Keyring | None = None) -> str:
    return TEXT_PREFIX + base64.b64encode(encrypt(plain.encode(), context, ring)).decode("ascii")


def decrypt_text(stored: str, context: str, ring: Keyring | None = None) -> str:
    if not stored.startswith(TEXT_PREFIX):
        return stored
    return decrypt(base64.b64decode(stored[len(TEXT_PREFIX):]), context, ring).decode()


def text_version(stored: str) -> int | None:
    if not stored.startswith(TEXT_PREFIX):
        return None
    return version_of(base64.b64decode(stored[len(TEXT_PREFIX):len(TEXT_PREFIX) + 12]))


class EncryptedBytes(TypeDecorator[bytes]):
    """Images, uploaded documents and generated PDFs."""

    impl = LargeBinary
    cache_ok = True

    def __init__(self, context: str):
        super().__init__()
        self.context = context

    def process_bind_param(self, value: bytes | None, dialect) -> bytes | None:
        return None if value is None else encrypt(bytes(value), self.context)

    def process_result_value(self, value: bytes | None, dialect) -> bytes | None:
        return None if value is None else decrypt(bytes(value), self.context)


class EncryptedText(TypeDecorator[str]):
    """Member IDs and free-text notes; stored as text so every engine keeps it in a text column."""

    impl = Text
    cache_ok = True

    def __init__(self, context: str):
        super().__init__()
        self.context = context

    def process_bind_param(self, value: str | None, dialect) -> str | None:
        return None if value is None else encrypt_text(value, self.context)

    def process_result_value(self, value: str | None, dialect) -> str | None:
        return None if value is None else decrypt_text(value, self.context)


class EncryptedJSON(TypeDecorator[Any]):
    """Health-history answers: a JSON document, encrypted as one value."""

    impl = Text
    cache_ok = True

    def __init__(self, context: str):
        super().__init__()
        self.context = context

    def process_bind_param(self, value: Any, dialect) -> str | None:
        if value is None:
            return None
        return encrypt_text(json.dumps(value, separators=(",", ":"), sort_keys=True), self.context)

    def process_result_value(self, value: str | dict | None, dialect) -> Any:
        if value is None:
            return None
        if isinstance(value, dict | list):  # a PostgreSQL json column before migration 0008
            return value
        return json.loads(decrypt_text(value, self.context))


# Every encrypted column: (table, column, kind). Key rotation walks this list; migration 0008
# keeps its own frozen copy, as migrations must.
ENCRYPTED_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("coverage", "member_id", "text"),
    ("document", "data", "bytes"),
    ("intake_response", "answers", "json"),
    ("intake_response", "clearance_reasons", "json"),
    ("medical_clearance", "restrictions", "text"),
    ("assessment", "functional_limitations", "text"),
    ("assessment", "notes", "text"),
    ("screen_finding", "observation", "text"),
    ("addendum", "text", "text"),
    ("consent_signature", "signature_png", "bytes"),
    ("consent_signature", "pdf", "bytes"),
    ("outcome_result", "note", "text"),
    ("progress_report", "recommendations", "text"),
    ("progress_report", "pdf", "bytes"),
    ("session_log", "note_client_report", "text"),
    ("session_log", "note_performance", "text"),
    ("session_log", "note_response", "text"),
    ("session_log", "note_plan", "text"),
    ("session_log", "plan_changes", "text"),
    ("session_exercise", "response_note", "text"),
    ("user", "totp_secret", "text"),
    ("emergency_access", "reason", "text"),
    ("emergency_access", "start_reason", "text"),
    ("practice_document", "data", "bytes"),
    ("training_session", "notes", "text"),
    ("hipaa_training_waiver", "reason", "text"),
    ("relationship_activity", "notes", "text"),
)


def reseal(connection, table: str, column: str, kind: str, ring: Keyring, *, decrypt_only: bool = False) -> int:
    """Rewrite one column's values under the ring's current data key (or back to plain text for a
    downgrade), leaving values already under the current key alone. Returns how many changed.

    Core SQL on raw values, so it runs in migrations as well as in the app; the caller lifts the
    signed-record guards around it (dbguards.suspended).
    """
    from sqlalchemy import bindparam, column as col, table as tbl
    from sqlalchemy import select, update

    context = f"{table}.{column}"
    target = tbl(table, col("id"), col(column, LargeBinary() if kind == "bytes" else Text()))
    current = ring.current["data"]
    changed = 0
    after = 0
    while True:
        rows = connection.execute(select(target.c.id, target.c[column]).where(target.c[column].is_not(None),
                                                                             target.c.id > after)
                                  .order_by(target.c.id).limit(200)).all()
        if not rows:
            return changed
        updates = []
        for row_id, raw in rows:
            after = row_id
            if kind == "bytes":
                raw = bytes(raw)
                if not decrypt_only and is_encrypted(raw) and version_of(raw) == current:
                    continue
                plain = decrypt(raw, context, ring)
                value = plain if decrypt_only else encrypt(plain, context, ring)
            else:
                if not isinstance(raw, str):  # a PostgreSQL json value read before its column became text
                    raw = json.dumps(raw, separators=(",", ":"), sort_keys=True)
                if not decrypt_only and text_version(raw) == current:
                    continue
                plain_text = decrypt_text(raw, context, ring)
                value = plain_text if decrypt_only else encrypt_text(plain_text, context, ring)
            updates.append({"row_id": row_id, "value": value})
        if updates:
            connection.execute(update(target).where(target.c.id == bindparam("row_id"))
                               .values({column: bindparam("value")}), updates)
            changed += len(updates)

"""Seal version 1, frozen: AES-256-GCM with only "table.column" as associated data.

Migration 0008 wrote it and migration 0013 replaces it with version 2 (bound to the row, see
encryption.py); both run through the functions here, which must never change. The app itself
refuses version 1 values: a copy of one would open in any row of its column.
"""

from __future__ import annotations

import base64
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import LargeBinary, Text, bindparam, column, select, table, update

BYTES_MAGIC = b"\x00mwe"
TEXT_PREFIX = "mwe:"
_NONCE = 12


def encrypt(plain: bytes, context: str, ring) -> bytes:
    version = ring.current["data"]
    nonce = os.urandom(_NONCE)
    return BYTES_MAGIC + version.to_bytes(2, "big") + nonce + AESGCM(ring.key("data", version)).encrypt(
        nonce, plain, context.encode())


def decrypt(blob: bytes, context: str, ring) -> bytes:
    """The plain value; a value without the version 1 magic is handed back as it is (plain)."""
    if not blob.startswith(BYTES_MAGIC):
        return blob
    version = int.from_bytes(blob[4:6], "big")
    key = ring.lookup("data", version)
    if key is None:
        raise ValueError(f"{context}: sealed with data key {version}, which is not in the keyring")
    try:
        return AESGCM(key).decrypt(blob[6:6 + _NONCE], blob[6 + _NONCE:], context.encode())
    except InvalidTag:
        raise ValueError(f"{context}: the value was changed or belongs elsewhere") from None


def encrypt_text(plain: str, context: str, ring) -> str:
    return TEXT_PREFIX + base64.b64encode(encrypt(plain.encode(), context, ring)).decode("ascii")


def decrypt_text(stored: str, context: str, ring) -> str:
    if not stored.startswith(TEXT_PREFIX):
        return stored
    return decrypt(base64.b64decode(stored[len(TEXT_PREFIX):]), context, ring).decode()


def _text_version(stored: str) -> int | None:
    if not stored.startswith(TEXT_PREFIX):
        return None
    return int.from_bytes(base64.b64decode(stored[len(TEXT_PREFIX):len(TEXT_PREFIX) + 12])[4:6], "big")


def reseal(connection, table_name: str, column_name: str, kind: str, ring, *, decrypt_only: bool = False) -> int:
    """Migration 0008: every value of one column under the ring's current key (or back to plain)."""
    context = f"{table_name}.{column_name}"
    target = table(table_name, column("id"), column(column_name, LargeBinary() if kind == "bytes" else Text()))
    current = ring.current["data"]
    changed = 0
    after = 0
    while True:
        rows = connection.execute(select(target.c.id, target.c[column_name])
                                  .where(target.c[column_name].is_not(None), target.c.id > after)
                                  .order_by(target.c.id).limit(200)).all()
        if not rows:
            return changed
        updates = []
        for row_id, raw in rows:
            after = row_id
            if kind == "bytes":
                raw = bytes(raw)
                if not decrypt_only and raw.startswith(BYTES_MAGIC) and int.from_bytes(raw[4:6], "big") == current:
                    continue
                plain = decrypt(raw, context, ring)
                value = plain if decrypt_only else encrypt(plain, context, ring)
            else:
                if not isinstance(raw, str):  # a PostgreSQL json value read before its column became text
                    raw = json.dumps(raw, separators=(",", ":"), sort_keys=True)
                if not decrypt_only and _text_version(raw) == current:
                    continue
                plain_text = decrypt_text(raw, context, ring)
                value = plain_text if decrypt_only else encrypt_text(plain_text, context, ring)
            updates.append({"row_id": row_id, "value": value})
        if updates:
            connection.execute(update(target).where(target.c.id == bindparam("row_id"))
                               .values({column_name: bindparam("value")}), updates)
            changed += len(updates)

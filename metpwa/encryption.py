"""Encryption at rest for the most sensitive values: AES-256-GCM under the keyring's data key,
each value bound to the row it belongs to.

A value's associated data names its table, column, row id and practice (seal version 2), so
someone who can write the database but holds no key cannot move a client's health history to
another client, or copy their own two-step secret onto the owner's row: the moved value no longer
opens. Each value also carries the key version that sealed it, so a rotated key only changes what
new writes use.

A row's id is known only once it exists, so sealing happens in the ORM's flush rather than in a
column type: ids of new rows that carry sealed values are taken first (one query per table and
flush), then each value is sealed just before its INSERT or UPDATE and the object keeps the plain
value. Loading opens the values with the id and practice of the row they came in. Services and
templates read and write plain values; a column read on its own (select(Model.column)) comes back
as a Ciphertext that refuses to be shown, because nothing vouches for the row it came from.

Anything in a sealed column that is not a version 2 seal (plain text, a version 1 value that
migration 0013 would have re-sealed, a value from another row) is refused, never shown as it is.
"""

from __future__ import annotations

import base64
import functools
import json
import os
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import LargeBinary, Text, event, inspect, text
from sqlalchemy.orm import Mapper, Session, attributes
from sqlalchemy.types import TypeDecorator

from .keys import Keyring, keyring

BYTES_MAGIC = b"\x00mw2"
TEXT_PREFIX = "mw2:"
_NONCE = 12
_HEADER = len(BYTES_MAGIC) + 2


class DecryptionError(Exception):
    """A value that is not what this keyring wrote for this row: a wrong or missing key, a changed
    value, a value moved from another row, or one stored without a seal."""


@dataclass(frozen=True, slots=True)
class Binding:
    """Where a sealed value lives; its associated data, so it opens only there."""

    table: str
    column: str
    row_id: int
    practice_id: int | None

    def aad(self) -> bytes:
        practice = "-" if self.practice_id is None else str(self.practice_id)
        return f"metpwa-seal-2|{self.table}.{self.column}|{self.row_id}|{practice}".encode()

    def __str__(self) -> str:
        return f"{self.table}.{self.column} of row {self.row_id}"


@functools.lru_cache(maxsize=16)
def _aead(key: bytes) -> AESGCM:
    # Building the cipher costs more than sealing a short note; a page opens dozens of values.
    return AESGCM(key)


def encrypt(plain: bytes, binding: Binding, ring: Keyring | None = None) -> bytes:
    ring = ring or keyring()
    version = ring.current["data"]
    nonce = os.urandom(_NONCE)
    sealed = _aead(ring.key("data", version)).encrypt(nonce, plain, binding.aad())
    return BYTES_MAGIC + version.to_bytes(2, "big") + nonce + sealed


def is_encrypted(blob: bytes) -> bool:
    return blob.startswith(BYTES_MAGIC)


def version_of(blob: bytes) -> int:
    return int.from_bytes(blob[len(BYTES_MAGIC):_HEADER], "big")


def decrypt(blob: bytes, binding: Binding, ring: Keyring | None = None) -> bytes:
    if not is_encrypted(blob):
        raise DecryptionError(f"{binding}: the stored value carries no seal (written outside the app)")
    ring = ring or keyring()
    version = version_of(blob)
    key = ring.lookup("data", version)
    if key is None:
        raise DecryptionError(f"{binding}: sealed with data key {version}, which is not in the keyring")
    try:
        return _aead(key).decrypt(blob[_HEADER:_HEADER + _NONCE], blob[_HEADER + _NONCE:], binding.aad())
    except InvalidTag:
        raise DecryptionError(f"{binding}: the value was changed or belongs to another row") from None


def encrypt_text(plain: str, binding: Binding, ring: Keyring | None = None) -> str:
    return TEXT_PREFIX + base64.b64encode(encrypt(plain.encode(), binding, ring)).decode("ascii")


def decrypt_text(stored: str, binding: Binding, ring: Keyring | None = None) -> str:
    if not stored.startswith(TEXT_PREFIX):
        raise DecryptionError(f"{binding}: the stored value carries no seal (written outside the app)")
    try:
        blob = base64.b64decode(stored[len(TEXT_PREFIX):], validate=True)
    except ValueError:
        raise DecryptionError(f"{binding}: the stored value is not a seal") from None
    return decrypt(blob, binding, ring).decode()


def text_version(stored: str) -> int | None:
    if not stored.startswith(TEXT_PREFIX):
        return None
    return version_of(base64.b64decode(stored[len(TEXT_PREFIX):len(TEXT_PREFIX) + 12]))


def seal_value(kind: str, value: Any, binding: Binding, ring: Keyring | None = None) -> str | bytes:
    """A plain Python value (str, bytes, or a JSON document) as it is stored."""
    if kind == "bytes":
        return encrypt(bytes(value), binding, ring)
    if kind == "json":
        value = json.dumps(value, separators=(",", ":"), sort_keys=True)
    return encrypt_text(value, binding, ring)


def open_value(kind: str, raw: str | bytes, binding: Binding, ring: Keyring | None = None) -> Any:
    if kind == "bytes":
        return decrypt(bytes(raw), binding, ring)
    if not isinstance(raw, str):
        raise DecryptionError(f"{binding}: the stored value is not a seal")
    plain = decrypt_text(raw, binding, ring)
    return json.loads(plain) if kind == "json" else plain


def stored_version(kind: str, raw: str | bytes) -> int | None:
    """The data key version of a stored value, None when it is no version 2 seal."""
    if kind == "bytes":
        raw = bytes(raw)
        return version_of(raw) if is_encrypted(raw) else None
    return text_version(raw) if isinstance(raw, str) else None


def _refuse(self, *args):
    raise DecryptionError("a sealed value was read without its row; load the model, not the column")


class Ciphertext(str):
    """A stored text value as it came from the database, before the ORM opened it with its row.

    Refuses to turn into text for a page, so a sealed column selected on its own shows up as an
    error rather than as ciphertext (load the model: only then is the row known). A str subclass,
    so the stored value itself is the marker, with no wrapper around it.
    """

    __slots__ = ()
    __str__ = __html__ = __format__ = _refuse

    def __repr__(self) -> str:
        return "<Ciphertext>"


class CipherBytes(bytes):
    """The same for a stored file or image."""

    __slots__ = ()
    __str__ = __html__ = __format__ = _refuse

    def __repr__(self) -> str:
        return "<CipherBytes>"


_STORED = (Ciphertext, CipherBytes)


class _Sealed(TypeDecorator):
    """A sealed column. The ORM's flush seals values and its loading opens them (below); the type
    only lets sealed values through, so a plain value can never reach the database by another path."""

    cache_ok = True
    kind = "text"

    def __init__(self, empty: Any = None):
        super().__init__()
        # For JSON: what a new row holds when nothing was set (dict, list).
        self.empty = empty

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, _STORED):
            return value[:]  # the plain str or bytes underneath
        raise DecryptionError(f"a plain {type(value).__name__} was about to be written to a sealed column outside "
                              "the ORM's flush, which is the only place values are sealed")

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return CipherBytes(value) if self.kind == "bytes" else Ciphertext(value)


class SealedText(_Sealed):
    """Member IDs, free-text notes and reasons: stored as text so every engine keeps it in a text column."""

    cache_ok = True
    impl = Text
    kind = "text"


class SealedBytes(_Sealed):
    """Images, uploaded documents and generated PDFs."""

    cache_ok = True
    impl = LargeBinary
    kind = "bytes"


class SealedJSON(_Sealed):
    """Health-history answers: a JSON document, sealed as one value."""

    cache_ok = True
    impl = Text
    kind = "json"


# --- Sealing in the ORM ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _SealedAttribute:
    key: str  # the mapped attribute
    column: str  # the database column
    kind: str
    empty: Any


@dataclass(frozen=True, slots=True)
class _SealedModel:
    table: str
    has_practice: bool
    attributes: tuple[_SealedAttribute, ...]


_MODELS: dict[type, _SealedModel] = {}


@event.listens_for(Mapper, "mapper_configured")
def _wire(mapper: Mapper, cls: type) -> None:
    sealed = tuple(_SealedAttribute(prop.key, prop.columns[0].name, prop.columns[0].type.kind,
                                    prop.columns[0].type.empty)
                   for prop in mapper.column_attrs if isinstance(prop.columns[0].type, _Sealed))
    if not sealed:
        return
    _MODELS[cls] = _SealedModel(mapper.local_table.name, "practice_id" in mapper.local_table.c, sealed)
    # Opening a value may read the row's practice when it was expired (a deferred PDF read after a
    # commit): that nested load must not disturb the one that fired the event.
    event.listen(cls, "load", _open_loaded, restore_load_context=True)
    event.listen(cls, "refresh", _open_refreshed, restore_load_context=True)
    event.listen(cls, "before_insert", _seal_row)
    event.listen(cls, "before_update", _seal_row)
    event.listen(cls, "after_insert", _keep_plain)
    event.listen(cls, "after_update", _keep_plain)


def _binding(model: _SealedModel, attribute: _SealedAttribute, target) -> Binding:
    practice = target.practice_id if model.has_practice else None
    return Binding(model.table, attribute.column, target.id, practice)


def _open_loaded(target, context) -> None:
    _open(target)


def _open_refreshed(target, context, attrs) -> None:
    _open(target)


def _open(target) -> None:
    model = _MODELS[type(target)]
    values = attributes.instance_state(target).dict
    for attribute in model.attributes:
        raw = values.get(attribute.key)
        if isinstance(raw, _STORED):
            # Straight into the loaded state: the value came from the row, so it has no history to clear.
            values[attribute.key] = _open_stored(model, attribute, target, raw[:])


def _open_stored(model: _SealedModel, attribute: _SealedAttribute, target, raw: str | bytes) -> Any:
    """open_value for a loaded row, without building a Binding unless the value is refused: loading a
    page of rows creates fewer objects, and so wakes the garbage collector less often (measured)."""
    practice = target.practice_id if model.has_practice else None
    aad = f"metpwa-seal-2|{model.table}.{attribute.column}|{target.id}|{'-' if practice is None else practice}"
    try:
        blob = raw if attribute.kind == "bytes" else base64.b64decode(raw[len(TEXT_PREFIX):], validate=True)
        key = keyring().lookup("data", version_of(blob)) if blob.startswith(BYTES_MAGIC) else None
        plain = _aead(key).decrypt(blob[_HEADER:_HEADER + _NONCE], blob[_HEADER + _NONCE:], aad.encode()) \
            if key is not None and (attribute.kind == "bytes" or raw.startswith(TEXT_PREFIX)) else None
    except (ValueError, InvalidTag):
        plain = None
    if plain is None:
        # Refused: open it the long way for the message that says why.
        open_value(attribute.kind, raw, _binding(model, attribute, target))
        raise DecryptionError(f"{_binding(model, attribute, target)}: the stored value is not a seal")
    if attribute.kind == "bytes":
        return plain
    return json.loads(plain) if attribute.kind == "json" else plain.decode()


def _seal_row(mapper, connection, target) -> None:
    model = _MODELS[type(target)]
    state = attributes.instance_state(target)
    inserting = state.key is None
    plain_values = {}
    for attribute in model.attributes:
        if not inserting and attribute.key not in state.committed_state:
            continue  # unchanged
        value = state.dict.get(attribute.key)
        if value is None and inserting and attribute.empty is not None:
            value = attribute.empty()
        if value is None or isinstance(value, _STORED):
            continue
        if target.id is None:
            # A row added while the flush ran, after the ids were taken: its own id now.
            target.id = _next_ids(connection, model.table, 1)[0]
        plain_values[attribute.key] = value
        sealed = seal_value(attribute.kind, value, _binding(model, attribute, target))
        setattr(target, attribute.key, CipherBytes(sealed) if attribute.kind == "bytes" else Ciphertext(sealed))
    target._metpwa_plain = plain_values


def _keep_plain(mapper, connection, target) -> None:
    """After the row is written the object holds its plain values again, as if just loaded."""
    for key, value in target.__dict__.pop("_metpwa_plain", {}).items():
        attributes.set_committed_value(target, key, value)


@event.listens_for(Session, "before_flush")
def _take_ids(session: Session, flush_context, instances) -> None:
    """Ids for new rows that will carry a sealed value, taken before their INSERT so each value can
    be bound to its row. Every new row of such a table gets one: on SQLite a row left to the
    database could otherwise take a number handed out here."""
    waiting: dict[str, list] = defaultdict(list)
    needed: set[str] = set()
    for target in session.new:
        model = _MODELS.get(type(target))
        if model is None or target.id is not None:
            continue
        waiting[model.table].append(target)
        if any(getattr(target, a.key) is not None or a.empty is not None for a in model.attributes):
            needed.add(model.table)
    if not needed:
        return
    connection = session.connection()
    for table in sorted(needed):
        for target, row_id in zip(waiting[table], _next_ids(connection, table, len(waiting[table])), strict=True):
            target.id = row_id


def _next_ids(connection, table: str, count: int) -> list[int]:
    if connection.dialect.name == "postgresql":
        return list(connection.execute(
            text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :count)"),
            {"table": f'"{table}"', "count": count}).scalars())
    # SQLite gives a new row the highest id plus one; under its write lock (held to commit) no other
    # writer can take these before this transaction's INSERTs do.
    from .database import take_write_lock

    take_write_lock(connection)
    highest = connection.execute(text(f'SELECT coalesce(max(id), 0) FROM "{table}"')).scalar_one()  # nosec B608
    # Ids handed out in this transaction whose rows are not written yet (one flush's batch).
    given = connection.info.setdefault("metpwa_ids_given", {})
    transaction = connection.get_transaction()
    if given.get(table, (None, 0))[0] is transaction:
        highest = max(highest, given[table][1])
    given[table] = (transaction, highest + count)
    return list(range(highest + 1, highest + 1 + count))


# --- Every sealed column, for rotation, status and SECURITY.md ---------------------------------

def sealed_columns(metadata) -> list[tuple[str, str, str]]:
    """(table, column, kind) of every sealed column, read from the models themselves."""
    return sorted((table.name, column.name, column.type.kind) for table in metadata.tables.values()
                  for column in table.columns if isinstance(column.type, _Sealed))


def reseal(connection, table_name: str, column_name: str, kind: str, ring: Keyring) -> int:
    """Rewrite one column's values under the ring's current data key, leaving values already under
    it alone; every value is opened with its row first, so a moved or unsealed one stops the
    rotation with its name. Returns how many changed.

    Core SQL on raw values; the caller lifts the signed-record guards around it (dbguards.suspended).
    """
    from sqlalchemy import bindparam, select, update
    from sqlalchemy import column as col
    from sqlalchemy import table as tbl

    has_practice = "practice_id" in {c["name"] for c in inspect(connection).get_columns(table_name)}
    columns = [col("id"), col(column_name, LargeBinary() if kind == "bytes" else Text())]
    if has_practice:
        columns.append(col("practice_id"))
    target = tbl(table_name, *columns)
    current = ring.current["data"]
    changed = 0
    after = 0
    while True:
        rows = connection.execute(select(*target.c).where(target.c[column_name].is_not(None), target.c.id > after)
                                  .order_by(target.c.id).limit(200)).mappings().all()
        if not rows:
            return changed
        updates = []
        for row in rows:
            after = row["id"]
            raw = row[column_name]
            if stored_version(kind, raw) == current:
                continue
            binding = Binding(table_name, column_name, row["id"], row["practice_id"] if has_practice else None)
            sealed = seal_value("text" if kind == "json" else kind, open_value(
                "text" if kind == "json" else kind, raw, binding, ring), binding, ring)
            updates.append({"row_id": row["id"], "value": sealed})
        if updates:
            connection.execute(update(target).where(target.c.id == bindparam("row_id"))
                               .values({column_name: bindparam("value")}), updates)
            changed += len(updates)

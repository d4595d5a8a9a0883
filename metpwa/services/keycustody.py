"""Key rotation: a new data key re-seals every encrypted value; a new audit key seals what comes next.

Old versions stay in the keyring so backups made before the rotation still open. Every rotation
is itself an audit event.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import LargeBinary, Text, column, select, table

from .. import dbguards
from ..encryption import reseal, sealed_columns, stored_version
from ..extensions import db
from ..keys import keyring
from . import audit


@dataclass
class RotationResult:
    kind: str
    version: int
    resealed: int


def rotate(kind: str) -> RotationResult:
    ring = keyring()
    if ring.path is None:
        raise RuntimeError("This keyring came from the configuration; rotate the file it was copied from.")
    version = ring.rotate(kind)
    resealed = reseal_all() if kind == "data" else 0
    audit.record("key_rotation", None, detail={"kind": kind, "version": version, "resealed": resealed})
    db.session.commit()
    return RotationResult(kind, version, resealed)


def reseal_all() -> int:
    """Bring every encrypted value under the current data key, in one transaction (safe to rerun)."""
    connection = db.session.connection()
    columns = sealed_columns(db.metadata)
    changed = 0
    with dbguards.suspended(connection, sorted({name for name, _, _ in columns})):
        for name, col, kind in columns:
            changed += reseal(connection, name, col, kind, keyring())
    return changed


def versions_in_use() -> Counter:
    """How many stored values each data key version seals ('unsealed' for any that carries no
    version 2 seal: written outside the app, and refused when read)."""
    counts: Counter = Counter()
    for name, col, kind in sealed_columns(db.metadata):
        target = table(name, column(col, LargeBinary() if kind == "bytes" else Text()))
        for (raw,) in db.session.execute(select(target.c[col]).where(target.c[col].is_not(None))):
            counts[stored_version(kind, raw) or "unsealed"] += 1
    return counts

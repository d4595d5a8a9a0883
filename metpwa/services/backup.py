"""Consistent, encrypted backups taken while the app keeps writing, and restores that check
what they bring back before anything is replaced.

SQLite is copied with its online backup API (a snapshot, never a half-written file copy);
PostgreSQL with pg_dump (one consistent transaction). Either way the copy is sealed with the
keyring's data key in 1 MiB AES-GCM chunks, numbered and with the last one marked, so a
backup that was cut short, reordered or altered is refused rather than half restored. The
keyring is not in the backup: keep it, and the backups, off the machine (SECURITY.md).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import struct
import subprocess  # nosec B404 - pg_dump and pg_restore, called with argument lists, never a shell
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL

from ..extensions import db
from ..keys import Keyring, keyring
from ..rules import auditchain
from . import auditanchor

MAGIC = b"METPWA-BACKUP\n"
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup that cannot be trusted or cannot be made; the message says which and why."""


@dataclass
class BackupInfo:
    engine: str
    created: str
    revision: str | None
    key_version: int
    bytes: int = 0


@dataclass
class RestoreReport:
    info: BackupInfo
    tables: dict[str, int] = field(default_factory=dict)
    audit_events: int = 0
    audit_breaks: int = 0
    audit_head: tuple[int, str] | None = None
    safety_copy: Path | None = None  # PostgreSQL: the database as it was, backed up before replacing it


# --- sealing -------------------------------------------------------------------------------------

def _aad(header: bytes, index: int, final: bool) -> bytes:
    return header + struct.pack(">Q?", index, final)


def _seal_stream(source: BinaryIO, target: BinaryIO, info: BackupInfo, ring: Keyring) -> int:
    header = json.dumps(info.__dict__, sort_keys=True).encode() + b"\n"
    target.write(MAGIC + header)
    aead = AESGCM(ring.key("data", info.key_version))
    index, total = 0, 0
    pending = source.read(CHUNK)
    while True:
        following = source.read(CHUNK) if pending else b""
        final = not following
        nonce = os.urandom(12)
        sealed = aead.encrypt(nonce, pending, _aad(header, index, final))
        target.write(struct.pack(">I", len(sealed)) + nonce + sealed)
        total += len(pending)
        if final:
            return total
        pending, index = following, index + 1


def read_info(path: Path) -> BackupInfo:
    with open(path, "rb") as handle:
        return _read_header(handle)[0]


def _read_header(handle: BinaryIO) -> tuple[BackupInfo, bytes]:
    if handle.read(len(MAGIC)) != MAGIC:
        raise BackupError("This is not a metpwa backup.")
    header = handle.readline(4096)
    try:
        return BackupInfo(**json.loads(header)), header
    except (ValueError, TypeError):
        raise BackupError("The backup's header is damaged.") from None


def _open_stream(handle: BinaryIO, ring: Keyring) -> Iterator[bytes]:
    info, header = _read_header(handle)
    key = ring.lookup("data", info.key_version)
    if key is None:
        raise BackupError(f"The backup was sealed with data key {info.key_version}, which this keyring "
                          "does not have: restore with the keyring of that time.")
    aead = AESGCM(key)
    index = 0
    while True:
        size_bytes = handle.read(4)
        if len(size_bytes) < 4:
            raise BackupError("The backup is cut short: its last part is missing.")
        (size,) = struct.unpack(">I", size_bytes)
        nonce, sealed = handle.read(12), handle.read(size)
        if len(sealed) < size:
            raise BackupError("The backup is cut short: its last part is missing.")
        for final in (False, True):
            try:
                plain = aead.decrypt(nonce, sealed, _aad(header, index, final))
            except InvalidTag:
                continue
            yield plain
            if final:
                if handle.read(1):
                    raise BackupError("The backup has data after its end.")
                return
            break
        else:
            raise BackupError(f"Part {index + 1} of the backup was changed or is out of place.")
        index += 1


# --- making a backup -------------------------------------------------------------------------------

def _database_url() -> URL:
    # The engine's URL, not the configured one: Flask-SQLAlchemy resolves a relative SQLite path
    # against the instance folder, while sqlite3 would resolve it against the working directory
    # (and back up a new, empty file there).
    return db.engine.url


def _revision(connection) -> str | None:
    try:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # noqa: BLE001 - no alembic table means an unmigrated database
        return None


def _pg_environment(url: URL) -> tuple[list[str], dict[str, str]]:
    """pg_dump/pg_restore arguments for the app's database, including the schema the app's
    search_path names (tests and multi-practice hosts use one schema per database)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    args = ["--host", url.host or "localhost", "--port", str(url.port or 5432), "--username",
            url.username or "postgres", "--dbname", url.database or "postgres"]
    options = current_app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}).get("connect_args", {}).get("options", "")
    schema = None
    for part in options.split():
        if part.startswith("-csearch_path="):
            schema = part.split("=", 1)[1].split(",")[0]
    return args + (["--schema", schema] if schema else []), env


def _work_folder(url: URL) -> Path:
    """Where a backup or a restore keeps its unencrypted working copy for a moment: beside the
    SQLite database (on the volume the deployer encrypted for it), or in the instance folder for
    PostgreSQL; never the system's temporary folder, which may be neither encrypted nor private."""
    folder = Path(url.database).resolve().parent if url.get_backend_name() == "sqlite" else Path(
        current_app.instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _anchor_audit_head(connection) -> None:
    """A backup also moves the audit anchor to the head it copies (services/auditanchor.py)."""
    where = auditanchor.path()
    if where is None:
        return
    auditanchor.flush_pending()
    head = connection.execute(text("SELECT seq, mac FROM audit_event WHERE seq IS NOT NULL "
                                   "ORDER BY seq DESC LIMIT 1")).first()
    if head is not None:
        auditanchor.write(where, keyring(), head.seq, head.mac)


def make_backup(output: Path) -> BackupInfo:
    """Write an encrypted backup of the app's database to output (owner-only permissions)."""
    ring = keyring()
    url = _database_url()
    with db.engine.connect() as connection:
        revision = _revision(connection)
        _anchor_audit_head(connection)
    info = BackupInfo(engine=url.get_backend_name(), created=datetime.now(UTC).isoformat(timespec="seconds"),
                      revision=revision, key_version=ring.current["data"])
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as target:
            if info.engine == "sqlite":
                info.bytes = _backup_sqlite(url, target, info, ring)
            elif info.engine == "postgresql":
                info.bytes = _backup_postgresql(url, target, info, ring)
            else:
                raise BackupError(f"Backups of {info.engine} databases are not supported.")
        os.replace(partial, output)
    finally:
        if partial.exists():
            partial.unlink()
    return info


def _backup_sqlite(url: URL, target: BinaryIO, info: BackupInfo, ring: Keyring) -> int:
    with tempfile.TemporaryDirectory(prefix=".metpwa-backup-", dir=_work_folder(url)) as folder:
        snapshot = Path(folder) / "snapshot.sqlite3"
        # Read-only: a wrong path fails here instead of creating an empty database to back up.
        source = sqlite3.connect(f"{Path(url.database).resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        try:
            destination = sqlite3.connect(snapshot)
            with destination:
                # One step (pages=-1): a single read transaction, so the copy is one moment in time
                # while writers carry on in the write-ahead log.
                source.backup(destination, pages=-1)
            destination.close()
        finally:
            source.close()
        with open(snapshot, "rb") as handle:
            return _seal_stream(handle, target, info, ring)


def _backup_postgresql(url: URL, target: BinaryIO, info: BackupInfo, ring: Keyring) -> int:
    if shutil.which("pg_dump") is None:
        raise BackupError("pg_dump is not installed (Debian: apt install postgresql-client).")
    args, env = _pg_environment(url)
    process = subprocess.Popen(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *args],  # nosec B603 B607
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    total = _seal_stream(process.stdout, target, info, ring)
    _, errors = process.communicate()
    if process.returncode != 0:
        raise BackupError(f"pg_dump failed: {errors.decode(errors='replace').strip()[:400]}")
    return total


# --- restoring ----------------------------------------------------------------------------------

def _decrypt_to(path: Path, destination: Path, ring: Keyring) -> BackupInfo:
    with open(path, "rb") as handle:
        info, _ = _read_header(handle)
        handle.seek(0)
        fd = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            for part in _open_stream(handle, ring):
                out.write(part)
    return info


def _check(engine, ring: Keyring, report: RestoreReport) -> None:
    """What a restore must prove before it replaces anything: the engine's own integrity check,
    the schema revision, every table readable, and the audit chain unbroken."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            result = connection.exec_driver_sql("PRAGMA integrity_check").scalar()
            if result != "ok":
                raise BackupError(f"The restored database fails SQLite's integrity check: {result}")
        if _revision(connection) is None:
            raise BackupError("The backup holds no metpwa schema.")
        for name in inspect(connection).get_table_names():
            # Table names come from the restored schema itself, not from anyone's input.
            report.tables[name] = connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar()  # nosec B608
        columns = ["id", "seq", "prev_mac", "mac", "key_version", *auditchain.SEALED_FIELDS]
        rows = connection.execute(text(f"SELECT {', '.join(columns)} FROM audit_event "  # nosec B608
                                       "ORDER BY seq IS NOT NULL, seq, id")).mappings()
        summary = auditchain.Summary()
        from ..models.types import UTCDateTime

        as_utc = UTCDateTime()

        def with_times(source):
            for row in source:
                row = dict(row)
                if isinstance(row["at"], str):
                    row["at"] = datetime.fromisoformat(row["at"])
                row["at"] = as_utc.process_result_value(row["at"], engine.dialect)
                yield row

        breaks = list(auditchain.verify(with_times(rows), lambda v: ring.lookup("audit", v), summary))
        report.audit_events, report.audit_breaks = summary.checked, len(breaks)
        report.audit_head = (summary.head_seq, summary.head_mac) if summary.head_seq is not None else None
        if breaks:
            raise BackupError(f"The restored audit trail is broken: {breaks[0].message}")


def restore(path: Path, *, sqlite_target: Path | None = None) -> RestoreReport:
    """Check a backup and bring it back: into sqlite_target, or over the app's own database.

    The app's database is replaced only after the restored copy passes every check. Stop the
    app first: its open connections would keep writing to what is being replaced.
    """
    ring = keyring()
    url = _database_url()
    with tempfile.TemporaryDirectory(prefix=".metpwa-restore-", dir=_work_folder(url)) as folder:
        plain = Path(folder) / "restored"
        info = _decrypt_to(Path(path), plain, ring)
        report = RestoreReport(info)
        if info.engine == "sqlite":
            engine = create_engine(f"sqlite:///{plain}")
            try:
                _check(engine, ring, report)
            finally:
                engine.dispose()
            destination = sqlite_target or Path(url.database)
            if url.get_backend_name() != "sqlite" and sqlite_target is None:
                raise BackupError("This is a SQLite backup; give a file to restore it into (--to).")
            source = sqlite3.connect(plain)
            target = sqlite3.connect(destination, timeout=30)
            try:
                with target:
                    source.backup(target, pages=-1)
            finally:
                source.close()
                target.close()
            if sqlite_target is None:
                _reanchor(report)
            return report
        if url.get_backend_name() != "postgresql":
            raise BackupError("This is a PostgreSQL backup; restore it with the app pointed at PostgreSQL.")
        if shutil.which("pg_restore") is None:
            raise BackupError("pg_restore is not installed (Debian: apt install postgresql-client).")
        # pg_restore replaces the live schema before the copy can be checked: keep the database as it
        # was, so a backup that fails its checks can be undone.
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        # Beside the backup being restored: the folder the deployer keeps backups in.
        report.safety_copy = Path(path).resolve().with_name(f"before-restore-{stamp}.metpwa-backup")
        make_backup(report.safety_copy)
        args, env = _pg_environment(url)
        db.engine.dispose()
        completed = subprocess.run(  # nosec B603 B607 - fixed program, argument list
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
             "--exit-on-error", *_without_schema(args), str(plain)],
            capture_output=True, env=env, check=False)
        if completed.returncode != 0:
            raise BackupError(f"pg_restore failed: {completed.stderr.decode(errors='replace').strip()[:400]}")
        try:
            _check(db.engine, ring, report)
        except BackupError as error:
            raise BackupError(f"{error} The database as it was before is in {report.safety_copy}: bring it back "
                              f"with `flask --app metpwa restore {report.safety_copy} --yes`.") from None
        _reanchor(report)
        return report


def _reanchor(report: RestoreReport) -> None:
    """The restored trail is legitimately shorter than the anchor: the one time it moves back."""
    where = auditanchor.path()
    if where is None:
        return
    if report.audit_head is None:
        where.unlink(missing_ok=True)
    else:
        auditanchor.write(where, keyring(), *report.audit_head, force=True)


def _without_schema(args: list[str]) -> list[str]:
    """pg_restore takes the dump's own schema; a --schema filter there would skip the schema itself."""
    out, skip = [], False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg == "--schema":
            skip = True
            continue
        out.append(arg)
    return out

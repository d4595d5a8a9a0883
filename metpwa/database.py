"""Engine set-up: SQLite tuned for one busy machine, PostgreSQL left as it comes."""

from __future__ import annotations

import re
import sqlite3
import time
from functools import wraps

from flask import Flask, current_app, has_request_context, request
from sqlalchemy import Connection, Engine, event, text

from .extensions import db


def _sqlite_on_connect(dbapi_connection, connection_record) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL lets the iPads read while one writes; busy_timeout makes a writer wait
    # its turn instead of failing with "database is locked".
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# How long a statement waits for a lock before "database is locked".
BUSY_TIMEOUT_MS = 10_000
# Waiting for the write lock: the first pause, and the longest (seconds).
_FIRST_PAUSE, _LONGEST_PAUSE = 0.000_05, 0.001


def begin_immediate(dbapi_connection: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE: take SQLite's one write lock, waiting for it in short steps.

    SQLite's own wait (busy_timeout) sleeps 1, 2, 5, 10, 15, 20, 25 ms... between tries, so a
    writer that finds the lock held for a fraction of a millisecond (a logged set holds it for
    about that long) sleeps for several, and a busy minute of the gym floor queues up behind
    those sleeps. Here the pauses start at 50 µs and never exceed 1 ms; the limit is the same.
    """
    dbapi_connection.execute("PRAGMA busy_timeout=0")
    try:
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        pause = _FIRST_PAUSE
        while True:
            try:
                dbapi_connection.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if getattr(error, "sqlite_errorname", "") != "SQLITE_BUSY" or time.monotonic() >= deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 2, _LONGEST_PAUSE)
    finally:
        dbapi_connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


_WRITE = re.compile(r"^\s*(?:INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
# Requests that read a page: their writes are the audit event of the read and the sign-in's
# last-seen time, never a change that depends on what they read.
READING_METHODS = frozenset({"GET", "HEAD"})


def writes_last(view):
    """Mark a change whose view takes the write lock itself, just before it writes.

    Its reads before that (the sign-in) run outside any transaction, and it re-reads what its
    writes depend on after take_write_lock(). For the set logger: holding SQLite's one write
    lock through a whole request would let only one iPad's set be handled at a time.
    """
    view.metpwa_writes_last = True
    return view


def rolls_back_on_refusal(service):
    """Mark a service that changes records: whatever it raises (a refusal such as RecordLocked or an
    InputError, or a failure), what it began is rolled back before the exception leaves it. Nothing
    half-made waits for a later commit, and the write turn (SQLite's one write lock) is free before
    the page that says why is drawn; routes never roll back themselves."""

    @wraps(service)
    def wrapped(*args, **kwargs):
        try:
            return service(*args, **kwargs)
        except Exception:
            db.session.rollback()
            raise

    return wrapped


def _takes_lock_late() -> bool:
    if request.method in READING_METHODS:
        return True
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return getattr(view, "metpwa_writes_last", False)


def _sqlite_on_begin(connection) -> None:
    # A change takes the write lock at BEGIN (IMMEDIATE), so two writers queue for it (begin_immediate)
    # rather than deadlocking when a read turns into a write. A page being read does not: its
    # reads run each in its own snapshot and it takes the lock just before its first write (the
    # audit event), so a chart or a PDF being drawn never holds up a trainer logging a set.
    if has_request_context() and _takes_lock_late():
        return
    begin_immediate(connection.connection.dbapi_connection)


def _sqlite_before_execute(connection, cursor, statement, parameters, context, executemany) -> None:
    if not connection.connection.dbapi_connection.in_transaction and _WRITE.match(statement):
        begin_immediate(connection.connection.dbapi_connection)


# PostgreSQL's one "write turn": every change writes an audit event, and events take turns at the
# chain's head under this advisory lock (services.audit), held to commit. Any fixed number.
WRITE_TURN_LOCK = 7_400_812
_TAKE_WRITE_TURN = text("SELECT pg_advisory_xact_lock(:key)")


def take_write_lock(connection: Connection) -> None:
    """Take the database's write turn, held until commit, before reading what the transaction's
    writes depend on.

    SQLite: its one write lock (a reading request's transaction has not taken it yet).
    PostgreSQL: the audit chain's advisory lock. Every change takes it at its audit event anyway;
    taking it first, before any row lock (FOR UPDATE), keeps one order for all writers: a set
    that locked its session row and then waited for the chain, while a vitals change held the
    chain and waited for that row, was a deadlock (found in review).
    """
    if connection.dialect.name == "sqlite":
        if not connection.connection.dbapi_connection.in_transaction:
            begin_immediate(connection.connection.dbapi_connection)
    elif connection.dialect.name == "postgresql" and not _holds_write_turn(connection):
        connection.info[_TURN_KEY] = connection.get_transaction()
        connection.execute(_TAKE_WRITE_TURN, {"key": WRITE_TURN_LOCK})


# The transaction that holds the write turn, kept on the connection: a new transaction is a new
# object, so the mark cannot outlive the transaction that set it.
_TURN_KEY = "metpwa_write_turn"
_PG_WRITE = re.compile(r"^\s*(?:INSERT|UPDATE|DELETE)\b|\bFOR\s+(?:NO\s+KEY\s+)?(?:UPDATE|SHARE)\b", re.IGNORECASE)


def _holds_write_turn(connection: Connection) -> bool:
    transaction = connection.get_transaction()
    return transaction is not None and connection.info.get(_TURN_KEY) is transaction


def _postgresql_before_execute(connection, cursor, statement, parameters, context, executemany) -> None:
    # The same order for every writer, whatever path it takes (an ORM flush, a Core update, a row
    # lock): the write turn before the first write or row lock, so no two writers can each hold
    # what the other waits for. Every change writes an audit event under this turn anyway.
    if _PG_WRITE.search(statement) and connection.get_transaction() is not None \
            and not _holds_write_turn(connection):
        connection.info[_TURN_KEY] = connection.get_transaction()
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_TURN_LOCK,))


def render_migration_item(type_: str, obj, autogen_context):
    """Autogenerate writes our UTC column type as plain sa.DateTime, so migrations
    never import application code that may change later."""
    from .models.types import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def configure_engine(engine: Engine) -> None:
    if engine.dialect.name == "sqlite" and not event.contains(engine, "connect", _sqlite_on_connect):
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        event.listen(engine, "before_cursor_execute", _sqlite_before_execute)
    if engine.dialect.name == "postgresql" and not event.contains(engine, "before_cursor_execute",
                                                                  _postgresql_before_execute):
        event.listen(engine, "before_cursor_execute", _postgresql_before_execute)


def init_app(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)

"""Engine set-up: SQLite tuned for one busy machine, PostgreSQL left as it comes."""

from __future__ import annotations

import re

from flask import Flask, has_request_context, request
from sqlalchemy import Connection, Engine, event

from .extensions import db


def _sqlite_on_connect(dbapi_connection, connection_record) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL lets the iPads read while one writes; busy_timeout makes a writer wait
    # its turn instead of failing with "database is locked".
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


_WRITE = re.compile(r"^\s*(?:INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
# Requests that read a page: their writes are the audit event of the read and the sign-in's
# last-seen time, never a change that depends on what they read.
READING_METHODS = frozenset({"GET", "HEAD"})


def _sqlite_on_begin(connection) -> None:
    # A change takes the write lock at BEGIN (IMMEDIATE), so two writers queue on busy_timeout
    # rather than deadlocking when a read turns into a write. A page being read does not: its
    # reads run each in its own snapshot and it takes the lock just before its first write (the
    # audit event), so a chart or a PDF being drawn never holds up a trainer logging a set.
    if has_request_context() and request.method in READING_METHODS:
        return
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_before_execute(connection, cursor, statement, parameters, context, executemany) -> None:
    if not connection.connection.dbapi_connection.in_transaction and _WRITE.match(statement):
        cursor.execute("BEGIN IMMEDIATE")


def take_write_lock(connection: Connection) -> None:
    """Hold the database's write lock until commit: PostgreSQL takes row locks as it goes, but on
    SQLite a reading request's transaction has not taken it yet. Call before reading something
    that the same transaction's writes depend on (the audit chain's head)."""
    if connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


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


def init_app(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)

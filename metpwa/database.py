"""Engine set-up: SQLite tuned for one busy machine, PostgreSQL left as it comes."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import Engine, event

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


def _sqlite_on_begin(connection) -> None:
    # IMMEDIATE takes the write lock at BEGIN, so two writers queue on
    # busy_timeout rather than deadlocking when a read turns into a write.
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


def init_app(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)

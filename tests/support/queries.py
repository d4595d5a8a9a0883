"""How many statements an action sends to the database: the figure behind "does not grow per client"
and "a set is logged in N queries" tests."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event

from metpwa.extensions import db


def count_queries(app, action: Callable[[], object]) -> int:
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if statement.split()[0].upper() in ("SELECT", "INSERT", "UPDATE", "DELETE"):
            statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)

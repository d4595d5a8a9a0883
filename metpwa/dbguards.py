"""Database-level locks for signed records: triggers that refuse changes on SQLite and
PostgreSQL alike, so "signed records are never edited" holds even outside the app.

Migrations call these; the SQL is plain and stable, so old migrations stay valid.
"""

from __future__ import annotations

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION metpwa_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'metpwa: % on % refused: signed records cannot change', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'integrity_constraint_violation';
END;
$$
"""


def _message(table: str, what: str) -> str:
    return f"metpwa: {what} on {table} refused: signed records cannot change"


def lock_rows(dialect: str, table: str) -> list[str]:
    """Refuse every UPDATE and DELETE of the table's rows."""
    if dialect == "postgresql":
        return [
            PG_FUNCTION,
            f"CREATE TRIGGER trg_{table}_locked BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION metpwa_refuse_change()",
        ]
    return [
        f"CREATE TRIGGER trg_{table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{_message(table, 'UPDATE')}'); END",
        f"CREATE TRIGGER trg_{table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{_message(table, 'DELETE')}'); END",
    ]


def lock_columns(dialect: str, table: str, columns: list[str]) -> list[str]:
    """Refuse UPDATEs of these columns and every DELETE; other columns may still change."""
    cols = ", ".join(columns)
    if dialect == "postgresql":
        return [
            PG_FUNCTION,
            f"CREATE TRIGGER trg_{table}_locked_columns BEFORE UPDATE OF {cols} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION metpwa_refuse_change()",
            f"CREATE TRIGGER trg_{table}_no_delete BEFORE DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION metpwa_refuse_change()",
        ]
    return [
        f"CREATE TRIGGER trg_{table}_locked_columns BEFORE UPDATE OF {cols} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{_message(table, 'UPDATE')}'); END",
        f"CREATE TRIGGER trg_{table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{_message(table, 'DELETE')}'); END",
    ]


def unlock(dialect: str, table: str) -> list[str]:
    """Drop whatever lock_rows or lock_columns created on the table (for downgrades)."""
    names = [f"trg_{table}_locked", f"trg_{table}_no_update", f"trg_{table}_no_delete",
             f"trg_{table}_locked_columns"]
    if dialect == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {name} ON {table}" for name in names]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in names]

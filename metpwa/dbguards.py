"""Database-level locks for signed records: triggers that refuse changes on SQLite and
PostgreSQL alike, so "signed records are never edited" holds even outside the app.

Migrations call these; the SQL is plain and stable, so old migrations stay valid.
A SQLite batch migration rebuilds its table and so drops the table's triggers: a
migration that batch-alters a locked table must lock it again afterwards.
"""

from __future__ import annotations

from contextlib import contextmanager

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


PG_CHILD_FUNCTION = """
CREATE OR REPLACE FUNCTION metpwa_refuse_child_of_signed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  parent_id bigint;
  signed timestamp;
BEGIN
  IF TG_OP = 'DELETE' THEN
    parent_id := (to_jsonb(OLD) ->> TG_ARGV[1])::bigint;
  ELSE
    parent_id := (to_jsonb(NEW) ->> TG_ARGV[1])::bigint;
  END IF;
  EXECUTE format('SELECT %I FROM %I WHERE id = $1', TG_ARGV[2], TG_ARGV[0]) INTO signed USING parent_id;
  IF signed IS NOT NULL THEN
    RAISE EXCEPTION 'metpwa: % on % refused: signed records cannot change', TG_OP, TG_TABLE_NAME
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$
"""


def lock_once_signed(dialect: str, table: str, signed_column: str = "signed_at") -> list[str]:
    """Rows may change while a draft; once signed_column is set, no UPDATE or DELETE."""
    if dialect == "postgresql":
        return [
            PG_FUNCTION,
            f"CREATE TRIGGER trg_{table}_signed BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW "
            f"WHEN (OLD.{signed_column} IS NOT NULL) EXECUTE FUNCTION metpwa_refuse_change()",
        ]
    return [
        f"CREATE TRIGGER trg_{table}_signed_update BEFORE UPDATE ON {table} WHEN OLD.{signed_column} IS NOT NULL "
        f"BEGIN SELECT RAISE(ABORT, '{_message(table, 'UPDATE')}'); END",
        f"CREATE TRIGGER trg_{table}_signed_delete BEFORE DELETE ON {table} WHEN OLD.{signed_column} IS NOT NULL "
        f"BEGIN SELECT RAISE(ABORT, '{_message(table, 'DELETE')}'); END",
    ]


def lock_children_once_signed(dialect: str, child: str, parent: str, foreign_key: str,
                              signed_column: str = "signed_at") -> list[str]:
    """Child rows (a signed assessment's measurements) cannot be added, changed or removed."""
    if dialect == "postgresql":
        return [
            PG_CHILD_FUNCTION,
            f"CREATE TRIGGER trg_{child}_signed_parent BEFORE INSERT OR UPDATE OR DELETE ON {child} FOR EACH ROW "
            f"EXECUTE FUNCTION metpwa_refuse_child_of_signed('{parent}', '{foreign_key}', '{signed_column}')",
        ]
    statements = []
    for event, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD")):
        statements.append(
            f"CREATE TRIGGER trg_{child}_signed_parent_{event.lower()} BEFORE {event} ON {child} "
            f"WHEN (SELECT {signed_column} FROM {parent} WHERE id = {row}.{foreign_key}) IS NOT NULL "  # nosec B608
            f"BEGIN SELECT RAISE(ABORT, '{_message(child, event)}'); END"
        )
    return statements


def unlock_signed(dialect: str, table: str) -> list[str]:
    """Drop what lock_once_signed and lock_children_once_signed created on the table."""
    names = [f"trg_{table}_signed", f"trg_{table}_signed_update", f"trg_{table}_signed_delete",
             f"trg_{table}_signed_parent", f"trg_{table}_signed_parent_insert", f"trg_{table}_signed_parent_update",
             f"trg_{table}_signed_parent_delete"]
    if dialect == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {name} ON {table}" for name in names]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in names]


def triggers_on(connection, tables: list[str]) -> list[tuple[str, str, str]]:
    """(name, table, CREATE statement) of every trigger on these tables, read from the database
    itself, so whatever guards exist can be put back exactly as they were."""
    if connection.dialect.name == "postgresql":
        rows = connection.exec_driver_sql(
            # to_regclass resolves each name on the search path, as the app's own queries do.
            "SELECT t.tgname, c.relname, pg_get_triggerdef(t.oid) FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal "
            "AND t.tgrelid IN (SELECT to_regclass(name) FROM unnest(%(tables)s::text[]) AS name)",
            {"tables": list(tables)},
        )
    else:
        marks = ", ".join("?" for _ in tables)
        rows = connection.exec_driver_sql(
            f"SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({marks})",  # nosec B608
            tuple(tables),
        )
    return [tuple(row) for row in rows]


@contextmanager
def suspended(connection, tables: list[str]):
    """Lift the guards on these tables for one maintenance step (a migration that rewrites
    values, re-encryption under a new key) and put every one back before the step commits.
    Runs inside the caller's transaction: if the step fails, nothing was ever unguarded."""
    saved = triggers_on(connection, tables)
    for name, table, _ in saved:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f'DROP TRIGGER "{name}" ON "{table}"')
        else:
            connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
    yield
    for _, _, statement in saved:
        connection.exec_driver_sql(statement.replace("%", "%%") if connection.dialect.name == "postgresql"
                                   else statement)

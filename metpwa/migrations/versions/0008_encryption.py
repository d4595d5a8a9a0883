"""encrypt sensitive values at rest (AES-256-GCM under the keyring's data key)

Revision ID: 0008_encryption
Revises: 0007_audit_chain
Create Date: 2026-11-27 01:00:00

"""
import sqlalchemy as sa
from alembic import op

from metpwa import dbguards

revision = '0008_encryption'
down_revision = '0007_audit_chain'
branch_labels = None
depends_on = None

# Frozen copy of encryption.ENCRYPTED_COLUMNS as of this revision.
COLUMNS = (
    ("coverage", "member_id", "text"),
    ("document", "data", "bytes"),
    ("intake_response", "answers", "json"),
    ("intake_response", "clearance_reasons", "json"),
    ("medical_clearance", "restrictions", "text"),
    ("assessment", "functional_limitations", "text"),
    ("assessment", "notes", "text"),
    ("screen_finding", "observation", "text"),
    ("addendum", "text", "text"),
    ("consent_signature", "signature_png", "bytes"),
    ("consent_signature", "pdf", "bytes"),
    ("outcome_result", "note", "text"),
    ("progress_report", "recommendations", "text"),
    ("progress_report", "pdf", "bytes"),
    ("session_log", "note_client_report", "text"),
    ("session_log", "note_performance", "text"),
    ("session_log", "note_response", "text"),
    ("session_log", "note_plan", "text"),
    ("session_log", "plan_changes", "text"),
    ("session_exercise", "response_note", "text"),
)
# Columns whose type becomes text: ciphertext is longer than the old limit, and JSON is now opaque.
RETYPED = (
    ("coverage", "member_id", sa.String(length=40), False, None),
    ("intake_response", "answers", sa.JSON(), False, "answers::json"),
    ("intake_response", "clearance_reasons", sa.JSON(), False, "clearance_reasons::json"),
    ("session_exercise", "response_note", sa.String(length=300), True, None),
)


def _ring():
    from flask import current_app, has_app_context

    if not has_app_context():
        raise RuntimeError("0008 encrypts existing values: run it with `flask --app metpwa db upgrade`, "
                           "which loads the keyring")
    return current_app.extensions["metpwa_keyring"]


def _tables():
    return sorted({table for table, _, _ in COLUMNS})


def upgrade():
    from metpwa.sealing_v1 import reseal

    bind = op.get_bind()
    ring = _ring()
    with dbguards.suspended(bind, _tables()):
        for table, column, old_type, nullable, _ in RETYPED:
            with op.batch_alter_table(table, schema=None) as batch_op:
                batch_op.alter_column(column, existing_type=old_type, type_=sa.Text(), existing_nullable=nullable,
                                      postgresql_using=f"{column}::text")
        for table, column, kind in COLUMNS:
            reseal(bind, table, column, kind, ring)


def downgrade():
    from metpwa.sealing_v1 import reseal

    bind = op.get_bind()
    ring = _ring()
    with dbguards.suspended(bind, _tables()):
        for table, column, kind in COLUMNS:
            reseal(bind, table, column, kind, ring, decrypt_only=True)
        for table, column, old_type, nullable, using in RETYPED:
            with op.batch_alter_table(table, schema=None) as batch_op:
                batch_op.alter_column(column, existing_type=sa.Text(), type_=old_type, existing_nullable=nullable,
                                      postgresql_using=using)

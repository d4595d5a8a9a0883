"""audit trail: HMAC chain columns, append-only triggers

Revision ID: 0007_audit_chain
Revises: 0006_reports
Create Date: 2026-11-27 00:50:00

"""
import sqlalchemy as sa
from alembic import op

from metpwa import dbguards

revision = '0007_audit_chain'
down_revision = '0006_reports'
branch_labels = None
depends_on = None


def _seal_existing(bind) -> None:
    """Chain the events written before this revision, oldest first, under the current audit key."""
    from flask import current_app, has_app_context

    from metpwa.rules import auditchain

    if not has_app_context():
        return
    ring = current_app.extensions["metpwa_keyring"]
    version = ring.current["audit"]
    key = ring.key("audit", version)
    table = sa.table("audit_event", sa.column("id"), sa.column("seq"), sa.column("prev_mac"), sa.column("mac"),
                     sa.column("key_version"),
                     *[sa.column(name, sa.DateTime() if name == "at" else None) for name in auditchain.SEALED_FIELDS])
    from metpwa.models.types import UTCDateTime  # the same reading of times the app seals with

    rows = bind.execute(sa.select(table).order_by(table.c.id)).mappings().all()
    prev = auditchain.GENESIS
    for seq, row in enumerate(rows, start=1):
        values = dict(row)
        values["at"] = UTCDateTime().process_result_value(row["at"], bind.dialect)
        mac = auditchain.seal(key, prev, values)
        bind.execute(table.update().where(table.c.id == row["id"])
                     .values(seq=seq, prev_mac=prev, mac=mac, key_version=version))
        prev = mac


def upgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('prev_mac', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('mac', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('key_version', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_audit_event_seq'), ['seq'])
    bind = op.get_bind()
    _seal_existing(bind)
    for statement in dbguards.lock_rows(bind.dialect.name, "audit_event"):
        op.execute(statement)


def downgrade():
    bind = op.get_bind()
    for statement in dbguards.unlock(bind.dialect.name, "audit_event"):
        op.execute(statement)
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_event_seq'), type_='unique')
        batch_op.drop_column('key_version')
        batch_op.drop_column('mac')
        batch_op.drop_column('prev_mac')
        batch_op.drop_column('seq')

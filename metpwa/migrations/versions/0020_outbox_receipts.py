"""the gym floor's outbox: receipts for keyed writes, late items, the per-sign-in outbox key

Revision ID: 0020_outbox_receipts
Revises: 0019_claim_lines_frozen
Create Date: 2026-12-07 03:30:00

outbox_receipt keeps the idempotency key of a vitals entry or a client response sent from an iPad's
outbox (sets and outcome results keep theirs on their own rows), a digest of what was sent, and an
item that arrived after its session was signed, as an addendum draft (late_text is ciphertext,
encryption.SealedText). staff_session.outbox_key is the key the iPad seals its outbox with.
"""
import sqlalchemy as sa
from alembic import op

revision = '0020_outbox_receipts'
down_revision = '0019_claim_lines_frozen'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outbox_receipt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('performed_at', sa.DateTime(), nullable=True),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    # Ciphertext (encryption.SealedText).
    sa.Column('late_text', sa.Text(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], name=op.f('fk_outbox_receipt_practice_id_practice')),
    sa.ForeignKeyConstraint(['session_id'], ['session_log.id'], name=op.f('fk_outbox_receipt_session_id_session_log')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_outbox_receipt_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_receipt')),
    sa.UniqueConstraint('practice_id', 'idempotency_key', name='uq_outbox_receipt_practice_key')
    )
    with op.batch_alter_table('outbox_receipt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_receipt_session_id'), ['session_id'], unique=False)
    with op.batch_alter_table('staff_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('outbox_key', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('staff_session', schema=None) as batch_op:
        batch_op.drop_column('outbox_key')
    with op.batch_alter_table('outbox_receipt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_receipt_session_id'))
    op.drop_table('outbox_receipt')

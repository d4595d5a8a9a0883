"""emergency (break-glass) access grants; who, by whom, when, until when and why are locked

Revision ID: 0010_break_glass
Revises: 0009_two_factor
Create Date: 2026-11-27 02:10:00

"""
import sqlalchemy as sa
from alembic import op

from metpwa import dbguards

revision = '0010_break_glass'
down_revision = '0009_two_factor'
branch_labels = None
depends_on = None

# Frozen copy of models.emergency.IMMUTABLE_COLUMNS as of this revision: only the start and the
# end of a grant are written after it is made, and no grant is ever deleted.
LOCKED = ["practice_id", "user_id", "granted_by_id", "granted_at", "expires_at", "reason"]


def upgrade():
    op.create_table('emergency_access',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=False),
    sa.Column('granted_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    # Ciphertext (encryption.EncryptedText): reasons may name a client.
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('start_reason', sa.Text(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['granted_by_id'], ['user.id'], name=op.f('fk_emergency_access_granted_by_id_user')),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], name=op.f('fk_emergency_access_practice_id_practice')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['user.id'], name=op.f('fk_emergency_access_revoked_by_id_user')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_emergency_access_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_emergency_access'))
    )
    with op.batch_alter_table('emergency_access', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_emergency_access_practice_id'), ['practice_id'], unique=False)
        batch_op.create_index('ix_emergency_access_user_expires', ['user_id', 'expires_at'], unique=False)
    for statement in dbguards.lock_columns(op.get_bind().dialect.name, "emergency_access", LOCKED):
        op.execute(statement)


def downgrade():
    for statement in dbguards.unlock(op.get_bind().dialect.name, "emergency_access"):
        op.execute(statement)
    with op.batch_alter_table('emergency_access', schema=None) as batch_op:
        batch_op.drop_index('ix_emergency_access_user_expires')
        batch_op.drop_index(batch_op.f('ix_emergency_access_practice_id'))

    op.drop_table('emergency_access')

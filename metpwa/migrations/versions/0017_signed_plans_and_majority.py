"""signed Plan of Exercise versions; the practice's state (for the age of majority)

Revision ID: 0017_signed_plans_and_majority
Revises: 0016_coverage_payer
Create Date: 2026-12-07 00:40:00

Data: versions saved before this revision were never signed, and stay so: they show as
"draft - not signed" until a trainer signs the current one (nobody can attest today to a plan
on someone else's behalf). Existing practices have no state yet, so majority is 18 until the
owner sets one (on the Consent forms page, "Who signs for a minor").
"""
import sqlalchemy as sa
from alembic import op

from metpwa import dbguards

revision = '0017_signed_plans_and_majority'
down_revision = '0016_coverage_payer'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('plan_signature',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('signed_by_id', sa.Integer(), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=False),
    sa.Column('attestation', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plan_version.id'], name=op.f('fk_plan_signature_plan_id_plan_version')),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], name=op.f('fk_plan_signature_practice_id_practice')),
    sa.ForeignKeyConstraint(['signed_by_id'], ['user.id'], name=op.f('fk_plan_signature_signed_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_signature')),
    sa.UniqueConstraint('plan_id', name=op.f('uq_plan_signature_plan_id'))
    )
    with op.batch_alter_table('plan_signature', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_signature_practice_id'), ['practice_id'], unique=False)

    with op.batch_alter_table('practice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sa.String(length=2), nullable=True))

    # A signature is never changed or removed: a change to the plan is a new version, signed anew.
    for statement in dbguards.lock_rows(op.get_bind().dialect.name, "plan_signature"):
        op.execute(statement)


def downgrade():
    for statement in dbguards.unlock(op.get_bind().dialect.name, "plan_signature"):
        op.execute(statement)
    with op.batch_alter_table('practice', schema=None) as batch_op:
        batch_op.drop_column('state')

    with op.batch_alter_table('plan_signature', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_signature_practice_id'))

    op.drop_table('plan_signature')

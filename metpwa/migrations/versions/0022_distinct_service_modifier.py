"""the payer's choice of distinct-service modifier (59 or XE/XS/XP/XU)

Revision ID: 0022_distinct_service_modifier
Revises: 0021_invitations_sealed_notes
Create Date: 2026-12-07 03:30:00

A claim's second code of an NCCI pair carries a distinct-service modifier when the services were
distinct. CMS accepts 59 and prefers the specific X modifier; which one a payer wants is its own
setting. Existing payers keep 59, which every payer reads (what claims carried until now).
"""
import sqlalchemy as sa
from alembic import op

revision = '0022_distinct_service_modifier'
down_revision = '0021_invitations_sealed_notes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('payer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('distinct_service_modifier', sa.String(length=2), nullable=False,
                                      server_default='59'))
        batch_op.create_check_constraint(
            batch_op.f('ck_payer_distinct_service_modifier_known'),
            "distinct_service_modifier IN ('59', 'XE', 'XS', 'XP', 'XU')")


def downgrade():
    with op.batch_alter_table('payer', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_payer_distinct_service_modifier_known'), type_='check')
        batch_op.drop_column('distinct_service_modifier')

"""a claim's lines and diagnoses never change once it is exported

Revision ID: 0019_claim_lines_frozen
Revises: 0017_signed_plans_and_majority
Create Date: 2026-12-07 01:00:00

Payments post against a claim's lines and the payer holds the claim as sent: once claim.exported_at
is set, the database refuses any insert, update or delete of its claim_line and claim_diagnosis rows
(the same guard as a signed session's exercises). A correction is a replacement claim.
"""
from alembic import op

from metpwa import dbguards

revision = '0019_claim_lines_frozen'
down_revision = '0017_signed_plans_and_majority'
branch_labels = None
depends_on = None

CHILDREN = ("claim_line", "claim_diagnosis")


def upgrade():
    dialect = op.get_bind().dialect.name
    for child in CHILDREN:
        for statement in dbguards.lock_children_once_signed(dialect, child, "claim", "claim_id", "exported_at"):
            op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    for child in CHILDREN:
        for statement in dbguards.unlock_signed(dialect, child):
            op.execute(statement)

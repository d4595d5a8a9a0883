"""login_failure: mark a try counted before its password is checked

Revision ID: 0012_login_failure_checking
Revises: 0011_set_number_index
Create Date: 2026-11-27 11:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0012_login_failure_checking'
down_revision = '0011_set_number_index'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checking', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.drop_column('checking')

"""set_log: index the sets of an exercise by number, so the next set's number is read from the index

Revision ID: 0011_set_number_index
Revises: 0010_break_glass
Create Date: 2026-11-27 04:30:00

"""
from alembic import op

revision = '0011_set_number_index'
down_revision = '0010_break_glass'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_set_log_exercise_number', 'set_log', ['session_exercise_id', 'set_number'], unique=False)
    # The new index leads with the same column, so it serves every lookup the old one did.
    op.drop_index('ix_set_log_session_exercise_id', table_name='set_log')


def downgrade():
    op.create_index('ix_set_log_session_exercise_id', 'set_log', ['session_exercise_id'], unique=False)
    op.drop_index('ix_set_log_exercise_number', table_name='set_log')

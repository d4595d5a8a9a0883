"""coverage linked to the practice's payer set-up

Revision ID: 0016_coverage_payer
Revises: 0015_practice_operations
Create Date: 2026-12-07 00:40:00

A coverage records what the client's card says (payer_name, payer_id); claims need the practice's
own set-up for that insurer (models.billing.Payer: route, unit method, MES acceptance). Data: a
coverage is linked where exactly one active payer of its practice has the same electronic payer ID,
or else the same name (case and spaces ignored); anything ambiguous is left for billing to link.
"""
import sqlalchemy as sa
from alembic import op

revision = '0016_coverage_payer'
down_revision = '0015_practice_operations'
branch_labels = None
depends_on = None


def _key(text):
    return " ".join((text or "").lower().split())


def upgrade():
    with op.batch_alter_table('coverage', schema=None) as batch_op:
        batch_op.add_column(sa.Column('payer_record_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_coverage_payer_record_id'), ['payer_record_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_coverage_payer_record_id_payer'), 'payer', ['payer_record_id'], ['id'])

    conn = op.get_bind()
    payers = conn.execute(sa.text("SELECT id, practice_id, name, payer_id FROM payer WHERE active")).all()
    coverages = conn.execute(sa.text("SELECT id, practice_id, payer_name, payer_id FROM coverage")).all()
    for coverage in coverages:
        mine = [p for p in payers if p.practice_id == coverage.practice_id]
        same_id = [p for p in mine if coverage.payer_id and p.payer_id == coverage.payer_id]
        same_name = [p for p in mine if _key(p.name) == _key(coverage.payer_name)]
        match = same_id if len(same_id) == 1 else same_name if len(same_name) == 1 else []
        if match:
            conn.execute(sa.text("UPDATE coverage SET payer_record_id = :payer WHERE id = :id"),
                         {"payer": match[0].id, "id": coverage.id})


def downgrade():
    with op.batch_alter_table('coverage', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_coverage_payer_record_id_payer'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_coverage_payer_record_id'))
        batch_op.drop_column('payer_record_id')

"""practice operations: staff credentials, CE, training and HIPAA waivers, practice documents,
relationship activities with referral sources; practice settings for training and signing

Revision ID: 0015_practice_operations
Revises: 0012_login_failure_checking
Create Date: 2026-12-06 21:10:17.591925

Data: practices that already exist turn the new-staff HIPAA gate on from now, so staff already
there are never locked out (they show as overdue instead); referral sources get a preferred report
delivery from how their progress reports were last sent (fax, email or portal), where any were.
Every referral already names its source (referral.provider_id is required since 0002), so no
referral needs linking.
"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from metpwa import dbguards

revision = '0015_practice_operations'
down_revision = '0014_billing'
branch_labels = None
depends_on = None

# Frozen copy of models.staff.WAIVER_IMMUTABLE_COLUMNS as of this revision.
WAIVER_LOCKED = ["practice_id", "user_id", "reason", "until", "granted_by_id", "granted_at"]
# A disclosure's method as the source's preferred delivery (standards.referral_network.ReportDelivery);
# downloads, prints and hand-outs say nothing about how the source wants reports.
DELIVERY_BY_METHOD = {"fax": "fax", "email": "secure_email", "portal": "portal"}


def upgrade():
    op.create_table('hipaa_training_waiver',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    # Ciphertext (encryption.SealedText): reasons may name a client.
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('until', sa.Date(), nullable=True),
    sa.Column('granted_by_id', sa.Integer(), nullable=False),
    sa.Column('granted_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['granted_by_id'], ['user.id'], name=op.f('fk_hipaa_training_waiver_granted_by_id_user')),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], name=op.f('fk_hipaa_training_waiver_practice_id_practice')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['user.id'], name=op.f('fk_hipaa_training_waiver_revoked_by_id_user')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_hipaa_training_waiver_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hipaa_training_waiver'))
    )
    with op.batch_alter_table('hipaa_training_waiver', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hipaa_training_waiver_practice_id'), ['practice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hipaa_training_waiver_user_id'), ['user_id'], unique=False)

    op.create_table('practice_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('filename', sa.String(length=160), nullable=False),
    sa.Column('content_type', sa.String(length=60), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    # Ciphertext (encryption.SealedBytes).
    sa.Column('data', sa.LargeBinary(), nullable=True),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], name=op.f('fk_practice_document_practice_id_practice')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_practice_document_uploaded_by_id_user')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_practice_document_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_document'))
    )
    with op.batch_alter_table('practice_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_document_practice_id'), ['practice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_practice_document_user_id'), ['user_id'], unique=False)

    op.create_table('relationship_activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    # Ciphertext (encryption.SealedText).
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('follow_up_on', sa.Date(), nullable=True),
    sa.Column('follow_up_done_at', sa.DateTime(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], name=op.f('fk_relationship_activity_practice_id_practice')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_relationship_activity_recorded_by_id_user')),
    sa.ForeignKeyConstraint(['staff_id'], ['user.id'], name=op.f('fk_relationship_activity_staff_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_relationship_activity'))
    )
    with op.batch_alter_table('relationship_activity', schema=None) as batch_op:
        batch_op.create_index('ix_relationship_activity_practice_follow_up', ['practice_id', 'follow_up_on'], unique=False)
        batch_op.create_index('ix_relationship_activity_practice_held', ['practice_id', 'held_on'], unique=False)

    op.create_table('continuing_education',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('provider', sa.String(length=160), nullable=False),
    sa.Column('hours', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=False),
    sa.Column('counts_toward', sa.JSON(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('removed_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('hours > 0', name=op.f('ck_continuing_education_hours_positive')),
    sa.ForeignKeyConstraint(['certificate_id'], ['practice_document.id'], name=op.f('fk_continuing_education_certificate_id_practice_document')),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], name=op.f('fk_continuing_education_practice_id_practice')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_continuing_education_recorded_by_id_user')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_continuing_education_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_continuing_education'))
    )
    with op.batch_alter_table('continuing_education', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_continuing_education_practice_id'), ['practice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_continuing_education_user_id'), ['user_id'], unique=False)

    op.create_table('relationship_activity_source',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['relationship_activity.id'], name=op.f('fk_relationship_activity_source_activity_id_relationship_activity')),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], name=op.f('fk_relationship_activity_source_practice_id_practice')),
    sa.ForeignKeyConstraint(['provider_id'], ['referring_provider.id'], name=op.f('fk_relationship_activity_source_provider_id_referring_provider')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_relationship_activity_source')),
    sa.UniqueConstraint('activity_id', 'provider_id', name='uq_relationship_activity_source_activity_provider')
    )
    with op.batch_alter_table('relationship_activity_source', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_relationship_activity_source_practice_id'), ['practice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_relationship_activity_source_provider_id'), ['provider_id'], unique=False)

    op.create_table('staff_credential',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('profession', sa.String(length=30), nullable=True),
    sa.Column('state', sa.String(length=2), nullable=True),
    sa.Column('number', sa.String(length=40), nullable=True),
    sa.Column('issuer', sa.String(length=120), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('superseded_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('expires_on IS NULL OR issued_on IS NULL OR expires_on > issued_on', name=op.f('ck_staff_credential_expires_after_issue')),
    sa.ForeignKeyConstraint(['document_id'], ['practice_document.id'], name=op.f('fk_staff_credential_document_id_practice_document')),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], name=op.f('fk_staff_credential_practice_id_practice')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_staff_credential_recorded_by_id_user')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_staff_credential_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_credential'))
    )
    with op.batch_alter_table('staff_credential', schema=None) as batch_op:
        batch_op.create_index('ix_staff_credential_practice_expires', ['practice_id', 'expires_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_credential_user_id'), ['user_id'], unique=False)

    op.create_table('training_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('presenter', sa.String(length=120), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=True),
    sa.Column('materials_id', sa.Integer(), nullable=True),
    # Ciphertext (encryption.SealedText).
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_training_session_created_by_id_user')),
    sa.ForeignKeyConstraint(['materials_id'], ['practice_document.id'], name=op.f('fk_training_session_materials_id_practice_document')),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], name=op.f('fk_training_session_practice_id_practice')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_session'))
    )
    with op.batch_alter_table('training_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_session_practice_id'), ['practice_id'], unique=False)

    op.create_table('training_completion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=False),
    sa.Column('attested_at', sa.DateTime(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practice.id'], name=op.f('fk_training_completion_practice_id_practice')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_training_completion_recorded_by_id_user')),
    sa.ForeignKeyConstraint(['session_id'], ['training_session.id'], name=op.f('fk_training_completion_session_id_training_session')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_training_completion_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_completion')),
    sa.UniqueConstraint('session_id', 'user_id', name='uq_training_completion_session_user')
    )
    with op.batch_alter_table('training_completion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_completion_practice_id'), ['practice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_completion_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_completion_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('practice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hipaa_training_every_months', sa.Integer(), server_default='12', nullable=False))
        batch_op.add_column(sa.Column('hipaa_gate_since', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('signing_requires_credentials', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('credentials_required_to_sign', sa.JSON(), nullable=True))

    with op.batch_alter_table('referring_provider', schema=None) as batch_op:
        batch_op.add_column(sa.Column('specialty', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('preferred_delivery', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('retired_at', sa.DateTime(), nullable=True))

    bind = op.get_bind()
    for statement in dbguards.lock_columns(bind.dialect.name, "hipaa_training_waiver", WAIVER_LOCKED):
        op.execute(statement)
    _gate_existing_practices(bind)
    _preferred_delivery_from_past_reports(bind)


def _gate_existing_practices(bind):
    # Stored as naive UTC, like every UTCDateTime column.
    now = datetime.now(UTC).replace(tzinfo=None)
    bind.execute(sa.text("UPDATE practice SET hipaa_gate_since = :now WHERE hipaa_gate_since IS NULL"), {"now": now})


def _preferred_delivery_from_past_reports(bind):
    rows = bind.execute(sa.text(
        "SELECT progress_report.recipient_id, disclosure.method FROM disclosure "
        "JOIN progress_report ON progress_report.id = disclosure.document_id "
        "WHERE disclosure.document_type = 'progress_report' AND progress_report.recipient_id IS NOT NULL "
        "AND disclosure.method IN ('fax', 'email', 'portal') "
        "ORDER BY disclosure.disclosed_at, disclosure.id"
    )).all()
    latest = {provider: method for provider, method in rows}
    for provider, method in latest.items():
        bind.execute(sa.text("UPDATE referring_provider SET preferred_delivery = :delivery "
                             "WHERE id = :id AND preferred_delivery IS NULL"),
                     {"delivery": DELIVERY_BY_METHOD[method], "id": provider})



def downgrade():
    for statement in dbguards.unlock(op.get_bind().dialect.name, "hipaa_training_waiver"):
        op.execute(statement)
    with op.batch_alter_table('referring_provider', schema=None) as batch_op:
        batch_op.drop_column('retired_at')
        batch_op.drop_column('preferred_delivery')
        batch_op.drop_column('specialty')

    with op.batch_alter_table('practice', schema=None) as batch_op:
        batch_op.drop_column('credentials_required_to_sign')
        batch_op.drop_column('signing_requires_credentials')
        batch_op.drop_column('hipaa_gate_since')
        batch_op.drop_column('hipaa_training_every_months')

    with op.batch_alter_table('training_completion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_completion_user_id'))
        batch_op.drop_index(batch_op.f('ix_training_completion_session_id'))
        batch_op.drop_index(batch_op.f('ix_training_completion_practice_id'))

    op.drop_table('training_completion')
    with op.batch_alter_table('training_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_session_practice_id'))

    op.drop_table('training_session')
    with op.batch_alter_table('staff_credential', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_credential_user_id'))
        batch_op.drop_index('ix_staff_credential_practice_expires')

    op.drop_table('staff_credential')
    with op.batch_alter_table('relationship_activity_source', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_relationship_activity_source_provider_id'))
        batch_op.drop_index(batch_op.f('ix_relationship_activity_source_practice_id'))

    op.drop_table('relationship_activity_source')
    with op.batch_alter_table('continuing_education', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_continuing_education_user_id'))
        batch_op.drop_index(batch_op.f('ix_continuing_education_practice_id'))

    op.drop_table('continuing_education')
    with op.batch_alter_table('relationship_activity', schema=None) as batch_op:
        batch_op.drop_index('ix_relationship_activity_practice_held')
        batch_op.drop_index('ix_relationship_activity_practice_follow_up')

    op.drop_table('relationship_activity')
    with op.batch_alter_table('practice_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_document_user_id'))
        batch_op.drop_index(batch_op.f('ix_practice_document_practice_id'))

    op.drop_table('practice_document')
    with op.batch_alter_table('hipaa_training_waiver', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hipaa_training_waiver_user_id'))
        batch_op.drop_index(batch_op.f('ix_hipaa_training_waiver_practice_id'))

    op.drop_table('hipaa_training_waiver')

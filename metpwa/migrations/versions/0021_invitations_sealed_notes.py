"""staff invitations; a supervision's note is sealed like the other clinical free text

Revision ID: 0021_invitations_sealed_notes
Revises: 0020_outbox_receipts
Create Date: 2026-12-07 03:30:00

staff_invitation: an owner adds a staff member by an e-mailed, single-use, expiring link (its token
kept as SHA-256 only) instead of typing a password for them, so the add form no longer tells whether
an address signs in elsewhere (services/invitations.py).

supervision.note says what a licensed provider saw of a client's session, and the billing set-up page
shows it: clinical free text, so it is sealed (seal version 2, bound to its table, column, row and
practice) like session notes. The column is already text; up seals every plain value in place,
down opens them back to plain text. Runs with the keyring (`flask --app metpwa db upgrade`).
"""
import base64
import os

import sqlalchemy as sa
from alembic import op
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

revision = '0021_invitations_sealed_notes'
down_revision = '0020_outbox_receipts'
branch_labels = None
depends_on = None

TABLE, COLUMN = "supervision", "note"

# Frozen copy of seal version 2 (encryption.py as of this revision).
_V2_MAGIC = b"\x00mw2"
_V2_PREFIX = "mw2:"


def _aad(row_id, practice_id):
    return f"metpwa-seal-2|{TABLE}.{COLUMN}|{row_id}|{practice_id}".encode()


def _ring():
    from flask import current_app, has_app_context

    if not has_app_context():
        raise RuntimeError("0021 seals supervision notes: run it with `flask --app metpwa db upgrade`, "
                           "which loads the keyring")
    return current_app.extensions["metpwa_keyring"]


def _seal(plain, row_id, practice_id, ring):
    version = ring.current["data"]
    nonce = os.urandom(12)
    blob = (_V2_MAGIC + version.to_bytes(2, "big") + nonce
            + AESGCM(ring.key("data", version)).encrypt(nonce, plain.encode(), _aad(row_id, practice_id)))
    return _V2_PREFIX + base64.b64encode(blob).decode("ascii")


def _open(stored, row_id, practice_id, ring):
    where = f"{TABLE}.{COLUMN} of row {row_id}"
    if not stored.startswith(_V2_PREFIX):
        raise RuntimeError(f"0021 downgrade: {where} is not a version 2 seal")
    blob = base64.b64decode(stored[len(_V2_PREFIX):], validate=True)
    key = ring.lookup("data", int.from_bytes(blob[4:6], "big"))
    if key is None:
        raise RuntimeError(f"0021 downgrade: {where} was sealed with a data key not in the keyring")
    try:
        return AESGCM(key).decrypt(blob[6:18], blob[18:], _aad(row_id, practice_id)).decode()
    except InvalidTag:
        raise RuntimeError(f"0021 downgrade: {where} was changed or moved from another row") from None


def _rewrite(change):
    bind = op.get_bind()
    target = sa.table(TABLE, sa.column("id"), sa.column("practice_id"), sa.column(COLUMN, sa.Text()))
    after = 0
    while True:
        rows = bind.execute(sa.select(target.c.id, target.c.practice_id, target.c[COLUMN])
                            .where(target.c[COLUMN].is_not(None), target.c.id > after)
                            .order_by(target.c.id).limit(200)).all()
        if not rows:
            return
        after = rows[-1][0]
        bind.execute(sa.update(target).where(target.c.id == sa.bindparam("row_id"))
                     .values({COLUMN: sa.bindparam("value")}),
                     [{"row_id": row_id, "value": change(raw, row_id, practice_id)}
                      for row_id, practice_id, raw in rows])


def _sealed_already(raw, row_id, practice_id, ring):
    """A value this row's seal opens (a note saved by the new code before the upgrade ran) is kept;
    anything else, even plain text that happens to start like a seal, is plain and gets sealed."""
    try:
        _open(raw, row_id, practice_id, ring)
    except (RuntimeError, ValueError):
        return False
    return True


def upgrade():
    ring = _ring()
    op.create_table(
        "staff_invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("full_name", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("credentials", sa.String(length=120), nullable=True),
        sa.Column("npi", sa.String(length=10), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("sent_count", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], name=op.f("fk_staff_invitation_created_by_id_user")),
        sa.ForeignKeyConstraint(["practice_id"], ["practice.id"], name=op.f("fk_staff_invitation_practice_id_practice")),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_staff_invitation_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_invitation")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_staff_invitation_token_hash")),
    )
    op.create_index(op.f("ix_staff_invitation_practice_id"), "staff_invitation", ["practice_id"], unique=False)
    op.create_index("ix_staff_invitation_practice_open", "staff_invitation",
                    ["practice_id", "accepted_at", "cancelled_at"], unique=False)
    _rewrite(lambda raw, row_id, practice_id: raw if _sealed_already(raw, row_id, practice_id, ring)
             else _seal(raw, row_id, practice_id, ring))


def downgrade():
    ring = _ring()
    op.drop_index("ix_staff_invitation_practice_open", table_name="staff_invitation")
    op.drop_index(op.f("ix_staff_invitation_practice_id"), table_name="staff_invitation")
    op.drop_table("staff_invitation")
    _rewrite(lambda raw, row_id, practice_id: _open(raw, row_id, practice_id, ring))

"""seal version 2: every encrypted value bound to its row; clinical free text encrypted too

Revision ID: 0013_row_bound_seals
Revises: 0012_login_failure_checking
Create Date: 2026-12-06 21:00:00

Up: values sealed by 0008 (version 1, bound only to "table.column") are opened and sealed again as
version 2, whose associated data names the table, column, row id and practice; the clinical free
text that was plain (ROM, strength and posture notes, reasons, goals, progressions, the referral's
reason and diagnoses, disclosure notes, outcome interpretations) is retyped to text and sealed the
same way. Recovery codes stored as salted SHA-256 are sealed as they are under an HMAC key
derived from the data key and bound to their staff member (the codes handed out keep working).

Down: version 2 back to version 1, and the newly sealed columns back to plain text in their old
types. Keyed recovery-code hashes cannot be turned back into salted SHA-256: after a downgrade
they match nothing, and the staff member makes new codes from the Me page (or an owner resets
their two-step sign-in).

Runs with the keyring (`flask --app metpwa db upgrade`); the signed-record guards are lifted for
the rewrite and put back in the same transaction.
"""
import base64
import hashlib
import hmac
import os

import sqlalchemy as sa
from alembic import op
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from metpwa import dbguards, sealing_v1

revision = '0013_row_bound_seals'
down_revision = '0012_login_failure_checking'
branch_labels = None
depends_on = None

# Frozen: the columns version 1 sealed (0008, 0009, 0010), as (table, column, kind).
SEALED_V1 = (
    ("coverage", "member_id", "text"),
    ("document", "data", "bytes"),
    ("intake_response", "answers", "text"),
    ("intake_response", "clearance_reasons", "text"),
    ("medical_clearance", "restrictions", "text"),
    ("assessment", "functional_limitations", "text"),
    ("assessment", "notes", "text"),
    ("screen_finding", "observation", "text"),
    ("addendum", "text", "text"),
    ("consent_signature", "signature_png", "bytes"),
    ("consent_signature", "pdf", "bytes"),
    ("outcome_result", "note", "text"),
    ("progress_report", "recommendations", "text"),
    ("progress_report", "pdf", "bytes"),
    ("session_log", "note_client_report", "text"),
    ("session_log", "note_performance", "text"),
    ("session_log", "note_response", "text"),
    ("session_log", "note_plan", "text"),
    ("session_log", "plan_changes", "text"),
    ("session_exercise", "response_note", "text"),
    ("user", "totp_secret", "text"),
    ("emergency_access", "reason", "text"),
    ("emergency_access", "start_reason", "text"),
)
# Frozen: plain clinical text sealed from this revision on, as (table, column, old type, nullable).
NEWLY_SEALED = (
    ("rom_measurement", "note", sa.String(length=200), True),
    ("strength_measurement", "note", sa.String(length=200), True),
    ("posture_finding", "note", sa.String(length=200), True),
    ("addendum", "reason", sa.String(length=300), False),
    ("appointment", "status_reason", sa.String(length=300), True),
    ("session_exercise", "skip_reason", sa.String(length=300), True),
    ("plan_version", "reason", sa.Text(), False),
    ("plan_goal", "description", sa.Text(), False),
    ("plan_exercise", "progression", sa.Text(), True),
    ("plan_acknowledgement", "note", sa.String(length=300), True),
    ("referral", "reason", sa.Text(), False),
    ("referral_diagnosis", "code", sa.String(length=8), False),
    ("referral_diagnosis", "as_written", sa.String(length=120), False),
    ("referral_diagnosis", "description", sa.String(length=300), False),
    ("consent_withdrawal", "reason", sa.Text(), False),
    ("disclosure", "note", sa.String(length=300), True),
    ("outcome_result", "interpretation", sa.Text(), False),
)

# Frozen copy of seal version 2 (encryption.py as of this revision).
_V2_MAGIC = b"\x00mw2"
_V2_PREFIX = "mw2:"


def _aad(table, column, row_id, practice_id):
    return f"metpwa-seal-2|{table}.{column}|{row_id}|{practice_id}".encode()


def _seal_v2(plain: bytes, aad: bytes, ring) -> bytes:
    version = ring.current["data"]
    nonce = os.urandom(12)
    return _V2_MAGIC + version.to_bytes(2, "big") + nonce + AESGCM(ring.key("data", version)).encrypt(nonce, plain, aad)


def _open_v2(blob: bytes, aad: bytes, ring, where: str) -> bytes:
    if not blob.startswith(_V2_MAGIC):
        raise RuntimeError(f"0013 downgrade: {where} is not a version 2 seal")
    version = int.from_bytes(blob[4:6], "big")
    key = ring.lookup("data", version)
    if key is None:
        raise RuntimeError(f"0013 downgrade: {where} was sealed with data key {version}, not in the keyring")
    try:
        return AESGCM(key).decrypt(blob[6:18], blob[18:], aad)
    except InvalidTag:
        raise RuntimeError(f"0013 downgrade: {where} was changed or moved from another row") from None


def _wrap_recovery_codes(bind, ring):
    """Frozen copy of rules.totp.wrap_legacy_hash with services.twofactor.recovery_key."""
    version = ring.current["data"]
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
               info=b"metpwa recovery codes").derive(ring.key("data", version))
    codes = sa.table("recovery_code", sa.column("id"), sa.column("user_id"), sa.column("code_hash"))
    updates = []
    for row_id, user_id, stored in bind.execute(sa.select(codes.c.id, codes.c.user_id, codes.c.code_hash)
                                                .where(codes.c.code_hash.like("sha256$%"))):
        _, salt, digest = stored.split("$")
        wrapped = hmac.new(key, f"metpwa-recovery-wrapped|{user_id}|{digest}".encode(), hashlib.sha256).hexdigest()
        updates.append({"row_id": row_id, "value": f"hmac-sha256-wrapped${version}${salt}${wrapped}"})
    if updates:
        bind.execute(sa.update(codes).where(codes.c.id == sa.bindparam("row_id"))
                     .values(code_hash=sa.bindparam("value")), updates)


def _ring():
    from flask import current_app, has_app_context

    if not has_app_context():
        raise RuntimeError("0013 re-seals every encrypted value: run it with `flask --app metpwa db upgrade`, "
                           "which loads the keyring")
    return current_app.extensions["metpwa_keyring"]


def _rewrite(bind, table, column, kind, change):
    """change(raw, row_id, practice_id) -> the new stored value, for every non-null value."""
    target = sa.table(table, sa.column("id"), sa.column("practice_id"),
                      sa.column(column, sa.LargeBinary() if kind == "bytes" else sa.Text()))
    after = 0
    while True:
        rows = bind.execute(sa.select(target.c.id, target.c.practice_id, target.c[column])
                            .where(target.c[column].is_not(None), target.c.id > after)
                            .order_by(target.c.id).limit(200)).all()
        if not rows:
            return
        updates = []
        for row_id, practice_id, raw in rows:
            after = row_id
            updates.append({"row_id": row_id, "value": change(bytes(raw) if kind == "bytes" else raw, row_id,
                                                              practice_id)})
        bind.execute(sa.update(target).where(target.c.id == sa.bindparam("row_id"))
                     .values({column: sa.bindparam("value")}), updates)


def _tables():
    return sorted({t for t, _, _ in SEALED_V1} | {t for t, _, _, _ in NEWLY_SEALED})


def upgrade():
    bind = op.get_bind()
    ring = _ring()
    with dbguards.suspended(bind, _tables()):
        for table, column, old_type, nullable in NEWLY_SEALED:
            if not isinstance(old_type, sa.Text):
                with op.batch_alter_table(table, schema=None) as batch_op:
                    batch_op.alter_column(column, existing_type=old_type, type_=sa.Text(),
                                          existing_nullable=nullable, postgresql_using=f"{column}::text")
        for table, column, kind in SEALED_V1:
            context = f"{table}.{column}"

            def v1_to_v2(raw, row_id, practice_id, table=table, column=column, kind=kind, context=context):
                if kind == "bytes":
                    return _seal_v2(sealing_v1.decrypt(raw, context, ring), _aad(table, column, row_id, practice_id),
                                    ring)
                plain = sealing_v1.decrypt_text(raw, context, ring)
                return _V2_PREFIX + base64.b64encode(_seal_v2(plain.encode(), _aad(table, column, row_id, practice_id),
                                                              ring)).decode("ascii")

            _rewrite(bind, table, column, kind, v1_to_v2)
        for table, column, _, _ in NEWLY_SEALED:
            def plain_to_v2(raw, row_id, practice_id, table=table, column=column):
                return _V2_PREFIX + base64.b64encode(_seal_v2(raw.encode(), _aad(table, column, row_id, practice_id),
                                                              ring)).decode("ascii")

            _rewrite(bind, table, column, "text", plain_to_v2)
    _wrap_recovery_codes(bind, ring)


def downgrade():
    bind = op.get_bind()
    ring = _ring()

    def opened(raw, table, column, row_id, practice_id, kind):
        where = f"{table}.{column} of row {row_id}"
        if kind == "bytes":
            return _open_v2(raw, _aad(table, column, row_id, practice_id), ring, where)
        if not raw.startswith(_V2_PREFIX):
            raise RuntimeError(f"0013 downgrade: {where} is not a version 2 seal")
        return _open_v2(base64.b64decode(raw[len(_V2_PREFIX):]), _aad(table, column, row_id, practice_id), ring,
                        where).decode()

    with dbguards.suspended(bind, _tables()):
        for table, column, kind in SEALED_V1:
            context = f"{table}.{column}"

            def v2_to_v1(raw, row_id, practice_id, table=table, column=column, kind=kind, context=context):
                plain = opened(raw, table, column, row_id, practice_id, kind)
                if kind == "bytes":
                    return sealing_v1.encrypt(plain, context, ring)
                return sealing_v1.encrypt_text(plain, context, ring)

            _rewrite(bind, table, column, kind, v2_to_v1)
        for table, column, _, _ in NEWLY_SEALED:
            def v2_to_plain(raw, row_id, practice_id, table=table, column=column):
                return opened(raw, table, column, row_id, practice_id, "text")

            _rewrite(bind, table, column, "text", v2_to_plain)
        for table, column, old_type, nullable in NEWLY_SEALED:
            if not isinstance(old_type, sa.Text):
                with op.batch_alter_table(table, schema=None) as batch_op:
                    batch_op.alter_column(column, existing_type=sa.Text(), type_=old_type,
                                          existing_nullable=nullable)

"""Encryption at rest: canary values never appear in the database's own bytes, keys rotate, and a
value that was tampered with or moved is refused rather than misread."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from conftest import lone_practice
from metpwa import encryption
from metpwa.extensions import db as _db
from metpwa.keys import Keyring
from metpwa.models import Client, Coverage, Document, IntakeResponse, SessionLog

CANARY = "CANARY-7731-QX"
CANARY_BYTES = b"%PDF-1.4 CANARY-BYTES-5521"


HERE = encryption.Binding("session_log", "note_plan", 7, 1)


def test_values_round_trip_and_refuse_tampering_or_a_move():
    ring = Keyring.generate()
    sealed = encryption.encrypt(b"note", HERE, ring)
    assert encryption.decrypt(sealed, HERE, ring) == b"note"
    # Another column, another row, the same row in another practice: none opens it.
    for elsewhere in (encryption.Binding("coverage", "member_id", 7, 1), encryption.Binding("session_log", "note_plan", 8, 1),
                      encryption.Binding("session_log", "note_plan", 7, 2)):
        with pytest.raises(encryption.DecryptionError, match="changed or belongs to another row"):
            encryption.decrypt(sealed, elsewhere, ring)
    flipped = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(encryption.DecryptionError):
        encryption.decrypt(flipped, HERE, ring)
    # The same value twice never looks the same (random nonce): no guessing by comparison.
    assert encryption.encrypt_text("A", HERE, ring) != encryption.encrypt_text("A", HERE, ring)


def test_values_without_a_version_2_seal_are_refused_not_shown():
    from metpwa import sealing_v1

    ring = Keyring.generate()
    for stored in ("plain words", sealing_v1.encrypt_text("old seal", "session_log.note_plan", ring), "mw2:%%%"):
        with pytest.raises(encryption.DecryptionError):
            encryption.decrypt_text(stored, HERE, ring)
    with pytest.raises(encryption.DecryptionError, match="carries no seal"):
        encryption.decrypt(b"%PDF-1.4 plain", HERE, ring)


def test_a_rotated_key_still_opens_what_the_old_one_sealed():
    ring = Keyring.generate()
    old = encryption.encrypt_text("remember me", HERE, ring)
    ring.rotate("data")
    new = encryption.encrypt_text("remember me", HERE, ring)
    assert encryption.text_version(old) == 1 and encryption.text_version(new) == 2
    assert encryption.decrypt_text(old, HERE, ring) == encryption.decrypt_text(new, HERE, ring) == "remember me"
    ring.keys["data"].pop(1)
    with pytest.raises(encryption.DecryptionError, match="not in the keyring"):
        encryption.decrypt_text(old, HERE, ring)


def test_a_column_read_on_its_own_is_refused_rather_than_shown(canary_app):
    app, client_id = canary_app
    with app.app_context():
        raw = _db.session.scalar(select(Coverage.member_id).where(Coverage.client_id == client_id))
        assert isinstance(raw, encryption.Ciphertext)
        with pytest.raises(encryption.DecryptionError, match="without its row"):
            str(raw)
        # A plain value cannot reach a sealed column by a path that skips the flush either.
        from sqlalchemy import update

        with pytest.raises(Exception, match="plain str was about to be written"):
            _db.session.execute(update(Coverage).values(member_id="XYZ"))
        _db.session.rollback()


def test_every_sealed_column_is_listed_in_security_md():
    from metpwa.encryption import sealed_columns

    listed = (Path(__file__).resolve().parents[1] / "SECURITY.md").read_text()
    missing = [f"{table}.{column}" for table, column, _ in sealed_columns(_db.metadata)
               if f"`{table}.{column}`" not in listed]
    assert not missing, missing


@pytest.fixture
def canary_app():
    with lone_practice("Canary MET") as lone:
        yield _with_canaries(lone.app, lone.practice_id, lone.trainer, lone.client_id), lone.client_id


def _with_canaries(app, practice, trainer, client_id):
    with app.app_context():
        client = _db.session.get(Client, client_id)
        _db.session.add(Coverage(practice_id=practice, client_id=client_id, payer_name="Aetna",
                                 member_id=CANARY, payer_kind="commercial"))
        _db.session.add(Document(practice_id=practice, client_id=client_id, kind="other", title="Scan",
                                 filename="scan.pdf", content_type="application/pdf", size=len(CANARY_BYTES),
                                 sha256="0" * 64, data=CANARY_BYTES))
        _db.session.add(IntakeResponse(practice_id=practice, client_id=client_id, form_version="t",
                                       answers={"other_conditions": CANARY}, clearance_reasons=[CANARY]))
        _db.session.add(SessionLog(practice_id=practice, client_id=client_id, trainer_id=trainer.id,
                                   started_at=datetime.now(UTC), note_plan=CANARY, plan_changes=CANARY))
        _db.session.commit()
        assert client.coverages
    return app


def _all_rows_as_text(app) -> str:
    """Everything in every table, as the database itself hands it out (no app types applied)."""
    with app.app_context():
        names = inspect(_db.engine).get_table_names()
        chunks = []
        with _db.engine.connect() as connection:
            for name in names:
                for row in connection.execute(text(f'SELECT * FROM "{name}"')):
                    chunks.append(repr(tuple(row)))
        return "\n".join(chunks)


def test_no_canary_is_readable_in_the_database(canary_app):
    app, client_id = canary_app
    with app.app_context():
        # The app still reads its own values.
        assert _db.session.scalar(select(Coverage).where(Coverage.client_id == client_id)).member_id == CANARY
        assert _db.session.scalar(select(SessionLog).where(SessionLog.client_id == client_id,
                                                           SessionLog.note_plan.is_not(None))).note_plan == CANARY
    dump = _all_rows_as_text(app)
    assert CANARY not in dump and "CANARY-BYTES" not in dump
    # A stored image or PDF in the clear starts with its whole signature; three letters alone turn up
    # by chance in random ciphertext (it happened once in CI: "\nPNG" inside an encrypted value).
    assert repr(b"\x89PNG\r\n\x1a\n")[2:-1] not in dump  # signature images
    assert "%PDF-" not in dump  # signed consent PDFs, uploads
    with app.app_context():
        url = _db.engine.url
    if url.get_backend_name() == "sqlite":
        # The file and its write-ahead log both: a value may sit in either.
        database = Path(url.database)
        raw = b"".join(p.read_bytes() for p in database.parent.glob(database.name + "*"))
        assert len(raw) > 50_000
        assert CANARY.encode() not in raw and b"CANARY-BYTES" not in raw
        assert b"\x89PNG\r\n\x1a\n" not in raw and b"%PDF-" not in raw


def test_rotating_the_data_key_reseals_everything_and_keeps_it_readable(canary_app, tmp_path):
    app, client_id = canary_app
    # A keyring file, as a deployment has, so rotation has somewhere to write.
    ring = app.extensions["metpwa_keyring"]
    ring.path = tmp_path / "keyring.json"
    ring.path.write_text(ring.to_json())
    os.chmod(ring.path, 0o600)
    runner = app.test_cli_runner()
    before = runner.invoke(args=["keys", "status"])
    assert "values under data key 1:" in before.output and "unsealed" not in before.output
    result = runner.invoke(args=["keys", "rotate", "data"])
    assert result.exit_code == 0, result.output
    assert "version 2" in result.output
    after = runner.invoke(args=["keys", "status"]).output
    assert "values under data key 1:" not in after and "values under data key 2:" in after
    assert Keyring.from_json(ring.path.read_text()).current["data"] == 2
    with app.app_context():
        assert _db.session.scalar(select(Coverage).where(Coverage.client_id == client_id)).member_id == CANARY
        assert _db.session.scalar(select(IntakeResponse).where(IntakeResponse.client_id == client_id,
                                                               IntakeResponse.form_version == "t")).answers \
            == {"other_conditions": CANARY}
    # Signed records were re-sealed without being unlocked for anyone else: the guards are back.
    with app.app_context(), pytest.raises(Exception, match="signed records cannot change"):
        with _db.engine.begin() as connection:
            connection.execute(text("DELETE FROM consent_signature"))
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


"""Backups taken while the app writes come back whole; a damaged or foreign backup is refused."""

from __future__ import annotations

import json
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from conftest import Factory, make_app
from support.figures import report
from metpwa.extensions import db as _db
from metpwa.keys import Keyring
from metpwa.models import Client, Coverage
from metpwa.services import audit, backup
from metpwa.services.backup import BackupError

CANARY = "BACKUP-CANARY-4471"


@pytest.fixture
def busy_app():
    app, cleanup = make_app()
    make = Factory(app)
    practice = make.practice("Backup MET")
    client_id = make.client_record(practice)
    with app.app_context():
        _db.session.add(Coverage(practice_id=practice, client_id=client_id, payer_name="Humana", member_id=CANARY))
        _db.session.commit()
    yield app, practice
    cleanup()


def _sqlite(app) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")


def _client_ids(app) -> set[int]:
    with app.app_context():
        return set(_db.session.scalars(select(Client.id)))


def test_a_backup_taken_during_writes_restores_every_committed_row(busy_app, tmp_path):
    app, practice = busy_app
    original = _client_ids(app)
    committed: list[int] = []
    stop = threading.Event()
    failures: list[BaseException] = []

    def register_clients():
        n = 0
        try:
            while not stop.is_set():
                n += 1
                with app.app_context():
                    client = Client(practice_id=practice, first_name="Writer", last_name=f"Row{n}",
                                    date_of_birth=date(1950, 1, 1), sex="F")
                    _db.session.add(client)
                    _db.session.flush()
                    audit.record("create", client, practice_id=practice)
                    _db.session.commit()
                    committed.append(client.id)
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)

    writers = [threading.Thread(target=register_clients) for _ in range(3)]
    for writer in writers:
        writer.start()
    time.sleep(0.5)
    before = set(committed)
    with app.app_context():
        info = backup.make_backup(tmp_path / "during.metpwa-backup")
    after = set(committed)
    time.sleep(0.2)
    stop.set()
    for writer in writers:
        writer.join()
    assert not failures, failures
    assert len(after) > len(before) > 0, "the writers kept writing through the backup"
    report(f"backup during writes: {len(before)} rows committed before it began, {len(after)} by its end, "
          f"{info.bytes // 1024} KB")

    raw = (tmp_path / "during.metpwa-backup").read_bytes()
    assert CANARY.encode() not in raw and b"SQLite format" not in raw and b"PGDMP" not in raw

    with app.app_context():
        if _sqlite(app):
            restored_report = backup.restore(tmp_path / "during.metpwa-backup", sqlite_target=tmp_path / "restored.sqlite3")
            restored_app, cleanup = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'restored.sqlite3'}",
                                             KEYRING=json.loads(app.extensions["metpwa_keyring"].to_json()))
        else:
            restored_report = backup.restore(tmp_path / "during.metpwa-backup")
            restored_app, cleanup = app, lambda: None
    try:
        restored = _client_ids(restored_app)
        missing = before - restored
        report(f"backup restored: {len(restored)} clients; committed rows lost: {len(missing)}; "
              f"audit events {restored_report.audit_events} with {restored_report.audit_breaks} breaks")
        assert not missing
        assert restored - original <= after  # and nothing that was never committed
        assert restored_report.audit_events >= len(before) and restored_report.audit_breaks == 0
        with restored_app.app_context():
            assert _db.session.scalar(select(Coverage)).member_id == CANARY
    finally:
        if restored_app is not app:
            cleanup()


def test_a_damaged_backup_is_refused_before_anything_is_replaced(busy_app, tmp_path):
    app, _ = busy_app
    path = tmp_path / "good.metpwa-backup"
    with app.app_context():
        backup.make_backup(path)
    good = path.read_bytes()
    ids = _client_ids(app)

    def refused(data: bytes, match: str):
        bad = tmp_path / "bad.metpwa-backup"
        bad.write_bytes(data)
        with app.app_context(), pytest.raises(BackupError, match=match):
            backup.restore(bad, sqlite_target=tmp_path / "never.sqlite3")
        assert not (tmp_path / "never.sqlite3").exists() or (tmp_path / "never.sqlite3").stat().st_size == 0

    middle = len(good) // 2
    refused(good[:middle] + bytes([good[middle] ^ 0xFF]) + good[middle + 1:], "changed or is out of place")
    refused(good[: len(good) - 40], "cut short")
    refused(b"PK\x03\x04 not a backup", "not a metpwa backup")
    refused(good + b"extra", "after its end")
    # Another keyring (a different practice's, or a lost one) cannot open it.
    with app.app_context():
        app.extensions["metpwa_keyring"], saved = Keyring.generate(), app.extensions["metpwa_keyring"]
        try:
            with pytest.raises(BackupError):
                backup.restore(path, sqlite_target=tmp_path / "never.sqlite3")
        finally:
            app.extensions["metpwa_keyring"] = saved
    assert _client_ids(app) == ids


def test_backup_and_restore_from_the_command_line(busy_app, tmp_path):
    app, _ = busy_app
    runner = app.test_cli_runner()
    target = tmp_path / "nightly.metpwa-backup"
    result = runner.invoke(args=["backup", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "Copy it off this machine" in result.output and target.stat().st_mode & 0o077 == 0
    args = ["restore", str(target), "--yes"]
    if _sqlite(app):
        args = ["restore", str(target), "--to", str(tmp_path / "copy.sqlite3")]
    if not _sqlite(app):
        # Found in review: --to skipped the question, yet a PostgreSQL backup always restores over the
        # app's own database. It is refused before anything happens.
        refused = runner.invoke(args=["restore", str(target), "--to", str(tmp_path / "copy.sqlite3")], input="n\n")
        assert refused.exit_code != 0 and "--to is for SQLite backups" in refused.output
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "integrity ok" in result.output and "unbroken chain" in result.output
    if not _sqlite(app):
        assert "as it was before is kept in" in result.output  # pg_restore replaced it: a way back
    result = runner.invoke(args=["restore", str(tmp_path / "missing.metpwa-backup"), "--yes"])
    assert result.exit_code != 0
    Path(tmp_path / "junk").write_bytes(b"junk")
    result = runner.invoke(args=["restore", str(tmp_path / "junk"), "--yes"])
    assert result.exit_code == 1 and "not a metpwa backup" in result.output


def test_backup_and_restore_keep_their_unencrypted_copies_out_of_the_system_temp_folder(busy_app, tmp_path,
                                                                                       monkeypatch):
    """The plain snapshot or dump lives a moment beside the database (or in the instance folder for
    PostgreSQL), on the volume the deployer encrypted, never in /tmp."""
    app, _ = busy_app
    folders: list[str | None] = []
    real = tempfile.TemporaryDirectory

    def recorded(*args, **kwargs):
        folders.append(kwargs.get("dir"))
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "TemporaryDirectory", recorded)
    target = tmp_path / "nightly.metpwa-backup"
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", "-o", str(target)]).exit_code == 0
    args = ["restore", str(target), "--to", str(tmp_path / "copy.sqlite3")] if _sqlite(app) else \
        ["restore", str(target), "--yes"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    with app.app_context():
        url = _db.engine.url
    expected = Path(url.database).resolve().parent if _sqlite(app) else Path(app.instance_path)
    assert folders and all(folder is not None and Path(folder) == expected for folder in folders), folders
    assert Path(tempfile.gettempdir()).resolve() != expected


def test_restoring_an_older_backup_over_the_app_sets_the_audit_anchor_back_to_it(busy_app, tmp_path):
    app, practice = busy_app
    runner = app.test_cli_runner()
    target = tmp_path / "older.metpwa-backup"
    assert runner.invoke(args=["backup", "-o", str(target)]).exit_code == 0
    # Events after the backup move the anchor past what the backup holds.
    Factory(app).user(practice, "trainer")
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    verify = runner.invoke(args=["audit", "verify"])
    assert verify.exit_code == 0, verify.output

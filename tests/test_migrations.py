"""The schema comes only from migrations, and they run both ways on this engine."""

import flask_migrate
from sqlalchemy import inspect

from conftest import make_app
from metpwa.extensions import db


def test_upgrade_downgrade_upgrade_and_models_match_migrations():
    app, drop = make_app()
    try:
        with app.app_context():
            tables = set(inspect(db.engine).get_table_names())
            assert {"practice", "user", "client", "staff_session", "login_failure", "audit_event"} <= tables
            flask_migrate.downgrade(revision="base")
            assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
            flask_migrate.upgrade()
            assert set(inspect(db.engine).get_table_names()) == tables
            # Autogenerate finds nothing to add: models and migrations agree.
            from alembic.autogenerate import compare_metadata
            from alembic.migration import MigrationContext

            with db.engine.connect() as connection:
                context = MigrationContext.configure(connection, opts={"compare_type": True})
                assert compare_metadata(context, db.metadata) == []
    finally:
        drop()


def test_0013_seals_every_value_to_its_row_and_keeps_old_recovery_codes_working():
    """Values from before 0013 (version 1 seals, plain clinical text, salted recovery-code hashes)
    come out of the upgrade bound to their rows and still readable; down and up again round-trips."""
    import hashlib
    from datetime import UTC, date, datetime

    from sqlalchemy import text

    from metpwa import sealing_v1
    from metpwa.models import Appointment, Coverage, User
    from metpwa.rules import totp
    from metpwa.services import twofactor

    app, drop = make_app()
    try:
        with app.app_context():
            flask_migrate.downgrade(revision="0012_login_failure_checking")
            ring = app.extensions["metpwa_keyring"]
            now = datetime(2026, 11, 1, 12, tzinfo=UTC).replace(tzinfo=None)
            legacy = "sha256$s4lt$" + hashlib.sha256(b"s4lt:abcde23456").hexdigest()
            statements = [
                ("INSERT INTO practice (id, name, timezone, paper_size, created_at) VALUES (1, 'P', 'UTC', 'Letter', :now)",
                 {}),
                ('INSERT INTO "user" (id, practice_id, email, full_name, role, password_hash, active, created_at, '
                 "totp_secret) VALUES (1, 1, 'o@example.test', 'O', 'owner', 'x', true, :now, :secret)",
                 {"secret": sealing_v1.encrypt_text("JBSWY3DPEHPK3PXP", "user.totp_secret", ring)}),
                ("INSERT INTO client (id, practice_id, first_name, last_name, date_of_birth, sex, self_pay, created_at) "
                 "VALUES (1, 1, 'A', 'B', :born, 'F', false, :now)", {"born": date(1950, 1, 1)}),
                ("INSERT INTO coverage (id, practice_id, client_id, priority, payer_name, payer_kind, member_id, "
                 "subscriber_relationship, created_at) VALUES (1, 1, 1, 1, 'Aetna', 'commercial', :member, 'self', :now)",
                 {"member": sealing_v1.encrypt_text("W123456789", "coverage.member_id", ring)}),
                ("INSERT INTO appointment (id, practice_id, client_id, trainer_id, starts_at, duration_minutes, status, "
                 "status_reason, created_at) VALUES (1, 1, 1, 1, :now, 45, 'cancelled', 'Knee flare-up', :now)", {}),
                ("INSERT INTO recovery_code (id, user_id, code_hash, created_at) VALUES (1, 1, :hash, :now)",
                 {"hash": legacy}),
            ]
            with db.engine.begin() as connection:
                for sql, values in statements:
                    connection.execute(text(sql), {"now": now, **values})
            for _ in range(2):
                flask_migrate.upgrade()
                db.session.remove()
                assert db.session.get(User, 1).totp_secret == "JBSWY3DPEHPK3PXP"
                assert db.session.get(Coverage, 1).member_id == "W123456789"
                assert db.session.get(Appointment, 1).status_reason == "Knee flare-up"
                raw = db.session.execute(text("SELECT status_reason FROM appointment")).scalar()
                assert raw.startswith("mw2:") and "Knee" not in raw
                stored = db.session.execute(text("SELECT code_hash FROM recovery_code")).scalar()
                assert stored.startswith("hmac-sha256-wrapped$")
                assert totp.recovery_code_matches(stored, "abcde-23456", twofactor.recovery_key, 1)
                db.session.remove()
                flask_migrate.downgrade(revision="0012_login_failure_checking")
                assert db.session.execute(text("SELECT status_reason FROM appointment")).scalar() == "Knee flare-up"
                assert sealing_v1.decrypt_text(db.session.execute(text("SELECT member_id FROM coverage")).scalar(),
                                               "coverage.member_id", ring) == "W123456789"
                db.session.remove()
    finally:
        drop()


def test_0016_links_a_coverage_to_the_one_payer_set_up_under_its_name_or_payer_id():
    """A coverage is linked to its practice's payer set-up only when exactly one payer matches by
    electronic payer ID, or else by name (case and spacing ignored); an ambiguous one stays unlinked."""
    from datetime import UTC, date, datetime

    from sqlalchemy import select, text

    from metpwa.models import Coverage

    app, drop = make_app()
    try:
        with app.app_context():
            flask_migrate.downgrade(revision="0015_practice_operations")
            now = datetime(2026, 11, 1, 12, tzinfo=UTC).replace(tzinfo=None)
            payer = ("INSERT INTO payer (id, practice_id, name, payer_id, kind, claim_route, unit_method, accepts_mes, "
                     "mes_codes, allows_supervised_billing, requires_referral, requires_authorisation, "
                     "timely_filing_days, active, created_at) VALUES (:id, 1, :name, :pid, 'commercial', '837p', "
                     "'cms_total_time', true, '[]', false, false, false, 90, true, :now)")
            coverage = ("INSERT INTO coverage (id, practice_id, client_id, priority, payer_name, payer_id, payer_kind, "
                        "member_id, subscriber_relationship, created_at) VALUES (:id, 1, 1, :id, :name, :pid, "
                        "'commercial', 'x', 'self', :now)")
            with db.engine.begin() as connection:
                connection.execute(text("INSERT INTO practice (id, name, timezone, paper_size, created_at) "
                                        "VALUES (1, 'P', 'UTC', 'Letter', :now)"), {"now": now})
                connection.execute(text("INSERT INTO client (id, practice_id, first_name, last_name, date_of_birth, "
                                        "sex, self_pay, created_at) VALUES (1, 1, 'A', 'B', :born, 'F', false, :now)"),
                                   {"now": now, "born": date(1950, 1, 1)})
                for row in ({"id": 1, "name": "Blue Cross Blue Shield", "pid": "BCBS1"},
                            {"id": 2, "name": "Aetna", "pid": None}, {"id": 3, "name": "aetna ", "pid": None}):
                    connection.execute(text(payer), {"now": now, **row})
                for row in ({"id": 1, "name": "BCBS of Illinois", "pid": "BCBS1"},
                            {"id": 2, "name": "blue cross  blue shield", "pid": None},
                            {"id": 3, "name": "Aetna", "pid": None}):
                    connection.execute(text(coverage), {"now": now, **row})
            flask_migrate.upgrade()
            db.session.remove()
            # member_id was written raw above, so read the link columns only.
            linked = dict(db.session.execute(select(Coverage.id, Coverage.payer_record_id)).all())
            assert linked == {1: 1, 2: 1, 3: None}
    finally:
        drop()


def test_0021_seals_supervision_notes_and_opens_them_on_the_way_down():
    """A supervision's note is clinical free text: from 0021 it is stored sealed to its row, a note
    written in plain text before comes out of the upgrade sealed and still readable, and down opens it."""
    from datetime import UTC, date, datetime

    from sqlalchemy import select, text

    from conftest import Factory
    from metpwa.models import RenderingProvider, SessionLog, Supervision

    app, drop = make_app()
    try:
        make = Factory(app)
        practice_id = make.practice("Supervised MET")
        trainer = make.user(practice_id)
        client_id = make.client_record(practice_id)
        with app.app_context():
            session = SessionLog(practice_id=practice_id, client_id=client_id, trainer_id=trainer.id,
                                 started_at=datetime(2026, 11, 2, 15, tzinfo=UTC), scope_overrides=[])
            supervisor = RenderingProvider(practice_id=practice_id, first_name="Pat", last_name="Okafor",
                                           credential="pt")
            db.session.add_all([session, supervisor])
            db.session.flush()
            db.session.add(Supervision(practice_id=practice_id, supervisor_id=supervisor.id, session_id=session.id,
                                       supervised_on=date(2026, 11, 2), note="Watched the step-ups: knee tracking fine",
                                       recorded_by_id=trainer.id))
            db.session.commit()
            raw = db.session.execute(text("SELECT note FROM supervision")).scalar()
            assert raw.startswith("mw2:") and "knee" not in raw
            db.session.remove()
            for _ in range(2):
                flask_migrate.downgrade(revision="0019_claim_lines_frozen")
                assert db.session.execute(text("SELECT note FROM supervision")).scalar() == (
                    "Watched the step-ups: knee tracking fine")
                db.session.remove()
                flask_migrate.upgrade()
                raw = db.session.execute(text("SELECT note FROM supervision")).scalar()
                assert raw.startswith("mw2:") and "knee" not in raw
                assert db.session.scalar(select(Supervision)).note == "Watched the step-ups: knee tracking fine"
                db.session.remove()
    finally:
        drop()

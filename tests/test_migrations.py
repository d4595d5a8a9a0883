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

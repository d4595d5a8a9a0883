"""metpwa: tablet-first records for a Medical Exercise Training practice."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from . import access, config, database, errors, headers, keys, landing, static_compression, templating
from .extensions import compress, csrf, db, htmx, migrate
from .rules import icd10
from .scoping import MAX_ID

MIGRATIONS_DIR = os.path.join(os.path.dirname(__file__), "migrations")


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    config.load(app, test_config)
    _wrap_proxy(app)
    _init_extensions(app)
    _register_blueprints(app)
    from . import cli

    cli.init_app(app)
    # The ICD-10-CM table is built once from simple-icd-10-cm, then read from a small cache.
    icd10.configure(Path(app.instance_path) / "cache")
    return app


def warm_up(app: Flask) -> None:
    """Pay now what the first progress report of a process would: matplotlib's import and font
    list, WeasyPrint's import, its font configuration and the parsed print stylesheet (metpwa.wsgi)."""
    from . import charts, pdf
    from .services.printing import PRINT_STYLESHEETS

    charts.warm_up()
    pdf.warm_up(static_folder=app.static_folder, stylesheets=PRINT_STYLESHEETS)


def _wrap_proxy(app: Flask) -> None:
    hops = int(app.config["PROXY_COUNT"])
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]


def _init_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (registers every table before migrations look)

    keys.init_app(app)
    database.init_app(app)
    migrate.init_app(
        app, db, directory=MIGRATIONS_DIR, render_as_batch=True, compare_type=True,
        render_item=database.render_migration_item,
    )
    csrf.init_app(app)
    htmx.init_app(app)
    compress.init_app(app)
    static_compression.init_app(app)  # after flask-compress, so it runs first
    access.init_app(app)
    headers.init_app(app)
    landing.init_app(app)
    errors.init_app(app)
    templating.init_app(app)


class _RecordIdConverter(IntegerConverter):
    """<int:...> in every route: a number past a 64-bit id is no record, so the URL answers 404
    before any query (the database driver would overflow on it)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def _register_blueprints(app: Flask) -> None:
    app.url_map.converters["int"] = _RecordIdConverter
    from .blueprints import (
        account,
        assessments,
        audit,
        auth,
        billing,
        claims,
        clients,
        consents,
        eligibility,
        emergency,
        handoff,
        intake,
        library,
        measures,
        plans,
        pwa,
        readiness,
        referral_network,
        referrals,
        reports,
        scope,
        sessions,
        staff,
        today,
    )

    for package in (auth, pwa, today, clients, referrals, intake, consents, handoff, assessments, library, plans,
                    measures, reports, scope, sessions, staff, account, audit, emergency, billing, eligibility, claims,
                    referral_network, readiness):
        app.register_blueprint(package.bp)
    app.register_blueprint(measures.shell_bp)

"""Settings: built-in defaults, then instance/config.py, then METPWA_* environment variables."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask


class Defaults:
    # "development" relaxes cookie security and may generate a secret key;
    # anything else is treated as production.
    ENV = "production"

    SQLALCHEMY_DATABASE_URI: str | None = None  # filled in from instance_path
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}

    # Shared-iPad safety: the server refuses client data after this much idle time.
    IDLE_LOCK_MINUTES = 10
    # Absolute lifetime of a sign-in, whatever the activity: a shift, not weeks.
    SESSION_HOURS = 12
    # The browser heartbeat is throttled to this, so last-seen is written at most this often.
    SESSION_TOUCH_SECONDS = 60
    PIN_MAX_FAILURES = 5

    LOGIN_WINDOW_MINUTES = 15
    LOGIN_ACCOUNT_MAX_FAILURES = 5
    LOGIN_ACCOUNT_LOCK_MINUTES = 15
    LOGIN_ADDRESS_MAX_FAILURES = 20
    # A sign-in whose password was right but whose two-step code (or enrollment) is still owed
    # lapses after this long; signing in again keeps an unfinished enrollment's secret.
    SECOND_STEP_MINUTES = 5
    # The longest emergency (break-glass) grant an owner may give: one shift.
    EMERGENCY_ACCESS_MAX_HOURS = 12

    # argon2id parameters; the defaults meet OWASP ASVS 5.0 (64 MiB, t=3, p=4).
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    ARGON2_PARALLELISM = 4

    SESSION_COOKIE_NAME = "metpwa_session"
    # The cookie expires SESSION_HOURS after sign-in, not after the last request.
    SESSION_REFRESH_EACH_REQUEST = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # None means: Secure everywhere except local development over plain http.
    SESSION_COOKIE_SECURE: bool | None = None

    # An iPad left open for hours must not fail a save on an expired token:
    # the token then lives exactly as long as the sign-in.
    WTF_CSRF_TIME_LIMIT = None
    WTF_CSRF_SSL_STRICT = True

    MAX_CONTENT_LENGTH = 10 * 1024 * 1024
    SEND_FILE_MAX_AGE_DEFAULT = 3600
    # Where the keyring lives (default instance/keyring.json); tests pass KEYRING itself.
    KEYRING_FILE: str | None = None
    # The audit trail's head, kept outside the database (services/auditanchor.py): by default
    # audit-anchor.json beside the keyring file. Written at most this often per process.
    AUDIT_ANCHOR_FILE: str | None = None
    AUDIT_ANCHOR_SECONDS = 5
    # Years a record is kept after a client's last activity before it may be purged: the practice's
    # choice, to meet the longest its state law and payer contracts require. No federal rule sets one
    # number for medical records: HIPAA's six years cover HIPAA documentation, 42 CFR 424.516(f)'s
    # seven only some Medicare ordering documentation, Medicare Advantage contracts ask for ten
    # (metpwa.standards.retention). Seven by default. A client seen as a minor is kept at least until
    # the age of majority in the practice's state plus these years (rules.retention).
    RETENTION_YEARS = 7

    # Outgoing mail (metpwa/mail.py): "smtp" in production, "file" (.eml files in MAIL_FOLDER, by
    # default instance/outgoing-mail) in development, "memory" in tests.
    MAIL_BACKEND = "file"
    MAIL_FOLDER: str | None = None
    MAIL_FROM = "metpwa@localhost"
    MAIL_SMTP_HOST: str | None = None
    MAIL_SMTP_PORT = 587
    MAIL_SMTP_USERNAME: str | None = None
    MAIL_SMTP_PASSWORD: str | None = None
    MAIL_SMTP_STARTTLS = True
    # The address staff reach the app at (https://met.example.org), for links in e-mails; unset, the
    # address of the request that sent the message.
    PUBLIC_URL: str | None = None
    # How long an invitation's link works.
    INVITATION_HOURS = 72

    # metpwa.wsgi (the production entry point) warms what a first progress report needs before the
    # app takes requests; METPWA_WARM_UP=false skips it.
    WARM_UP = True

    # Number of reverse proxies in front of the app whose X-Forwarded-For is trusted
    # (needed so login throttling sees the real client address).
    PROXY_COUNT = 0


def load(app: Flask, test_config: dict | None) -> None:
    """Fill app.config in the documented order and derive dependent settings."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("METPWA")
    if test_config:
        app.config.from_mapping(test_config)

    # METPWA_DATABASE_URL is the documented name; SQLAlchemy wants its own key.
    if app.config.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(
            Path(app.instance_path) / "metpwa.sqlite3"
        )

    # A server database can drop idle connections; a SQLite file cannot, so only servers pay for the ping.
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True, **app.config["SQLALCHEMY_ENGINE_OPTIONS"]}

    development = app.config["ENV"] == "development"
    if app.config["SESSION_COOKIE_SECURE"] is None:
        app.config["SESSION_COOKIE_SECURE"] = not development
    if app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_NAME"] == Defaults.SESSION_COOKIE_NAME \
            and not app.config.get("SESSION_COOKIE_DOMAIN"):
        # "__Host-": the browser keeps it only when Secure, for "/" and this host alone, so another host
        # under the same domain cannot plant or overwrite the sign-in cookie.
        app.config["SESSION_COOKIE_NAME"] = "__Host-" + Defaults.SESSION_COOKIE_NAME
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=int(app.config["SESSION_HOURS"]))
    _resolve_secret_key(app, development)


def _resolve_secret_key(app: Flask, development: bool) -> None:
    if app.config.get("SECRET_KEY"):
        return
    # Production never falls back on a file it finds lying in instance/: it is given its key.
    if not development:
        raise RuntimeError(
            "metpwa: no secret key. Set METPWA_SECRET_KEY in the environment "
            "(for example: export METPWA_SECRET_KEY=$(python3 -c "
            "'import secrets; print(secrets.token_hex(32))')) "
            "or SECRET_KEY in instance/config.py. "
            "Only development (METPWA_ENV=development) generates one by itself, into instance/secret_key."
        )
    key_file = Path(app.instance_path) / "secret_key"
    if key_file.exists():
        app.config["SECRET_KEY"] = key_file.read_text().strip()
        return
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Owner-only permissions: the key signs every session cookie.
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    app.config["SECRET_KEY"] = key

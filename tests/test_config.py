"""Configuration order, secret-key rules and cookie security."""

from datetime import timedelta
from pathlib import Path

import pytest

from metpwa import create_app, keys


def _app(tmp_path, monkeypatch, env=None, instance_config=None, test_config=None, keyring=True):
    for key in list(__import__("os").environ):
        if key.startswith("METPWA_"):
            monkeypatch.delenv(key)
    for key, value in (env or {}).items():
        monkeypatch.setenv(key, value)
    instance = tmp_path / "instance"
    instance.mkdir(exist_ok=True)
    if instance_config:
        (instance / "config.py").write_text(instance_config)
    if keyring:
        # A deployment has run `python -m metpwa.keys init` before its first start, into a folder of its own.
        ring = tmp_path / "keys" / "keyring.json"
        if not ring.exists():
            keys.main(["init", str(ring)])
        if "METPWA_KEYRING_FILE" not in (env or {}):
            monkeypatch.setenv("METPWA_KEYRING_FILE", str(ring))
    monkeypatch.setattr("flask.Flask.auto_find_instance_path", lambda self: str(instance))
    return create_app(test_config)


def test_missing_secret_key_in_production_is_a_clear_startup_error(tmp_path, monkeypatch):
    with pytest.raises(RuntimeError, match="METPWA_SECRET_KEY"):
        _app(tmp_path, monkeypatch)


def test_development_generates_a_secret_key_into_instance_once(tmp_path, monkeypatch):
    app = _app(tmp_path, monkeypatch, env={"METPWA_ENV": "development"})
    key_file = tmp_path / "instance" / "secret_key"
    assert key_file.read_text() == app.config["SECRET_KEY"]
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    again = _app(tmp_path, monkeypatch, env={"METPWA_ENV": "development"})
    assert again.config["SECRET_KEY"] == app.config["SECRET_KEY"]


def test_defaults_then_instance_config_then_environment(tmp_path, monkeypatch):
    app = _app(
        tmp_path, monkeypatch,
        env={"METPWA_SECRET_KEY": "from-env", "METPWA_IDLE_LOCK_MINUTES": "7",
             "METPWA_DATABASE_URL": "sqlite:////tmp/metpwa-config-test.sqlite3"},
        instance_config="IDLE_LOCK_MINUTES = 3\nSESSION_HOURS = 9\nSECRET_KEY = 'from-instance'\n",
    )
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["IDLE_LOCK_MINUTES"] == 7  # environment beats instance/config.py
    assert app.config["SESSION_HOURS"] == 9  # instance/config.py beats defaults
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:////tmp/metpwa-config-test.sqlite3"


def test_default_database_is_sqlite_in_instance(tmp_path, monkeypatch):
    app = _app(tmp_path, monkeypatch, env={"METPWA_SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/instance/metpwa.sqlite3"


def test_production_cookies_are_secure_httponly_lax_and_last_hours(tmp_path, monkeypatch):
    app = _app(tmp_path, monkeypatch, env={"METPWA_SECRET_KEY": "x"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=12)
    assert app.config["SESSION_REFRESH_EACH_REQUEST"] is False
    assert app.config["WTF_CSRF_TIME_LIMIT"] is None


def test_local_development_drops_secure_flag_for_plain_http(tmp_path, monkeypatch):
    app = _app(tmp_path, monkeypatch, env={"METPWA_ENV": "development"})
    assert app.config["SESSION_COOKIE_SECURE"] is False


def test_production_password_hashing_meets_owasp(tmp_path, monkeypatch):
    app = _app(tmp_path, monkeypatch, env={"METPWA_SECRET_KEY": "x"})
    # OWASP: argon2id with at least 19 MiB and 2 iterations.
    assert app.config["ARGON2_MEMORY_COST"] >= 19 * 1024
    assert app.config["ARGON2_TIME_COST"] >= 2
    from metpwa.services.passwords import hash_secret

    with app.app_context():
        assert hash_secret("a long enough password").startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_production_without_a_keyring_is_a_clear_startup_error(tmp_path, monkeypatch):
    with pytest.raises(RuntimeError, match="python -m metpwa.keys init"):
        _app(tmp_path, monkeypatch, env={"METPWA_SECRET_KEY": "s" * 32}, keyring=False)


def test_development_makes_an_owner_only_keyring_once(tmp_path, monkeypatch):
    app = _app(tmp_path, monkeypatch, env={"METPWA_ENV": "development"}, keyring=False)
    path = tmp_path / "instance" / "keyring.json"
    assert path.stat().st_mode & 0o077 == 0
    first = path.read_text()
    _app(tmp_path, monkeypatch, env={"METPWA_ENV": "development"}, keyring=False)
    assert path.read_text() == first and app.extensions["metpwa_keyring"].current == {"audit": 1, "data": 1}


def test_production_does_not_fall_back_on_files_it_finds_in_instance(tmp_path, monkeypatch):
    """Found by the probe: with METPWA_SECRET_KEY and METPWA_KEYRING_FILE unset, production used
    instance/secret_key and instance/keyring.json, beside the default SQLite file."""
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "secret_key").write_text("k" * 64)
    keys.main(["init", str(instance / "keyring.json")])
    with pytest.raises(RuntimeError, match="METPWA_SECRET_KEY"):
        _app(tmp_path, monkeypatch, keyring=False)
    with pytest.raises(RuntimeError, match="METPWA_KEYRING_FILE is not set"):
        _app(tmp_path, monkeypatch, env={"METPWA_SECRET_KEY": "s" * 32}, keyring=False)


def test_production_refuses_a_keyring_beside_the_database_or_readable_by_others(tmp_path, monkeypatch):
    beside = tmp_path / "instance" / "keyring.json"
    beside.parent.mkdir()
    keys.main(["init", str(beside)])
    with pytest.raises(RuntimeError, match="in the database's folder"):
        _app(tmp_path, monkeypatch, env={"METPWA_SECRET_KEY": "s" * 32, "METPWA_KEYRING_FILE": str(beside)},
             keyring=False)
    apart = tmp_path / "keys" / "keyring.json"
    keys.main(["init", str(apart)])
    apart.chmod(0o640)
    with pytest.raises(RuntimeError, match="chmod 600"):
        _app(tmp_path, monkeypatch, env={"METPWA_SECRET_KEY": "s" * 32, "METPWA_KEYRING_FILE": str(apart)},
             keyring=False)
    apart.chmod(0o600)
    app = _app(tmp_path, monkeypatch, env={"METPWA_SECRET_KEY": "s" * 32, "METPWA_KEYRING_FILE": str(apart)},
               keyring=False)
    assert app.extensions["metpwa_keyring"].path == apart


def test_the_demo_practice_is_loaded_only_in_development(tmp_path, monkeypatch):
    app = _app(tmp_path, monkeypatch, env={"METPWA_SECRET_KEY": "s" * 32})
    result = app.test_cli_runner().invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code != 0 and "only in development" in result.output


def test_production_names_the_sign_in_cookie_for_this_host_only_and_asks_for_https_on_subdomains(tmp_path,
                                                                                                monkeypatch):
    app = _app(tmp_path, monkeypatch, env={"METPWA_SECRET_KEY": "s" * 32})
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-metpwa_session"
    response = app.test_client().get("/login", base_url="https://metpwa.local")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-metpwa_session=") and "Secure" in cookie and "Path=/" in cookie
    assert "Domain" not in cookie
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    development = _app(tmp_path, monkeypatch, env={"METPWA_ENV": "development"})
    assert development.config["SESSION_COOKIE_NAME"] == "metpwa_session"  # plain http on the laptop


def test_warm_up_prepares_what_a_first_report_needs(app):
    """metpwa.wsgi (the production entry point) calls this before the app takes requests (issue 21)."""
    import sys

    from metpwa import warm_up
    from metpwa.pdf import render

    warm_up(app)
    assert "matplotlib.backends.backend_svg" in sys.modules and "weasyprint" in sys.modules
    assert hasattr(render._prepared_state, "fonts")
    assert any(path.endswith("print.css") for path, _ in render._prepared_state.sheets)
    assert app.config["WARM_UP"] is True
    wsgi = (Path(__file__).parent.parent / "metpwa" / "wsgi.py").read_text()
    assert 'if app.config["WARM_UP"]:\n    warm_up(app)' in wsgi

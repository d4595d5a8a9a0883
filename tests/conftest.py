"""Shared fixtures: the app on a throw-away database, one rolled-back transaction per
test, staff personas (owner, colleague, outsider from another practice) and a
signed-in test agent that carries the CSRF token the way the browser does."""

from __future__ import annotations

import os
import re
import secrets
import tempfile
import uuid
from dataclasses import dataclass
from datetime import date

import flask_migrate
import pytest
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import create_engine, text

from metpwa import create_app
from metpwa.extensions import db as _db
from metpwa.models import Client, Practice
from metpwa.permissions import Role
from metpwa.services import staff

PASSWORD = "correct horse battery"


def fresh_database():
    """A fresh database for one test run: a temporary SQLite file, or a new schema
    in the PostgreSQL database named by METPWA_TEST_DATABASE_URL."""
    url = os.environ.get("METPWA_TEST_DATABASE_URL")
    if not url:
        folder = tempfile.mkdtemp(prefix="metpwa-test-")
        return f"sqlite:///{folder}/test.sqlite3", {}, lambda: None
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop():
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return url, {"connect_args": {"options": f"-csearch_path={schema}"}}, drop


def make_app(**overrides):
    url, engine_options, drop = fresh_database()
    config = {
        "ENV": "testing",
        "TESTING": True,
        "SECRET_KEY": secrets.token_hex(16),
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, **engine_options},
        "SESSION_COOKIE_SECURE": False,
        # Cheap argon2id in tests; production parameters are tested separately.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        "ARGON2_PARALLELISM": 1,
    }
    config.update(overrides)
    app = create_app(config)
    with app.app_context():
        flask_migrate.upgrade()

    def cleanup():
        with app.app_context():
            _db.engine.dispose()
        drop()

    return app, cleanup


@pytest.fixture(scope="session")
def app():
    app, cleanup = make_app()
    yield app
    cleanup()


class _BoundSession(FlaskSession):
    """Flask-SQLAlchemy picks engines itself; in tests every session must use the
    test's one connection so that everything rolls back at the end."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return self.bind if self.bind is not None else super().get_bind(mapper, clause, bind, **kwargs)


@pytest.fixture
def db(app):
    with app.app_context():
        connection = _db.engine.connect()
    transaction = connection.begin()
    original = _db.session
    _db.session = _db._make_scoped_session(
        {"class_": _BoundSession, "bind": connection, "join_transaction_mode": "create_savepoint"}
    )
    yield _db
    # Each app context removed its own session on teardown.
    _db.session = original
    transaction.rollback()
    connection.close()


@dataclass
class Persona:
    id: int
    practice_id: int
    email: str
    role: str
    name: str
    password: str = PASSWORD


class Factory:
    """Makes rows in their own app context and hands back plain values, so a test
    never holds an app context (and its g) across requests."""

    def __init__(self, app):
        self.app = app
        self._n = 0

    def _next(self) -> int:
        self._n += 1
        return self._n

    def practice(self, name: str | None = None, timezone: str = "America/Chicago") -> int:
        with self.app.app_context():
            practice = staff.create_practice(name or f"Practice {self._next()}", timezone)
            _db.session.commit()
            return practice.id

    def user(self, practice_id: int, role: Role | str = Role.TRAINER, *, pin: str | None = None,
             name: str | None = None) -> Persona:
        n = self._next()
        email = f"staff{n}-{uuid.uuid4().hex[:6]}@example.test"
        with self.app.app_context():
            practice = _db.session.get(Practice, practice_id)
            user = staff.create_user(practice, email=email, full_name=name or f"Staff Member {n}",
                                     role=role, password=PASSWORD)
            if pin:
                staff.set_pin_unchecked(user, pin)
            _db.session.commit()
            return Persona(user.id, practice_id, user.email, str(user.role), user.full_name)

    def client_record(self, practice_id: int, *, first: str = "Ada", last: str | None = None,
                      born: date = date(1950, 5, 17), sex: str = "F", phone: str | None = "(312) 555-0199",
                      trainer_id: int | None = None) -> int:
        with self.app.app_context():
            client = Client(practice_id=practice_id, first_name=first, last_name=last or f"Client{self._next()}",
                            date_of_birth=born, sex=sex, phone=phone, primary_trainer_id=trainer_id)
            _db.session.add(client)
            _db.session.commit()
            return client.id


    def consent_forms(self, practice_id: int) -> dict[str, int]:
        """The default consent forms for a practice; returns their ids by key."""
        from metpwa.services import consents

        with self.app.app_context():
            practice = _db.session.get(Practice, practice_id)
            templates = consents.install_defaults(practice)
            _db.session.commit()
            return {t.key: t.id for t in templates}

    def provider(self, practice_id: int, last: str = "Ortiz", npi: str | None = "1234567893") -> int:
        from metpwa.models import ReferringProvider

        with self.app.app_context():
            provider = ReferringProvider(practice_id=practice_id, first_name="Elena", last_name=last,
                                         credentials="MD", kind="physician", npi=npi,
                                         organization="Lakeside Orthopedics")
            _db.session.add(provider)
            _db.session.commit()
            return provider.id


@pytest.fixture
def make(app, db):
    return Factory(app)


_TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


class Agent:
    """A test client that signs in and sends the CSRF token like the pages do."""

    def __init__(self, client):
        self.client = client
        self.token: str | None = None

    def refresh_token(self, path: str = "/login") -> str:
        page = self.client.get(path, follow_redirects=True).get_data(as_text=True)
        match = _TOKEN.search(page)
        assert match, f"no CSRF token on {path}"
        self.token = match.group(1) or match.group(2)
        return self.token

    def login(self, persona: Persona, password: str | None = None):
        self.refresh_token("/login")
        response = self.client.post(
            "/login",
            data={"email": persona.email, "password": password or persona.password, "csrf_token": self.token},
        )
        if response.status_code == 303:
            self.refresh_token("/me")
        return response

    def get(self, path: str, htmx: bool = False, **kwargs):
        headers = kwargs.pop("headers", {})
        if htmx:
            headers = {"HX-Request": "true", **headers}
        return self.client.get(path, headers=headers, **kwargs)

    def post(self, path: str, data: dict | None = None, htmx: bool = False, csrf: bool = True, **kwargs):
        headers = kwargs.pop("headers", {})
        if htmx:
            headers = {"HX-Request": "true", **headers}
        if csrf:
            headers = {"X-CSRFToken": self.token or self.refresh_token(), **headers}
        return self.client.post(path, data=data or {}, headers=headers, **kwargs)


@pytest.fixture
def agent(app, db):
    return Agent(app.test_client())


@pytest.fixture
def new_agent(app, db):
    """More browsers (or iPads) at once."""
    return lambda: Agent(app.test_client())


@dataclass
class Personas:
    owner: Persona
    colleague: Persona
    front_desk: Persona
    biller: Persona
    outsider: Persona
    practice_id: int
    other_practice_id: int


@pytest.fixture
def personas(make) -> Personas:
    home = make.practice("Lakeside Medical Exercise")
    other = make.practice("Hilltop Strength Clinic")
    return Personas(
        owner=make.user(home, Role.OWNER, pin="2580", name="Olivia Owner"),
        colleague=make.user(home, Role.TRAINER, pin="1357", name="Carl Colleague"),
        front_desk=make.user(home, Role.FRONT_DESK, name="Fran Frontdesk"),
        biller=make.user(home, Role.BILLER, name="Bill Biller"),
        outsider=make.user(other, Role.OWNER, name="Otto Outsider"),
        practice_id=home,
        other_practice_id=other,
    )

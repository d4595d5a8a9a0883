"""Shared fixtures: the app on a throw-away database, one rolled-back transaction per
test, staff personas (owner, colleague, outsider from another practice) and a
signed-in test agent that carries the CSRF token the way the browser does."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

import flask_migrate
import pytest
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import create_engine, text
from sqlalchemy import select as _select

from metpwa import create_app
from metpwa.extensions import db as _db
from metpwa.keys import Keyring
from metpwa.models import Client, Practice
from metpwa.permissions import Role
from metpwa.services import staff, twofactor

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


def make_app(*, database=None, **overrides):
    """An app on a fresh, migrated database; or, with database=(url, engine options, drop), on that
    database as it is (a copy of the seeded demo, already migrated)."""
    url, engine_options, drop = database or fresh_database()
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
        # A fresh keyring per app, never the developer's instance/keyring.json.
        "KEYRING": json.loads(Keyring.generate().to_json()),
        # Invitations and any other mail stay on the app (metpwa.mail.sent), never in a folder or on the wire.
        "MAIL_BACKEND": "memory",
        # The audit trail's head kept outside the database, as beside a production keyring.
        "AUDIT_ANCHOR_FILE": os.path.join(tempfile.mkdtemp(prefix="metpwa-anchor-"), "audit-anchor.json"),
        "AUDIT_ANCHOR_SECONDS": 0,
    }
    config.update(overrides)
    app = create_app(config)
    if database is None:
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


class DemoTemplate:
    """The demo practice seeded once per test run, for every test that needs it to copy: seeding
    takes the better part of a minute (its PDFs and charts), and the browser suite and several test
    files each used to seed their own. A copy is a file copy on SQLite (the backup API, safe in WAL
    mode) and on PostgreSQL a database made with this one as its TEMPLATE. Copies keep the seeding
    app's keyring (the demo's rows are sealed with it) and start from a copy of its audit anchor."""

    ZONE = "America/Chicago"  # the demo practice's: its "days ago" are counted in it

    def __init__(self):
        self.base_url = os.environ.get("METPWA_TEST_DATABASE_URL")
        self.admin = create_engine(self.base_url, isolation_level="AUTOCOMMIT") if self.base_url else None
        self.folder = tempfile.mkdtemp(prefix="metpwa-demo-")
        self.name = None
        self._seed()

    def _today(self) -> date:
        from datetime import datetime
        from zoneinfo import ZoneInfo

        return datetime.now(ZoneInfo(self.ZONE)).date()

    def _database(self, name: str) -> str:
        from sqlalchemy.engine import make_url

        return make_url(self.base_url).set(database=name).render_as_string(hide_password=False)

    def _seed(self) -> None:
        from metpwa import demo

        self.keyring = json.loads(Keyring.generate().to_json())
        self.anchor = os.path.join(self.folder, f"anchor-{uuid.uuid4().hex[:8]}.json")
        if self.admin is not None:
            self.name = f"metpwa_demo_{uuid.uuid4().hex[:12]}"
            with self.admin.connect() as conn:
                conn.exec_driver_sql(f'CREATE DATABASE "{self.name}"')
            url = self._database(self.name)
        else:
            self.path = os.path.join(self.folder, f"demo-{uuid.uuid4().hex[:8]}.sqlite3")
            url = f"sqlite:///{self.path}"
        app, _ = make_app(database=(url, {}, lambda: None), KEYRING=self.keyring, AUDIT_ANCHOR_FILE=self.anchor)
        with app.app_context():
            flask_migrate.upgrade()
            demo.seed()
            # PostgreSQL copies a template only while nobody is connected to it.
            _db.engine.dispose()
        self.seeded_on = self._today()

    def _drop(self) -> None:
        if self.admin is not None and self.name:
            with self.admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def copy(self):
        """A new database holding the seeded demo, as fresh_database() returns one: (url, engine
        options, drop). Past midnight in the practice's zone the demo is seeded again, so that its
        "N days ago" read as they would on a demo loaded today."""
        if self._today() != self.seeded_on:
            self._drop()
            self._seed()
        if self.admin is None:
            import sqlite3

            target = os.path.join(tempfile.mkdtemp(prefix="metpwa-test-"), "test.sqlite3")
            source, copy = sqlite3.connect(self.path), sqlite3.connect(target)
            try:
                source.backup(copy)
            finally:
                source.close()
                copy.close()
            return f"sqlite:///{target}", {}, lambda: None
        name = f"metpwa_copy_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{self.name}"')

        def drop():
            with self.admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return self._database(name), {}, drop

    def app(self, **overrides):
        """An app on a copy of the demo of its own: (app, cleanup)."""
        anchor = os.path.join(tempfile.mkdtemp(prefix="metpwa-anchor-"), "audit-anchor.json")
        if os.path.exists(self.anchor):
            shutil.copyfile(self.anchor, anchor)
        return make_app(database=self.copy(), KEYRING=self.keyring, AUDIT_ANCHOR_FILE=anchor, **overrides)

    def close(self) -> None:
        self._drop()
        if self.admin is not None:
            self.admin.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def demo_template():
    template = DemoTemplate()
    yield template
    template.close()


@pytest.fixture
def demo_app(demo_template):
    """An app on a copy of the demo practice of its own (seeded once per run, see DemoTemplate).
    Its tests take no `db`, `agent`, `make` or `new_agent`: those bind the shared test app's
    connection, which this app's queries would then use."""
    app, cleanup = demo_template.app()
    yield app
    cleanup()


class _BoundSession(FlaskSession):
    """Flask-SQLAlchemy picks engines itself; in tests every session must use the
    test's one connection so that everything rolls back at the end."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return self.bind if self.bind is not None else super().get_bind(mapper, clause, bind, **kwargs)


@pytest.fixture
def db(app, tmp_path):
    # Each test's events are rolled back at its end, which to the anchor looks like a cut trail:
    # every test anchors to a file of its own.
    anchor = app.config["AUDIT_ANCHOR_FILE"]
    app.config["AUDIT_ANCHOR_FILE"] = str(tmp_path / "audit-anchor.json")
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
    app.config["AUDIT_ANCHOR_FILE"] = anchor


@dataclass
class Persona:
    id: int
    practice_id: int
    email: str
    role: str
    name: str
    password: str = PASSWORD
    # Two-step sign-in, set up by the Factory for the roles that require it (owner, biller).
    totp_secret: str | None = None
    recovery_codes: list[str] = field(default_factory=list)


class Factory:
    """Makes rows in their own app context and hands back plain values, so a test
    never holds an app context (and its g) across requests."""

    def __init__(self, app):
        self.app = app
        self._n = 0

    def _next(self) -> int:
        self._n += 1
        return self._n

    def practice(self, name: str | None = None, timezone: str = "America/Chicago", *, hipaa_gate: bool = False) -> int:
        """hipaa_gate=False: the practice's staff are there before its HIPAA-training gate (as after an
        upgrade), so suites about other things are not stopped by it; tests/test_training.py turns it on."""
        with self.app.app_context():
            practice = staff.create_practice(name or f"Practice {self._next()}", timezone)
            if not hipaa_gate:
                practice.hipaa_gate_since = None
            _db.session.commit()
            return practice.id

    def user(self, practice_id: int, role: Role | str = Role.TRAINER, *, pin: str | None = None,
             name: str | None = None, two_factor: bool | None = None) -> Persona:
        """A staff member; two_factor=None sets up two-step sign-in where the role requires it."""
        n = self._next()
        email = f"staff{n}-{uuid.uuid4().hex[:6]}@example.test"
        with self.app.app_context():
            practice = _db.session.get(Practice, practice_id)
            user = staff.create_user(practice, email=email, full_name=name or f"Staff Member {n}",
                                     role=role, password=PASSWORD)
            if pin:
                staff.set_pin_unchecked(user, pin)
            codes = []
            if two_factor or (two_factor is None and twofactor.required(user)):
                codes = twofactor.enroll_unchecked(user)
            _db.session.commit()
            return Persona(user.id, practice_id, user.email, str(user.role), user.full_name,
                           totp_secret=user.totp_secret, recovery_codes=codes)

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


    def ready_client(self, practice_id: int, trainer_id: int, *, first: str = "Rita", last: str = "Moreno",
                     born: date = date(1948, 2, 9)) -> int:
        """A client whose chart is complete (contact, self-pay, referral with its order, intake,
        consents, a signed baseline and a Plan of Exercise), so sessions may start."""
        from metpwa.models import EmergencyContact, Exercise, User
        from metpwa.rules import icd10
        from metpwa.rules import plan as plan_rules
        from metpwa.services import assessments, consents, documents, intake, plans, referrals
        from support.images import MINIMAL_PDF, signature_png
        from support.intake import step_posts

        client_id = self.client_record(practice_id, first=first, last=last, born=born, trainer_id=trainer_id)
        provider_id = self.provider(practice_id)
        with self.app.app_context():
            client = _db.session.get(Client, client_id)
            trainer = _db.session.get(User, trainer_id)
            client.self_pay = True
            _db.session.add(EmergencyContact(practice_id=practice_id, client_id=client_id, name="Sam Moreno",
                                             relationship_to_client="Son", phone="(312) 555-0170"))
            from metpwa.models import ReferringProvider

            provider = _db.session.get(ReferringProvider, provider_id)
            order = documents.store(client, kind="referral_order", title="Order", data=MINIMAL_PDF,
                                    content_type="application/pdf", filename="order.pdf", by=trainer)
            referrals.record_referral(trainer, client, provider=provider, referred_on=date(2026, 10, 1),
                                      reason="Deconditioning", codes=[("R53.81", icd10.billable_code("R53.81"))],
                                      authorized_visits=None, expires_on=None, order_document=order)
            draft = intake.start_or_resume(trainer, client)
            for key, form in step_posts().items():
                intake.save_step(trainer, draft, key, {k: v if isinstance(v, list) else [v] for k, v in form.items()})
            if not consents.current_templates(practice_id):
                consents.install_defaults(client.practice)
                _db.session.commit()
            for template in consents.current_templates(practice_id):
                if consents.is_notice(template):  # read, not signed
                    continue
                consents.sign(trainer, client, template, seen_sha256=consents.text_sha256(template),
                              signature_png=signature_png(), signer_name=client.legal_name, signer_relationship="self",
                              seen_notice_id=consents.notice_shown_with(template))
            assessment = assessments.start(trainer, client, date(2026, 10, 5))
            assessments.add_rom(trainer, assessment, motion="knee.flexion", side="right", mode="active", degrees="100")
            assessments.sign(trainer, assessment, client)
            ids = dict(_db.session.execute(
                _select(Exercise.slug, Exercise.id).where(Exercise.practice_id == practice_id)).all())
            form = {"starts_on": "10/05/2026", "review_on": "11/02/2026", "frequency_per_week": "2",
                    "duration_weeks": "8", "goals-0-description": "Climb stairs foot over foot",
                    "goals-0-target": "rom:knee.flexion", "goals-0-side": "right", "goals-0-direction": "above",
                    "goals-0-target_value": "115", "goals-0-by_week": "8"}
            for n, (slug, reps, seconds) in enumerate((("sit-to-stand", 10, None), ("heel-raise", 12, None),
                                                        ("tandem-stance", None, 20))):
                form |= {f"exercises-{n}-exercise_id": str(ids[slug]), f"exercises-{n}-sets": "3",
                         f"exercises-{n}-reps": str(reps or ""), f"exercises-{n}-seconds": str(seconds or ""),
                         f"exercises-{n}-intensity_kind": "rpe", f"exercises-{n}-intensity_value": "5"}
            parsed = plan_rules.parse_plan(form, exercises=plans.exercise_infos(practice_id), today=date(2026, 10, 5))
            assert parsed.ok, parsed.errors
            plans.save_version(trainer, client, parsed, based_on_version=None, scope_overrides=[])
            _db.session.commit()
        return client_id


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
        """Sign in; for a persona with two-step sign-in, answer the code step too, as the person would."""
        self.refresh_token("/login")
        response = self.client.post(
            "/login",
            data={"email": persona.email, "password": password or persona.password, "csrf_token": self.token},
        )
        if response.status_code == 303 and response.headers["Location"].startswith("/login/code") \
                and persona.totp_secret:
            response = self.answer_code(persona, response.headers["Location"])
        if response.status_code == 303:
            self.refresh_token("/me")
        return response

    def answer_code(self, persona: Persona, url: str = "/login/code"):
        self.refresh_token(url)
        return self.client.post(url, data={"code": next_code(self.client.application, persona),
                                           "csrf_token": self.token})

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


def next_code(app, persona: Persona) -> str:
    """A code the app will take now: the earliest step within the drift not yet used (each code
    works once), or, when a test signs the same person in more than three times in 30 seconds,
    one of their recovery codes."""
    from metpwa.models import User
    from metpwa.rules import totp

    with app.app_context():
        last = _db.session.scalar(_select(User.totp_last_step).where(User.id == persona.id))
    now = totp.step_at(time.time())
    for step in range(now - totp.DRIFT_STEPS, now + totp.DRIFT_STEPS + 1):
        if last is None or step > last:
            return totp.code_for(persona.totp_secret, step)
    return persona.recovery_codes.pop()


@pytest.fixture
def agent(app, db):
    return Agent(app.test_client())


@pytest.fixture
def new_agent(app, db):
    """More browsers (or iPads) at once."""
    return lambda: Agent(app.test_client())


@dataclass
class LonePractice:
    app: object
    make: Factory
    practice_id: int
    trainer: Persona
    client_id: int
    agent: Agent


@contextmanager
def lone_practice(name: str = "Lone Practice") -> Iterator[LonePractice]:
    """A practice in a database of its own, with a trainer signed in and a client ready for a
    session: for tests that need real locks (the shared test transaction holds SQLite's) or
    threads of their own."""
    app, cleanup = make_app()
    try:
        make = Factory(app)
        practice_id = make.practice(name)
        trainer = make.user(practice_id, Role.TRAINER)
        client_id = make.ready_client(practice_id, trainer.id)
        agent = Agent(app.test_client())
        agent.login(trainer)
        yield LonePractice(app, make, practice_id, trainer, client_id, agent)
    finally:
        cleanup()


def try_writing_elsewhere(table: str, row_id: int) -> str:
    """From another connection and without waiting, what a second writer would need: SQLite's write
    lock, or on PostgreSQL the row's lock. "free", or what blocked it. Needs an app context."""
    raw = _db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        if _db.engine.dialect.name == "sqlite":
            cursor.execute("PRAGMA busy_timeout=0")
            cursor.execute("BEGIN IMMEDIATE")  # "database is locked" at once if anyone holds it
        else:
            cursor.execute(f'SELECT id FROM "{table}" WHERE id = %s FOR UPDATE NOWAIT', (row_id,))
        return "free"
    except Exception as error:  # noqa: BLE001 - what blocked it is the finding
        return f"blocked: {error}"
    finally:
        raw.rollback()
        raw.invalidate()


def post_at_once(practice: LonePractice, path: str | list[str], forms: list[dict], headers: dict | None = None) -> list:
    """Each form posted from a thread of its own at the same moment, under the practice's one
    sign-in (a double tap, a retry racing the original, two tabs); one path for all, or a path
    per form; the responses in form order."""
    cookie = practice.agent.client.get_cookie("metpwa_session").value
    responses: list = [None] * len(forms)
    paths = [path] * len(forms) if isinstance(path, str) else path

    def post(n: int) -> None:
        client = practice.app.test_client()
        client.set_cookie("metpwa_session", cookie)
        responses[n] = client.post(paths[n], headers={"X-CSRFToken": practice.agent.token, **(headers or {})},
                                   data=forms[n])

    threads = [threading.Thread(target=post, args=(n,)) for n in range(len(forms))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


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


def pytest_terminal_summary(terminalreporter):
    """The hostile suite's counts (routes probed, leaks, inputs, 500s, rows lost, duplicates)."""
    from support.figures import LINES

    if LINES:
        terminalreporter.section("figures")
        for line in LINES:
            terminalreporter.write_line(line)

"""The stack floor: the least a set logger could do with the packages metpwa is built on (Flask,
Flask-Login, its signed session cookie, Flask-WTF's CSRF check, Flask-SQLAlchemy, a Jinja
fragment), served the same way as metpwa and the bare floor (bench/floor.py).

It reads who is signed in (one select by the cookie's user id, as Flask-Login's user loader
does), inserts the set in one statement and renders a one-line template: no sign-in row, no
practice scoping, no validation, no audit event. Read beside the bare floor, it shows how much of
the 0.60 target the stack itself spends before metpwa does any of its own work.
"""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_login import LoginManager, UserMixin, login_required, login_user
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect, generate_csrf
from jinja2 import DictLoader
from sqlalchemy import Column, Integer, MetaData, String, Table, bindparam, event, insert, select

SECRET_KEY = "stack-floor-bench-secret"
metadata = MetaData()
people = Table("person", metadata, Column("id", Integer, primary_key=True), Column("name", String(80)))
set_log = Table("set_log", metadata, Column("id", Integer, primary_key=True), Column("reps", Integer),
                Column("key", String(64), unique=True))
db = SQLAlchemy(metadata=metadata)
login_manager = LoginManager()
FIND_PERSON = select(people.c.id, people.c.name).where(people.c.id == bindparam("id"))
ADD_SET = insert(set_log).returning(set_log.c.id)


class Person(UserMixin):
    def __init__(self, row) -> None:
        self.id, self.name = row.id, row.name


@login_manager.user_loader
def load_person(user_id: str) -> Person | None:
    row = db.session.execute(FIND_PERSON, {"id": int(user_id)}).first()
    return Person(row) if row else None


def _pragmas(dbapi_connection, _record) -> None:
    # The same SQLite settings as metpwa and the bare floor.
    for pragma in ("busy_timeout=10000", "foreign_keys=ON", "synchronous=NORMAL"):
        dbapi_connection.execute(f"PRAGMA {pragma}")


def create(database: str) -> Flask:
    """Called once before gunicorn forks (--preload), like bench.floor.create."""
    app = Flask(__name__)
    app.config.update(SECRET_KEY=SECRET_KEY, SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}")
    app.jinja_loader = DictLoader({"set_row.html": '<li class="set-row" id="set-{{ id }}">{{ reps }} reps</li>'})
    db.init_app(app)
    CSRFProtect(app)
    login_manager.init_app(app)

    @app.get("/sign-in")
    def sign_in():
        login_user(load_person("1"))
        return generate_csrf()

    @app.post("/insert")
    @login_required
    def add_set():
        row = db.session.execute(ADD_SET, {"reps": request.form.get("reps", type=int),
                                           "key": request.form.get("idempotency_key")}).first()
        db.session.commit()
        return render_template("set_row.html", id=row.id, reps=request.form.get("reps"))

    with app.app_context():
        event.listen(db.engine, "connect", _pragmas)
        with db.engine.begin() as connection:
            connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        metadata.create_all(db.engine)
        with db.engine.begin() as connection:
            if connection.execute(FIND_PERSON, {"id": 1}).first() is None:
                connection.execute(insert(people).values(id=1, name="Bench Trainer"))
        db.engine.dispose()  # no connection carried across gunicorn's fork
    return app


def signed_in(app: Flask) -> tuple[str, str]:
    """The session cookie and CSRF token of a signed-in person, for wrk to send."""
    client = app.test_client()
    token = client.get("/sign-in").get_data(as_text=True)
    return "session=" + client.get_cookie("session").value, token

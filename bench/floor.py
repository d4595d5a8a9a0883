"""The floor: a bare Flask app on SQLite doing the least a set log could do (insert a row, answer
a one-row fragment), served the same way as metpwa, so the ratio shows what metpwa adds."""

import sqlite3
import threading

from flask import Flask, g, request

app = Flask(__name__)
DATABASE = None
_local = threading.local()


def connection() -> sqlite3.Connection:
    if getattr(_local, "db", None) is None:
        db = sqlite3.connect(app.config["DATABASE"], isolation_level=None)
        for pragma in ("busy_timeout=10000", "foreign_keys=ON", "synchronous=NORMAL"):
            db.execute(f"PRAGMA {pragma}")
        _local.db = db
    return _local.db


@app.get("/hello")
def hello():
    return "hello"


@app.post("/insert")
def insert():
    db = connection()
    db.execute("BEGIN IMMEDIATE")
    try:
        cursor = db.execute("INSERT INTO set_log (reps, key) VALUES (?, ?)",
                            (request.form.get("reps", type=int), request.form.get("idempotency_key")))
    except sqlite3.IntegrityError:
        db.execute("ROLLBACK")
        return "already saved", 200
    db.execute("COMMIT")
    return f'<li class="set-row" id="set-{cursor.lastrowid}">{request.form.get("reps")} reps</li>'


def create(database: str) -> Flask:
    """Called once before gunicorn forks (--preload): the file, its WAL mode and its table exist
    before any worker connects, so no two workers race to create them."""
    app.config["DATABASE"] = database
    setup = sqlite3.connect(database, isolation_level=None)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE IF NOT EXISTS set_log (id INTEGER PRIMARY KEY, reps INTEGER, key TEXT UNIQUE)")
    setup.close()
    return app


__all__ = ["create", "g"]

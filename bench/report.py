"""Report rendering (issue 7): a real progress report from the demo practice, rendered in a fresh
process (cold: imports, fonts, the first PDF) and again warm, against a bare WeasyPrint render of
a one-page document in the same process (the floor). Run by `python -m bench`."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def prepare(folder: Path) -> dict[str, str]:
    """A demo practice in a throw-away SQLite database; returns the environment to reach it."""
    from metpwa import keys

    # Production refuses a keyring in the database's folder: it gets one of its own.
    keys.main(["init", str(folder / "keys" / "keyring.json")])
    env = {"METPWA_DATABASE_URL": f"sqlite:///{folder}/report.sqlite3", "METPWA_SECRET_KEY": "bench-secret",
           "METPWA_ENV": "production", "METPWA_KEYRING_FILE": str(folder / "keys" / "keyring.json")}
    subprocess.run([sys.executable, "-m", "flask", "--app", "metpwa", "db", "upgrade"], cwd=ROOT, check=True,
                   env={**os.environ, **env}, capture_output=True)
    # The demo practice loads only in development; the renders are then measured in production.
    subprocess.run([sys.executable, "-m", "flask", "--app", "metpwa", "seed-demo"], cwd=ROOT, check=True,
                   env={**os.environ, **env, "METPWA_ENV": "development"}, capture_output=True)
    return env


def measure(env: dict[str, str]) -> dict:
    figures = _run(env, "--inside")
    # A worker's first report once the app is built, as metpwa.wsgi serves it (warmed) and as a bare
    # create_app() would (issue 21: 0.7 s, against 15 ms for the reports after it).
    figures["first_warmed"] = _run(env, "--first", "--warm")["first"]
    figures["first_unwarmed"] = _run(env, "--first")["first"]
    return figures


def _run(env: dict[str, str], *flags: str) -> dict:
    completed = subprocess.run([sys.executable, "-m", "bench.report", *flags], cwd=ROOT, check=True,
                               env={**os.environ, **env}, capture_output=True, text=True)
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _first(warm: bool) -> None:
    """In a fresh process: build the app (and warm it, as metpwa.wsgi does), then time the first report."""
    from metpwa import create_app, warm_up

    app = create_app()
    warming = 0.0
    if warm:
        start = time.perf_counter()
        warm_up(app)
        warming = time.perf_counter() - start
    with app.test_request_context("/"):
        report = _demo_report()
        from metpwa.services import reports

        start = time.perf_counter()
        reports.render(report, signer=None, signed_at=None)
        first = time.perf_counter() - start
        start = time.perf_counter()
        reports.render(report, signer=None, signed_at=None)
        print(json.dumps({"first": first, "second": time.perf_counter() - start, "warming": warming}))


def _demo_report():
    """The demo practice's richest progress report (the client with the most outcome results), unsaved."""
    from sqlalchemy import func, select

    from metpwa.clock import practice_today
    from metpwa.extensions import db
    from metpwa.models import Client, OutcomeResult, ProgressReport
    from metpwa.services import reports

    client_id = db.session.execute(select(OutcomeResult.client_id).group_by(OutcomeResult.client_id)
                                   .order_by(func.count().desc()).limit(1)).scalar_one()
    client = db.session.get(Client, client_id)
    first = db.session.scalar(select(func.min(reports.SessionLog.started_at))
                              .where(reports.SessionLog.client_id == client.id))
    report = ProgressReport(practice_id=client.practice_id, client_id=client.id, kind="progress",
                            period_start=first.astimezone(client.practice.zone).date(),
                            period_end=practice_today(client.practice),
                            author_id=client.primary_trainer_id, recommendations="Continue twice weekly.")
    report.client, report.author = client, client.primary_trainer
    return report


def _inside() -> None:
    """In a fresh process: time to the first PDF from before the app is imported, then warm renders."""
    started = time.perf_counter()
    from sqlalchemy import func, select

    from metpwa import create_app, pdf
    from metpwa.clock import practice_today
    from metpwa.extensions import db
    from metpwa.models import Client, OutcomeResult, ProgressReport
    from metpwa.services import reports

    app = create_app()
    with app.test_request_context("/"):
        client_id = db.session.execute(select(OutcomeResult.client_id).group_by(OutcomeResult.client_id)
                                       .order_by(func.count().desc()).limit(1)).scalar_one()
        client = db.session.get(Client, client_id)
        today = practice_today(client.practice)
        first = db.session.scalar(select(func.min(reports.SessionLog.started_at))
                                  .where(reports.SessionLog.client_id == client.id))
        report = ProgressReport(practice_id=client.practice_id, client_id=client.id, kind="progress",
                                period_start=first.astimezone(client.practice.zone).date(), period_end=today,
                                author_id=client.primary_trainer_id, recommendations="Continue twice weekly.")
        report.client, report.author = client, client.primary_trainer
        data = reports.render(report, signer=None, signed_at=None)
        cold = time.perf_counter() - started
        warm = []
        for _ in range(5):
            start = time.perf_counter()
            data = reports.render(report, signer=None, signed_at=None)
            warm.append(time.perf_counter() - start)
        floor = []
        for _ in range(5):
            start = time.perf_counter()
            pdf.render_pdf("<!doctype html><html><body><h1>Floor</h1><p>One page.</p></body></html>",
                           static_folder=Path(app.static_folder), stylesheets=["css/print.css"])
            floor.append(time.perf_counter() - start)
    import io

    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(data)).pages)
    print(json.dumps({"client": client.display_name, "pages": pages, "kb": len(data) / 1024, "cold": cold,
                      "warm": statistics.median(warm), "floor": statistics.median(floor)}))


if __name__ == "__main__" and "--inside" in sys.argv:
    _inside()
elif __name__ == "__main__" and "--first" in sys.argv:
    _first(warm="--warm" in sys.argv)

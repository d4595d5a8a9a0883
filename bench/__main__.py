"""Run the benchmarks: `make bench` (or `.venv/bin/python -m bench`). Prints the figures and
writes them to bench/results/latest.txt.

Report rendering (issue 7): bench/report.py. Claim export (issue 18): bench/claims.py. Page weight
(issue 21): bench/page_weight.py.

Set logging (issue 5): metpwa's POST /sessions/<id>/sets under gunicorn with 2 sync workers on
SQLite, 16 concurrent connections (wrk -t2 -c16), against the bare floor in bench/floor.py
measured the same way in the same run, in turns over three rounds (the middle ratio is reported);
then one connection for the single-set p50. Each round also measures the stack floor
(bench/stack_floor.py: the packages metpwa is built on, doing the least a set log could).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import stack_floor

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DURATION = os.environ.get("BENCH_SECONDS", "10")
WARM_UP = "2"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))

LUA = r"""
-- Every request a new idempotency key, distinct across wrk's threads (each thread has its own
-- Lua state, so the thread number set in setup() keeps their counters apart).
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
counter = 0
request = function()
  counter = counter + 1
  local body = "session_exercise_id=%s&reps=10&load=5&rpe=6&idempotency_key=" ..
               string.format("bench-%%d-%%d-%%d", tid or 0, counter, os.time())
  return wrk.format("POST", "%s", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "%s",
    ["X-CSRFToken"] = "%s",
    ["HX-Request"] = "true",
  }, body)
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int) -> None:
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


def gunicorn(app: str, port: int, env: dict) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "--workers", "2", "--worker-class", "sync", "--preload",
               "--bind", f"127.0.0.1:{port}", "--log-level", "warning", app]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})
    wait_for(port)
    return process


def wrk(url: str, script: str | None, connections: int, threads: int, seconds: str = DURATION) -> dict[str, float]:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script:
        command[1:1] = ["-s", script]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    figures = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}
    for label, key in (("50%", "p50"), ("99%", "p99")):
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", output).groups()
        figures[key] = float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    figures["non2xx"] = int(errors.group(1)) if errors else 0
    return figures


def middle(rounds: list[tuple[dict, dict]]) -> tuple[dict, dict]:
    """The round whose ratio is the median: its floor and metpwa figures, read side by side."""
    ordered = sorted(rounds, key=lambda pair: pair[1]["rps"] / pair[0]["rps"])
    return ordered[len(ordered) // 2]


def prepare_app(folder: Path) -> tuple[dict, str, str, str, int]:
    """A throw-away metpwa database with one ready client and a started session; returns the
    environment, cookie, CSRF token, the set URL path and one exercise row id."""
    database = f"sqlite:///{folder}/bench.sqlite3"
    from metpwa import keys

    # Production refuses a keyring in the database's folder: it gets one of its own.
    keys.main(["init", str(folder / "keys" / "keyring.json")])
    env = {"METPWA_DATABASE_URL": database, "METPWA_SECRET_KEY": "bench-secret", "METPWA_ENV": "production",
           "METPWA_KEYRING_FILE": str(folder / "keys" / "keyring.json"),
           "METPWA_ARGON2_MEMORY_COST": "8192", "METPWA_ARGON2_TIME_COST": "1"}
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "tests"))
    import flask_migrate

    from conftest import Agent, Factory  # the test suite's factories build a complete chart

    from metpwa import create_app
    from metpwa.permissions import Role

    app = create_app({"SESSION_COOKIE_SECURE": False})
    with app.app_context():
        flask_migrate.upgrade()
    factory = Factory(app)
    practice = factory.practice("Bench Practice")
    trainer = factory.user(practice, Role.TRAINER)
    client_id = factory.ready_client(practice, trainer.id)
    agent = Agent(app.test_client())
    agent.login(trainer)
    started = agent.post(f"/clients/{client_id}/sessions")
    session_path = started.headers["Location"]
    page = agent.get(session_path).get_data(as_text=True)
    item = int(re.search(r'name="session_exercise_id" value="(\d+)"', page).group(1))
    cookie = "metpwa_session=" + agent.client.get_cookie("metpwa_session").value
    sample = agent.post(f"{session_path}/sets", htmx=True, data={"session_exercise_id": str(item), "reps": "10",
                                                                 "load": "5", "rpe": "6",
                                                                 "idempotency_key": "bench-sample-key"})
    env["BENCH_FRAGMENT_BYTES"] = str(len(sample.get_data()))
    return env, cookie, agent.token, f"{session_path}/sets", item


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    RESULTS.mkdir(parents=True, exist_ok=True)
    lines = []
    with tempfile.TemporaryDirectory(prefix="metpwa-bench-") as tmp:
        folder = Path(tmp)
        env, cookie, token, path, item = prepare_app(folder)
        stack_cookie, stack_token = stack_floor.signed_in(stack_floor.create(str(folder / "stack.sqlite3")))
        floor_port, stack_port, app_port = free_port(), free_port(), free_port()
        floor = gunicorn("bench.floor:create('%s')" % (folder / "floor.sqlite3"), floor_port, {})
        stack = gunicorn("bench.stack_floor:create('%s')" % (folder / "stack.sqlite3"), stack_port, {})
        server = gunicorn("metpwa:create_app()", app_port, env)
        try:
            floor_script, stack_script, app_script = folder / "floor.lua", folder / "stack.lua", folder / "app.lua"
            floor_script.write_text(LUA % (item, "/insert", "", ""))
            stack_script.write_text(LUA % (item, "/insert", stack_cookie, stack_token))
            app_script.write_text(LUA % (item, path, cookie, token))
            floor_url, stack_url = f"http://127.0.0.1:{floor_port}/insert", f"http://127.0.0.1:{stack_port}/insert"
            app_url = f"http://127.0.0.1:{app_port}{path}"
            # Warm-up, not counted: each worker's first requests compile templates and statements,
            # and the first seconds of a 16-connection run would otherwise carry them into p99.
            for url, script in ((floor_url, floor_script), (stack_url, stack_script), (app_url, app_script)):
                wrk(url, str(script), 16, 2, seconds=WARM_UP)
            hello = wrk(f"http://127.0.0.1:{floor_port}/hello", None, 16, 2)
            # Turn about, several rounds: on a shared machine the neighbours' load changes from one
            # ten seconds to the next, and a ratio of two runs far apart measures that as well.
            rounds, stack_ratios, over_stack = [], [], []
            for _ in range(ROUNDS):
                floor_round = wrk(floor_url, str(floor_script), 16, 2)
                stack_round = wrk(stack_url, str(stack_script), 16, 2)
                app_round = wrk(app_url, str(app_script), 16, 2)
                rounds.append((floor_round, app_round))
                stack_ratios.append(stack_round["rps"] / floor_round["rps"])
                over_stack.append(app_round["rps"] / stack_round["rps"])
                if stack_round["non2xx"]:
                    raise RuntimeError(f"the stack floor answered {stack_round['non2xx']} requests with an error")
            floor_insert, app_sets = middle(rounds)
            floor_single = wrk(floor_url, str(floor_script), 1, 1)
            app_single = wrk(app_url, str(app_script), 1, 1)
        finally:
            for process in (floor, stack, server):
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=10)
    ratio = app_sets["rps"] / floor_insert["rps"]
    ratios = sorted(app["rps"] / floor["rps"] for floor, app in rounds)
    stack_ratios.sort()
    over_stack.sort()
    lines += [
        f"set logging benchmark ({DURATION} s per run, gunicorn 2 sync workers, SQLite WAL, {os.cpu_count()} cores)",
        f"  floor GET /hello          c16: {hello['rps']:8.0f} req/s  p50 {hello['p50']:.2f} ms  p99 {hello['p99']:.2f} ms",
        f"  floor POST insert         c16: {floor_insert['rps']:8.0f} req/s  p50 {floor_insert['p50']:.2f} ms  "
        f"p99 {floor_insert['p99']:.2f} ms",
        f"  metpwa POST set           c16: {app_sets['rps']:8.0f} req/s  p50 {app_sets['p50']:.2f} ms  "
        f"p99 {app_sets['p99']:.2f} ms  non-2xx {app_sets['non2xx']}",
        f"  ratio metpwa/floor (c16): {ratio:.2f}  (target >= 0.60; the middle of {ROUNDS} rounds, all "
        f"{', '.join(f'{r:.2f}' for r in ratios)})   p99 target < 30 ms: {'met' if app_sets['p99'] < 30 else 'NOT met'}",
        f"  stack floor/floor (c16): {stack_ratios[len(stack_ratios) // 2]:.2f}  (Flask-Login, session cookie, "
        f"Flask-WTF CSRF, Flask-SQLAlchemy insert, Jinja fragment, no metpwa; all "
        f"{', '.join(f'{r:.2f}' for r in stack_ratios)})",
        f"  metpwa/stack floor (c16): {over_stack[len(over_stack) // 2]:.2f}  (what metpwa's own work leaves; all "
        f"{', '.join(f'{r:.2f}' for r in over_stack)})",
        f"  single connection: floor p50 {floor_single['p50']:.2f} ms, metpwa p50 {app_single['p50']:.2f} ms "
        f"(target < 5 ms: {'met' if app_single['p50'] < 5 else 'NOT met'})",
        f"  returned fragment: {env['BENCH_FRAGMENT_BYTES']} bytes (target < 2048)",
    ]
    with tempfile.TemporaryDirectory(prefix="metpwa-bench-report-") as tmp:
        from bench import report

        figures = report.measure(report.prepare(Path(tmp)))
    lines += [
        f"report rendering (a real demo progress report, {figures['client']}; fresh process for cold)",
        f"  pages {figures['pages']}, size {figures['kb']:.0f} KB (target < 300 KB)",
        f"  cold (import to first PDF): {figures['cold']:.2f} s (target < 3 s: {'met' if figures['cold'] < 3 else 'NOT met'})",
        f"  warm median of 5: {figures['warm']:.2f} s (target < 0.6 s: {'met' if figures['warm'] < 0.6 else 'NOT met'});"
        f" floor (bare one-page WeasyPrint render): {figures['floor']:.2f} s; ratio {figures['warm'] / figures['floor']:.1f}x",
        f"  a worker's first report: {figures['first_warmed']:.2f} s warmed by metpwa.wsgi, "
        f"{figures['first_unwarmed']:.2f} s from a bare create_app()",
    ]
    from bench import page_weight

    lines += page_weight.main()
    with tempfile.TemporaryDirectory(prefix="metpwa-bench-claims-") as tmp:
        from bench import claims

        lines += claims.lines(claims.measure(claims.prepare(Path(tmp))))
    text = "\n".join(lines)
    print(text)
    (RESULTS / "latest.txt").write_text(text + "\n")


if __name__ == "__main__":
    main()

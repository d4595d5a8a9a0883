"""Browser fixtures: the app served on a real port with the demo practice, Debian's
Chromium driven by Playwright under iPad emulation (touch), screenshots of failures."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from metpwa import demo
from metpwa.rules import totp

CHROMIUM = os.environ.get("METPWA_CHROMIUM", "/usr/bin/chromium")
# As root, without a GPU, with no background traffic: this machine's network is closed.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(os.environ.get("METPWA_SCREENSHOTS", Path(tempfile.gettempdir()) / "metpwa-screenshots"))

PORTRAIT = {"width": 820, "height": 1180}
LANDSCAPE = {"width": 1180, "height": 820}


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def live_server(demo_template):
    """The app on 127.0.0.1 (a secure context, so the service worker runs) with the demo practice: a
    copy of the run's one seeded demo."""
    app, cleanup = demo_template.app()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.app = app
    server.url = f"http://127.0.0.1:{server.server_port}"
    _LIVE["app"] = app
    yield server
    _LIVE.clear()
    server.shutdown()
    thread.join()
    cleanup()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        # Fail, never skip: a missing browser must not look like a green run.
        pytest.fail(f"Debian's Chromium is not at {CHROMIUM}; run `make test` (it installs it) or apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        browser.ipad = playwright.devices["iPad (gen 7)"]
        yield browser
        browser.close()


def _context(browser, viewport):
    device = dict(browser.ipad)
    device["viewport"] = viewport
    device["screen"] = viewport
    return browser.new_context(**device)


@pytest.fixture
def ipad(browser, live_server, request):
    """A fresh iPad in portrait (820 x 1180), touch on."""
    context = _context(browser, PORTRAIT)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base = live_server.url
    yield page
    _screenshot_if_failed(request, page)
    context.close()


@pytest.fixture
def new_ipad(browser, live_server, request):
    contexts = []

    def make(viewport=PORTRAIT):
        context = _context(browser, viewport)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.base = live_server.url
        return page

    yield make
    for context in contexts:
        for page in context.pages:
            _screenshot_if_failed(request, page)
        context.close()


def _screenshot_if_failed(request, page):
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"FAILED-{request.node.name}-{id(page)}.png"
        page.screenshot(path=str(path), full_page=True)
        print(f"\nscreenshot of the failure: {path}")


def sign_in(page, email: str, password: str = demo.DEMO_PASSWORD, *, secret: str = demo.DEMO_TOTP_SECRET):
    """Sign in the way a trainer does: tap each field, type, tap the button; the owner and the
    biller then type the code their authenticator app shows."""
    type_password(page, email, password)
    page.wait_for_url(lambda url: urlsplit(url).path != "/login")
    if urlsplit(page.url).path == "/login/code":
        type_code(page, email, secret)
    page.wait_for_url(lambda url: not urlsplit(url).path.startswith("/login"))


def type_password(page, email: str, password: str = demo.DEMO_PASSWORD):
    page.goto(page.base + "/login")
    page.tap("#email")
    page.keyboard.type(email)
    page.tap("#password")
    page.keyboard.type(password)
    page.tap("button[type=submit]")


def type_code(page, email: str, secret: str = demo.DEMO_TOTP_SECRET):
    page.tap("#code")
    page.keyboard.type(app_code(email, secret))
    page.tap("button[type=submit]")


_last_step: dict[str, int] = {}
_LIVE: dict[str, object] = {}


def app_code(email: str, secret: str = demo.DEMO_TOTP_SECRET) -> str:
    """What the person's authenticator app shows: each code works once, so a second sign-in within
    the same 30 seconds takes the next step's code (one step of drift is allowed). A fourth within
    the same 30 seconds would wait for the next step; the live server is told instead that the
    codes used are behind it (as they would be 30 seconds later): the owner and the biller sign in
    in many tests, and those waits were minutes of each run. A code used twice is refused in
    tests/test_two_factor.py."""
    moment = time.time()
    now = totp.step_at(moment)
    # The last step's code is taken only until this step ends: in its last 10 seconds, typing and a
    # busy machine can carry the check into the next step, where that code is two steps old.
    early = moment - now * totp.STEP_SECONDS < totp.STEP_SECONDS - 10
    oldest = now - totp.DRIFT_STEPS if early else now
    step = max(oldest, _last_step.get(email, now - 10) + 1)
    if step > now + totp.DRIFT_STEPS:
        if _codes_used_behind(email, now):
            step = now
        else:
            time.sleep((step - totp.DRIFT_STEPS) * totp.STEP_SECONDS - time.time() + 0.5)
    _last_step[email] = step
    return totp.code_for(secret, step)


def _codes_used_behind(email: str, now: int) -> bool:
    app = _LIVE.get("app")
    if app is None:
        return False
    with app.app_context():
        from sqlalchemy import select

        from metpwa.extensions import db
        from metpwa.models import User

        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            return False
        user.totp_last_step = now - totp.DRIFT_STEPS - 1
        db.session.commit()
    return True


def until(page, script: str, seconds: float = 5.0) -> None:
    """Waits for a condition by evaluating it (wait_for_function would need eval, which the CSP forbids)."""
    for _ in range(int(seconds * 10)):
        if page.evaluate(script):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {script}")


def session_under_way(live_server) -> tuple[int, int]:
    """A session under way for the demo client whose plan has the most exercises (seven), two sets
    into its first exercise as the demo leaves one, whatever the day: (its id, how many exercises)."""
    with live_server.app.app_context():
        from decimal import Decimal

        from sqlalchemy import func, select

        from metpwa.extensions import db
        from metpwa.models import Client, PlanExercise, PlanVersion, SessionLog, SetLog, User
        from metpwa.services import sessions

        plan = db.session.scalar(select(PlanVersion).join(PlanExercise, PlanExercise.plan_id == PlanVersion.id)
                                 .where(PlanVersion.superseded_at.is_(None)).group_by(PlanVersion.id)
                                 .order_by(func.count(PlanExercise.id).desc(), PlanVersion.id))
        running = db.session.scalar(select(SessionLog).where(SessionLog.plan_id == plan.id, SessionLog.signed_at.is_(None)))
        if running is None:
            trainer = db.session.scalar(select(User).where(User.email == "marcus@riverside.example"))
            running = sessions.open_session(trainer, db.session.get(Client, plan.client_id), plan=plan)
            first = running.exercises[0]
            for number in (1, 2):
                db.session.add(SetLog(practice_id=running.practice_id, session_id=running.id, session_exercise_id=first.id,
                                      set_number=number, reps=12, rpe=Decimal(5 + number), performed_at=running.started_at,
                                      idempotency_key=f"focus-{running.id}-{number}", entered_by_id=trainer.id))
            db.session.commit()
        return running.id, len(running.exercises)


# Clients other browser tests find by name (or count sets of): a test that logs sets or signs a
# session takes a client of its own with own_session, so the order tests run in changes nothing.
NAMED_IN_TESTS = {"Ellison", "Brooks", "Feldman", "Jefferson", "Castillo", "Kowalski", "DiMarco", "Henrietta", "Kim"}
_OWN_PLANS: dict[str, int] = {}


def own_session(live_server, label: str) -> int:
    """A session under way for a client of `label`'s own: the longest current plan (two or more
    exercises) of a client no other test names and no other label has taken. The same label gets the
    same client's running session again, or a new one once it was signed. The demo has four such
    clients: tests that only count what they add themselves share a label."""
    session_id, _ = session_under_way(live_server)
    with live_server.app.app_context():
        from sqlalchemy import func, select

        from metpwa.extensions import db
        from metpwa.models import Client, PlanExercise, PlanVersion, SessionLog, User
        from metpwa.services import sessions

        if label not in _OWN_PLANS:
            taken = {db.session.get(SessionLog, session_id).plan_id, *_OWN_PLANS.values()}
            plan_id = db.session.scalar(
                select(PlanVersion.id).join(PlanExercise, PlanExercise.plan_id == PlanVersion.id)
                .join(Client, Client.id == PlanVersion.client_id)
                .where(PlanVersion.superseded_at.is_(None), PlanVersion.id.not_in(taken),
                       Client.last_name.not_in(NAMED_IN_TESTS))
                .group_by(PlanVersion.id).having(func.count(PlanExercise.id) >= 2)
                .order_by(func.count(PlanExercise.id).desc(), PlanVersion.id))
            if plan_id is None:
                pytest.fail(f"the demo has no client left for {label!r}: add one or share a label")
            _OWN_PLANS[label] = plan_id
        plan = db.session.get(PlanVersion, _OWN_PLANS[label])
        running = db.session.scalar(select(SessionLog).where(SessionLog.plan_id == plan.id,
                                                             SessionLog.signed_at.is_(None)))
        if running is None:
            trainer = db.session.scalar(select(User).where(User.email == "marcus@riverside.example"))
            running = sessions.open_session(trainer, db.session.get(Client, plan.client_id), plan=plan)
            db.session.commit()
        return running.id

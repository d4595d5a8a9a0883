"""axe-core (vendored beside this file, MPL-2.0) on an iPad: every step of the health history, with
every follow-up question shown, a completed one's summary, and the session screen in focus mode report no WCAG 2.1 A or AA
violation."""

from pathlib import Path

import pytest

from metpwa.standards.intake_form import STEPS

from .conftest import LANDSCAPE, PORTRAIT, session_under_way, sign_in

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe-core-4.14.1.min.js").read_text(encoding="utf-8")
# page.evaluate goes through the DevTools protocol, so the page's strict CSP (no inline, no eval) stays on.
RUN_AXE = """async () => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
  return result.violations.map(v => `${v.id}: ${v.help} at ${v.nodes.map(n => n.target.join(' ')).join(', ')}`);
}"""


def violations(page) -> list[str]:
    page.evaluate(AXE)
    return page.evaluate(RUN_AXE)


def _client_with_an_open_health_history(live_server) -> tuple[int, int]:
    """(a client whose health history is still a draft, a client whose history is complete)."""
    with live_server.app.app_context():
        from sqlalchemy import select

        from metpwa.extensions import db
        from metpwa.models import Client, IntakeResponse, User
        from metpwa.services import intake

        complete = db.session.scalar(select(Client.id).where(Client.last_name == "Ellison"))
        done = select(IntakeResponse.client_id).where(IntakeResponse.completed_at.is_not(None))
        client = db.session.scalar(select(Client).where(Client.id.not_in(done)).order_by(Client.id))
        if client is None:
            client = db.session.scalar(select(Client).where(Client.id != complete).order_by(Client.id.desc()))
        trainer = db.session.scalar(select(User).where(User.email == "marcus@riverside.example"))
        intake.start_or_resume(trainer, client, fresh=True)
        return client.id, complete


def test_every_intake_step_with_its_follow_up_questions_has_no_axe_violation(ipad, live_server):
    client_id, complete = _client_with_an_open_health_history(live_server)
    sign_in(ipad, "marcus@riverside.example")
    ipad.goto(f"{ipad.base}/clients/{complete}/intake")
    found = {"overview": problems} if (problems := violations(ipad)) else {}
    for step in STEPS:
        ipad.goto(f"{ipad.base}/clients/{client_id}/intake/steps/{step.key}")
        assert ipad.locator(".intake-step h1").inner_text() == step.title
        # The follow-ups a "yes" reveals are checked too: they are the ones that lacked names.
        ipad.evaluate("() => document.querySelectorAll('[data-show-if]').forEach(el => { el.hidden = false; })")
        if problems := violations(ipad):
            found[step.key] = problems
    assert found == {}


@pytest.mark.parametrize("viewport", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
def test_the_session_screen_has_no_axe_violation(new_ipad, live_server, viewport):
    session_id, _ = session_under_way(live_server)
    ipad = new_ipad(viewport)
    sign_in(ipad, "marcus@riverside.example")
    ipad.goto(f"{ipad.base}/sessions/{session_id}")
    assert violations(ipad) == []


def _staff_screens(live_server) -> list[str]:
    """Every screen the practice's staff work in, with the demo's fullest chart (Ellison's)."""
    with live_server.app.app_context():
        from sqlalchemy import select

        from metpwa.extensions import db
        from metpwa.models import Client, ProgressReport

        client_id = db.session.scalar(select(Client.id).where(Client.last_name == "Ellison"))
        report_id = db.session.scalar(select(ProgressReport.id).where(ProgressReport.client_id == client_id)
                                      .order_by(ProgressReport.id))
    return ["/", "/schedule", "/clients", f"/clients/{client_id}", f"/clients/{client_id}/plan",
            f"/clients/{client_id}/assessments", f"/clients/{client_id}/measures", f"/clients/{client_id}/measures/tug",
            f"/clients/{client_id}/reports", f"/reports/{report_id}", "/staff", "/billing/setup",
            "/claims", "/readiness", "/referral-sources"]


@pytest.mark.parametrize("viewport", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
def test_every_staff_screen_has_no_axe_violation(new_ipad, live_server, viewport):
    """Issue 21: Today, the schedule, the clients list, the chart, the plan, assessments, measures (TUG),
    the reports list and a report, staff, billing set-up, the claims queue, readiness and the referral
    network, as the owner (who sees them all)."""
    ipad = new_ipad(viewport)
    sign_in(ipad, "dana@riverside.example")
    found = {}
    for path in _staff_screens(live_server):
        ipad.goto(ipad.base + path)
        ipad.wait_for_load_state("networkidle")
        if problems := violations(ipad):
            found[path] = problems
    assert found == {}

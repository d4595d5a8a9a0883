"""Reading, walked over the URL map: every GET the owner can open (each URL variable a real record of the
fully documented client) must leave the records as they were, and every one that shows a client's data
must leave its read in the audit trail, naming that client.

  * "changes nothing": no row written outside the audit trail and the sign-in throttle (the sign-in's
    last-seen touch is held off by calm_sessions). A disclosure, a draft or a counter made by opening a
    page is a change nobody asked for, and a prefetching browser or a crawler with a cookie repeats it;
  * "read audited": an answer (2xx) from a route whose URL names a client's record writes a `read` (or,
    for a file, `export`) event for that client, committed with the answer. HIPAA 164.312(b) asks for a
    record of who looked at whose chart; a page that shows it without one is a gap in that record.
"""

from __future__ import annotations

from sqlalchemy import text

from .walker import effects, routes, url_for_route

SUMMARY = ("GET walk: {gets} GETs opened as the owner, {changed} changed a record; {client_gets} show a client's "
           "data, {audited} of them audited ({coverage}% read-audit coverage), {exempt} show none (listed with why), {moved_on} redirected")

# URL variables that name one client's record: a page reached through them shows that client.
CLIENT_RECORD = frozenset({"client_id", "session_id"})

# Pages under a client's URL that show nothing of the client's record, with why: nothing to audit.
SHOWS_NO_CLIENT_DATA = {
    "plans.goal_row": "an empty goal row for the plan builder",
    "plans.exercise_row": "a library exercise's defaults as a new plan row",
    "plans.pick": "a search of the practice's exercise library",
    "sessions.pick": "a search of the practice's exercise library",
}

# Nothing is exempt: the sign-in's last-seen touch is held off (calm_sessions), and the lock screen
# only shows a sign-in already locked (locking is POST /lock), so a GET writes not even the sign-in.
SIGN_IN: frozenset[str] = frozenset()

_READS = text("SELECT count(*) FROM audit_event WHERE client_id = :client AND action IN ('read', 'export', 'print') "
              "AND id > :after")
_LAST = text("SELECT coalesce(max(id), 0) FROM audit_event")


def _client_gets(app):
    for route in routes(app):
        if route.method == "GET" and not route.public and CLIENT_RECORD & set(route.arguments):
            yield route


def test_every_get_changes_nothing(app, world, personas, agent, probe, calm_sessions, figures):
    agent.login(personas.owner)
    changed = []
    for route in routes(app):
        if route.method != "GET":
            continue
        url = url_for_route(app, route, world.home, world.unavailable)
        outcome = probe.send(agent, route, url)
        figures["gets"] += 1
        written = [table for table in effects(outcome) if table not in SIGN_IN]
        if written:
            changed.append(f"GET {url} -> {outcome.status} wrote to {written}")
    figures["changed"] = len(changed)
    assert not changed, "opening a page changed records:\n" + "\n".join(changed)


def test_every_get_showing_a_client_is_audited(app, world, personas, agent, probe, calm_sessions, figures):
    agent.login(personas.owner)
    client_id = world.home["client_id"]
    unaudited = []
    for route in _client_gets(app):
        if route.endpoint in SHOWS_NO_CLIENT_DATA:
            figures["exempt"] += 1
            continue
        url = url_for_route(app, route, world.home, world.unavailable)
        with probe.connection.begin_nested() as savepoint:
            after = probe.connection.execute(_LAST).scalar_one()
            savepoint.rollback()
        outcome = probe.send(agent, route, url,
                             inspect=lambda connection: connection.execute(_READS, {"client": client_id,
                                                                                    "after": after}).scalar_one())
        if 300 <= outcome.status < 400:
            figures["moved_on"] += 1  # sends the browser elsewhere (a comparison needs a second assessment)
            continue
        assert 200 <= outcome.status < 300, f"the owner could not open {url}: {outcome.status}"
        figures["client_gets"] += 1
        if outcome.inspected:
            figures["audited"] += 1
        else:
            unaudited.append(f"GET {url} ({route.endpoint}) shows the client and leaves no read event")
    figures["coverage"] = round(100 * figures["audited"] / figures["client_gets"])
    assert not unaudited, f"{len(unaudited)} reads of client data not audited:\n" + "\n".join(unaudited)


def test_opening_an_intake_step_makes_no_draft_until_an_answer_is_saved(app, world, personas, agent, make):
    """Found by an outside probe: opening an intake step (staff or hand-off) created a draft. It is now made
    by the POST that saves the first answer."""
    from sqlalchemy import func, select

    from metpwa.extensions import db
    from metpwa.models import IntakeResponse
    from support.intake import step_posts

    client_id = make.client_record(personas.practice_id, first="Nora", last="Nodraft")

    def drafts() -> int:
        with app.app_context():
            return db.session.scalar(select(func.count()).select_from(IntakeResponse)
                                     .where(IntakeResponse.client_id == client_id))

    agent.login(personas.colleague)
    assert agent.get(f"/clients/{client_id}/intake/steps/goals").status_code == 200
    assert agent.post(f"/clients/{client_id}/intake/steps/goals", data={}).status_code == 422
    assert drafts() == 0
    first = next(iter(step_posts()))
    assert agent.post(f"/clients/{client_id}/intake/steps/{first}", data=step_posts()[first]).status_code == 303
    assert drafts() == 1


def test_a_pdf_download_is_a_post_recording_its_disclosure(app, world, personas, agent):
    """Found by an outside probe: each GET of a report's PDF added a disclosure to the accounting."""
    from sqlalchemy import func, select

    from metpwa.extensions import db
    from metpwa.models import Disclosure

    agent.login(personas.colleague)
    url = f"/clients/{world.home['client_id']}/reports/{world.home['report_id']}.pdf"
    assert agent.get(url).status_code == 405
    response = agent.post(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Disclosure)
                                 .where(Disclosure.client_id == world.home["client_id"])) == 1

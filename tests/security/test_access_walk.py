"""Access control, walked over the whole URL map: every rule and method, as anonymous, as each role,
as an outsider from another practice holding the home practice's real ids, and as a client holding
the iPad in hand-off mode. New routes are probed as soon as they are registered.

What counts as a leak (each one is listed with the request that caused it):
  * anonymous: any answer to a non-public view other than a 303 to /login (plain), a 401 with an
    HX-Redirect to /login and an empty body (htmx), or a 400 CSRF refusal (a POST without a token);
  * a role lacking the view's `metpwa_capability` (permissions.can): any answer below 400
    (a 2xx shows the page, a 3xx means the action ran and moved on);
  * the outsider, for a URL holding a home-practice value: any 2xx, and for a record id any answer
    that differs from the answer for an id that does not exist (that difference confirms the record);
  * hand-off mode: any staff view answering other than the way back to /handoff;
  * anyone: a canary planted in client data they are not entitled to (the other practice's data;
    the client's health-history words for a role without clinical.view; anything at all for
    anonymous and for the client in hand-off, who may see only their own forms);
  * any refusal (4xx, or the redirect to sign in) that changed a row outside the audit trail.
Every state-changing route is also posted as each role with junk in every field any form of the app has,
so that its error page is drawn: an error page shows only what the role may open (the canaries above).
Server errors (5xx) are counted apart and must be zero too.
"""

from __future__ import annotations

from collections import Counter

from metpwa.permissions import can

from .walker import Outcome, discover_forms, effects, ghost_url, names_a_record, routes, url_for_route

SUMMARY = ("access walk: {requests} requests over {routes} routes (rule x method) as anonymous, 4 roles, an "
           "outsider and a client in hand-off; {leaks} leaks ({known} more already shown by xfail tests), "
           "{server_errors} server errors, {refused_writes} rows "
           "written by refused requests; self-check caught {planted} planted leaks; error pages: {error_posts} posts "
           "(empty and junk) to {change_routes} state-changing routes as 4 roles, {error_leaks} showed what the role "
           "cannot open")
ROLES = ("owner", "colleague", "front_desk", "biller")
JUNK = "zz-junk-99999999999999"

# Known bugs, each shown by an xfail test, that the walk would otherwise report on every run:
# (endpoint, words of the leak) -> the xfail test. Remove the entry when its test starts passing.
KNOWN_BUGS: dict[tuple[str, str], str] = {}


def _holds_home_value(route) -> bool:
    # A record id, or `key`: a consent form key only the home practice has.
    return names_a_record(route) or "key" in route.arguments


class Ledger:
    def __init__(self):
        self.leaks: list[str] = []
        self.server_errors: list[str] = []
        self.refused_writes = 0
        self.seen: Counter[tuple[str, str]] = Counter()
        self.routes = 0
        self.known: list[str] = []
        self.error_posts = 0
        self.error_leaks = 0
        self.change_routes = 0

    def check(self, actor: str, outcome: Outcome, *, ok: bool, why: str, entitled: set[str],
              canaries: tuple[str, ...], htmx: bool, junk: bool = False) -> None:
        where = (f"{actor}{' (htmx)' if htmx else ''}: {outcome.route.method} {outcome.url}{' with junk' if junk else ''}"
                 f" -> {outcome.status}")
        if outcome.route.method != "GET" and actor in ROLES:
            self.error_posts += 1
            if any(canary in outcome.body and canary not in entitled for canary in canaries):
                self.error_leaks += 1
        if outcome.status >= 500:
            self.server_errors.append(where)
        if not ok:
            self.leak(outcome, f"{where}: {why}")
        for canary in canaries:
            if canary in outcome.body:
                self.seen[(actor, canary)] += 1
                if canary not in entitled:
                    self.leak(outcome, f"{where}: shows {canary!r}")
        # Sign-out is public and ends on /login by design; elsewhere the way to /login is a refusal.
        refused = 400 <= outcome.status < 500 or not outcome.route.public and (
            outcome.location.startswith("/login") or outcome.hx_redirect.startswith("/login"))
        written = effects(outcome)
        if refused and written:
            self.refused_writes += len(written)
            self.leak(outcome, f"{where}: refused, yet wrote to {written}")

    def leak(self, outcome: Outcome, text: str) -> None:
        if any(endpoint == outcome.route.endpoint and words in text for endpoint, words in KNOWN_BUGS):
            self.known.append(text)
        else:
            self.leaks.append(text)


def _anonymous_ok(outcome: Outcome, htmx: bool, csrf: bool) -> tuple[bool, str]:
    if outcome.route.method != "GET" and not csrf:
        return outcome.status == 400, "a POST without a CSRF token must be refused with 400"
    if htmx:
        return (outcome.status == 401 and outcome.hx_redirect.startswith("/login") and outcome.body == "",
                "htmx must get 401 + HX-Redirect to /login and no body")
    return outcome.status == 303 and outcome.location.startswith("/login"), "must be a 303 to /login"


def test_every_url_variable_has_a_real_record_in_both_practices(app, world):
    for route in routes(app):
        url_for_route(app, route, world.home, world.unavailable)
        url_for_route(app, route, world.other, world.unavailable)


def junk_form(app, world, probe, agent) -> dict[str, str]:
    """Junk (not a number, a date or a choice) in every field of every form the agent is shown."""
    names = {field["name"] for _, form in discover_forms(app, world, probe, agent, lambda endpoint, form: True)
             for field in form.fields if field["name"] and field["name"] != "csrf_token"}
    return {name: JUNK for name in sorted(names)}


def walk(app, world, personas, new_agent, probe, *, only: set[str] | None = None) -> Ledger:
    """Probe every route (or only these endpoints) as every actor; the ledger holds what leaked."""
    home, other = world.home_canaries, world.other_canaries
    every_canary = (*home.everything, *other.everything)
    ledger = Ledger()

    anonymous = new_agent()
    anonymous.refresh_token("/login")  # an attacker can always get a token for an anonymous session
    agents = {}
    for name in (*ROLES, "outsider"):
        agents[name] = new_agent()
        assert agents[name].login(getattr(personas, name)).status_code == 303
    handoff = new_agent()
    handoff.login(personas.colleague)
    assert handoff.post(f"/handoff/start/{world.handoff_client_id}").headers["Location"] == "/handoff"

    persona_role = {persona: getattr(personas, persona).role for persona in ROLES}
    # A partial walk (the self-check) posts junk in a field the planted routes read; the full one in every field.
    junk = junk_form(app, world, probe, agents["owner"]) if only is None else {"first_name": JUNK}
    for route in routes(app):
        if only is not None and route.endpoint not in only:
            continue
        url = url_for_route(app, route, world.home, world.unavailable)
        for htmx in (False, True):
            # Anonymous, with and without a CSRF token. Public views are exempt from the status rules only,
            # because they must answer before sign-in: the sign-in form and its POST, sign-out (it must work
            # when the sign-in has already ended), the manifest, service worker and offline page (the browser
            # fetches them without cookies to install the app), the health check (for the deployment's
            # monitor) and the static shell files. Their bodies are still checked for canaries, their writes
            # too.
            # (The csrf walk sends the tokenless htmx POSTs.)
            for csrf in ((True, False) if route.method != "GET" and not htmx else (True,)):
                outcome = probe.send(anonymous, route, url, htmx=htmx, csrf=csrf)
                ok, why = (True, "") if route.public else _anonymous_ok(outcome, htmx, csrf)
                ledger.check("anonymous", outcome, ok=ok, why=why, entitled=set(), canaries=every_canary, htmx=htmx)

            for persona in ROLES:
                role = persona_role[persona]
                if htmx and not route.public and (not route.capability or can(role, route.capability)):
                    continue  # an htmx request is judged like a plain one once the role may use the view
                outcome = probe.send(agents[persona], route, url, htmx=htmx)
                ok, why = True, ""
                if route.capability and not can(role, route.capability) and not route.public:
                    ok, why = outcome.status >= 400, f"{persona} ({role}) lacks {route.capability}"
                entitled = set(home.identity) if can(role, "clients.view") else set()
                if can(role, "clinical.view"):
                    entitled.add(home.clinical)
                ledger.check(persona, outcome, ok=ok, why=why, entitled=entitled, canaries=every_canary,
                             htmx=htmx)
                if route.method != "GET" and not htmx:
                    # The same change with junk everywhere: the error page it draws, seen by this role.
                    outcome = probe.send(agents[persona], route, url, data=junk)
                    ledger.check(persona, outcome, ok=ok, why=why, entitled=entitled, canaries=every_canary,
                                 htmx=htmx, junk=True)

            outcome = probe.send(agents["outsider"], route, url, htmx=htmx)
            ok, why = True, ""
            if _holds_home_value(route) and not route.public:
                if 200 <= outcome.status < 300:
                    ok, why = False, "another practice's id answered 2xx"
                elif names_a_record(route):
                    # The answer must be the one for an id that does not exist, or it confirms the record.
                    ghost = probe.send(agents["outsider"], route, ghost_url(app, route, world.home), htmx=htmx)
                    if (ghost.status, ghost.location) != (outcome.status, outcome.location):
                        ok, why = False, (f"another practice's id answers {outcome.status} {outcome.location}, a "
                                          f"missing one {ghost.status} {ghost.location}: the id is confirmed")
            ledger.check("outsider", outcome, ok=ok, why=why, entitled=set(other.everything),
                         canaries=every_canary, htmx=htmx)

            outcome = probe.send(handoff, route, url, htmx=htmx)
            ok, why = True, ""
            if not (route.public or route.lock_exempt or route.handoff):
                if htmx:
                    ok = outcome.status == 401 and outcome.hx_redirect == "/handoff"
                else:
                    ok = outcome.status == 303 and outcome.location == "/handoff"
                why = "in hand-off every staff view must lead back to /handoff"
            ledger.check("hand-off", outcome, ok=ok, why=why, entitled=set(), canaries=every_canary, htmx=htmx)
        ledger.routes += 1
        ledger.change_routes += route.method != "GET"
    return ledger


def test_access_walk(app, world, personas, new_agent, probe, calm_sessions, figures):
    home, other = world.home_canaries, world.other_canaries
    ledger = walk(app, world, personas, new_agent, probe)
    figures.update(requests=probe.sent, routes=ledger.routes, leaks=len(ledger.leaks), known=len(ledger.known),
                   server_errors=len(ledger.server_errors), refused_writes=ledger.refused_writes,
                   error_posts=ledger.error_posts, change_routes=ledger.change_routes, error_leaks=ledger.error_leaks)
    # The canaries must actually reach the people entitled to them, or the walk proves nothing.
    assert ledger.seen[("biller", home.name)] and ledger.seen[("front_desk", home.reason)]
    assert ledger.seen[("owner", home.clinical)] and ledger.seen[("colleague", home.clinical)]
    assert ledger.seen[("owner", home.document)] and ledger.seen[("owner", home.member_id)]
    assert ledger.seen[("outsider", other.name)], "the outsider sees their own practice's clients"
    assert not ledger.server_errors, "\n".join(ledger.server_errors)
    assert not ledger.leaks, f"{len(ledger.leaks)} leaks:\n" + "\n".join(ledger.leaks)


def test_the_walk_catches_planted_leaks(app, world, personas, new_agent, probe, calm_sessions, monkeypatch,
                                        figures):
    """The walk is only worth its zero if it sees a leak: plant an unscoped loader and a role check that
    lets everyone through, and it must name them."""
    from flask import abort

    from metpwa.blueprints.clients import routes as client_routes
    from metpwa.extensions import db
    from metpwa.models import User
    from metpwa.services.signin import SignedIn

    def unscoped(model, ident):
        return db.session.get(model, ident) or abort(404)

    monkeypatch.setattr(client_routes, "get_for_practice", unscoped)
    # Both ways a role is checked: the request's principal (@requires) and the User (in views).
    monkeypatch.setattr(User, "can", lambda self, capability: True)
    monkeypatch.setattr(SignedIn, "can", lambda self, capability: True)
    ledger = walk(app, world, personas, new_agent, probe, only={"clients.edit_details", "assessments.show"})
    figures["planted"] += len(ledger.leaks)
    text = "\n".join(ledger.leaks)
    assert "outsider: GET /clients/" in text and world.home_canaries.name in text
    assert "biller (biller) lacks clinical.view" in text and "front_desk (front_desk) lacks clients" not in text


def test_front_desk_cannot_read_draft_health_answers_through_hand_off(app, new_agent, personas, make):
    """Found here: front desk (no clinical.view) could start hand-off and read a draft's saved answers,
    pre-filled in /handoff/intake/<step>, although the intake overview hides them."""
    client_id = make.client_record(personas.practice_id, first="Ivy", last="Draftanswers")
    trainer = new_agent()
    trainer.login(personas.colleague)
    secret = "Warfarinzq 5 mg nightly"
    assert trainer.post(f"/clients/{client_id}/intake/steps/medications", data={
        "takes_medications": "yes", "medications-0-name": secret, "medications-0-dose": "5 mg",
        "medications-0-reason": "clots"}).status_code == 303
    desk = new_agent()
    desk.login(personas.front_desk)
    assert secret not in desk.get(f"/clients/{client_id}/intake").get_data(as_text=True)
    assert desk.post(f"/handoff/start/{client_id}").status_code == 303
    assert secret not in desk.get("/handoff/intake/medications").get_data(as_text=True)


def test_a_refused_session_signature_changes_nothing(app, world, personas, agent):
    """Found by the walk (a refusal that wrote): sessions.sign() committed finish() (ended_at, minutes)
    before checking the note, so a refused signature stopped the session clock."""
    from metpwa.extensions import db
    from metpwa.models import SessionLog

    agent.login(personas.colleague)
    session_id = world.home["session_id"]
    response = agent.post(f"/sessions/{session_id}/sign", data={"note_performance": ""})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(SessionLog, session_id).ended_at is None


def test_front_desk_refused_acknowledgement_shows_no_plan(app, world, personas, agent):
    """Found by an outside probe: front desk (no clinical.view) posting junk to a plan's acknowledgement got
    a 422 with the whole Plan of Exercise. The refusal shows the acknowledgement form alone."""
    agent.login(personas.front_desk)
    response = agent.post(f"/clients/{world.home['client_id']}/plan/versions/{world.home['plan_id']}/acknowledgement",
                          data={"received_on": "junk", "method": "junk"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "Enter the date it came back" in body
    assert world.home_canaries.clinical not in body and "Goals" not in body and "Exercises" not in body

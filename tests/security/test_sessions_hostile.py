"""Sessions under attack, over the whole URL map: the idle lock and the absolute lifetime hold for
htmx requests too (401 + HX-Redirect, no body), a cookie kept from before sign-out opens nothing
(GET, POST with its old CSRF token, htmx), and one practice's sign-in reaches none of another
practice's ids (each gets exactly the answer an id that does not exist gets)."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import update

from metpwa.models import StaffSession, utcnow

from .walker import COOKIE, Outcome, effects, ghost_url, names_a_record, routes, url_for_route


SUMMARY = ("sessions: {idle} requests on an idle-locked sign-in, {expired} past the absolute lifetime, {replayed} "
           "with a cookie replayed after sign-out, {cross} with another practice's ids, {half_signed} on a sign-in "
           "still owing its two-step code; {lock_tries} tries to lock a sign-in by GET or without a token, {locked_by} locked it; "
           "{through} got through")


def _age(app, db, **columns_ago: timedelta) -> None:
    with app.app_context():
        db.session.execute(update(StaffSession).where(StaffSession.ended_at.is_(None))
                           .values({name: utcnow() - ago for name, ago in columns_ago.items()}))
        db.session.commit()


def _walk_guarded(app, world, probe, agent, *, expect_to: str, skip_lock_exempt: bool,
                  skip_second_step: bool = False) -> tuple[int, list[str]]:
    """Every non-public route, plain and htmx: a 303 to `expect_to` or a 401 with HX-Redirect and no body."""
    failures, sent = [], 0
    for route in routes(app):
        if route.public or (skip_lock_exempt and route.lock_exempt):
            continue
        if skip_second_step and getattr(route.view, "metpwa_second_step", False):
            continue
        url = url_for_route(app, route, world.home, world.unavailable)
        for htmx in (False, True):
            outcome: Outcome = probe.send(agent, route, url, htmx=htmx)
            sent += 1
            where = f"{route.method} {url}{' (htmx)' if htmx else ''} -> {outcome.status}"
            if htmx:
                if not (outcome.status == 401 and outcome.hx_redirect.startswith(expect_to) and outcome.body == ""):
                    failures.append(f"{where}: expected 401, HX-Redirect {expect_to}..., no body")
            elif not (outcome.status == 303 and outcome.location.startswith(expect_to)):
                failures.append(f"{where}: expected 303 to {expect_to}")
            if any(canary in outcome.body for canary in world.home_canaries.everything):
                failures.append(f"{where}: shows client data")
            # Locking the idle session is the one write the refusal is allowed.
            written = [table for table in effects(outcome) if table != "staff_session"]
            if written:
                failures.append(f"{where}: wrote to {written}")
    return sent, failures


def test_idle_lock_holds_for_every_route_plain_and_htmx(app, db, world, personas, agent, probe, figures):
    agent.login(personas.colleague)
    _age(app, db, last_seen_at=timedelta(minutes=11))
    sent, failures = _walk_guarded(app, world, probe, agent, expect_to="/lock", skip_lock_exempt=True)
    figures.update({"idle": sent})
    figures["through"] += len(failures)
    assert not failures, "\n".join(failures)


def test_absolute_lifetime_holds_for_every_route_plain_and_htmx(app, db, world, personas, agent, probe,
                                                               figures):
    agent.login(personas.owner)
    # Busy all shift (seen a minute ago), but signed in 13 hours ago: the 12-hour lifetime is over.
    _age(app, db, created_at=timedelta(hours=13), last_seen_at=timedelta(minutes=1))
    sent, failures = _walk_guarded(app, world, probe, agent, expect_to="/login", skip_lock_exempt=False)
    figures.update({"expired": sent})
    figures["through"] += len(failures)
    assert not failures, "\n".join(failures)


def test_a_half_signed_sign_in_reaches_only_its_second_step(app, world, personas, agent, probe, calm_sessions,
                                                            figures):
    """Password right, code not yet typed: every route but the code step leads to the code step, even
    with a valid CSRF token, and nothing is written or shown."""
    agent.refresh_token("/login")
    first = agent.client.post("/login", data={"email": personas.owner.email, "password": personas.owner.password,
                                              "csrf_token": agent.token})
    assert first.headers["Location"] == "/login/code"
    agent.refresh_token("/login/code")
    sent, failures = _walk_guarded(app, world, probe, agent, expect_to="/login/code", skip_lock_exempt=False,
                                   skip_second_step=True)
    figures.update({"half_signed": sent})
    figures["through"] += len(failures)
    assert not failures, "\n".join(failures)


def test_a_cookie_kept_from_before_sign_out_opens_nothing(app, world, personas, agent, probe, calm_sessions,
                                                        figures):
    agent.login(personas.owner)
    old_cookie = agent.client.get_cookie(COOKIE).value
    assert agent.post("/logout").status_code == 303
    # The attacker replays the cookie (and the CSRF token it carries) copied before sign-out.
    agent.client.set_cookie(COOKIE, old_cookie)
    sent, failures = _walk_guarded(app, world, probe, agent, expect_to="/login", skip_lock_exempt=False)
    figures.update({"replayed": sent})
    figures["through"] += len(failures)
    assert not failures, "\n".join(failures)


def test_one_practices_sign_in_reaches_no_id_of_another(app, world, personas, new_agent, probe, calm_sessions,
                                                        figures):
    failures, sent = [], 0
    for persona, ids, canaries in ((personas.owner, world.other, world.other_canaries),
                                   (personas.outsider, world.home, world.home_canaries)):
        agent = new_agent()
        agent.login(persona)
        for route in routes(app):
            if route.public or not names_a_record(route):
                continue
            # Plain requests: the access walk sends the outsider's htmx requests with these ids already.
            url = url_for_route(app, route, ids, world.unavailable)
            outcome = probe.send(agent, route, url)
            # What an id that does not exist gets: the foreign id must get exactly that.
            missing = probe.send(agent, route, ghost_url(app, route, ids))
            sent += 2
            same = (outcome.status, outcome.location) == (missing.status, missing.location)
            if not same or outcome.status < 400 or canaries.found_in(outcome.body) or effects(outcome):
                failures.append(f"{persona.name}: {route.method} {url} -> {outcome.status} (a missing id: "
                                f"{missing.status}) {canaries.found_in(outcome.body)} {effects(outcome)}")
    figures.update(cross=sent)
    figures["through"] += len(failures)
    assert not failures, "\n".join(failures)


def test_a_set_key_used_for_another_exercise_is_refused(app, agent, personas, make):
    """Found by an outside probe: a set's idempotency key was looked up practice-wide, so a key already used
    for another exercise (another client's session) answered with that set as if it were this one."""
    from metpwa.extensions import db
    from metpwa.models import SetLog

    first = make.ready_client(personas.practice_id, personas.colleague.id, first="Ada", last="Firstset")
    second = make.ready_client(personas.practice_id, personas.colleague.id, first="Bea", last="Secondset")
    agent.login(personas.colleague)
    sets = []
    for client_id in (first, second):
        session_id = int(agent.post(f"/clients/{client_id}/sessions").headers["Location"].rsplit("/", 1)[-1])
        page = agent.get(f"/sessions/{session_id}").get_data(as_text=True)
        item = re.search(r'name="session_exercise_id" value="(\d+)"', page).group(1)
        sets.append(agent.post(f"/sessions/{session_id}/sets", htmx=True, data={
            "session_exercise_id": item, "idempotency_key": "shared-key-0001", "reps": "7" if not sets else "12",
            "rpe": "5"}))
    assert sets[0].status_code == 200
    assert sets[1].status_code == 422 and "reload it" in sets[1].get_data(as_text=True)
    with app.app_context():
        assert [row.reps for row in db.session.query(SetLog).filter_by(idempotency_key="shared-key-0001")] == [7]


def test_nothing_but_a_post_with_its_token_locks_a_sign_in(app, personas, agent, probe, calm_sessions, figures):
    """Found by an outside probe: GET /lock locked the sign-in (the idle timer navigated there), so a link
    or an image on any site could lock a trainer's iPad mid-session. Every way a page elsewhere can make a
    browser ask (a link, an image, a prefetch, htmx, with and without Fetch Metadata), and a POST without
    the CSRF token, must leave the sign-in unlocked and write nothing."""
    agent.login(personas.colleague)
    failures = []
    fetch_metadata = ({}, {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Dest": "image", "Sec-Fetch-Mode": "no-cors"},
                      {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"},
                      {"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "navigate"}, {"Sec-Fetch-Site": "none"},
                      {"Sec-Purpose": "prefetch"})
    for headers in fetch_metadata:
        for htmx in (False, True):
            outcome = probe.send(agent, "GET", "/lock?next=/clients", htmx=htmx, headers=headers)
            figures["lock_tries"] += 1
            if effects(outcome) or outcome.status == 200:
                figures["locked_by"] += 1
                failures.append(f"GET /lock {headers} htmx={htmx} -> {outcome.status} {effects(outcome)}")
    for data in ({}, {"reason": "idle"}):
        outcome = probe.send(agent, "POST", "/lock", csrf=False, data=data)
        figures["lock_tries"] += 1
        if effects(outcome) or outcome.status != 400:
            figures["locked_by"] += 1
            failures.append(f"POST /lock without a token {data} -> {outcome.status} {effects(outcome)}")
    figures["through"] += len(failures)
    assert not failures, "\n".join(failures)
    # The same POST with its token locks, and only then does /lock show the lock screen.
    assert agent.post("/lock", data={"reason": "idle"}).status_code == 303
    assert agent.get("/lock").status_code == 200

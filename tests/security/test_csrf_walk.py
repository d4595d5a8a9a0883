"""CSRF over the whole URL map: every state-changing route refuses a signed-in owner's request that
carries no token, a forged token, or a token from another sign-in; plain and htmx alike, and the
refusal changes nothing."""

from __future__ import annotations

from .walker import effects, routes, url_for_route

SUMMARY = ("csrf walk: {routes} state-changing routes, {requests} requests without a valid token (none, forged, "
           "another sign-in's; plain and htmx), {refused} refused with 400, {written} rows written; "
           "{accepted} of {routes} routes accept the right token")
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
EXPIRED_MESSAGE = "This form expired or came from somewhere else"


def test_csrf_walk(app, world, personas, new_agent, probe, calm_sessions, figures):
    owner = new_agent()
    owner.login(personas.owner)
    someone_else = new_agent()
    someone_else.login(personas.colleague)
    tokens = {
        "no token": None,
        "forged token": "IjAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAi.aaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbb",
        "another sign-in's token": someone_else.token,
    }
    posts = [route for route in routes(app) if route.method in STATE_CHANGING]
    failures, probes, written = [], 0, 0
    for route in posts:
        url = url_for_route(app, route, world.home, world.unavailable)
        for label, token in tokens.items():
            for htmx in (False, True):
                headers = {"X-CSRFToken": token} if token else {}
                outcome = probe.send(owner, route, url, htmx=htmx, csrf=False, headers=headers)
                probes += 1
                where = f"{route.method} {url} with {label}{' (htmx)' if htmx else ''} -> {outcome.status}"
                if outcome.status != 400 or EXPIRED_MESSAGE not in outcome.body:
                    failures.append(f"{where}: must be refused with 400 and say why")
                elif htmx and outcome.headers.get("HX-Retarget") != "#messages":
                    failures.append(f"{where}: the refusal must go to the message area, not into the target")
                if effects(outcome):
                    written += len(effects(outcome))
                    failures.append(f"{where}: wrote to {effects(outcome)}")
    # The same requests with the owner's own token get past CSRF (so the refusals above are CSRF's).
    refused_anyway = []
    for route in posts:
        outcome = probe.send(owner, route, url_for_route(app, route, world.home, world.unavailable))
        if outcome.status == 400 and EXPIRED_MESSAGE in outcome.body:
            refused_anyway.append(str(route))
    accepted = len(posts) - len(refused_anyway)
    figures.update(routes=len(posts), requests=probes, written=written, accepted=accepted,
                   refused=probes - len([f for f in failures if "must be refused" in f]))
    assert not failures, "\n".join(failures)
    assert not refused_anyway, f"refused even with the right token: {refused_anyway}"

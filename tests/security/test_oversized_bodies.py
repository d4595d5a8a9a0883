"""Oversized bodies: a POST over MAX_CONTENT_LENGTH to any route is refused with 413 and the error page
(a fragment for htmx), never a 500 or a stack trace, whether or not the sender is signed in."""

from __future__ import annotations

import io

from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from .walker import routes, url_for_route

TOO_LARGE = "That file is too large"
SUMMARY = ("oversized bodies: {requests} requests over MAX_CONTENT_LENGTH ({limit} bytes), {refused} refused "
           "with 413 and the error page, {server_errors} server errors")


def _check(outcome, htmx: bool) -> str | None:
    if outcome.status != 413 or TOO_LARGE not in outcome.body or "Traceback" in outcome.body:
        return f"{outcome.status}"
    if htmx and outcome.headers.get("HX-Retarget") != "#messages":
        return "the htmx refusal must go to the message area"
    if not htmx and "<!doctype html>" not in outcome.body.lower():
        return "a plain request gets the full error page"
    return None


def test_oversized_bodies_get_413_everywhere(app, world, personas, new_agent, probe, calm_sessions, figures):
    limit = app.config["MAX_CONTENT_LENGTH"]
    form_body = b"csrf_token=x&first_name=" + b"a" * (limit + 1)
    upload = b"%PDF-1.4\n" + b"0" * (limit + 1)
    owner = new_agent()
    owner.login(personas.owner)
    anonymous = new_agent()
    anonymous.refresh_token("/login")
    failures, sent = [], 0
    for route in routes(app):
        if route.method != "POST":
            continue
        url = url_for_route(app, route, world.home, world.unavailable)
        for who, agent in (("owner", owner), ("anonymous", anonymous)):
            for htmx in (False, True):
                outcome = probe.send(agent, route, url, htmx=htmx,
                                     headers={"Content-Type": "application/x-www-form-urlencoded"}, data=form_body)
                sent += 1
                problem = _check(outcome, htmx)
                if problem:
                    failures.append(f"{who}: {route} {'(htmx) ' if htmx else ''}-> {problem}")
    # A real file over the limit, sent the way the browser sends an order. The body is encoded here, as
    # bytes: the test client would spool it to a temporary file that it never closes.
    url = f"/clients/{world.home['client_id']}/referrals/{world.home['referral_id']}/order"
    boundary, body = encode_multipart({"order_document": FileStorage(io.BytesIO(upload), "order.pdf")})
    outcome = probe.send(owner, "POST", url, data=body,
                         headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    sent += 1
    if _check(outcome, False):
        failures.append(f"multipart upload of {len(upload)} bytes -> {_check(outcome, False)}")
    figures.update(requests=sent, limit=limit, refused=sent - len(failures),
                   server_errors=sum(1 for f in failures if f.endswith("500")))
    assert not failures, "\n".join(failures)

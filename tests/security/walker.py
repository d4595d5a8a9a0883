"""Walking the URL map: every rule and method, each URL variable filled with a real record's id,
each request rolled back afterwards so that the next one meets the same records and the same sign-in."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pytest
from sqlalchemy import event
from werkzeug.routing import Rule

from metpwa.extensions import db as _db

COOKIE = "metpwa_session"
SKIPPED_METHODS = frozenset({"HEAD", "OPTIONS"})
# Writes to these tables are the record of a refusal (audit trail, sign-in throttle), not an effect of it.
AUDIT_TABLES = frozenset({"audit_event", "login_failure"})
_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)"?', re.IGNORECASE)


_MISSING = object()


@dataclass(frozen=True)
class Route:
    rule: Rule
    method: str
    view: Callable

    @property
    def endpoint(self) -> str:
        return self.rule.endpoint

    @property
    def arguments(self) -> tuple[str, ...]:
        return tuple(sorted(self.rule.arguments))

    @property
    def public(self) -> bool:
        # The guard lets the static endpoint through by name: the shell's CSS, JS and icons.
        return self.endpoint == "static" or getattr(self.view, "metpwa_public", False)

    @property
    def lock_exempt(self) -> bool:
        return getattr(self.view, "metpwa_lock_exempt", False)

    @property
    def handoff(self) -> bool:
        return getattr(self.view, "metpwa_handoff", False)

    @property
    def capability(self) -> str | None:
        return getattr(self.view, "metpwa_capability", None)

    def __str__(self) -> str:
        return f"{self.method} {self.rule.rule}"


def routes(app) -> list[Route]:
    """Every (rule, method) of the app, HEAD and OPTIONS left out (Werkzeug answers those itself)."""
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        for method in sorted((rule.methods or set()) - SKIPPED_METHODS):
            found.append(Route(rule, method, app.view_functions[rule.endpoint]))
    return found


def url_for_route(app, route: Route, values: Mapping[str, object],
                  unavailable: Mapping[str, str] | None = None) -> str:
    """The route's URL with real values; a variable nobody taught the suite fails the test by name."""
    # "endpoint:variable" wins over "variable", for a name that means different things on different routes.
    chosen = {name: values.get(f"{route.endpoint}:{name}", values.get(name, _MISSING)) for name in route.arguments}
    missing = [name for name, value in chosen.items() if value is _MISSING]
    if missing:
        reasons = [f"{name}: {unavailable[name]}" for name in missing if unavailable and name in unavailable]
        pytest.fail(
            f"{route} has URL variable(s) {missing} the hostile suite has no real record for. "
            "Add a record of that kind to both practices in tests/security/conftest.py (world fixture) "
            "so the walk can probe the route with a real id." + (f" Creation failed: {reasons}" if reasons else ""),
            pytrace=False,
        )
    adapter = app.url_map.bind("localhost")
    return adapter.build(route.endpoint, chosen, method=route.method)


GHOST_ID = 987654321  # an id no record has


def ghost_url(app, route: Route, values: Mapping[str, object], unavailable: Mapping[str, str] | None = None) -> str:
    """The same URL with every record id replaced by one that does not exist: what "not found" looks like."""
    ghosts = {name: GHOST_ID for name in route.arguments if name.endswith("_id")}
    return url_for_route(app, route, {**values, **ghosts}, unavailable)


def names_a_record(route: Route) -> bool:
    """A URL variable converted to a record id (client_id, session_id...)."""
    return any(name.endswith("_id") for name in route.arguments)


@dataclass
class Outcome:
    route: Route
    url: str
    status: int
    headers: dict[str, str]
    body: str
    writes: list[str] = field(default_factory=list)
    inspected: object = None

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    @property
    def hx_redirect(self) -> str:
        return self.headers.get("HX-Redirect", "")


class Probe:
    """Sends one request inside a savepoint that is rolled back afterwards, restores the browser's
    cookie (a probe of /logout must not sign the agent out for the next probe), and notes which
    tables the request wrote to."""

    def __init__(self, app, db):
        self.app = app
        self.connection = db.session.session_factory.kw["bind"]
        with app.app_context():
            self.engine = _db.engine
        self._writes: list[str] | None = None
        event.listen(self.engine, "before_cursor_execute", self._on_execute)
        self.sent = 0

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._on_execute)

    def _on_execute(self, conn, cursor, statement, parameters, context, executemany):
        if self._writes is not None:
            match = _WRITE.match(statement)
            if match:
                self._writes.append(match.group(1).split(".")[-1].lower())

    def send(self, agent, route: Route | str, url: str, *, htmx: bool = False, csrf: bool = True,
             data: dict | None = None, headers: dict | None = None, inspect: Callable | None = None) -> Outcome:
        """`route` is a walked Route, or just the method for a page reached another way; `inspect(connection)`
        runs after the request and before the rollback, to look at what it left behind."""
        if isinstance(route, str):
            route = Route(self.app.url_map.bind("localhost").match(url.split("?")[0], method=route,
                                                                    return_rule=True)[0], route,
                          lambda: None)
        saved = agent.client.get_cookie(COOKIE)
        savepoint = self.connection.begin_nested()
        self._writes = []
        try:
            if route.method == "GET":
                response = agent.get(url, htmx=htmx, headers=headers or {})
            else:
                response = agent.client.open(
                    url, method=route.method, data=data or {},
                    headers={**({"HX-Request": "true"} if htmx else {}),
                             **({"X-CSRFToken": agent.token} if csrf and agent.token else {}), **(headers or {})},
                )
            body = response.get_data(as_text=not _binary(response.mimetype))
            response.close()  # a static file is streamed from an open file
            outcome = Outcome(route, url, response.status_code, dict(response.headers),
                              body if isinstance(body, str) else body.decode("latin-1"), list(self._writes))
            if inspect is not None:
                outcome.inspected = inspect(self.connection)
        finally:
            self._writes = None
            savepoint.rollback()
            if saved is None:
                agent.client.delete_cookie(COOKIE)
            else:
                agent.client.set_cookie(COOKIE, saved.value)
        self.sent += 1
        return outcome


def _binary(mimetype: str) -> bool:
    return not (mimetype.startswith("text/") or mimetype in ("application/json", "application/manifest+json",
                                                              "text/javascript", "application/javascript"))


def effects(outcome: Outcome) -> list[str]:
    """Tables a request changed, leaving out the audit trail and the sign-in throttle."""
    return sorted({table for table in outcome.writes if table not in AUDIT_TABLES})


def endpoint_of(app, action: str, method: str = "POST") -> str | None:
    """The endpoint a form posts to, or None for a form posting somewhere the app does not route."""
    try:
        endpoint, _ = app.url_map.bind("localhost").match(action.split("?")[0], method=method)
    except Exception:  # noqa: BLE001 - NotFound, MethodNotAllowed, RequestRedirect
        return None
    return endpoint


def discover_forms(app, world, probe, agent, keep: Callable[[str, object], bool]) -> list[tuple[str, object]]:
    """Every POST form on every page the agent can open (each URL variable a real record), once per
    action and set of fields; `keep(endpoint, form)` chooses which."""
    from .markup import forms_on

    found, seen = [], set()
    for route in routes(app):
        if route.method != "GET" or route.public:
            continue
        url = url_for_route(app, route, world.home, world.unavailable)
        outcome = probe.send(agent, route, url)
        if not outcome.headers.get("Content-Type", "").startswith("text/html"):
            continue
        for form in forms_on(outcome.body, url):
            endpoint = endpoint_of(app, form.action)
            if form.method != "post" or endpoint is None or not keep(endpoint, form):
                continue
            key = (form.action, tuple(sorted(f["name"] for f in form.fields if f["name"])))
            if key not in seen:
                seen.add(key)
                found.append((url, form))
    return found

"""Default-deny access: every view needs a live, unlocked sign-in unless marked otherwise.

Views opt out with @public (sign-in pages, the manifest) or @lock_exempt (the
lock screen itself); roles are checked with @requires. Because the guard runs
before every request, a new route is protected even if its author forgets.
"""

from __future__ import annotations

from functools import wraps
from typing import Callable
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, redirect, request, url_for
from flask_login import current_user

from .extensions import htmx, login_manager
from .services import emergency, signin, training, twofactor

# What a client record is, to the HIPAA-training gate: any view that needs one of these.
CLIENT_RECORD_CAPABILITIES = frozenset({"clients.view", "clients.edit", "clinical.view", "clinical.write"})
SECOND_STEP_ENDPOINTS = {twofactor.CODE_STEP: "auth.second_step", twofactor.ENROLL_STEP: "auth.enroll"}


def public(view: Callable) -> Callable:
    view.metpwa_public = True  # type: ignore[attr-defined]
    return view


def lock_exempt(view: Callable) -> Callable:
    view.metpwa_lock_exempt = True  # type: ignore[attr-defined]
    return view


def second_step_view(view: Callable) -> Callable:
    """The two-step code or enrollment screen: the only place a half-signed session may go."""
    view.metpwa_second_step = True  # type: ignore[attr-defined]
    return view


def handoff_view(view: Callable) -> Callable:
    """One of the client's own screens, reachable while the iPad is handed to them."""
    view.metpwa_handoff = True  # type: ignore[attr-defined]
    return view


def requires(capability: str) -> Callable:
    """Refuse (403) unless the signed-in role holds the capability."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            # The guard's principal, not current_user: checking a role loads no ORM user.
            principal = signin.signed_in()
            if principal is None or not principal.can(capability):
                abort(403)
            return view(*args, **kwargs)

        wrapped.metpwa_capability = capability  # type: ignore[attr-defined]
        return wrapped

    return decorator


def safe_next(target: str | None) -> str | None:
    """Only a local path may be a post-login destination (no open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


def _here() -> str:
    # For htmx calls the page the person is on matters, not the fragment URL.
    if htmx and htmx.current_url:
        parts = urlsplit(htmx.current_url)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.full_path.rstrip("?")


def go_to(url: str, status_for_htmx: int = 401):
    """Send the browser elsewhere: HX-Redirect for htmx (never a page in a fragment), 303 otherwise."""
    if htmx:
        response = current_app.response_class(status=status_for_htmx)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, code=303)


def _to_login():
    return go_to(url_for("auth.login", next=safe_next(_here()) if request.method == "GET" or htmx else None))


def refuse_nul_bytes():
    """A NUL byte in a form value is never something a person typed; PostgreSQL would refuse it
    with a server error, so it is refused here, plainly, before any view sees it."""
    if request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
        "application/x-www-form-urlencoded", "multipart/form-data"
    ):
        if any("\x00" in value for values in request.form.listvalues() for value in values):
            from .errors import render_error

            return render_error(400, "A field holds an invisible control character. Retype it and try again.")
    return None


def guard():
    if request.endpoint is None or request.endpoint == "static":
        return None
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "metpwa_public", False):
        return None
    principal = signin.signed_in()
    if principal is None:
        # Password right, second step owed: that step, and nothing else, until it is done.
        half_signed = signin.half_signed_session()
        if half_signed is not None:
            if getattr(view, "metpwa_second_step", False):
                return None
            return go_to(url_for(SECOND_STEP_ENDPOINTS[half_signed.second_step]))
        return _to_login()
    if principal.owes_enrollment:
        # A role that requires two-step sign-in, without it: a sign-in from before the rule, or
        # after a reset by another owner. It ends here; the next sign-in sets it up.
        signin.sign_out("two-step sign-in required")
        return _to_login()
    locked = signin.check_idle(principal)
    lock_exempt_view = getattr(view, "metpwa_lock_exempt", False)
    if locked and not lock_exempt_view:
        return go_to(url_for("auth.lock", next=safe_next(_here())))
    # While handed to a client, the iPad reaches only that client's forms: every
    # other page (search, other charts, menus) leads back to the hand-off screen.
    if principal.handoff_client_id is not None and not (
        getattr(view, "metpwa_handoff", False) or lock_exempt_view
    ):
        return go_to(url_for("handoff.home"))
    # New staff open client records once their HIPAA training is on record (or waived): a page says
    # why and what to do. Only staff added after the practice's gate start pay for the question.
    if (principal.new_staff and not locked and getattr(view, "metpwa_capability", None) in CLIENT_RECORD_CAPABILITIES
            and training.gate_closed_for(principal.id)):
        return go_to(url_for("staff.hipaa_gate"), status_for_htmx=403)
    if not locked:
        emergency.note_request(principal)
    return None


def init_app(app: Flask) -> None:
    # Pages get current_user as a lazy proxy (a Jinja global), not Flask-Login's context
    # processor, which loads the user for every template, the set logger's fragment included.
    login_manager.init_app(app, add_context_processor=False)
    app.jinja_env.globals["current_user"] = current_user
    # Our own server-side sessions do the protecting; Flask-Login's IP/agent hash
    # would sign trainers out whenever the gym wifi hands the iPad a new address.
    login_manager.session_protection = None
    login_manager.unauthorized_handler(_to_login)

    @login_manager.user_loader
    def load_user(user_id: str):
        staff_session = signin.current_staff_session()
        if staff_session is None or str(staff_session.user_id) != user_id or not staff_session.user.active:
            return None
        user = staff_session.user
        # current_user.can (pages, views) honours the grant this person works under. Only front desk
        # and billing can hold one, and for them the guard has mostly looked it up already
        # (emergency.note_request; active_for keeps it for the request).
        user.under_emergency_grant = emergency.lends_anything(user) and emergency.active_for(user) is not None
        return user

    app.before_request(refuse_nul_bytes)
    app.before_request(guard)
    app.register_error_handler(signin.SignInEnded, lambda ended: go_to(url_for("auth.login", ended=1)))

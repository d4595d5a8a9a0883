"""Routes for signing in and out and for the lock screen."""

from flask import current_app, redirect, render_template, request, url_for
from flask_login import current_user

from ...access import go_to, lock_exempt, public, safe_next
from ...services import signin
from . import bp
from .forms import SignInForm, UnlockForm


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    form = SignInForm()
    next_url = safe_next(request.args.get("next"))
    if request.method == "GET" and signin.current_staff_session() is not None and current_user.is_authenticated:
        return redirect(next_url or url_for("today.index"), code=303)
    failure, status = None, 200
    if form.validate_on_submit():
        try:
            user = signin.sign_in(form.email.data, form.password.data)
        except signin.SignInRefused as refused:
            failure = str(refused)
            status = 429 if refused.throttled_address else 200
            form.password.data = ""
        else:
            signin.start_session(user)
            return redirect(next_url or url_for("today.index"), code=303)
    elif form.errors:
        status = 422
    return render_template("auth/login.html", form=form, failure=failure, next_url=next_url), status


@bp.post("/logout")
@public
@lock_exempt
def logout():
    # CSRFProtect has already checked the token, so a page elsewhere cannot sign staff out.
    signin.sign_out()
    response = redirect(url_for("auth.login", bye=1), code=303)
    # Wipe anything a page left in this browser (storage, caches, the shell's
    # service worker; it re-installs on the next page) so the next person finds nothing.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.get("/lock")
@lock_exempt
def lock():
    staff_session = signin.current_staff_session()
    signin.lock(staff_session, reason="lock screen")
    return _lock_page(UnlockForm())


@bp.post("/lock")
@lock_exempt
def lock_now():
    """The Lock button and the page's own idle timer both come here."""
    signin.lock(signin.current_staff_session(), reason=request.form.get("reason", "button")[:20])
    return go_to(url_for("auth.lock"), status_for_htmx=200)


@bp.post("/unlock")
@lock_exempt
def unlock():
    form = UnlockForm()
    staff_session = signin.current_staff_session()
    if not form.validate_on_submit():
        return _lock_page(form), 422
    result = signin.unlock(staff_session, form.secret.data)
    if result.unlocked:
        return redirect(safe_next(request.args.get("next")) or url_for("today.index"), code=303)
    if result.session_ended:
        return redirect(url_for("auth.login", ended=1), code=303)
    form.secret.errors = ["That PIN or password did not match."]
    form.secret.data = ""
    return _lock_page(form), 422


@bp.post("/session/ping")
def ping():
    """The page's heartbeat while someone is tapping or typing without saving."""
    signin.check_idle(signin.current_staff_session(), heartbeat=True)
    return "", 204


def _lock_page(form: UnlockForm):
    return render_template(
        "auth/lock.html",
        form=form,
        user=current_user,
        has_pin=current_user.pin_hash is not None,
        use_password=request.args.get("with") == "password",
        next_url=safe_next(request.args.get("next")),
        idle_minutes=current_app.config["IDLE_LOCK_MINUTES"],
    )

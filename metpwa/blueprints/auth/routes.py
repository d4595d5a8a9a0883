"""Routes for signing in and out and for the lock screen."""

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from ...access import SECOND_STEP_ENDPOINTS, go_to, handoff_view, lock_exempt, public, safe_next, second_step_view
from ...database import writes_last
from ...services import invitations, signin, twofactor
from . import bp
from .forms import (
    EnrollForm,
    RecoveryStepForm,
    SecondStepForm,
    SignInForm,
    UnlockForm,
    WelcomeForm,
    read_lock_reason,
)


@bp.route("/login", methods=["GET", "POST"])
@public
@writes_last  # the password is checked between two short write turns (signin.sign_in)
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
            staff_session = signin.start_session(user)
            if staff_session.second_step is not None:
                return redirect(url_for(SECOND_STEP_ENDPOINTS[staff_session.second_step], next=next_url), code=303)
            return redirect(next_url or url_for("today.index"), code=303)
    elif form.errors:
        status = 422
    return render_template("auth/login.html", form=form, failure=failure, next_url=next_url,
                           practice_name=signin.practice_on_this_server()), status


@bp.route("/login/code", methods=["GET", "POST"])
@second_step_view
def second_step():
    """After the password: the authenticator's 6-digit code, or one of the recovery codes."""
    next_url = safe_next(request.args.get("next"))
    staff_session = signin.half_signed_session()
    if staff_session is None:  # already fully signed in
        return redirect(next_url or url_for("today.index"), code=303)
    if staff_session.second_step != twofactor.CODE_STEP:
        return redirect(url_for(SECOND_STEP_ENDPOINTS[staff_session.second_step], next=next_url), code=303)
    recovery = request.args.get("with") == "recovery"
    form = RecoveryStepForm() if recovery else SecondStepForm()
    status = 200
    if form.validate_on_submit():
        result = signin.second_step(staff_session, form.code.data)
        if result.passed:
            return redirect(next_url or url_for("today.index"), code=303)
        if result.session_ended:
            return redirect(url_for("auth.login", paused=1), code=303)
        form.code.errors = ["That recovery code did not work, or it was used before." if recovery else
                            "That code did not match. Type the code showing now; each code works once."]
        form.code.data = ""
        status = 422
    elif form.errors:
        status = 422
    return render_template("auth/second_step.html", form=form, user=staff_session.user, recovery=recovery,
                           next_url=next_url), status


@bp.route("/login/enroll", methods=["GET", "POST"])
@second_step_view
def enroll():
    """A role that requires two-step sign-in sets it up before reaching anything else."""
    next_url = safe_next(request.args.get("next"))
    staff_session = signin.half_signed_session()
    if staff_session is None:
        return redirect(next_url or url_for("today.index"), code=303)
    if staff_session.second_step != twofactor.ENROLL_STEP:
        return redirect(url_for(SECOND_STEP_ENDPOINTS[staff_session.second_step], next=next_url), code=303)
    user = staff_session.user
    form = EnrollForm()
    status = 200
    if form.validate_on_submit():
        try:
            codes = signin.finish_enrollment(staff_session, form.code.data)
        except twofactor.TwoFactorRefused as refused:
            form.code.errors = [str(refused)]
            form.code.data = ""
            status = 422
        else:
            return render_template("auth/recovery_codes.html", codes=codes,
                                   next_url=next_url or url_for("today.index"))
    elif form.errors:
        status = 422
    return render_template("auth/enroll.html", form=form, user=user, enrollment=twofactor.enrollment(user),
                           next_url=next_url, minutes=signin.second_step_minutes()), status


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
    """The lock screen of a sign-in already locked (by POST /lock, or the server's idle clock). A
    visit changes nothing: a link or an image on another site must not lock someone's iPad, so a
    sign-in that is not locked goes to Today."""
    if signin.signed_in().locked_at is None:
        return redirect(url_for("today.index"), code=303)
    return _lock_page(UnlockForm())


@bp.post("/lock")
@lock_exempt
def lock_now():
    """Locking: the Lock button and the page's own idle timer both come here (a change, so a POST
    with its CSRF token)."""
    signin.lock(signin.current_staff_session(), reason=read_lock_reason(request.form))
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
@handoff_view  # a client filling in forms in hand-off mode keeps the sign-in awake too
def ping():
    """The page's heartbeat while someone is tapping or typing without saving."""
    signin.check_idle(signin.signed_in(), heartbeat=True)
    return "", 204


@bp.route("/welcome/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token: str):
    """An invited person sets their password (and PIN) from the e-mailed link; then they sign in. An
    unknown, used, cancelled or expired link all answer the same 404, and opening one changes nothing."""
    invitation = invitations.usable(token)
    if invitation is None:
        abort(404)
    form = WelcomeForm()
    status = 200
    if form.validate_on_submit():
        # Hashed before the write turn (argon2 takes a moment); the service re-checks the link under it.
        password_hash, pin_hash, errors = invitations.check_new_secrets(form.password.data, form.confirm.data,
                                                                       form.pin.data or "")
        if not errors:
            try:
                invitations.accept(token, password_hash=password_hash, pin_hash=pin_hash)
            except invitations.InvitationRefused as refused:
                return render_template("auth/welcome.html", form=None, invitation=invitation,
                                       refused=refused.message), 409
            return redirect(url_for("auth.login", welcome=1), code=303)
        for name, message in errors.items():
            getattr(form, name).errors = [message]
        status = 422
    elif form.errors:
        status = 422
    form.password.data = form.confirm.data = form.pin.data = ""
    return render_template("auth/welcome.html", form=form, invitation=invitation, refused=None,
                           practice=invitations.invitation_practice(invitation)), status


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

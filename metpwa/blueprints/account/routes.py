"""Set the quick-unlock PIN, change the password, and turn two-step sign-in on or off."""

from collections.abc import Callable
from typing import TypeVar

from flask import redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ...database import writes_last
from ...services import signin, staff, twofactor
from ...services.passwords import WrongPassword
from . import bp
from .forms import ConfirmPasswordForm, PasswordForm, PinForm, TwoFactorCodeForm

# One prefix per password-confirming form, so the Me page can hold them side by side.
TWO_FACTOR_FORMS = {"on": "tfon", "off": "tfoff", "codes": "tfcodes"}
T = TypeVar("T")


def _page(pin_form=None, password_form=None, status=200, **two_factor_forms):
    forms = {name: two_factor_forms.get(name) or ConfirmPasswordForm(prefix=prefix)
             for name, prefix in TWO_FACTOR_FORMS.items()}
    return (
        render_template(
            "account/index.html",
            pin_form=pin_form or PinForm(prefix="pin"),
            password_form=password_form or PasswordForm(prefix="pw"),
            two_factor_forms=forms,
            two_factor_required=twofactor.required(current_user),
            recovery_codes_left=twofactor.recovery_codes_left(current_user) if current_user.two_factor_on else 0,
        ),
        status,
    )


@bp.get("")
def index():
    return _page()


@bp.post("/pin")
@writes_last  # the PIN is hashed and the password checked with no write turn held (signin.confirm_password)
def set_pin():
    form = PinForm(prefix="pin")
    if form.validate_on_submit():
        try:
            pin_hash = staff.pin_hash_for(form.pin.data)
            signin.confirm_password(form.password.data)
            staff.set_pin(current_user, pin_hash=pin_hash)
            return redirect(url_for("account.index", saved="pin"), code=303)
        except (WrongPassword, staff.StaffRuleBroken) as refused:
            getattr(form, refused.field).errors = [refused.message]
    return _page(pin_form=form, status=422)


@bp.post("/password")
@writes_last  # as set_pin
def change_password():
    form = PasswordForm(prefix="pw")
    if form.validate_on_submit():
        try:
            password_hash = staff.password_hash_for(form.new.data, field="new")
            signin.confirm_password(form.current.data, field="current")
            staff.change_password(current_user, password_hash=password_hash, keep=signin.current_staff_session())
            return redirect(url_for("account.index", saved="password"), code=303)
        except (WrongPassword, staff.StaffRuleBroken) as refused:
            getattr(form, refused.field).errors = [refused.message]
    return _page(password_form=form, status=422)


def _two_factor_change(name: str, change: Callable[[], T], *,
                       first: Callable[[], None] | None = None) -> tuple[T | None, ResponseReturnValue | None]:
    """A two-step sign-in change behind the password: (its result, None) once the service committed it, or
    (None, the Me page again with the reason at the password field). `first` may refuse before
    the password is asked for (nothing to guess for)."""
    form = ConfirmPasswordForm(prefix=TWO_FACTOR_FORMS[name])
    if form.validate_on_submit():
        try:
            if first is not None:
                first()
            signin.confirm_password(form.password.data)
            return change(), None
        except (WrongPassword, twofactor.TwoFactorRefused) as refused:
            form.password.errors = [refused.message]
    return None, _page(status=422, **{name: form})


def _enroll_page(form: TwoFactorCodeForm | None = None, status: int = 200):
    return render_template("account/two_factor.html", form=form or TwoFactorCodeForm(),
                           enrollment=twofactor.enrollment(current_user), user=current_user), status


@bp.post("/two-factor")
@writes_last  # the password is checked with no write turn held (signin.confirm_password)
def start_two_factor():
    """Opt in: a new secret to scan, then the first code turns it on."""
    _, refused = _two_factor_change("on", lambda: twofactor.start_from_account(current_user))
    return refused or redirect(url_for("account.two_factor"), code=303)


@bp.get("/two-factor")
def two_factor():
    if current_user.two_factor_on or current_user.totp_secret is None:
        return redirect(url_for("account.index"), code=303)
    return _enroll_page()


@bp.post("/two-factor/confirm")
def confirm_two_factor():
    if current_user.two_factor_on or current_user.totp_secret is None:
        return redirect(url_for("account.index"), code=303)
    form = TwoFactorCodeForm()
    if form.validate_on_submit():
        try:
            codes = twofactor.turn_on(current_user, form.code.data, keep=signin.current_staff_session())
        except twofactor.TwoFactorRefused as refused:
            form.code.errors = [refused.message]
        else:
            return render_template("account/recovery_codes.html", codes=codes, turned_on=True)
    form.code.data = ""
    return _enroll_page(form, 422)


@bp.post("/two-factor/off")
@writes_last  # the password is checked with no write turn held (signin.confirm_password)
def turn_off_two_factor():
    _, refused = _two_factor_change("off", lambda: twofactor.turn_off(current_user),
                                    first=lambda: twofactor.check_can_turn_off(current_user))
    return refused or redirect(url_for("account.index", saved="two-factor-off"), code=303)


@bp.post("/two-factor/recovery-codes")
@writes_last  # the password is checked with no write turn held (signin.confirm_password)
def new_recovery_codes():
    codes, refused = _two_factor_change(
        "codes", lambda: twofactor.new_recovery_codes(current_user))
    return refused or render_template("account/recovery_codes.html", codes=codes, turned_on=False)

"""Set the quick-unlock PIN and change the password."""

from flask import redirect, render_template, url_for
from flask_login import current_user

from ...extensions import db
from ...services import staff
from . import bp
from .forms import PasswordForm, PinForm


def _page(pin_form=None, password_form=None, status=200):
    return (
        render_template(
            "account/index.html",
            pin_form=pin_form or PinForm(prefix="pin"),
            password_form=password_form or PasswordForm(prefix="pw"),
        ),
        status,
    )


@bp.get("")
def index():
    return _page()


@bp.post("/pin")
def set_pin():
    form = PinForm(prefix="pin")
    if form.validate_on_submit():
        try:
            staff.set_pin(current_user, password=form.password.data, pin=form.pin.data)
            return redirect(url_for("account.index", saved="pin"), code=303)
        except staff.StaffRuleBroken as broken:
            db.session.rollback()
            getattr(form, broken.field).errors = [str(broken)]
    return _page(pin_form=form, status=422)


@bp.post("/password")
def change_password():
    form = PasswordForm(prefix="pw")
    if form.validate_on_submit():
        try:
            staff.change_password(current_user, current=form.current.data, new=form.new.data)
            return redirect(url_for("account.index", saved="password"), code=303)
        except staff.StaffRuleBroken as broken:
            db.session.rollback()
            getattr(form, broken.field).errors = [str(broken)]
    return _page(password_form=form, status=422)

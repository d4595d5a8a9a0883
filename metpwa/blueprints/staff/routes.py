"""Staff list, new staff, role changes, deactivation and clearing sign-in locks."""

from flask import redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from ...access import requires
from ...errors import render_error
from ...extensions import db
from ...models import LoginFailure, User, utcnow
from ...scoping import get_for_practice, practice_select
from ...services import audit, emergency, staff, twofactor
from . import bp
from .forms import RoleForm, StaffForm


def _staff_page(form: StaffForm | None = None, status: int = 200):
    members = list(db.session.scalars(practice_select(User).order_by(User.active.desc(), User.full_name)))
    emails = [m.email for m in members]
    failures = list(
        db.session.scalars(
            select(LoginFailure).where(LoginFailure.email.in_(emails)).order_by(LoginFailure.at.desc()).limit(30)
        )
    )
    audit.viewed(detail={"list": "staff"})
    return (
        render_template(
            "staff/index.html", members=members, failures=failures, form=form or StaffForm(),
            role_form=RoleForm(), now=utcnow(), two_factor_required=twofactor.required,
            emergency=emergency.overview(current_user.practice_id),
        ),
        status,
    )


@bp.get("")
@requires("staff.manage")
def index():
    return _staff_page()


@bp.post("")
@requires("staff.manage")
def create():
    form = StaffForm()
    if form.validate_on_submit():
        try:
            staff.create_user(
                current_user.practice, email=form.email.data, full_name=form.full_name.data,
                role=form.role.data, password=form.password.data, credentials=form.credentials.data,
                npi=form.npi.data, by=current_user,
            )
            return redirect(url_for("staff.index"), code=303)
        except staff.StaffRuleBroken as broken:
            getattr(form, broken.field).errors = [broken.message]
    form.password.data = ""
    return _staff_page(form, 422)


@bp.post("/<int:user_id>/role")
@requires("staff.manage")
def change_role(user_id: int):
    member = get_for_practice(User, user_id)
    form = RoleForm()
    if form.validate_on_submit():
        # A refusal (the last owner) is a 422 page with its message (errors.init_app).
        staff.change_role(member, form.role.data, by=current_user)
    return redirect(url_for("staff.index"), code=303)


@bp.post("/<int:user_id>/unlock")
@requires("staff.manage")
def clear_lock(user_id: int):
    staff.clear_sign_in_lock(get_for_practice(User, user_id), by=current_user)
    return redirect(url_for("staff.index"), code=303)


@bp.post("/<int:user_id>/active")
@requires("staff.manage")
def toggle_active(user_id: int):
    member = get_for_practice(User, user_id)
    staff.set_active(member, not member.active, by=current_user)  # a refusal: as change_role
    return redirect(url_for("staff.index"), code=303)



@bp.post("/<int:user_id>/two-factor/reset")
@requires("staff.manage")
def reset_two_factor(user_id: int):
    """A lost phone: the colleague's two-step sign-in is cleared and their sign-ins end."""
    member = get_for_practice(User, user_id)
    if member.id == current_user.id:
        return render_error(422, "Reset your own two-step sign-in from the Me page, or ask another owner.")
    twofactor.reset(member, by=current_user)
    return redirect(url_for("staff.index"), code=303)

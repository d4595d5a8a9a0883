"""Granting, starting and ending emergency access; every request made under it is audited by
access.guard (services.emergency.note_request)."""

from flask import abort, has_request_context, redirect, render_template, url_for
from flask_login import current_user

from ...access import requires
from ...models import EmergencyAccess
from ...scoping import get_for_practice
from ...services import audit, emergency, signin
from . import bp
from .forms import GrantForm, StartForm


@bp.app_context_processor
def emergency_banner():
    """The banner every page shows to someone holding a grant, started or waiting to be."""
    principal = signin.signed_in() if has_request_context() else None
    if principal is None or not emergency.lends_anything(principal):
        return {"emergency_access": None}
    return {"emergency_access": emergency.open_grant_for(principal)}


def _page(form: GrantForm | None = None, status: int = 200):
    staff = emergency.eligible_staff(current_user.practice_id)
    audit.viewed(detail={"list": "emergency access"})
    return render_template("emergency/index.html", form=form or GrantForm(staff=staff),
                           overview=emergency.overview(current_user.practice_id), eligible=staff), status


@bp.get("")
@requires("staff.manage")
def index():
    return _page()


@bp.post("")
@requires("staff.manage")
def grant():
    form = GrantForm(staff=emergency.eligible_staff(current_user.practice_id))
    if form.validate_on_submit():
        try:
            emergency.grant(current_user.practice, user_id=form.user_id.data, hours=form.hours.data,
                            reason=form.reason.data, by=current_user)
        except emergency.EmergencyRuleBroken as broken:
            getattr(form, broken.field).errors = [broken.message]
        else:
            return redirect(url_for("emergency.index"), code=303)
    return _page(form, 422)


@bp.post("/<int:grant_id>/revoke")
@requires("staff.manage")
def revoke(grant_id: int):
    emergency.revoke(get_for_practice(EmergencyAccess, grant_id), by=current_user)
    return redirect(url_for("emergency.index"), code=303)


def _own_open_grant() -> EmergencyAccess:
    access = emergency.open_grant_for(current_user) if emergency.lends_anything(current_user) else None
    if access is None:
        abort(404)
    return access


@bp.get("/start")
def start_page():
    return render_template("emergency/start.html", access=_own_open_grant(), form=StartForm())


@bp.post("/start")
def start():
    access = _own_open_grant()
    form = StartForm()
    if form.validate_on_submit():
        try:
            emergency.start(access, reason=form.reason.data, by=current_user)
        except emergency.EmergencyRuleBroken as broken:
            getattr(form, broken.field).errors = [broken.message]
        else:
            return redirect(url_for("clients.index"), code=303)
    return render_template("emergency/start.html", access=access, form=form), 422


@bp.post("/stop")
def stop():
    """The holder ends it early, once the emergency is over."""
    emergency.revoke(_own_open_grant(), by=current_user)
    return redirect(url_for("today.index"), code=303)

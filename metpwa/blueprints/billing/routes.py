"""Billing set-up pages: one overview, then a page per thing set up. Each change goes through
services.billing_setup; a refusal there (a Medicare rule, a code no route allows) shows at its field."""

from __future__ import annotations

from datetime import timedelta

from flask import redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from ...access import requires
from ...clock import practice_today
from ...extensions import db
from ...forms import show_refusal
from ...models import Client, Payer, RenderingProvider, SessionLog, User, utcnow
from ...rules.errors import InputError
from ...scoping import get_for_practice
from ...services import audit, billing_setup
from ...standards.billing import (
    CLAIM_ROUTE_LABELS,
    PAYER_KIND_LABELS,
    PROCEDURE_CODES,
    UNIT_METHOD_LABELS,
    credential_label,
)
from . import bp
from .forms import BillingProviderForm, PayerForm, RenderingProviderForm, SupervisionForm, fee_form_for

WORDS = {"kinds": PAYER_KIND_LABELS, "routes": CLAIM_ROUTE_LABELS, "methods": UNIT_METHOD_LABELS,
         "codes": PROCEDURE_CODES, "credential_label": credential_label}


def _page(template: str, form, **context):
    return render_template(template, form=form, words=WORDS, **context), 422 if form.errors or form.form_errors \
        else 200


@bp.get("")
@requires("billing.setup")
def index():
    practice_id = current_user.practice_id
    audit.viewed(None, detail={"list": "billing set-up"})
    return render_template("billing/index.html", provider=billing_setup.current_billing_provider(practice_id),
                           payers=billing_setup.payers(practice_id),
                           providers=billing_setup.rendering_providers(practice_id),
                           fees=billing_setup.fee_schedule(practice_id), words=WORDS)


@bp.route("/provider", methods=["GET", "POST"])
@requires("billing.setup")
def provider():
    current = billing_setup.current_billing_provider(current_user.practice_id)
    form = BillingProviderForm(obj=current if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            billing_setup.save_billing_provider(current_user, form.values())
        except InputError as error:
            show_refusal(form, error)
        else:
            return redirect(url_for("billing.index"), code=303)
    elif request.method == "GET" and current is not None:
        audit.viewed(current)
    return _page("billing/provider.html", form, current=current)


@bp.get("/payers")
@requires("billing.setup")
def payers():
    audit.viewed(None, detail={"list": "payers"})
    return render_template("billing/payers.html", payers=billing_setup.payers(current_user.practice_id), words=WORDS)


def _payer_form(payer: Payer | None):
    return PayerForm(obj=payer if request.method == "GET" else None)


def _save_payer(payer: Payer | None):
    form = _payer_form(payer)
    if form.validate_on_submit():
        try:
            saved = billing_setup.save_payer(current_user, payer, form.values())
        except InputError as error:
            show_refusal(form, error)
        else:
            return redirect(url_for("billing.payer", payer_id=saved.id, saved=1), code=303)
    elif request.method == "GET" and payer is not None:
        audit.viewed(payer)
    return _page("billing/payer.html", form, payer=payer, saved=request.args.get("saved") == "1")


@bp.route("/payers/new", methods=["GET", "POST"])
@requires("billing.setup")
def new_payer():
    return _save_payer(None)


@bp.route("/payers/<int:payer_id>", methods=["GET", "POST"])
@requires("billing.setup")
def payer(payer_id: int):
    return _save_payer(get_for_practice(Payer, payer_id))


def _staff_choices(field) -> None:
    staff = db.session.scalars(select(User).where(User.practice_id == current_user.practice_id)
                               .order_by(User.full_name))
    field.choices = [SelectChoice("", "Not a staff member")] + [
        SelectChoice(str(member.id), member.full_name if member.active else f"{member.full_name} (inactive)")
        for member in staff]


def _save_rendering_provider(provider: RenderingProvider | None):
    form = RenderingProviderForm(obj=provider if request.method == "GET" else None)
    _staff_choices(form.user_id)
    if request.method == "GET" and provider is not None:
        form.user_id.data = str(provider.user_id or "")
    if form.validate_on_submit():
        try:
            billing_setup.save_rendering_provider(current_user, provider, form.values())
        except InputError as error:
            show_refusal(form, error)
        else:
            return redirect(url_for("billing.index", _anchor="providers"), code=303)
    elif request.method == "GET" and provider is not None:
        audit.viewed(provider)
    return _page("billing/rendering_provider.html", form, provider=provider)


@bp.route("/providers/new", methods=["GET", "POST"])
@requires("billing.setup")
def new_rendering_provider():
    return _save_rendering_provider(None)


@bp.route("/providers/<int:rendering_provider_id>", methods=["GET", "POST"])
@requires("billing.setup")
def rendering_provider(rendering_provider_id: int):
    return _save_rendering_provider(get_for_practice(RenderingProvider, rendering_provider_id))


@bp.route("/fees", methods=["GET", "POST"])
@requires("billing.setup")
def fee_schedule():
    practice_id = current_user.practice_id
    payers_now = billing_setup.payers(practice_id, active_only=True)
    form = fee_form_for([p.id for p in payers_now])
    contracted = {p.id: getattr(form, f"contracted_{p.id}") for p in payers_now}
    if request.method == "GET":
        form.effective_on.data = f"{practice_today(current_user.practice):%m/%d/%Y}"
    if form.validate_on_submit():
        try:
            billing_setup.add_fee(current_user, form.values(contracted))
        except InputError as error:
            show_refusal(form, error)
        else:
            return redirect(url_for("billing.fee_schedule"), code=303)
    if request.method == "GET":
        audit.viewed(None, detail={"list": "fee schedule"})
    return _page("billing/fees.html", form, fees=billing_setup.fee_schedule(practice_id),
                 rates=billing_setup.contracted_rates(practice_id), payers=payers_now, contracted=contracted)


@bp.route("/supervision", methods=["GET", "POST"])
@requires("billing.setup")
def supervision():
    practice_id = current_user.practice_id
    form = SupervisionForm()
    since = utcnow() - timedelta(days=60)
    sessions = db.session.execute(
        select(SessionLog, Client).join(Client, Client.id == SessionLog.client_id)
        .where(SessionLog.practice_id == practice_id, SessionLog.signed_at.is_not(None),
               SessionLog.started_at >= since)
        .order_by(SessionLog.started_at.desc()).limit(200)).all()
    zone = current_user.practice.zone
    form.session_id.choices = [SelectChoice("", "Choose a signed session")] + [
        SelectChoice(str(s.id), f"{s.started_at.astimezone(zone):%m/%d/%Y %H:%M} · {c.display_name}")
        for s, c in sessions]
    supervisors = billing_setup.supervisors(practice_id)
    form.supervisor_id.choices = [SelectChoice("", "Choose who supervised")] + [
        SelectChoice(str(p.id), f"{p.display_name} ({credential_label(p.credential)})") for p in supervisors]
    if form.validate_on_submit():
        try:
            billing_setup.record_supervision(current_user, get_for_practice(SessionLog, int(form.session_id.data)),
                                             get_for_practice(RenderingProvider, int(form.supervisor_id.data)),
                                             (form.note.data or "").strip() or None)
        except InputError as error:
            show_refusal(form, error)
        else:
            return redirect(url_for("billing.supervision"), code=303)
    if request.method == "GET":
        audit.viewed(None, detail={"list": "supervision"})
    return _page("billing/supervision.html", form, records=billing_setup.recent_supervision(practice_id),
                 has_supervisors=bool(supervisors))

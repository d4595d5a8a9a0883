"""Eligibility pages: a client's plans with their last check, and one page per coverage where a check
is recorded, authorisations kept, a 270 request downloaded and a 271 answer read back."""

from __future__ import annotations

from flask import Response, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from ...access import requires
from ...clock import practice_today
from ...forms import show_refusal
from ...models import Client, Coverage, Payer
from ...rules.errors import InputError
from ...scoping import get_for_practice
from ...services import audit, billing_setup, eligibility
from ...standards.billing import PAYER_KIND_LABELS
from . import bp
from .forms import AuthorisationForm, PayerLinkForm, RequestForm, ResponseForm, VerificationForm


@bp.get("/clients/<int:client_id>")
@requires("eligibility.record")
def verify(client_id: int):
    client = get_for_practice(Client, client_id)
    plans = eligibility.open_coverages(client)
    audit.viewed(client, detail={"page": "eligibility"})
    return render_template("eligibility/client.html", client=client, plans=plans,
                           latest={plan.id: eligibility.latest(plan) for plan in plans}, kinds=PAYER_KIND_LABELS)


def _payer_choices(form: PayerLinkForm, coverage: Coverage) -> None:
    form.payer_record_id.choices = [SelectChoice("", "Not linked yet")] + [
        SelectChoice(str(p.id), f"{p.name}{' · ' + p.payer_id if p.payer_id else ''}")
        for p in billing_setup.payers(coverage.practice_id, active_only=True)]
    if request.method == "GET" or form.payer_record_id.data is None:
        form.payer_record_id.data = str(coverage.payer_record_id or "")


def _page(coverage: Coverage, *, status: int = 200, **forms):
    today = practice_today(current_user.practice)
    verification = forms.get("verification") or VerificationForm(formdata=None)
    if forms.get("verification") is None:
        verification.verified_on.data = f"{today:%m/%d/%Y}"
    link = forms.get("link") or PayerLinkForm(formdata=None)
    _payer_choices(link, coverage)
    request_form = forms.get("request_form") or RequestForm(formdata=None)
    if forms.get("request_form") is None:
        request_form.service_date.data = f"{today:%m/%d/%Y}"
    return render_template(
        "eligibility/coverage.html", coverage=coverage, client=coverage.client, kinds=PAYER_KIND_LABELS,
        methods=eligibility.METHODS,
        checks=eligibility.verifications(coverage), authorisations=eligibility.authorisations(coverage),
        warnings=eligibility.expired_or_nearly_used(coverage, today), today=today,
        verification=verification, link=link,
        request_form=request_form, response_form=forms.get("response_form") or ResponseForm(formdata=None),
        authorisation=forms.get("authorisation") or AuthorisationForm(formdata=None),
    ), status


@bp.route("/coverage/<int:coverage_id>", methods=["GET", "POST"])
@requires("eligibility.record")
def coverage(coverage_id: int):
    plan = get_for_practice(Coverage, coverage_id)
    if request.method == "GET":
        audit.viewed(plan)
        return _page(plan)
    form = VerificationForm()
    if form.validate_on_submit():
        try:
            eligibility.record_verification(current_user, plan, form.values())
        except InputError as error:
            show_refusal(form, error)
        else:
            return redirect(url_for("eligibility.coverage", coverage_id=plan.id, _anchor="checks"), code=303)
    return _page(plan, status=422, verification=form)


@bp.post("/coverage/<int:coverage_id>/authorisations")
@requires("eligibility.record")
def add_authorisation(coverage_id: int):
    plan = get_for_practice(Coverage, coverage_id)
    form = AuthorisationForm()
    if form.validate_on_submit():
        try:
            eligibility.add_authorisation(current_user, plan, form.values())
        except InputError as error:
            show_refusal(form, error)
        else:
            return redirect(url_for("eligibility.coverage", coverage_id=plan.id, _anchor="authorisations"), code=303)
    return _page(plan, status=422, authorisation=form)


@bp.post("/coverage/<int:coverage_id>/payer")
@requires("eligibility.record")
def link_payer(coverage_id: int):
    plan = get_for_practice(Coverage, coverage_id)
    form = PayerLinkForm()
    _payer_choices(form, plan)
    if form.validate_on_submit():
        payer = get_for_practice(Payer, int(form.payer_record_id.data)) if form.payer_record_id.data else None
        try:
            eligibility.link_payer(current_user, plan, payer)
        except InputError as error:
            show_refusal(form, error)
        else:
            return redirect(url_for("eligibility.coverage", coverage_id=plan.id), code=303)
    return _page(plan, status=422, link=form)


@bp.post("/coverage/<int:coverage_id>/270")
@requires("eligibility.record")
def request_270(coverage_id: int):
    plan = get_for_practice(Coverage, coverage_id)
    form = RequestForm()
    if form.validate_on_submit():
        try:
            text, name = eligibility.request_270(current_user, plan, form.service_date.parsed)
        except InputError as error:
            show_refusal(form, error, "service_date")
        else:
            response = Response(text, mimetype="application/edi-x12")
            response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
            response.headers["Cache-Control"] = "no-store"
            return response
    return _page(plan, status=422, request_form=form)


@bp.post("/coverage/<int:coverage_id>/271")
@requires("eligibility.record")
def read_271(coverage_id: int):
    plan = get_for_practice(Coverage, coverage_id)
    form = ResponseForm()
    if form.validate_on_submit():
        try:
            eligibility.read_response(current_user, plan, form.text())
        except InputError as error:
            show_refusal(form, error)
        else:
            return redirect(url_for("eligibility.coverage", coverage_id=plan.id, _anchor="checks"), code=303)
    return _page(plan, status=422, response_form=form)

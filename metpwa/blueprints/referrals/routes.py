"""Providers list, recording a referral with its order, attaching an order later, recording clearance."""

from urllib.parse import urlencode

from flask import redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from ...access import requires, safe_next
from ...models import Client, Referral, ReferringProvider
from ...scoping import get_for_client, get_for_practice
from ...services import audit, documents, intake, referrals
from . import bp
from .forms import ClearanceForm, OrderForm, ProviderForm, ReferralForm


def _provider_choices(form_field) -> None:
    form_field.choices = [SelectChoice("", "Choose")] + [
        SelectChoice(str(p.id), f"{p.display_name}{' · ' + p.organization if p.organization else ''}")
        for p in referrals.providers(current_user.practice_id)
    ]
    # Back from adding a provider: the one just added is chosen (only if it is this practice's,
    # since the choices are).
    added = request.args.get("provider_id", "")
    if request.method == "GET" and any(choice.value == added for choice in form_field.choices[1:]):
        form_field.data = form_field.coerce(added)


@bp.get("/providers")
@requires("clients.view")
def providers():
    return render_template("referrals/providers.html", providers=referrals.providers(current_user.practice_id),
                           form=ProviderForm(), back=safe_next(request.args.get("back")))


@bp.post("/providers")
@requires("clients.edit")
def add_provider():
    form = ProviderForm()
    back = safe_next(request.args.get("back"))
    if form.validate_on_submit():
        provider = referrals.add_provider(current_user, form.values())
        if back:
            # The form that sent the trainer here opens with the new provider chosen.
            back = f"{back}{'&' if '?' in back else '?'}{urlencode({'provider_id': provider.id})}"
        return redirect(back or url_for("referrals.providers"), code=303)
    return render_template("referrals/providers.html", providers=referrals.providers(current_user.practice_id),
                           form=form, back=back), 422


@bp.route("/clients/<int:client_id>/referrals/new", methods=["GET", "POST"])
@requires("clients.edit")
def new_referral(client_id: int):
    client = get_for_practice(Client, client_id)
    form = ReferralForm()
    _provider_choices(form.provider_id)
    if request.method == "GET":
        audit.viewed(client, detail={"view": "new referral"})
    status = 200
    if form.validate_on_submit():
        codes, problems = referrals.check_codes(form.code_lines())
        provider = get_for_practice(ReferringProvider, form.provider_id.data)
        if problems:
            form.codes.errors = problems
        else:
            try:
                order = documents.store_upload(client, form.order_document.data, kind="referral_order",
                                               title=f"Order from {provider.display_name}", by=current_user)
            except documents.DocumentRefused as refused:
                form.order_document.errors = [refused.message]
            else:
                referrals.record_referral(
                    current_user, client, provider=provider, referred_on=form.referred_on.parsed,
                    reason=form.reason.data.strip(), codes=codes, authorized_visits=form.authorized_visits.data,
                    expires_on=form.expires_on.parsed, order_document=order,
                )
                return redirect(url_for("clients.chart", client_id=client.id, _anchor="referral"), code=303)
    if form.errors or request.method == "POST":
        status = 422
    return render_template("referrals/new.html", client=client, form=form), status


@bp.post("/clients/<int:client_id>/referrals/<int:referral_id>/order")
@requires("clients.edit")
def attach_order(client_id: int, referral_id: int):
    client = get_for_practice(Client, client_id)
    referral = get_for_client(Referral, referral_id, client.id)
    referrals.refuse_if_order_on_file(referral)
    form = OrderForm()
    try:
        document = documents.store_upload(client, form.order_document.data, kind="referral_order",
                                          title=f"Order from {referral.provider.display_name}", by=current_user)
    except documents.DocumentRefused as refused:
        form.order_document.errors = [refused.message]
        document = None
    if document is None:
        if not form.order_document.errors:
            form.order_document.errors = ["Choose the order's file first."]
        return render_template("referrals/attach_order.html", client=client, referral=referral, form=form), 422
    referrals.attach_order(current_user, referral, document)
    return redirect(url_for("clients.chart", client_id=client.id, _anchor="referral"), code=303)


@bp.route("/clients/<int:client_id>/clearance/new", methods=["GET", "POST"])
@requires("clients.edit")
def new_clearance(client_id: int):
    client = get_for_practice(Client, client_id)
    answered = intake.latest_complete(client.id)
    if answered is None or not answered.clearance_required:
        return redirect(url_for("clients.chart", client_id=client.id), code=303)
    form = ClearanceForm()
    _provider_choices(form.provider_id)
    if request.method == "GET":
        # The page shows which answers of the health history call for clearance.
        audit.viewed(answered, client_id=client.id, detail={"view": "new clearance"})
    status = 200
    if form.validate_on_submit():
        provider = get_for_practice(ReferringProvider, form.provider_id.data)
        try:
            document = documents.store_upload(client, form.document.data, kind="clearance",
                                              title=f"Clearance from {provider.display_name}", by=current_user)
        except documents.DocumentRefused as refused:
            form.document.errors = [refused.message]
        else:
            if document is None:
                form.document.errors = ["Upload the clearance letter: it is the record of the clearance."]
            else:
                referrals.record_clearance(current_user, client, intake_id=answered.id,
                                           cleared_on=form.cleared_on.parsed, provider=provider, document=document,
                                           restrictions=form.restrictions.data)
                return redirect(url_for("clients.chart", client_id=client.id), code=303)
    if request.method == "POST":
        status = 422
    return render_template("referrals/clearance.html", client=client, form=form, intake=answered), status

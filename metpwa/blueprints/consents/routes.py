"""The owner's consent templates; a client's signed consent as a PDF; recording a withdrawal."""

from flask import Response, redirect, render_template, request, url_for
from flask_login import current_user

from ...access import requires
from ...errors import render_error
from ...models import Client, ConsentSignature, ConsentTemplate
from ...scoping import get_for_client, get_for_practice
from ...services import audit, consents
from ...services.fingerprints import RecordAltered
from . import bp
from ...standards.majority import majority
from ...standards.privacy_notice import NOTICE_KEY
from .forms import PracticeStateForm, TemplateForm, WithdrawForm


def _templates_page(form: TemplateForm, state_form: PracticeStateForm | None = None, status: int = 200):
    current = consents.current_templates(current_user.practice_id)
    practice = current_user.practice
    return render_template("consents/templates.html", templates=current,
                           history={t.key: consents.versions(current_user.practice_id, t.key) for t in current},
                           form=form, state_form=state_form or PracticeStateForm(state=practice.state or ""),
                           majority=majority(practice.state), notice_key=NOTICE_KEY,
                           has_notice=any(t.key == NOTICE_KEY for t in current)), status


@bp.post("/consents/notice")
@requires("staff.manage")
def publish_notice():
    consents.publish_notice(current_user, current_user.practice)
    return redirect(url_for("consents.templates"), code=303)


@bp.get("/consents")
@requires("clients.view")
def templates():
    return _templates_page(TemplateForm(required=True))


@bp.post("/consents/state")
@requires("staff.manage")
def practice_state():
    form = PracticeStateForm()
    if not form.validate_on_submit():
        return _templates_page(TemplateForm(required=True), form, 422)
    consents.set_state(current_user, current_user.practice, form.state.data)
    return redirect(url_for("consents.templates", _anchor="majority"), code=303)


@bp.get("/consents/version/<int:template_id>")
@requires("clients.view")
def version(template_id: int):
    template = get_for_practice(ConsentTemplate, template_id)
    return render_template("consents/version.html", template=template,
                           paragraphs=[p.strip() for p in template.body.split("\n\n") if p.strip()])


@bp.route("/consents/<key>/edit", methods=["GET", "POST"])
@requires("staff.manage")
def new_version(key: str):
    history = consents.versions(current_user.practice_id, key)
    if not history:
        return redirect(url_for("consents.templates"), code=303)
    latest = history[0]
    form = TemplateForm(obj=latest if request.method == "GET" else None)
    if form.validate_on_submit():
        consents.publish(current_user, current_user.practice_id, key=key, title=form.title.data,
                         body=form.body.data, required=form.required.data)
        return redirect(url_for("consents.templates"), code=303)
    return render_template("consents/edit.html", form=form, latest=latest), 422 if form.errors else 200


@bp.post("/consents")
@requires("staff.manage")
def add():
    form = TemplateForm()
    if form.validate_on_submit():
        key = consents.key_for_title(form.title.data)
        if consents.versions(current_user.practice_id, key):
            form.title.errors = ["A form with that title exists: open it and publish a new version instead."]
        else:
            consents.publish(current_user, current_user.practice_id, key=key, title=form.title.data,
                             body=form.body.data, required=form.required.data)
            return redirect(url_for("consents.templates"), code=303)
    return _templates_page(form, status=422)


@bp.post("/consents/version/<int:template_id>/retire")
@requires("staff.manage")
def retire(template_id: int):
    consents.retire(current_user, get_for_practice(ConsentTemplate, template_id))
    return redirect(url_for("consents.templates"), code=303)


@bp.get("/clients/<int:client_id>/consents/<int:signature_id>.pdf")
@requires("clients.view")
def signed_pdf(client_id: int, signature_id: int):
    signature = get_for_client(ConsentSignature, signature_id, client_id)
    try:
        data = consents.open_pdf(current_user, signature)
    except RecordAltered:
        return render_error(500, "This signed consent no longer matches the fingerprint taken when it was signed, "
                                 "so it is not shown. The practice owner sees this in the audit trail.")
    response = Response(data, mimetype="application/pdf")
    filename = f"consent-{signature.template.key}-v{signature.template.version}-{signature.signed_at:%Y%m%d}.pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@bp.route("/clients/<int:client_id>/consents/<int:signature_id>/withdraw", methods=["GET", "POST"])
@requires("clients.edit")
def withdraw(client_id: int, signature_id: int):
    client = get_for_practice(Client, client_id)
    signature = get_for_client(ConsentSignature, signature_id, client.id)
    if signature.id in consents.withdrawn_ids(client.id):
        return redirect(url_for("clients.chart", client_id=client.id, _anchor="consents"), code=303)
    form = WithdrawForm()
    if request.method == "GET":
        audit.viewed(signature, client_id=client.id, detail={"view": "withdraw consent"})
    if form.validate_on_submit():
        consents.withdraw(current_user, signature, on=form.withdrawn_on.parsed, reason=form.reason.data)
        return redirect(url_for("clients.chart", client_id=client.id, _anchor="consents"), code=303)
    return render_template("consents/withdraw.html", client=client, signature=signature, form=form), \
        422 if form.errors else 200

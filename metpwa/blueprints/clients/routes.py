"""Client list with search-as-you-type, registration, the chart and its contact and insurance sections."""

from flask import Response, abort, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import and_, or_, select
from wtforms import SelectChoice

from ...access import requires
from ...clock import practice_today
from ...extensions import db, htmx
from ...models import Assessment, Client, Coverage, Document, EmergencyContact, User
from ...permissions import Role, document_capability
from ...scoping import get_for_client, get_for_practice
from ...services import (
    audit,
    billing_setup,
    clients,
    consents,
    documents,
    eligibility,
    intake,
    plans,
    readiness,
    referrals,
    reports,
    schedule,
    sessions,
)
from . import bp
from .forms import ContactForm, CoverageForm, DetailsForm, RegisterForm


@bp.get("")
@requires("clients.view")
def index():
    query = request.args.get("q", "")
    results = clients.search(current_user, query)
    if htmx.target == "client-results":
        return render_template("clients/_results.html", clients=results, query=query)
    return render_template("clients/index.html", clients=results, query=query)


def _trainer_choices(field, assigned_id: int | None = None) -> None:
    """The practice's active trainers, and the client's own trainer even after they have left,
    marked inactive: left out, the select showed "Not assigned yet" and saving any other detail
    quietly took them off the client."""
    offered = and_(User.active.is_(True), User.role.in_([Role.TRAINER, Role.OWNER]))
    trainers = db.session.scalars(
        select(User).where(User.practice_id == current_user.practice_id,
                           or_(offered, User.id == assigned_id) if assigned_id else offered).order_by(User.full_name)
    )
    field.choices = [SelectChoice("", "Not assigned yet")] + [
        SelectChoice(str(u.id), u.full_name if u.active else f"{u.full_name} (inactive)") for u in trainers]


@bp.route("/new", methods=["GET", "POST"])
@requires("clients.edit")
def register():
    form = RegisterForm()
    _trainer_choices(form.primary_trainer_id)
    duplicates: list[Client] = []
    if request.method == "GET" and current_user.role == Role.TRAINER:
        form.primary_trainer_id.data = current_user.id
    if form.validate_on_submit():
        values = form.values()
        duplicates = clients.possible_duplicates(current_user.practice_id, values["first_name"], values["last_name"],
                                                 values["date_of_birth"])
        if not duplicates or form.different_person.data:
            client = clients.register(current_user, values, form.contact())
            return redirect(url_for("clients.chart", client_id=client.id), code=303)
    status = 409 if duplicates else (422 if request.method == "POST" else 200)
    return render_template("clients/register.html", form=form, duplicates=duplicates), status


@bp.get("/<int:client_id>")
@requires("clients.view")
def chart(client_id: int):
    client = clients.open_chart(current_user, client_id)
    items, ready = readiness.for_chart(client)
    # Billing reads its chips (eligibility, authorisation, claims) from the same evidence chain.
    sees_evidence = current_user.can("clinical.view") or current_user.can("billing.view")
    evidence = readiness.evidence_for_chart(client) if sees_evidence else []
    latest_intake = intake.latest(client.id)
    latest_complete = intake.latest_complete(client.id)
    return render_template(
        "clients/chart.html", client=client, today=practice_today(current_user.practice), readiness=items,
        evidence=evidence,
        ready=ready, referral=referrals.current_referral(client.id), intake=latest_intake,
        open_consents=[item for item in items if item.key.startswith("consent:") and not item.done],
        baseline=db.session.get(Assessment, client.baseline_assessment_id) if client.baseline_assessment_id else None,
        plan=plans.current(client.id),
        open_session=sessions.in_progress(client.id) if current_user.can("clinical.view") else None,
        left_unsigned=sessions.left_unsigned(client) if current_user.can("clinical.view") else [],
        last_session=sessions.last_signed(client.id) if current_user.can("clinical.view") else None,
        attendance=schedule.attendance(client.id),
        eligibility=eligibility.readiness_item(client) if client.coverages or client.self_pay else None,
        report_due=reports.due(client, practice_today(current_user.practice)) if current_user.can("clinical.view") else None,
        last_report=reports.last_final(client.id) if current_user.can("clinical.view") else None,
        answered=latest_complete,
        clearance=intake.clearance_for(latest_complete) if latest_complete else None,
        signatures=consents.signatures(client.id), withdrawn=consents.withdrawn_ids(client.id),
        documents=db.session.scalars(
            select(Document).where(Document.client_id == client.id).order_by(Document.uploaded_at.desc())
        ).all(),
    )


@bp.route("/<int:client_id>/details", methods=["GET", "POST"])
@requires("clients.edit")
def edit_details(client_id: int):
    client = get_for_practice(Client, client_id)
    form = DetailsForm(obj=client if request.method == "GET" else None)
    _trainer_choices(form.primary_trainer_id, client.primary_trainer_id)
    if request.method == "GET":
        form.primary_trainer_id.data = client.primary_trainer_id
        audit.viewed(client, detail={"view": "details"})
    if form.validate_on_submit():
        clients.update_details(current_user, client, form.values())
        return redirect(url_for("clients.chart", client_id=client.id), code=303)
    return render_template("clients/details.html", client=client, form=form), 422 if form.errors else 200


@bp.route("/<int:client_id>/contacts", methods=["GET", "POST"])
@requires("clients.edit")
def contacts(client_id: int):
    client = get_for_practice(Client, client_id)
    form = ContactForm()
    if request.method == "GET":
        audit.viewed(client, detail={"view": "emergency contacts"})
    if form.validate_on_submit():
        clients.add_contact(current_user, client, form.values())
        return redirect(url_for("clients.chart", client_id=client.id, _anchor="contacts"), code=303)
    return render_template("clients/contacts.html", client=client, form=form), 422 if form.errors else 200


@bp.post("/<int:client_id>/contacts/<int:contact_id>/remove")
@requires("clients.edit")
def remove_contact(client_id: int, contact_id: int):
    clients.remove_contact(current_user, get_for_client(EmergencyContact, contact_id, client_id))
    return redirect(url_for("clients.contacts", client_id=client_id), code=303)


@bp.route("/<int:client_id>/coverage", methods=["GET", "POST"])
@requires("clients.edit")
def coverage(client_id: int):
    client = get_for_practice(Client, client_id)
    form = CoverageForm()
    form.payer_record_id.choices = [SelectChoice("", "Not set up yet (billing links it later)")] + [
        SelectChoice(str(p.id), p.name) for p in billing_setup.payers(client.practice_id, active_only=True)]
    if request.method == "GET":
        form.priority.data = len(client.coverages) + 1 if len(client.coverages) < 3 else 3
        # The page shows every coverage's member ID, decrypted.
        audit.viewed(client, detail={"view": "insurance"})
    if form.validate_on_submit():
        clients.add_coverage(current_user, client, form.values())
        return redirect(url_for("clients.chart", client_id=client.id, _anchor="insurance"), code=303)
    return render_template("clients/coverage.html", client=client, form=form), 422 if form.errors else 200


@bp.post("/<int:client_id>/coverage/<int:coverage_id>/end")
@requires("clients.edit")
def end_coverage(client_id: int, coverage_id: int):
    clients.end_coverage(current_user, get_for_client(Coverage, coverage_id, client_id))
    return redirect(url_for("clients.coverage", client_id=client_id), code=303)


@bp.get("/<int:client_id>/documents/<int:document_id>")
@requires("clients.view")
def document(client_id: int, document_id: int):
    stored = get_for_client(Document, document_id, client_id)
    if not current_user.can(document_capability(stored.kind)):
        abort(403)
    data = documents.open_for_download(stored, current_user)
    response = Response(data, mimetype=stored.content_type)
    response.headers["Content-Disposition"] = f'inline; filename="{stored.filename}"'
    # A stored file is shown as itself and can run nothing in this origin.
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'"
    return response

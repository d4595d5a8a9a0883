"""Staff list, new staff, role changes, deactivation and clearing sign-in locks; each person's credentials,
continuing education and training, and the HIPAA-training gate's waivers."""

import io

from flask import abort, flash, get_flashed_messages, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from ...access import requires
from ...clock import practice_today
from ...errors import render_error
from ...extensions import db
from ...models import (
    ContinuingEducation,
    HipaaTrainingWaiver,
    LoginFailure,
    PracticeDocument,
    StaffCredential,
    StaffInvitation,
    TrainingCompletion,
    TrainingSession,
    User,
    utcnow,
)
from ...rules import credentials as credential_rules
from ...scoping import get_for_practice, practice_select, record_id_or_none
from ...mail import MailError
from ...services import audit, credentials, documents, emergency, invitations, staff, training, twofactor
from ...standards.credentials import CREDENTIALS, PROFESSION_LABELS
from ...standards.training import TOPICS
from . import bp, forms
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
            invitations=invitations.pending_for(current_user.practice_id), sent=get_flashed_messages(),
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
    """Adding someone is an invitation e-mailed to the address: the answer is the same whether or not
    the address already signs in anywhere on this server (only the message to that address differs)."""
    form = StaffForm()
    if form.validate_on_submit():
        try:
            invitations.invite(current_user.practice, email=form.email.data, full_name=form.full_name.data,
                               role=form.role.data, credentials=form.credentials.data, npi=form.npi.data,
                               by=current_user)
        except MailError as failed:
            form.email.errors = [str(failed)]
        else:
            flash(f"Invitation sent to {form.email.data.strip().lower()}.")
            return redirect(url_for("staff.index", _anchor="invitations"), code=303)
    return _staff_page(form, 422)


def _invitation(invitation_id: int) -> StaffInvitation:
    """A pending invitation of this practice (another practice's id, or one used or cancelled: 404)."""
    invitation = get_for_practice(StaffInvitation, invitation_id)
    if not invitation.pending:
        abort(404)
    return invitation


@bp.post("/invitations/<int:invitation_id>/resend")
@requires("staff.manage")
def resend_invitation(invitation_id: int):
    invitation = _invitation(invitation_id)
    try:
        invitations.resend(invitation, by=current_user)
    except MailError as failed:
        return render_error(503, str(failed))
    flash(f"Invitation sent to {invitation.email} again; the earlier link no longer works.")
    return redirect(url_for("staff.index", _anchor="invitations"), code=303)


@bp.post("/invitations/<int:invitation_id>/cancel")
@requires("staff.manage")
def cancel_invitation(invitation_id: int):
    invitation = _invitation(invitation_id)
    invitations.cancel(invitation, by=current_user)
    flash(f"Invitation to {invitation.email} cancelled; its link no longer works.")
    return redirect(url_for("staff.index", _anchor="invitations"), code=303)


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


# --- Credentials and continuing education: the owner for everyone, each person for their own -------


def _member(user_id: int) -> User:
    """A colleague of this practice (another practice's id: 404) whom the signed-in person may manage."""
    member = get_for_practice(User, user_id)
    if member.id != current_user.id and not current_user.can("staff.manage"):
        abort(403)
    return member


def _credentials_page(member: User, *, errors: dict | None = None, values: dict | None = None,
                      editing: StaffCredential | None = None, renewing: StaffCredential | None = None,
                      ce_errors: dict | None = None, ce_values: dict | None = None, status: int = 200):
    today = practice_today(member.practice)
    current = credentials.current_for(member.id)
    entries = credentials.ce_for(member.id)
    audit.viewed(member, detail={"list": "credentials"})
    return render_template(
        "staff/credentials.html", member=member, current=current, history=credentials.history_for(member.id),
        entries=entries, totals=credentials.ce_totals(current, entries, today), today=today,
        expiry=credential_rules.expiry, label_of=credentials.label_of, kinds=CREDENTIALS,
        professions=PROFESSION_LABELS, signing=credentials.signing_check(member), hipaa=training.hipaa_due(member),
        gate=training.gate(member), new_staff=training.is_new(member), waivers=training.waivers_of(member.id),
        errors=errors or {}, values=values or {}, editing=editing, renewing=renewing,
        ce_errors=ce_errors or {}, ce_values=ce_values or MultiDict()), status


@bp.get("/<int:user_id>/credentials", endpoint="credentials")
@requires("staff.own_records")
def credentials_page(user_id: int):
    member = _member(user_id)
    editing = renewing = None
    if (edit_id := request.args.get("edit", type=record_id_or_none)) is not None:
        editing = _credential(member, edit_id)
    if (renew_id := request.args.get("renew", type=record_id_or_none)) is not None:
        renewing = _credential(member, renew_id)
    return _credentials_page(member, editing=editing, renewing=renewing)


def _credential(member: User, credential_id: int) -> StaffCredential:
    credential = get_for_practice(StaffCredential, credential_id)
    if credential.user_id != member.id:
        abort(404)
    return credential


def _saved(file_field: str, save) -> dict[str, str]:
    """Runs a save that takes the uploaded card or certificate: {} when saved, else the refusal's
    messages by field (a document the PDF checks refuse is said at its own field)."""
    try:
        save(request.files.get(file_field))
    except credentials.CredentialInputError as refused:
        return refused.errors
    except documents.DocumentRefused as refused:
        return {file_field: refused.message}
    return {}


@bp.post("/<int:user_id>/credentials")
@requires("staff.own_records")
def add_credential(user_id: int):
    member = _member(user_id)
    typed = forms.read_credential(request.form)
    renewing = None
    if (renew_id := request.form.get("renews", type=record_id_or_none)) is not None:
        renewing = _credential(member, renew_id)
    errors = {**credentials.problems(member, typed.value), **typed.errors} if typed.errors else {}
    if not errors:
        errors = _saved("document", lambda upload: credentials.add(member, typed.value, upload, by=current_user,
                                                                  renews=renewing))
        if not errors:
            return redirect(url_for("staff.credentials", user_id=member.id), code=303)
    return _credentials_page(member, errors=errors, values=request.form, renewing=renewing, status=422)


@bp.post("/<int:user_id>/credentials/<int:credential_id>")
@requires("staff.own_records")
def edit_credential(user_id: int, credential_id: int):
    member = _member(user_id)
    credential = _credential(member, credential_id)
    typed = forms.read_credential(request.form)
    errors = {**credentials.problems(member, typed.value), **typed.errors} if typed.errors else {}
    if not errors:
        errors = _saved("document", lambda upload: credentials.correct(credential, typed.value, upload,
                                                                      by=current_user))
        if not errors:
            return redirect(url_for("staff.credentials", user_id=member.id), code=303)
    return _credentials_page(member, errors=errors, values=request.form, editing=credential, status=422)


@bp.post("/<int:user_id>/continuing-education")
@requires("staff.own_records")
def add_ce(user_id: int):
    member = _member(user_id)
    typed = forms.read_ce(request.form)
    errors = {**credentials.ce_problems(member, typed.value), **typed.errors} if typed.errors else {}
    if not errors:
        errors = _saved("certificate", lambda upload: credentials.add_ce(member, typed.value, upload, by=current_user))
        if not errors:
            return redirect(url_for("staff.credentials", user_id=member.id, _anchor="continuing-education"), code=303)
    return _credentials_page(member, ce_errors=errors, ce_values=request.form, status=422)


@bp.post("/<int:user_id>/continuing-education/<int:ce_id>/remove")
@requires("staff.own_records")
def remove_ce(user_id: int, ce_id: int):
    member = _member(user_id)
    entry = get_for_practice(ContinuingEducation, ce_id)
    if entry.user_id != member.id:
        abort(404)
    credentials.remove_ce(entry, by=current_user)
    return redirect(url_for("staff.credentials", user_id=member.id, _anchor="continuing-education"), code=303)


@bp.get("/continuing-education", defaults={"user_id": None})
@bp.get("/<int:user_id>/continuing-education")
@requires("staff.own_records")
def continuing_education(user_id: int | None):
    """Everyone's CE against their credentials (the owner), or one person's."""
    if user_id is None and not current_user.can("staff.manage"):
        user_id = current_user.id
    if user_id is not None:
        member = _member(user_id)
        return redirect(url_for("staff.credentials", user_id=member.id, _anchor="continuing-education"), code=303)
    members = list(db.session.scalars(practice_select(User).where(User.active.is_(True)).order_by(User.full_name)))
    today = practice_today(current_user.practice)
    rows = [(m, credentials.ce_totals(credentials.current_for(m.id), credentials.ce_for(m.id), today))
            for m in members]
    audit.viewed(detail={"list": "continuing education"})
    return render_template("staff/continuing_education.html", rows=rows)


@bp.get("/<int:user_id>/documents/<int:practice_document_id>")
@requires("staff.own_records")
def document(user_id: int, practice_document_id: int):
    member = _member(user_id)
    kept = get_for_practice(PracticeDocument, practice_document_id)
    if kept.user_id != member.id:
        abort(404)
    data = credentials.open_document(kept, current_user)
    return send_file(io.BytesIO(data), mimetype=kept.content_type, as_attachment=True, download_name=kept.filename)


@bp.post("/settings/signing")
@requires("staff.manage")
def signing_setting():
    credentials.set_signing_block(current_user.practice, request.form.get("on") == "1", by=current_user)
    return redirect(url_for("staff.index", _anchor="signing"), code=303)


# --- Training -------------------------------------------------------------------------------------------


def _training_page(*, errors: dict | None = None, values: dict | None = None, status: int = 200):
    practice = current_user.practice
    audit.viewed(detail={"list": "training"})
    return render_template("staff/training.html", sessions=training.sessions_of(practice.id),
                           board=training.board(practice), topics=TOPICS, errors=errors or {}, values=values or {},
                           mine=training.completions_of(current_user.id)), status


@bp.get("/training", defaults={"user_id": None}, endpoint="training")
@bp.get("/<int:user_id>/training", endpoint="training")
@requires("staff.own_records")
def training_page(user_id: int | None):
    """The owner's training page (sessions, everyone's HIPAA dates); anyone else's own record."""
    if user_id is not None:
        member = _member(user_id)
        if not current_user.can("staff.manage"):
            return redirect(url_for("staff.training_attest"), code=303)
        return redirect(url_for("staff.training", _anchor=f"hipaa-{member.id}"), code=303)
    if not current_user.can("staff.manage"):
        return redirect(url_for("staff.training_attest"), code=303)
    return _training_page()


@bp.post("/training")
@requires("staff.manage")
def add_training():
    typed = forms.read_training(request.form)
    entered = typed.value
    errors = {**training.session_problems(current_user.practice, topic=entered.topic, title=entered.title,
                                          held_on=entered.held_on, presenter=entered.presenter),
              **typed.errors} if typed.errors else {}
    if not errors:
        try:
            session = training.add_session(current_user.practice, topic=entered.topic, title=entered.title,
                                           held_on=entered.held_on, presenter=entered.presenter,
                                           minutes=entered.minutes, notes=entered.notes,
                                           upload=request.files.get("materials"), by=current_user)
        except credentials.CredentialInputError as refused:
            errors = refused.errors
        except documents.DocumentRefused as refused:
            errors = {"materials": refused.message}
        else:
            return redirect(url_for("staff.training_session", training_id=session.id), code=303)
    return _training_page(errors=errors, values=request.form, status=422)


def _session_page(session: TrainingSession, *, errors: dict | None = None, values: dict | None = None,
                  status: int = 200):
    audit.viewed(session)
    members = list(db.session.scalars(practice_select(User).where(User.active.is_(True)).order_by(User.full_name)))
    return render_template("staff/training_session.html", session=session, members=members, topics=TOPICS,
                           attended={c.user_id for c in session.completions}, errors=errors or {},
                           values=values or {}), status


@bp.get("/training/<int:training_id>")
@requires("staff.manage")
def training_session(training_id: int):
    return _session_page(get_for_practice(TrainingSession, training_id))


@bp.post("/training/<int:training_id>/attendees")
@requires("staff.manage")
def record_attendance(training_id: int):
    session = get_for_practice(TrainingSession, training_id)
    typed = forms.read_attendance(request.form)
    errors = dict(typed.errors)
    if not errors:
        people = list(db.session.scalars(practice_select(User).where(User.id.in_(typed.value.attendee_ids))))
        try:
            training.record_attendance(session, people, completed_on=typed.value.completed_on, by=current_user)
        except credentials.CredentialInputError as refused:
            errors = refused.errors
        else:
            return redirect(url_for("staff.training_session", training_id=session.id), code=303)
    return _session_page(session, errors=errors, values=request.form, status=422)


@bp.get("/training/materials/<int:training_id>")
@requires("staff.own_records")
def training_materials(training_id: int):
    session = get_for_practice(TrainingSession, training_id)
    if session.materials is None:
        abort(404)
    data = credentials.open_document(session.materials, current_user)
    return send_file(io.BytesIO(data), mimetype=session.materials.content_type, as_attachment=True,
                     download_name=session.materials.filename)


@bp.get("/training/mine")
@requires("staff.own_records")
def training_attest():
    """Each person's own trainings: attest to those recorded for them, see their HIPAA due date."""
    audit.viewed(current_user, detail={"list": "my training"})
    return render_template("staff/my_training.html", mine=training.completions_of(current_user.id),
                           hipaa=training.hipaa_due(current_user), gate=training.gate(current_user))


@bp.post("/training/completions/<int:completion_id>/attest")
@requires("staff.own_records")
def attest(completion_id: int):
    completion = get_for_practice(TrainingCompletion, completion_id)
    if completion.user_id != current_user.id:
        abort(403)
    training.attest(completion, by=current_user)
    return redirect(url_for("staff.training_attest"), code=303)


@bp.post("/<int:user_id>/hipaa-waiver")
@requires("staff.manage")
def waive(user_id: int):
    member = get_for_practice(User, user_id)
    typed = forms.read_waiver(request.form)
    errors = dict(typed.errors)
    if not errors:
        try:
            training.waive(member, reason=typed.value.reason, until=typed.value.until, by=current_user)
        except credentials.CredentialInputError as refused:
            errors = refused.errors
        else:
            return redirect(url_for("staff.credentials", user_id=member.id, _anchor="hipaa"), code=303)
    return _credentials_page(member, errors={f"waiver_{k}": v for k, v in errors.items()},
                             values=request.form, status=422)


@bp.post("/<int:user_id>/hipaa-waiver/<int:waiver_id>/end")
@requires("staff.manage")
def revoke_waiver(user_id: int, waiver_id: int):
    member = get_for_practice(User, user_id)
    waiver = get_for_practice(HipaaTrainingWaiver, waiver_id)
    if waiver.user_id != member.id:
        abort(404)
    training.revoke(waiver, by=current_user)
    return redirect(url_for("staff.credentials", user_id=member.id, _anchor="hipaa"), code=303)


@bp.get("/training/required")
@requires("staff.own_records")
def hipaa_gate():
    """Where new staff land when they try a client record before their HIPAA training is on record."""
    gate = training.gate(current_user)
    audit.viewed(current_user, detail={"list": "hipaa gate"})
    owners = [m for m in current_user.practice.staff if m.role == "owner" and m.active]
    return render_template("staff/gate.html", gate=gate, hipaa=training.hipaa_due(current_user), owners=owners), (
        200 if gate.allowed else 403)

"""The client's side of the iPad: their open forms, the intake steps, signing, and the way back to staff."""

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from ...access import handoff_view, requires
from ...clock import practice_today
from ...database import writes_last
from ...models import Client, ConsentTemplate
from ...rules.retention import is_minor
from ...rules.signature import SignatureError, clean_signature
from ...scoping import get_for_practice, record_id_or_none
from ...services import consents, handoff, intake, signin
from ...standards.majority import majority
from ..intake_step import render_step, step_keys
from . import bp
from .forms import SignForm, StaffCheckForm


def _client() -> Client:
    staff_session = signin.current_staff_session()
    if staff_session.handoff_client_id is None:
        abort(404)
    return get_for_practice(Client, staff_session.handoff_client_id)


@bp.post("/start/<int:client_id>")
@requires("clients.edit")
def start(client_id: int):
    client = get_for_practice(Client, client_id)
    handoff.start(current_user, signin.current_staff_session(), client)
    return redirect(url_for("handoff.home"), code=303)


def _tasks(client: Client) -> tuple[list[dict], int]:
    """The client's open forms in order, and how many were open when hand-off began."""
    tasks = []
    current = intake.latest(client.id)
    if current is None or not current.complete:
        # Begun earlier (the iPad taken back half way): "Continue", so no one thinks the answers are gone.
        tasks.append({"kind": "intake", "title": "Health history", "url": url_for("handoff.intake_step",
                      step_key=(intake.first_open_step(current) if current else step_keys()[0])),
                      "go": "Continue" if current is not None and current.answers else "Start"})
    for template in consents.offered(client):
        tasks.append({"kind": "consent", "title": template.title, "go": "Start",
                      "url": url_for("handoff.sign", template_id=template.id)})
    return tasks, len(tasks)


@bp.get("")
@handoff_view
@requires("clients.edit")
def home():
    staff_session = signin.current_staff_session()
    if staff_session.handoff_client_id is None:
        return redirect(url_for("today.index"), code=303)
    client = _client()
    tasks, _ = _tasks(client)
    return render_template("handoff/home.html", client=client, tasks=tasks)


@bp.route("/intake/<step_key>", methods=["GET", "POST"])
@handoff_view
@requires("clients.edit")
def intake_step(step_key: str):
    client = _client()
    draft = intake.open_draft(current_user, client)
    if draft.complete:
        return redirect(url_for("handoff.home"), code=303)
    # Whoever handed the iPad over stands beside it: saved answers are shown again only if
    # that person may read clinical records (minimum necessary for front desk).
    return render_step(client, draft, step_key, layout="handoff/layout.html",
                       action=lambda key: url_for("handoff.intake_step", step_key=key),
                       finished=url_for("handoff.home"), show_saved=current_user.can("clinical.view"))


@bp.route("/sign/<int:template_id>", methods=["GET", "POST"])
@writes_last  # the signature image is cleaned and the PDF drawn before the write lock (consents.sign)
@handoff_view
@requires("clients.edit")
def sign(template_id: int):
    client = _client()
    template = get_for_practice(ConsentTemplate, template_id)
    if template.retired_at is not None or consents.is_notice(template):  # a notice is read above its acknowledgement
        return redirect(url_for("handoff.home"), code=303)
    if consents.is_signed(client, template):
        # Back after signing, or a second tap: the form is not offered twice (nor signed twice).
        return redirect(url_for("handoff.home"), code=303)
    form = SignForm()
    notice = consents.current_notice(client.practice_id) if consents.shows_notice(template) else None
    # The age of majority is the practice's state's (standards.majority): 19 in Alabama, 21 in Mississippi.
    of_age = majority(current_user.practice.state).age
    minor = is_minor(client.date_of_birth, practice_today(current_user.practice), of_age)
    if request.method == "GET":
        form.text_sha256.data = consents.text_sha256(template)
        form.notice_id.data = str(notice.id) if notice else ""
        form.signer_relationship.data = "parent" if minor else "self"
        if not minor:
            form.signer_name.data = client.legal_name
    status = 200
    if form.validate_on_submit():
        if minor and form.signer_relationship.data == "self":
            form.signer_relationship.errors = [f"The client is under {of_age}, the age of majority here: "
                                               "a parent or legal guardian signs."]
        else:
            try:
                png = clean_signature(form.signature.data)
            except SignatureError as refused:
                form.signature.errors = [refused.message]
            else:
                try:
                    consents.sign(current_user, client, template, seen_sha256=form.text_sha256.data or "",
                                  signature_png=png, signer_name=form.signer_name.data,
                                  signer_relationship=form.signer_relationship.data,
                                  seen_notice_id=record_id_or_none(form.notice_id.data or ""))
                except consents.ConsentChanged:
                    return redirect(url_for("handoff.home", changed=1), code=303)
                return redirect(url_for("handoff.home"), code=303)
    if request.method == "POST":
        status = 422
    paragraphs = consents.paragraphs(template)
    return render_template("handoff/sign.html", client=client, template=template, paragraphs=paragraphs,
                           form=form, minor=minor, of_age=of_age, notice=notice,
                           notice_paragraphs=consents.paragraphs(notice) if notice else []), status


@bp.route("/done", methods=["GET", "POST"])
@handoff_view
@requires("clients.edit")
def finish():
    """The small corner button: a staff PIN or password takes the iPad back."""
    staff_session = signin.current_staff_session()
    if staff_session.handoff_client_id is None:
        return redirect(url_for("today.index"), code=303)
    client_id = staff_session.handoff_client_id
    form = StaffCheckForm()
    if form.validate_on_submit():
        result = handoff.finish(staff_session, form.secret.data)
        if result.unlocked:
            return redirect(url_for("clients.chart", client_id=client_id), code=303)
        if result.session_ended:
            return redirect(url_for("auth.login", ended=1), code=303)
        form.secret.errors = ["That PIN or password did not match."]
        form.secret.data = ""
    status = 422 if request.method == "POST" else 200
    return render_template("handoff/finish.html", form=form, client=_client(),
                           has_pin=current_user.pin_hash is not None), status

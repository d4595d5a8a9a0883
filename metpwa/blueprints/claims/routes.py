"""Claim pages: the queue, a claim with its findings, its life cycle, and the files that leave."""

from __future__ import annotations

from datetime import timedelta

from flask import Response, redirect, render_template, request, url_for
from flask_login import current_user

from ...access import requires
from ...clock import practice_today
from ...fixlinks import claim_fix_url
from ...models import Claim, Client, SessionLog
from ...rules.claim_scrubber import Finding
from ...scoping import get_for_practice
from ...services import audit, claims, reports
from ...standards.billing import PAYMENT_ROUTE_LABELS, ClaimRoute, ClaimStatus, PaymentRoute, procedure
from . import bp, forms
from .forms import Period

# The queue shows its oldest sessions first; a long backlog is worked from the top.
QUEUE_SHOWN = 25
QUEUE_ALL = 1000


def fix_url(finding: Finding, claim: Claim) -> str | None:
    """Where the finding is fixed: the one table of places (fixlinks.PLACES), with the claim's ids."""
    return claim_fix_url(finding.target, claim_id=claim.id, client_id=claim.client_id)


def _default_period() -> Period:
    """Last month and this one, reaching back to the oldest ready electronic claim's session: the
    export the button counts takes every one of them unless the biller narrows it."""
    today = practice_today(current_user.practice)
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    oldest = claims.oldest_ready_service_date(current_user.practice_id)
    return Period(min(first, oldest) if oldest else first, today)


@bp.get("")
@requires("claims.manage")
def index(errors: dict | None = None, status: int = 200, values: dict | None = None,
          refused: SessionLog | None = None):
    state = request.args.get("state", ClaimStatus.DRAFT.value)
    if state not in {s.value for s in ClaimStatus}:
        state = ClaimStatus.DRAFT.value
    practice_id = current_user.practice_id
    # A client's "clean claims" fix (fixlinks.PLACES) opens their claims in every state.
    client_id = request.args.get("client_id", "")
    client = get_for_practice(Client, int(client_id)) if client_id.isdigit() and len(client_id) < 10 else None
    if client is not None:
        audit.viewed(client, detail={"list": "claims"})
        rows = claims.claims_of_client(practice_id, client.id)
    else:
        audit.viewed(None, detail={"list": "claims", "state": state})
        rows = claims.claims_in(practice_id, state)
    queue = claims.unbilled_sessions(practice_id, limit=QUEUE_ALL if request.args.get("all") else QUEUE_SHOWN)
    if refused is not None and refused not in queue:
        # The session just refused is shown first with its reason, even when it is further down the queue.
        queue.insert(0, refused)
    return render_template("claims/index.html", queue=queue,
                           unbilled=claims.unbilled_count(practice_id), counts=claims.counts_by_status(practice_id),
                           ready_electronic=claims.ready_electronic_count(practice_id),
                           state=state, rows=rows, client=client, statuses=list(ClaimStatus),
                           client_pays=claims.medicare_mes_sessions(queue), payers=claims.payer_names(queue),
                           chosen=request.form.getlist("session_id") if request.method == "POST" else [],
                           period=_default_period(), session_date=claims.session_date, errors=errors or {},
                           values=values or {}), status


@bp.post("/sessions/<int:session_id>")
@requires("claims.manage")
def make(session_id: int):
    return _claim_for_session(session_id, claims.build_from_session)


@bp.post("/sessions/<int:session_id>/self-pay")
@requires("claims.manage")
def bill_to_client(session_id: int):
    """A traditional Medicare client's session by an MES, moved to a superbill in one tap."""
    return _claim_for_session(session_id, claims.bill_to_client)


def _claim_for_session(session_id: int, build):
    """One session's claim by `build`, or the queue with the refusal at that session's row."""
    session = get_for_practice(SessionLog, session_id)
    try:
        claim = build(current_user, session)
    except (claims.ClaimCodingError, claims.ClaimInputError) as error:
        return index(errors={f"session-{session.id}": error.message}, status=422, refused=session)
    return redirect(url_for("claims.show", claim_id=claim.id), code=303)


@bp.post("/sessions")
@requires("claims.manage")
def make_together():
    """One claim for several signed sessions of one client, payer and route, ticked in the queue."""
    chosen = [get_for_practice(SessionLog, session_id) for session_id in forms.read_session_ids(request.form)]
    if len(chosen) < 2:
        return index(errors={"together": "Tick two or more sessions of one client to bill them on one claim."},
                     status=422)
    try:
        claim = claims.build_from_sessions(current_user, chosen)
    except (claims.ClaimCodingError, claims.ClaimInputError) as error:
        return index(errors={"together": error.message}, status=422)
    return redirect(url_for("claims.show", claim_id=claim.id), code=303)


@bp.post("/export")
@requires("claims.manage")
def export():
    period = forms.read_period(request.form)
    errors = {}
    if period.first is None:
        errors["period_from"] = "Enter the first day as MM/DD/YYYY."
    if period.last is None:
        errors["period_to"] = "Enter the last day as MM/DD/YYYY."
    if period.first and period.last and period.first > period.last:
        errors["period_from"] = "The period must start before it ends."
    if not errors:
        ready = claims.ready_in_period(current_user.practice_id, period.first, period.last)
        if not ready:
            errors["period_from"] = "No ready electronic claims have a session in this period."
        else:
            try:
                made = claims.export_837(current_user, ready, period=(period.first, period.last))
            except claims.ClaimInputError as error:
                errors["period_from"] = error.message
            else:
                response = Response(made.content, mimetype="application/edi-x12")
                response.headers["Content-Disposition"] = f'attachment; filename="{made.filename}"'
                return response
    return index(errors=errors, status=422, values=request.form)


def _page(claim: Claim, errors: dict | None = None, status: int = 200, values: dict | None = None):
    found = claims.findings(claim)
    overrides = claims.overrides_of(claim)
    blocking = {f.key for f in claims.blockers(claim, found)}
    audit.viewed(claim, detail={"claim": claim.patient_control_number})
    route = claim.payment_route
    return render_template(
        "claims/show.html", claim=claim, findings=found, overrides=overrides, blocking=blocking, fix_url=fix_url,
        next_statuses=claims.next_statuses(claim), status_enum=ClaimStatus,
        route_label=PAYMENT_ROUTE_LABELS.get(PaymentRoute(route)) if route in PaymentRoute._value2member_map_
        else "A therapist performs and renders", procedure=procedure, electronic=claim.claim_route == ClaimRoute.X12_837P,
        superbill=claim.claim_route == ClaimRoute.SUPERBILL, frozen=claims.lines_frozen(claim),
        replacements=claims.replacements(claim), errors=errors or {}, values=values or {}), status


@bp.get("/<int:claim_id>")
@requires("claims.manage")
def show(claim_id: int):
    return _page(get_for_practice(Claim, claim_id))


@bp.post("/<int:claim_id>/status")
@requires("claims.manage")
def change_status(claim_id: int):
    claim = get_for_practice(Claim, claim_id)
    posted = forms.read_status_change(request.form)
    try:
        claims.set_status(current_user, claim, posted.status, reason=posted.reason,
                          payer_claim_number=posted.payer_claim_number)
    except claims.ClaimInputError as error:
        return _page(claim, errors={error.field: error.message}, status=422, values=request.form)
    return redirect(url_for("claims.show", claim_id=claim.id), code=303)


@bp.post("/<int:claim_id>/override")
@requires("claims.manage")
def override(claim_id: int):
    claim = get_for_practice(Claim, claim_id)
    posted = forms.read_override(request.form)
    try:
        claims.override(current_user, claim, posted.finding_key, posted.reason)
    except claims.ClaimInputError as error:
        field = f"override-{posted.finding_key}" if error.field == "reason" else "finding_key"
        return _page(claim, errors={field: error.message}, status=422, values=request.form)
    return redirect(url_for("claims.show", claim_id=claim.id, _anchor="findings"), code=303)


@bp.post("/<int:claim_id>/correct")
@requires("claims.manage")
def correct(claim_id: int):
    claim = get_for_practice(Claim, claim_id)
    try:
        replacement = claims.correct(current_user, claim, forms.read_payer_number(request.form))
    except claims.ClaimInputError as error:
        field = error.field if error.field == "correct_payer_claim_number" else "correct"
        return _page(claim, errors={field: error.message}, status=422, values=request.form)
    return redirect(url_for("claims.show", claim_id=replacement.id), code=303)


@bp.post("/<int:claim_id>/rebuild")
@requires("claims.manage")
def rebuild(claim_id: int):
    claim = get_for_practice(Claim, claim_id)
    try:
        rebuilt = claims.rebuild(current_user, claim)
    except claims.ClaimInputError as error:
        return _page(claim, errors={"rebuild": error.message}, status=422)
    return redirect(url_for("claims.show", claim_id=rebuilt.id), code=303)


@bp.post("/<int:claim_id>/void")
@requires("claims.manage")
def void(claim_id: int):
    claim = get_for_practice(Claim, claim_id)
    try:
        copy = claims.void(current_user, claim, forms.read_reason(request.form).reason,
                           forms.read_payer_number(request.form))
    except claims.ClaimInputError as error:
        field = "void_reason" if error.field == "reason" else error.field
        return _page(claim, errors={field: error.message}, status=422, values=request.form)
    return redirect(url_for("claims.show", claim_id=(copy or claim).id), code=303)


@bp.post("/<int:claim_id>/send")
@requires("claims.manage")
def send(claim_id: int):
    """A ready paper claim or superbill, printed for sending: the claim is exported with it."""
    claim = get_for_practice(Claim, claim_id)
    try:
        batch, data = claims.send_on_paper(current_user, claim)
    except claims.ClaimInputError as error:
        return _page(claim, errors={"pdf": error.message}, status=422)
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{batch.kind}-{claim.patient_control_number}.pdf"'
    return response


def _pdf(claim: Claim, data: bytes, name: str) -> Response:
    audit.exported(claim, detail={"pdf": name})
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{name}-{claim.patient_control_number}.pdf"'
    return response


@bp.get("/<int:claim_id>/cms1500.pdf")
@requires("claims.manage")
def cms1500(claim_id: int):
    claim = get_for_practice(Claim, claim_id)
    try:
        return _pdf(claim, claims.cms1500_pdf(claim), "cms1500")
    except claims.ClaimInputError as error:
        return _page(claim, errors={"pdf": error.message}, status=422)


@bp.get("/<int:claim_id>/superbill.pdf")
@requires("claims.manage")
def superbill(claim_id: int):
    claim = get_for_practice(Claim, claim_id)
    return _pdf(claim, claims.superbill_pdf(claim), "superbill")


@bp.post("/<int:claim_id>/medical-necessity.pdf")
@requires("claims.manage")
def medical_necessity(claim_id: int):
    """The chart's Letter of Medical Necessity, for the self-pay client's HSA, FSA or own insurer."""
    claim = get_for_practice(Claim, claim_id)
    client = claim.client
    data = reports.medical_necessity_download(current_user, client)
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = 'inline; filename="letter-of-medical-necessity.pdf"'
    return response

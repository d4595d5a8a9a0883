"""Report pages: choose a period, preview on the iPad, finalise into a locked PDF, record deliveries."""

from flask import Response, redirect, render_template, request, url_for
from flask_login import current_user

from ...access import requires
from ...clock import practice_today
from ...database import writes_last
from ...errors import render_error
from ...models import Client, ProgressReport, ReferringProvider
from ...rules.reports import ReportInputError
from ...scoping import get_for_client, get_for_practice
from ...services import audit, referrals, reports, scope
from ...services.fingerprints import RecordAltered
from . import bp, forms


def _report(client: Client, report_id: int) -> ProgressReport:
    return get_for_client(ProgressReport, report_id, client.id)


@bp.get("/reports")
@requires("clinical.view")
def index(client_id: int, errors: dict | None = None, status: int = 200):
    client = get_for_practice(Client, client_id)
    today = practice_today(current_user.practice)
    start, end = reports.default_period(client, today)
    referral = referrals.current_referral(client.id)
    audit.viewed(client, detail={"list": "reports"})
    return render_template("reports/index.html", client=client, rows=reports.for_client(client.id), start=start,
                           end=end, providers=referrals.providers(client.practice_id),
                           recipient_id=referral.provider_id if referral else None, due=reports.due(client, today),
                           disclosures=reports.disclosures(client.id), errors=errors or {},
                           values=request.form), status


@bp.post("/reports")
@requires("clinical.write")
def create(client_id: int):
    client = get_for_practice(Client, client_id)
    posted = forms.read_new_report(request.form)
    start, end = posted.period_start, posted.period_end
    errors = {}
    if start is None:
        errors["period_start"] = "Enter the first day as MM/DD/YYYY."
    if end is None:
        errors["period_end"] = "Enter the last day as MM/DD/YYYY."
    elif end > practice_today(current_user.practice):
        errors["period_end"] = "The period cannot end in the future."
    if start and end and start > end:
        errors["period_start"] = "The period must start before it ends."
    if posted.kind not in ("progress", "discharge"):
        errors["kind"] = "Choose a progress report or a discharge summary."
    # No recipient is allowed (chosen later); one that is no provider of this practice is a 404.
    recipient = (get_for_practice(ReferringProvider, posted.recipient_id)
                 if posted.recipient_id is not None else None)
    if errors:
        return index(client_id, errors=errors, status=422)
    report = reports.start(current_user, client, kind=posted.kind, period_start=start, period_end=end,
                           recipient=recipient)
    return redirect(url_for("reports.show", client_id=client.id, report_id=report.id), code=303)


@bp.get("/reports/<int:report_id>")
@requires("clinical.view")
def show(client_id: int, report_id: int, errors: dict | None = None, flags: dict | None = None,
         values: dict | None = None, status: int = 200):
    client = get_for_practice(Client, client_id)
    report = _report(client, report_id)
    audit.viewed(report, user=current_user, client_id=client.id)
    return render_template("reports/show.html", client=client, report=report,
                           data=reports.content(client, report.period_start, report.period_end),
                           errors=errors or {}, flags=flags or {}, values=values or {},
                           methods=reports.DELIVERY_METHODS, purposes=reports.PURPOSES,
                           deliveries=[d for d in reports.disclosures(client.id)
                                       if d.document_type == "progress_report" and d.document_id == report.id]), status


@bp.post("/reports/<int:report_id>/draft")
@writes_last  # finalising draws the PDF before it takes the write lock (services.reports.finalize)
@requires("clinical.write")
def save(client_id: int, report_id: int):
    client = get_for_practice(Client, client_id)
    report = _report(client, report_id)
    reports.refuse_if_final(report)
    draft = forms.read_draft(request.form)
    review = scope.review(current_user, {"recommendations": draft.recommendations}, draft.keep_reasons)
    if review.errors:
        return show(client_id, report_id, errors=review.errors, flags=review.flags, values=request.form, status=422)
    try:
        reports.save_draft(current_user, report, recommendations=draft.recommendations, overrides=review.overrides)
    except ReportInputError as refused:
        return show(client_id, report_id, errors={refused.field: refused.message}, flags=review.flags, values=request.form,
                    status=422)
    if draft.finalize:
        reports.finalize(current_user, report)
    return redirect(url_for("reports.show", client_id=client.id, report_id=report.id), code=303)


@bp.post("/reports/<int:report_id>/correct")
@requires("clinical.write")
def correct(client_id: int, report_id: int):
    """A finalised report never changes: a correction is a new draft that replaces it."""
    client = get_for_practice(Client, client_id)
    old = _report(client, report_id)
    if not old.final:
        # A draft is simply edited; only a finalised report is corrected by a new one.
        return redirect(url_for("reports.show", client_id=client.id, report_id=old.id), code=303)
    new = reports.start(current_user, client, kind=old.kind, period_start=old.period_start,
                        period_end=old.period_end, recipient=old.recipient, replaces=old)
    return redirect(url_for("reports.show", client_id=client.id, report_id=new.id), code=303)


# The PDFs are POSTs: each download is a disclosure on the accounting, recorded by the request that asks for
# it and never by a GET that a prefetching browser or a reload repeats.
@bp.post("/reports/<int:report_id>.pdf")
@requires("clinical.view")
def pdf(client_id: int, report_id: int):
    client = get_for_practice(Client, client_id)
    report = _report(client, report_id)
    try:
        data = reports.final_pdf(current_user, report) if report.final else reports.render(report, signer=None,
                                                                                          signed_at=None)
    except RecordAltered:
        return render_error(500, "This signed report no longer matches the fingerprint taken when it was signed, "
                                 "so it is not shown. The practice owner sees this in the audit trail.")
    reports.record_disclosure(current_user, client, document_type="progress_report", document_id=report.id,
                              method="download", recipient=f"Downloaded by {current_user.full_name}",
                              recipient_address=None, purpose="operations")
    response = Response(data, mimetype="application/pdf")
    name = f"{report.kind}-report-{report.period_end:%Y%m%d}{'' if report.final else '-draft'}.pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@bp.post("/reports/<int:report_id>/deliveries")
@requires("clinical.write")
def deliver(client_id: int, report_id: int):
    client = get_for_practice(Client, client_id)
    report = _report(client, report_id)
    delivery = forms.read_delivery(request.form)
    errors = {}
    if not report.final:
        errors["method"] = "Finalise the report before sending it."
    if delivery.method not in reports.DELIVERY_METHODS:
        errors["method"] = "Choose how it was sent."
    if not delivery.recipient:
        errors["recipient"] = "Say who received it."
    if delivery.purpose not in reports.PURPOSES:
        errors["purpose"] = "Choose why it was sent."
    if errors:
        return show(client_id, report_id, errors=errors, values=request.form, status=422)
    reports.record_disclosure(current_user, client, document_type="progress_report", document_id=report.id,
                              method=delivery.method, recipient=delivery.recipient,
                              recipient_address=delivery.recipient_address, purpose=delivery.purpose,
                              note=delivery.note)
    return redirect(url_for("reports.show", client_id=client.id, report_id=report.id, _anchor="deliveries"), code=303)


@bp.post("/medical-necessity.pdf")
@requires("clinical.write")
def medical_necessity(client_id: int):
    client = get_for_practice(Client, client_id)
    data = reports.medical_necessity_download(current_user, client)
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = 'inline; filename="letter-of-medical-necessity.pdf"'
    return response

"""Owner-only pages over the audit trail and the disclosures; both export CSV for an auditor."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from flask import Response, render_template, request, stream_with_context
from flask_login import current_user
from sqlalchemy import select

from ...access import requires
from ...extensions import db, htmx
from ...models import Disclosure
from ...rules.auditwords import device_words, listing_words, record_words
from ...scoping import record_id
from ...services import audit
from ...services.reports import DELIVERY_METHODS, PURPOSES
from . import bp
from .filters import client_choices, read, staff_choices

# What the event rows need to read in the practice's words.
ROW_WORDS = {"actions": audit.ACTIONS, "record_words": record_words, "listing_words": listing_words,
             "device_words": device_words}

PAGE = 50


# What a spreadsheet may take as the start of a formula: = + - @, the full-width and small forms
# an input method types (＝ ＋ － ＠ ﹦ ﹢ ﹣ ﹫), and the tab and line breaks it skips before one.
FORMULA_STARTS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b")


def _cell(value) -> str:
    """A leading quote stops a name or note typed by anyone from becoming a formula in the auditor's copy."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in FORMULA_STARTS else text


def _csv(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
        if buffer.tell() > 32_768:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _download(name: str, body: Iterator[str]) -> Response:
    response = Response(stream_with_context(body), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("")
@requires("audit.view")
def index():
    filters = read(request.args)
    rows = audit.events(filters.query, limit=PAGE) if filters.query else []
    audit.viewed(practice_id=current_user.practice_id, client_id=filters.query.client_id if filters.query else None,
                 detail={"report": "audit", **filters.as_args})
    context = dict(filters=filters, rows=rows, more=len(rows) == PAGE, **ROW_WORDS)
    status = 422 if filters.errors else 200
    if htmx.target == "audit-results":
        return render_template("audit/_results.html", **context), status
    return render_template("audit/index.html", staff=staff_choices(), clients=client_choices(), **context), status


@bp.get("/more")
@requires("audit.view")
def more():
    filters = read(request.args)
    before = request.args.get("before", type=record_id)
    rows = audit.events(filters.query, before_id=before, limit=PAGE) if filters.query else []
    return render_template("audit/_rows.html", filters=filters, rows=rows, more=len(rows) == PAGE,
                           **ROW_WORDS)


@bp.get("/export.csv")
@requires("audit.view")
def export():
    filters = read(request.args)
    if filters.errors:
        return render_template("audit/index.html", staff=staff_choices(), clients=client_choices(),
                               filters=filters, rows=[], more=False, **ROW_WORDS), 422
    audit.exported(practice_id=current_user.practice_id, client_id=filters.query.client_id,
                   detail={"report": "audit", **filters.as_args})
    zone = current_user.practice.zone

    def rows():
        for event in audit.all_events(filters.query):
            yield [event.at.astimezone(zone).isoformat(timespec="seconds"), event.user.full_name if event.user else "",
                   event.user.role if event.user else "", event.client.legal_name if event.client else "",
                   event.client_id or "", event.action, event.object_type, event.object_id, event.outcome,
                   event.ip, event.device, event.detail, event.seq, event.mac]

    header = ["time", "staff member", "role", "client", "client id", "action", "record type", "record id",
              "outcome", "ip address", "device", "detail", "trail position", "seal"]
    return _download(f"audit-{filters.first:%Y%m%d}-{filters.last:%Y%m%d}.csv", _csv(header, rows()))


@bp.get("/verify")
@requires("audit.view")
def verify():
    findings, _ = audit.verify_chain()
    # The breaks found are kept with the event: the readiness dashboard reads the last check from it.
    audit.viewed(practice_id=current_user.practice_id, detail={"report": "audit verify", "breaks": len(findings)})
    # The trail is one chain for the whole server; an owner sees whether it holds and how many of the
    # practice's own events it checked, never how busy other practices are.
    return render_template("audit/_verify.html", breaks=len(findings),
                           own_events=audit.event_count(current_user.practice_id))


def _disclosures(filters):
    statement = (select(Disclosure).where(Disclosure.practice_id == current_user.practice_id)
                 .order_by(Disclosure.disclosed_at.desc()))
    if filters.query:
        statement = statement.where(Disclosure.disclosed_at >= filters.query.since,
                                    Disclosure.disclosed_at < filters.query.until)
        if filters.query.client_id:
            statement = statement.where(Disclosure.client_id == filters.query.client_id)
    return db.session.scalars(statement)


@bp.get("/disclosures")
@requires("audit.view")
def disclosures():
    filters = read(request.args, default_days=365)
    rows = list(_disclosures(filters)) if filters.query else []
    audit.viewed(practice_id=current_user.practice_id,
                 client_id=filters.query.client_id if filters.query else None,
                 detail={"report": "disclosures", **filters.as_args})
    return render_template("audit/disclosures.html", filters=filters, rows=rows, clients=client_choices(),
                           methods=DELIVERY_METHODS, purposes=PURPOSES), 422 if filters.errors else 200


@bp.get("/disclosures.csv")
@requires("audit.view")
def disclosures_export():
    filters = read(request.args, default_days=365)
    if filters.errors:
        return disclosures()
    audit.exported(practice_id=current_user.practice_id, client_id=filters.query.client_id,
                   detail={"report": "disclosures", **filters.as_args})
    zone = current_user.practice.zone

    def rows():
        for d in _disclosures(filters):
            yield [d.disclosed_at.astimezone(zone).isoformat(timespec="seconds"), d.client.legal_name, d.client_id,
                   d.document_type.replace("_", " "), DELIVERY_METHODS.get(d.method, d.method), d.recipient,
                   d.recipient_address, PURPOSES.get(d.purpose, d.purpose), d.note,
                   d.disclosed_by.full_name if d.disclosed_by else ""]

    header = ["time", "client", "client id", "what", "how", "to whom", "address", "why", "note", "by"]
    return _download(f"disclosures-{filters.first:%Y%m%d}-{filters.last:%Y%m%d}.csv", _csv(header, rows()))

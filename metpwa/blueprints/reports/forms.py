"""What the report pages post, read into typed values: a new report's period, a draft's
recommendations, a delivery. Whether a choice is one the practice offers is the route's to ask."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from werkzeug.datastructures import MultiDict

from ...forms import keep_reasons, parse_us_date
from ...scoping import record_id


@dataclass(frozen=True)
class NewReport:
    """`recipient_id` is None when none was chosen (chosen later), 0 when what came is no record id."""

    kind: str
    period_start: date | None
    period_end: date | None
    recipient_id: int | None


def read_new_report(form: MultiDict) -> NewReport:
    recipient_id = form.get("recipient_id", 0, type=record_id) if form.get("recipient_id", "").strip() else None
    return NewReport(form.get("kind", "progress"), parse_us_date(form.get("period_start", "")),
                     parse_us_date(form.get("period_end", "")), recipient_id)


@dataclass(frozen=True)
class DraftChange:
    recommendations: str
    keep_reasons: dict[str, str]
    finalize: bool


def read_draft(form: MultiDict) -> DraftChange:
    return DraftChange(form.get("recommendations", ""), keep_reasons(form, ["recommendations"]),
                       form.get("then") == "finalize")


@dataclass(frozen=True)
class Delivery:
    method: str
    recipient: str
    recipient_address: str | None
    purpose: str
    note: str | None


def read_delivery(form: MultiDict) -> Delivery:
    return Delivery(form.get("method", ""), form.get("recipient", "").strip(), form.get("recipient_address"),
                    form.get("purpose", ""), form.get("note"))

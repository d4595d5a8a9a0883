"""What the claim pages post, read into typed values; whether a choice is allowed is the service's to say."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from werkzeug.datastructures import MultiDict

from ...forms import parse_us_date


@dataclass(frozen=True)
class StatusChange:
    status: str
    reason: str
    payer_claim_number: str


def read_status_change(form: MultiDict) -> StatusChange:
    return StatusChange(form.get("status", "").strip(), form.get("reason", ""), form.get("payer_claim_number", ""))


@dataclass(frozen=True)
class Override:
    finding_key: str
    reason: str


def read_override(form: MultiDict) -> Override:
    return Override(form.get("finding_key", "").strip()[:80], form.get("reason", ""))


@dataclass(frozen=True)
class Reason:
    reason: str


def read_reason(form: MultiDict) -> Reason:
    return Reason(form.get("reason", ""))


def read_payer_number(form: MultiDict) -> str:
    """The payer's claim number typed where a correction or void asks for it."""
    return form.get("payer_claim_number", "")


@dataclass(frozen=True)
class Period:
    """None where what was typed is no date from 1900 to 2100."""

    first: date | None
    last: date | None


def read_period(form: MultiDict) -> Period:
    return Period(parse_us_date(form.get("period_from", "")), parse_us_date(form.get("period_to", "")))


# The queue's "bill together" sends at most a claim's worth of sessions; more is a forged post.
MAX_CHOSEN = 50


def read_session_ids(form: MultiDict) -> list[int]:
    """The sessions ticked in the queue, as ids; anything that is not a whole number is dropped."""
    ids = []
    for value in form.getlist("session_id")[:MAX_CHOSEN]:
        value = value.strip()
        if value.isdigit() and len(value) < 10 and int(value) not in ids:
            ids.append(int(value))
    return ids

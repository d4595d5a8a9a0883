"""Eligibility for a client's coverage: verifications (by phone, portal, card or an X12 270/271
exchange), prior authorisations, the 270 request a clearinghouse sends on, and a 271 answer read back
into a verification. The latest verification is what readiness and the claim scrubber ask about."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from ..clock import practice_now, practice_today
from ..database import rolls_back_on_refusal
from ..extensions import db
from ..models import Client, Coverage, EligibilityVerification, Payer, PriorAuthorisation, User
from ..rules import claim_document as doc
from ..rules.claim_scrubber import AuthorisationFacts, EligibilityFacts
from ..rules.errors import InputError
from ..rules.readiness import EvidenceFacts, ReadinessItem, eligibility_item
from ..rules.x12_270 import EligibilityInquiry, write_270
from ..rules.x12_271 import EligibilityResult, X12ReadError, read_271
from ..rules.x12_common import Envelope, X12WriteError
from ..standards.billing import PayerKind
from . import audit, readiness
from .billing_setup import current_billing_provider

METHODS = {"phone": "Phone call to the payer", "portal": "Payer's website", "card": "Insurance card only",
           "x12": "Electronic check (270/271)"}
# A 271 file is a few kilobytes; anything near this is not one.
MAX_RESPONSE_CHARS = 200_000


class EligibilityInputError(InputError):
    """An eligibility value or file that cannot be taken; shown at the field named."""


@dataclass(frozen=True)
class VerificationValues:
    verified_on: date
    method: str
    active: bool
    visits_allowed: int | None = None
    visits_used: int | None = None
    copay: Decimal | None = None
    coinsurance_percent: Decimal | None = None
    deductible_remaining: Decimal | None = None
    authorisation_number: str | None = None
    authorisation_expires_on: date | None = None
    reference: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class AuthorisationValues:
    number: str
    starts_on: date | None
    ends_on: date | None
    visits_authorised: int | None


def verifications(coverage: Coverage) -> list[EligibilityVerification]:
    return list(db.session.scalars(select(EligibilityVerification)
                                   .where(EligibilityVerification.coverage_id == coverage.id)
                                   .order_by(EligibilityVerification.verified_on.desc(),
                                             EligibilityVerification.id.desc())))


def latest(coverage: Coverage) -> EligibilityVerification | None:
    found = verifications(coverage)
    return found[0] if found else None


def authorisations(coverage: Coverage) -> list[PriorAuthorisation]:
    return list(db.session.scalars(select(PriorAuthorisation).where(PriorAuthorisation.coverage_id == coverage.id)
                                   .order_by(PriorAuthorisation.ends_on.desc(), PriorAuthorisation.id.desc())))


def facts(coverage: Coverage) -> EligibilityFacts | None:
    """The scrubber's eligibility fact: the latest check of this coverage, or None when never checked."""
    check = latest(coverage)
    return EligibilityFacts(check.verified_on, check.active, ref=coverage.id) if check else None


def authorisation_facts(coverage: Coverage, on: date) -> AuthorisationFacts | None:
    """The authorisation in force on a date (or the latest, for the scrubber to say it ended)."""
    found = authorisations(coverage)
    if not found:
        return None
    current = next((a for a in found if (a.starts_on is None or a.starts_on <= on)
                    and (a.ends_on is None or on <= a.ends_on)), found[0])
    return AuthorisationFacts(current.number, current.starts_on, current.ends_on, current.visits_authorised,
                              ref=current.id)


def readiness_item(client: Client) -> ReadinessItem:
    """The evidence chain's eligibility item (rules.readiness.eligibility_item, the one definition the
    dashboard and the scrubber share) for the client's primary open plan, for the chart."""
    plans = open_coverages(client)
    check = latest(plans[0]) if plans else None
    chart = replace(readiness.facts(client), coverage=bool(plans), client_ref=client.id)
    return eligibility_item(EvidenceFacts(chart=chart, eligibility_verified_on=check.verified_on if check else None,
                                          eligibility_active=check.active if check else None))


def open_coverages(client: Client) -> list[Coverage]:
    return sorted((c for c in client.coverages if c.ended_at is None), key=lambda c: c.priority)


def _check_values(values: VerificationValues, today: date) -> None:
    if values.method not in METHODS:
        raise EligibilityInputError("method", "Choose how eligibility was checked.")
    if values.verified_on > today:
        raise EligibilityInputError("verified_on", "A check cannot be dated in the future.")
    if values.visits_allowed is not None and values.visits_used is not None \
            and values.visits_used > values.visits_allowed:
        raise EligibilityInputError("visits_used", f"Visits used ({values.visits_used}) is more than the "
                                    f"{values.visits_allowed} allowed: check both numbers.")
    if values.coinsurance_percent is not None and not 0 <= values.coinsurance_percent <= 100:
        raise EligibilityInputError("coinsurance_percent", "Coinsurance is a percent from 0 to 100.")
    if values.authorisation_expires_on and not values.authorisation_number:
        raise EligibilityInputError("authorisation_number", "Give the authorisation number that expires then.")


@rolls_back_on_refusal
def record_verification(user: User, coverage: Coverage, values: VerificationValues, *,
                        response_x12: str | None = None) -> EligibilityVerification:
    _check_values(values, practice_today(user.practice))
    check = EligibilityVerification(practice_id=coverage.practice_id, client_id=coverage.client_id,
                                    coverage_id=coverage.id, verified_by_id=user.id, response_x12=response_x12,
                                    **asdict(values))
    db.session.add(check)
    db.session.flush()
    audit.record("create", check, user=user, client_id=coverage.client_id,
                 detail={"coverage": coverage.id, "method": values.method, "active": values.active})
    db.session.commit()
    return check


@rolls_back_on_refusal
def add_authorisation(user: User, coverage: Coverage, values: AuthorisationValues) -> PriorAuthorisation:
    if values.starts_on and values.ends_on and values.ends_on < values.starts_on:
        raise EligibilityInputError("ends_on", "The authorisation cannot end before it starts.")
    same = db.session.scalar(select(PriorAuthorisation).where(PriorAuthorisation.coverage_id == coverage.id,
                                                              PriorAuthorisation.number == values.number))
    if same is not None:
        raise EligibilityInputError("number", f"Authorisation {values.number} is already on file for this plan.")
    auth = PriorAuthorisation(practice_id=coverage.practice_id, client_id=coverage.client_id,
                              coverage_id=coverage.id, recorded_by_id=user.id, **asdict(values))
    db.session.add(auth)
    db.session.flush()
    audit.record("create", auth, user=user, client_id=coverage.client_id,
                 detail={"coverage": coverage.id, "visits": values.visits_authorised})
    db.session.commit()
    return auth


@rolls_back_on_refusal
def link_payer(user: User, coverage: Coverage, payer: Payer | None) -> Coverage:
    """Billing ties a coverage to the practice's set-up for its insurer; the card's words stay."""
    if payer is not None and payer.practice_id != coverage.practice_id:
        raise EligibilityInputError("payer_record_id", "Choose a payer set up in this practice.")
    before = coverage.payer_record_id
    coverage.payer_record_id = payer.id if payer else None
    db.session.flush()
    audit.record("update", coverage, user=user, client_id=coverage.client_id,
                 detail={"payer_record": coverage.payer_record_id, "before": before})
    db.session.commit()
    return coverage


def trace_number(coverage: Coverage, when) -> str:
    """Ours, unique per request: the coverage and the second it was asked, so a 271 finds its coverage."""
    return f"MET{coverage.id}T{when:%Y%m%d%H%M%S}"


def _person(client: Client) -> doc.Person:
    return doc.Person(client.last_name, client.first_name, client.date_of_birth, client.sex or "U",
                      middle_name=client.middle_name or "")


def _inquiry(coverage: Coverage, service_date: date, trace: str) -> tuple[EligibilityInquiry, str, str]:
    """The inquiry, the sender's and the receiver's interchange IDs; refusals name what to set up."""
    provider = current_billing_provider(coverage.practice_id)
    if provider is None:
        raise EligibilityInputError("request", "Set up the billing provider (name, NPI, tax ID) first.")
    payer = coverage.payer
    payer_id = (payer.payer_id if payer else None) or coverage.payer_id
    if not payer_id:
        raise EligibilityInputError("request", "This plan has no electronic payer ID: link it to a payer set up "
                                    "with one, or check by phone or the payer's website.")
    if provider.tax_id_kind != "EI":
        raise EligibilityInputError("request", "An electronic request is traced under the practice's EIN: the "
                                    "billing provider's tax ID is a social security number.")
    client = coverage.client
    holder_is_client = coverage.subscriber_relationship == "self"
    if holder_is_client:
        subscriber_person = _person(client)
    else:
        if not (coverage.subscriber_last_name and coverage.subscriber_date_of_birth):
            raise EligibilityInputError("request", "Record the policy holder's name and date of birth on the "
                                        "client's insurance first.")
        subscriber_person = doc.Person(coverage.subscriber_last_name, coverage.subscriber_first_name or "",
                                       coverage.subscriber_date_of_birth, "U")
    inquiry = EligibilityInquiry(
        trace_number=trace,
        payer=doc.Payer(payer.name if payer else coverage.payer_name, PayerKind(coverage.payer_kind)
                        if coverage.payer_kind in PayerKind._value2member_map_ else PayerKind.OTHER, payer_id),
        provider=doc.Provider(provider.name, first_name=provider.first_name or "", npi=provider.npi,
                              organization=provider.organization),
        originator_tax_id=provider.tax_id,
        subscriber=doc.Subscriber(subscriber_person, coverage.member_id, coverage.group_number,
                                  patient_relationship=coverage.subscriber_relationship),
        service_date=service_date,
        patient=None if holder_is_client else _person(client),
    )
    return inquiry, provider.submitter_id or provider.npi, payer_id


def request_270(user: User, coverage: Coverage, service_date: date) -> tuple[str, str]:
    """The 270 text and a file name, audited as an export (it names the client) before it is sent."""
    now = practice_now(user.practice)
    trace = trace_number(coverage, now)
    inquiry, sender, receiver = _inquiry(coverage, service_date, trace)
    # ISA13 is nine digits: the second of the day and the coverage keep it unique per trading partner.
    control = int(f"{now:%j%H%M%S}") % 10**9
    envelope = Envelope(sender_id=sender, receiver_id=receiver, interchange_control_number=control,
                        group_control_number=control, created_at=now.replace(tzinfo=None))
    try:
        text = write_270(envelope, [inquiry], reference=trace, line_breaks=True)
    except X12WriteError as error:
        raise EligibilityInputError("request", f"The request cannot be written: {error}.") from None
    audit.exported(coverage, user=user, client_id=coverage.client_id,
                   detail={"file": "X12 270", "trace": trace, "service_date": service_date.isoformat()})
    return text, f"eligibility-270-{trace}.x12"


def _match(coverage: Coverage, results: tuple[EligibilityResult, ...]) -> EligibilityResult:
    """The answer about this coverage: our trace number for it, else its member ID. A lone answer is
    taken only when it names no member and carries no trace of ours for another plan: one about
    another person must never become this client's check (or keep their details in this record)."""
    mine = [r for r in results if (r.trace_number or "").startswith(f"MET{coverage.id}T")]
    if not mine:
        member = "".join(coverage.member_id.split()).upper()
        mine = [r for r in results if r.member_id and r.member_id.upper() == member]
    if not mine and len(results) == 1 and not results[0].member_id \
            and not re.match(r"MET\d+T", results[0].trace_number or ""):
        mine = list(results)
    if not mine:
        raise EligibilityInputError("response", "This answer is about someone else: neither our trace number "
                                    "nor this plan's member ID is in it.")
    return mine[0]


@rolls_back_on_refusal
def read_response(user: User, coverage: Coverage, document: str) -> EligibilityVerification:
    """A 271 pasted or uploaded, kept sealed with the verification it becomes."""
    if not document.strip():
        raise EligibilityInputError("response", "Paste the 271 answer, or choose its file.")
    if len(document) > MAX_RESPONSE_CHARS:
        raise EligibilityInputError("response", "That file is far larger than an eligibility answer.")
    try:
        response = read_271(document)
    except X12ReadError as error:
        raise EligibilityInputError("response", f"This is not an eligibility answer (X12 271) we can read: "
                                    f"{error}.") from None
    if response.rejections:
        raise EligibilityInputError("response", " ".join(r.message for r in response.rejections))
    if not response.results:
        raise EligibilityInputError("response", "The answer names nobody: ask the clearinghouse for the full 271.")
    result = _match(coverage, response.results)
    if result.rejected:
        raise EligibilityInputError("response", " ".join(r.message for r in result.rejections))
    if result.active is None:
        raise EligibilityInputError("response", "The answer does not say whether the coverage is active: "
                                    "check by phone or the payer's website.")
    note = "; ".join(result.messages)[:1000] or None
    values = VerificationValues(
        verified_on=practice_today(user.practice), method="x12", active=result.active,
        visits_allowed=result.visits_allowed, visits_used=result.visits_used, copay=result.copay,
        coinsurance_percent=result.coinsurance_percent, deductible_remaining=result.deductible_remaining,
        authorisation_number=(result.authorisation_number or '')[:50] or None,
        reference=(result.trace_number or '')[:50] or None,
        note=note)
    return record_verification(user, coverage, values, response_x12=document)


def _day(value: date) -> str:
    """As the pages print dates (templating.fmt_date): Mar 1, 2026."""
    return f"{value:%b} {value.day}, {value.year}"


def expired_or_nearly_used(coverage: Coverage, today: date) -> list[str]:
    """Plain warnings for the eligibility page: an authorisation past its end, or few visits left."""
    warnings = []
    check = latest(coverage)
    if check and check.authorisation_expires_on and check.authorisation_expires_on < today:
        warnings.append(f"Authorisation {check.authorisation_number} expired on "
                        f"{_day(check.authorisation_expires_on)}: ask the payer for a new one.")
    if check and check.visits_allowed is not None and check.visits_used is not None:
        left = check.visits_allowed - check.visits_used
        if left <= 2:
            warnings.append(f"{left} of {check.visits_allowed} visits left on the last check.")
    for auth in authorisations(coverage):
        if auth.ends_on and auth.ends_on < today:
            warnings.append(f"Prior authorisation {auth.number} ended on {_day(auth.ends_on)}.")
    return warnings


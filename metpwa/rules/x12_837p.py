"""Writes claims as an X12 837 Professional batch (005010X222A1): text out, nothing read or stored.

One interchange, one functional group, one transaction per billing provider (split at 5,000 claims,
the guide's recommended ceiling). Inside a transaction: 1000A submitter, 1000B receiver; 2000A
billing provider; a 2000B subscriber loop per insured and payer, with its claims, or a 2000C patient
loop per dependent; 2300 claim with CLM05 place:B:frequency, REF*F8 for replacements and voids,
HI (ABK principal, ABF others); 2310A referring, 2310B rendering when not the billing provider,
2310C service facility; 2400 LX/SV1/DTP*472/REF*6R per line, 2420A when a line's rendering provider
differs from the claim's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from metpwa.rules.claim_document import Address, BillingProvider, ClaimDocument, Person, Provider, ServiceLine
from metpwa.rules.x12_common import (
    Envelope,
    X12WriteError,
    amount,
    ccyymmdd,
    composite,
    digits,
    gs,
    identifier,
    isa,
    join,
    quantity,
    segment,
    text,
    trailer,
)
from metpwa.standards.billing import CLAIM_FILING_INDICATORS, MAX_MODIFIERS, ClaimFrequency, PayerKind

VERSION = "005010X222A1"
# The guide's limits: claims per transaction (recommended), lines per claim, diagnoses per claim,
# pointers per line, patient control number length.
MAX_CLAIMS_PER_TRANSACTION = 5000
MAX_LINES = 50
MAX_DIAGNOSES = 12
MAX_POINTERS = 4
MAX_PATIENT_CONTROL_NUMBER = 20
# PAT01 (2000C): the patient's relationship to the insured.
_PATIENT_RELATIONSHIP = {"spouse": "01", "child": "19", "other": "G8"}
_SEX = {"F": "F", "M": "M"}


@dataclass(frozen=True)
class Submitter:
    """Loops 1000A and 1000B: who sends the batch and the clearinghouse or payer that receives it."""

    name: str
    contact_name: str
    phone: str
    receiver_name: str


def write_837p(envelope: Envelope, submitter: Submitter, claims: Sequence[ClaimDocument], *,
               line_breaks: bool = False) -> str:
    """The whole interchange as text. Raises X12WriteError naming the first claim that cannot go."""
    if not claims:
        raise X12WriteError("a batch needs at least one claim")
    for claim in claims:
        _check(claim)
    out = [isa(envelope), gs(envelope, "HC", VERSION)]
    transactions = 0
    for group in _by_billing_provider(claims):
        for start in range(0, len(group), MAX_CLAIMS_PER_TRANSACTION):
            transactions += 1
            out.extend(_transaction(envelope, submitter, group[start:start + MAX_CLAIMS_PER_TRANSACTION],
                                    control=f"{transactions:04d}"))
    out.extend(trailer(envelope, transactions))
    return join(out, line_breaks)


def _check(claim: ClaimDocument) -> None:
    where = f"claim {claim.patient_control_number}"
    pcn = identifier(claim.patient_control_number)
    if not pcn or len(pcn) > MAX_PATIENT_CONTROL_NUMBER:
        raise X12WriteError(f"{where}: the patient control number must be 1 to 20 letters and digits")
    if not claim.lines:
        raise X12WriteError(f"{where}: a claim needs at least one service line")
    if len(claim.lines) > MAX_LINES:
        raise X12WriteError(f"{where}: at most {MAX_LINES} service lines on one claim; split it")
    if not claim.diagnoses:
        raise X12WriteError(f"{where}: a claim needs at least one diagnosis code")
    if len(claim.diagnoses) > MAX_DIAGNOSES:
        raise X12WriteError(f"{where}: at most {MAX_DIAGNOSES} diagnosis codes on one claim")
    if claim.frequency is not ClaimFrequency.ORIGINAL and not identifier(claim.original_reference):
        raise X12WriteError(f"{where}: a replacement or void names the payer's number for the original claim")
    if not claim.billing_provider.npi:
        raise X12WriteError(f"{where}: the billing provider's NPI is missing")
    if not claim.payer.payer_id:
        raise X12WriteError(f"{where}: the payer has no electronic payer ID")
    for line in claim.lines:
        if not 1 <= len(line.diagnosis_pointers) <= MAX_POINTERS:
            raise X12WriteError(f"{where}: each line points at 1 to {MAX_POINTERS} diagnoses")
        if any(not 1 <= pointer <= len(claim.diagnoses) for pointer in line.diagnosis_pointers):
            raise X12WriteError(f"{where}: a line points at a diagnosis the claim does not have")
        if len(line.modifiers) > MAX_MODIFIERS:
            raise X12WriteError(f"{where}: at most {MAX_MODIFIERS} modifiers on a line")
        if line.units < 1:
            raise X12WriteError(f"{where}: {line.code} has no units")
        rendering = claim.rendering_for(line)
        if rendering is not None and not rendering.npi:
            raise X12WriteError(f"{where}: the rendering provider {rendering.display_name} has no NPI")


def _by_billing_provider(claims: Sequence[ClaimDocument]) -> list[list[ClaimDocument]]:
    groups: dict[tuple, list[ClaimDocument]] = {}
    for claim in claims:
        groups.setdefault(_billing_key(claim.billing_provider), []).append(claim)
    return list(groups.values())


def _billing_key(provider: BillingProvider) -> tuple:
    return (provider.npi, identifier(provider.tax_id), text(provider.name), provider.address, provider.taxonomy)


def _subscriber_key(claim: ClaimDocument) -> tuple:
    return (claim.payer_responsibility, claim.payer.payer_id, text(claim.payer.name), claim.payer.kind,
            identifier(claim.subscriber.member_id), claim.subscriber, claim.patient_is_subscriber)


class _Transaction:
    def __init__(self) -> None:
        self.segments: list[str] = []
        self.hl = 0

    def add(self, tag: str, *elements: str) -> None:
        self.segments.append(segment(tag, *elements))

    def next_hl(self) -> str:
        self.hl += 1
        return str(self.hl)


def _transaction(envelope: Envelope, submitter: Submitter, claims: list[ClaimDocument], control: str) -> list[str]:
    t = _Transaction()
    t.add("ST", "837", control, VERSION)
    t.add("BHT", "0019", "00", f"{envelope.group_control_number}{control}", ccyymmdd(envelope.created_at.date()),
          envelope.created_at.strftime("%H%M"), "CH")
    t.add("NM1", "41", "2", text(submitter.name, 60), "", "", "", "", "46", text(envelope.sender_id, 80))
    t.add("PER", "IC", text(submitter.contact_name, 60), "TE", digits(submitter.phone))
    t.add("NM1", "40", "2", text(submitter.receiver_name, 60), "", "", "", "", "46", text(envelope.receiver_id, 80))

    billing = claims[0].billing_provider
    billing_hl = t.next_hl()
    t.add("HL", billing_hl, "", "20", "1")
    if billing.taxonomy:
        t.add("PRV", "BI", "PXC", identifier(billing.taxonomy))
    _name(t, "85", billing.name, billing.first_name, billing.organization, billing.npi)
    _address(t, billing.address, zip_plus_four=True)
    t.add("REF", billing.tax_id_kind, digits(billing.tax_id))

    subscribers: dict[tuple, list[ClaimDocument]] = {}
    for claim in claims:
        subscribers.setdefault(_subscriber_key(claim), []).append(claim)
    for group in subscribers.values():
        first = group[0]
        subscriber_hl = t.next_hl()
        self_claims = first.patient_is_subscriber
        t.add("HL", subscriber_hl, billing_hl, "22", "0" if self_claims else "1")
        _subscriber(t, first)
        if self_claims:
            for claim in group:
                _claim(t, claim)
            continue
        patients: dict[tuple, list[ClaimDocument]] = {}
        for claim in group:
            patients.setdefault((claim.patient, claim.subscriber.patient_relationship), []).append(claim)
        for (patient, relationship), patient_claims in patients.items():
            t.add("HL", t.next_hl(), subscriber_hl, "23", "0")
            t.add("PAT", _PATIENT_RELATIONSHIP.get(relationship, "G8"))
            assert patient is not None
            t.add("NM1", "QC", "1", text(patient.last_name, 60), text(patient.first_name, 35),
                  text(patient.middle_name, 25))
            if patient.address is not None:
                _address(t, patient.address)
            _demographics(t, patient)
            for claim in patient_claims:
                _claim(t, claim)

    t.add("SE", str(len(t.segments) + 1), control)
    return t.segments


def _name(t: _Transaction, entity: str, last_or_org: str, first: str, organization: bool, npi: str | None) -> None:
    if organization:
        t.add("NM1", entity, "2", text(last_or_org, 60), "", "", "", "", "XX", digits(npi))
    else:
        t.add("NM1", entity, "1", text(last_or_org, 60), text(first, 35), "", "", "", "XX", digits(npi))


def _provider(t: _Transaction, entity: str, provider: Provider, taxonomy_segment: bool = False) -> None:
    _name(t, entity, provider.last_name, provider.first_name, provider.organization, provider.npi)
    if taxonomy_segment and provider.taxonomy:
        t.add("PRV", "PE", "PXC", identifier(provider.taxonomy))


def _address(t: _Transaction, address: Address, zip_plus_four: bool = False) -> None:
    t.add("N3", text(address.line1, 55), text(address.line2, 55))
    postal = digits(address.postal_code)
    if zip_plus_four and len(postal) != 9:
        # The guide asks the billing provider for a 9-digit ZIP code.
        raise X12WriteError("the billing provider's ZIP code needs all 9 digits (ZIP+4)")
    t.add("N4", text(address.city, 30), text(address.state, 2), postal)


def _demographics(t: _Transaction, person: Person) -> None:
    t.add("DMG", "D8", ccyymmdd(person.date_of_birth), _SEX.get((person.sex or "").upper(), "U"))


def _subscriber(t: _Transaction, claim: ClaimDocument) -> None:
    subscriber = claim.subscriber
    payer = claim.payer
    filing = payer.claim_filing_indicator or CLAIM_FILING_INDICATORS.get(PayerKind(payer.kind), "ZZ")
    group_number = text(subscriber.group_number, 50)
    t.add("SBR", claim.payer_responsibility, "18" if claim.patient_is_subscriber else "", group_number,
          "" if group_number else text(subscriber.group_name, 60), "", "", "", "", filing)
    person = subscriber.person
    t.add("NM1", "IL", "1", text(person.last_name, 60), text(person.first_name, 35), text(person.middle_name, 25),
          "", "", "MI", identifier(subscriber.member_id))
    if claim.patient_is_subscriber:
        if person.address is not None:
            _address(t, person.address)
        _demographics(t, person)
    t.add("NM1", "PR", "2", text(payer.name, 60), "", "", "", "", "PI", identifier(payer.payer_id))


def _claim(t: _Transaction, claim: ClaimDocument) -> None:
    t.add("CLM", identifier(claim.patient_control_number), amount(claim.total_charge), "", "",
          composite(claim.place_of_service, "B", claim.frequency.value),
          "Y" if claim.signature_on_file else "N",
          "A" if claim.accept_assignment else "C",
          "Y" if claim.benefits_assigned else "N",
          "Y" if claim.release_of_information else "I")
    if claim.referral_number:
        t.add("REF", "9F", identifier(claim.referral_number))
    if claim.prior_authorisation:
        t.add("REF", "G1", identifier(claim.prior_authorisation))
    if claim.frequency is not ClaimFrequency.ORIGINAL:
        t.add("REF", "F8", identifier(claim.original_reference))
    codes = [identifier(code) for code in claim.diagnoses]
    t.add("HI", *[composite("ABK" if i == 0 else "ABF", code) for i, code in enumerate(codes)])
    if claim.referring is not None:
        _provider(t, "DN", claim.referring)
    claim_rendering = _claim_rendering(claim)
    if claim_rendering is not None:
        _provider(t, "82", claim_rendering, taxonomy_segment=True)
    if claim.service_facility is not None:
        facility = claim.service_facility
        t.add("NM1", "77", "2", text(facility.name, 60), "", "", "", "", *(("XX", digits(facility.npi))
                                                                             if facility.npi else ()))
        _address(t, facility.address)
    for number, line in enumerate(claim.lines, start=1):
        _line(t, claim, line, number, claim_rendering)


def _same_provider(a: Provider | None, b: Provider | None) -> bool:
    if a is None or b is None:
        return a is b
    return (digits(a.npi), text(a.last_name), text(a.first_name)) == (digits(b.npi), text(b.last_name),
                                                                      text(b.first_name))


def _is_billing_provider(provider: Provider, billing: BillingProvider) -> bool:
    return digits(provider.npi) == digits(billing.npi) and text(provider.last_name) == text(billing.name)


def _claim_rendering(claim: ClaimDocument) -> Provider | None:
    """2310B: the claim's rendering provider, or the one every line shares; none when it is the billing provider."""
    rendering = claim.rendering
    if rendering is None:
        line_renderings = [line.rendering for line in claim.lines]
        if all(r is not None and _same_provider(r, line_renderings[0]) for r in line_renderings):
            rendering = line_renderings[0]
    if rendering is None or _is_billing_provider(rendering, claim.billing_provider):
        return None
    return rendering


def _line(t: _Transaction, claim: ClaimDocument, line: ServiceLine, number: int,
          claim_rendering: Provider | None) -> None:
    t.add("LX", str(number))
    place = line.place_of_service if line.place_of_service not in (None, claim.place_of_service) else ""
    t.add("SV1", composite("HC", identifier(line.code), *[identifier(m) for m in line.modifiers]),
          amount(line.charge), "UN", quantity(line.units), place or "", "",
          composite(*[str(pointer) for pointer in line.diagnosis_pointers]))
    t.add("DTP", "472", "D8", ccyymmdd(line.service_date))
    t.add("REF", "6R", identifier(line.line_control_number))
    rendering = line.rendering
    if rendering is not None and not _same_provider(rendering, claim_rendering) and not (
        claim_rendering is None and _is_billing_provider(rendering, claim.billing_provider)
    ):
        _provider(t, "82", rendering, taxonomy_segment=True)

"""Writes eligibility inquiries as an X12 270 (005010X279A1): text out, one transaction per inquiry.

Loops: 2000A information source (the payer), 2000B information receiver (the practice, by NPI),
2000C subscriber with TRN (our trace number, echoed in the 271), NM1*IL with the member ID, DMG,
DTP*291 (the date asked about) and one EQ in 2110C whose EQ01 repeats for each service type asked
about (the guide allows 99; linuxforhealth-x12 0.57 cannot read repeated 2110C loops); when the patient is a
dependent, the TRN, name, DMG, date and EQs go in 2000D/2110D instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from metpwa.rules.claim_document import Payer, Person, Provider, Subscriber
from metpwa.rules.x12_common import (
    REPETITION,
    Envelope,
    X12WriteError,
    ccyymmdd,
    digits,
    gs,
    identifier,
    isa,
    join,
    segment,
    text,
    trailer,
)

VERSION = "005010X279A1"
# Service types (EQ01) a MET practice asks about: 30 the plan in general, PT physical therapy,
# AE physical medicine (ASC X12 005010X279A1 service type code list).
DEFAULT_SERVICE_TYPES = ("30",)
SERVICE_TYPE_LABELS = {
    "1": "Medical care",
    "30": "Health benefit plan coverage",
    "98": "Professional (physician) office visit",
    "A9": "Rehabilitation",
    "AC": "Outpatient rehabilitation",
    "AE": "Physical medicine",
    "BG": "Cardiac rehabilitation",
    "PT": "Physical therapy",
}


@dataclass(frozen=True)
class EligibilityInquiry:
    # TRN02: ours, unique per inquiry; the 271 echoes it so the answer finds its coverage.
    trace_number: str
    payer: Payer
    # The information receiver: the billing provider (organisation) or a provider in person, by NPI.
    provider: Provider
    # TRN03: "1" followed by the practice's EIN.
    originator_tax_id: str
    subscriber: Subscriber
    service_date: date
    # None when the patient is the subscriber.
    patient: Person | None = None
    service_types: tuple[str, ...] = DEFAULT_SERVICE_TYPES


def write_270(envelope: Envelope, inquiries: Sequence[EligibilityInquiry], *, reference: str = "",
              line_breaks: bool = False) -> str:
    if not inquiries:
        raise X12WriteError("an eligibility request needs at least one inquiry")
    for inquiry in inquiries:
        _check(inquiry)
    out = [isa(envelope), gs(envelope, "HS", VERSION)]
    for number, inquiry in enumerate(inquiries, start=1):
        out.extend(_transaction(envelope, inquiry, f"{number:04d}", reference))
    out.extend(trailer(envelope, len(inquiries)))
    return join(out, line_breaks)


def _transaction(envelope: Envelope, inquiry: EligibilityInquiry, control: str, reference: str) -> list[str]:
    """One inquiry per transaction, as real-time exchanges send them (and linuxforhealth-x12 0.57
    reads only one subscriber per information receiver)."""
    body: list[str] = []

    def add(tag: str, *elements: str) -> None:
        body.append(segment(tag, *elements))

    created = envelope.created_at
    add("ST", "270", control, VERSION)
    add("BHT", "0022", "13", identifier(reference) or f"{envelope.group_control_number}{control}",
        ccyymmdd(created.date()), created.strftime("%H%M"))
    add("HL", "1", "", "20", "1")
    add("NM1", "PR", "2", text(inquiry.payer.name, 60), "", "", "", "", "PI", identifier(inquiry.payer.payer_id))
    add("HL", "2", "1", "21", "1")
    provider = inquiry.provider
    if provider.organization:
        add("NM1", "1P", "2", text(provider.last_name, 60), "", "", "", "", "XX", digits(provider.npi))
    else:
        add("NM1", "1P", "1", text(provider.last_name, 60), text(provider.first_name, 35), "", "", "", "XX",
            digits(provider.npi))
    dependent = inquiry.patient is not None
    add("HL", "3", "2", "22", "1" if dependent else "0")
    trace = ("TRN", "1", identifier(inquiry.trace_number), "1" + digits(inquiry.originator_tax_id))
    person = inquiry.subscriber.person
    if not dependent:
        add(*trace)
    add("NM1", "IL", "1", text(person.last_name, 60), text(person.first_name, 35), text(person.middle_name, 25),
        "", "", "MI", identifier(inquiry.subscriber.member_id))
    if dependent:
        add("DMG", "D8", ccyymmdd(person.date_of_birth))
        add("HL", "4", "3", "23", "0")
        add(*trace)
        patient = inquiry.patient
        assert patient is not None
        add("NM1", "03", "1", text(patient.last_name, 60), text(patient.first_name, 35), text(patient.middle_name, 25))
        person = patient
    sex = (person.sex or "").upper()
    add("DMG", "D8", ccyymmdd(person.date_of_birth), *((sex,) if sex in ("F", "M") else ()))
    add("DTP", "291", "D8", ccyymmdd(inquiry.service_date))
    add("EQ", REPETITION.join(inquiry.service_types))
    add("SE", str(len(body) + 1), control)
    return body


def _check(inquiry: EligibilityInquiry) -> None:
    where = f"inquiry {inquiry.trace_number}"
    if not identifier(inquiry.trace_number) or len(identifier(inquiry.trace_number)) > 50:
        raise X12WriteError(f"{where}: the trace number must be 1 to 50 letters and digits")
    if not identifier(inquiry.payer.payer_id):
        raise X12WriteError(f"{where}: the payer has no electronic payer ID")
    if len(digits(inquiry.provider.npi)) != 10:
        raise X12WriteError(f"{where}: the provider's NPI is missing")
    if len(digits(inquiry.originator_tax_id)) != 9:
        raise X12WriteError(f"{where}: the trace originator is the practice's 9-digit EIN")
    if not identifier(inquiry.subscriber.member_id):
        raise X12WriteError(f"{where}: the member ID is missing")
    if not inquiry.service_types or any(not identifier(code) or len(code) > 2 for code in inquiry.service_types):
        raise X12WriteError(f"{where}: service types are 1- or 2-character codes, like 30 or PT")

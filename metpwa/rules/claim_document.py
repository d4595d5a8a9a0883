"""A claim as plain values: who bills, who was seen, who pays, what was done and why. The 837P
writer, the CMS-1500 mapping and the claim scrubber all read this one shape; services build it
from the models."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from metpwa.standards.billing import DEFAULT_PLACE_OF_SERVICE, ClaimFrequency, PayerKind


@dataclass(frozen=True)
class Address:
    line1: str
    city: str
    state: str
    postal_code: str
    line2: str = ""


@dataclass(frozen=True)
class Provider:
    """A billing, rendering, supervising or referring provider, a person unless `organization`.

    The credential, licence and coaching facts are read by the scrubber only; the outputs print
    names and NPIs. `ref` is the app's own id, so a finding can link to where it is fixed.
    """

    last_name: str
    first_name: str = ""
    npi: str | None = None
    taxonomy: str | None = None
    organization: bool = False
    credential: str | None = None
    licence_number: str | None = None
    licence_expires_on: date | None = None
    coaching_credential: bool = False
    ref: int | None = None

    @property
    def display_name(self) -> str:
        if self.organization or not self.first_name:
            return self.last_name
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class BillingProvider:
    """Box 33 and loop 2010AA: the practice (or its owner) that is paid."""

    name: str
    npi: str
    tax_id: str
    address: Address
    # "EI" for an employer identification number, "SY" for a social security number.
    tax_id_kind: str = "EI"
    organization: bool = True
    first_name: str = ""
    taxonomy: str | None = None
    phone: str | None = None
    ref: int | None = None


@dataclass(frozen=True)
class Person:
    last_name: str
    first_name: str
    date_of_birth: date
    # F, M or U (unknown) on claims.
    sex: str
    address: Address | None = None
    middle_name: str = ""
    phone: str | None = None


@dataclass(frozen=True)
class Subscriber:
    """The insured: box 1a, 4, 7, 11 and loop 2010BA."""

    person: Person
    member_id: str
    group_number: str | None = None
    group_name: str | None = None
    # The patient's relationship to the insured: self, spouse, child, other.
    patient_relationship: str = "self"


@dataclass(frozen=True)
class Payer:
    name: str
    kind: PayerKind
    # The electronic payer id (2010BB NM109); may be absent on a paper-only payer.
    payer_id: str | None = None
    address: Address | None = None
    # SBR09; None takes the default for the payer kind.
    claim_filing_indicator: str | None = None
    ref: int | None = None


@dataclass(frozen=True)
class ServiceFacility:
    """Box 32 and loop 2310C, when the service was not at the billing provider's address."""

    name: str
    address: Address
    npi: str | None = None


@dataclass(frozen=True)
class ServiceLine:
    # REF*6R and the line's identity for payments posted against it later.
    line_control_number: str
    service_date: date
    code: str
    charge: Decimal
    units: int
    modifiers: tuple[str, ...] = ()
    # 1-based positions in ClaimDocument.diagnoses; at most four.
    diagnosis_pointers: tuple[int, ...] = (1,)
    # None: the claim's place of service.
    place_of_service: str | None = None
    # None: the claim's rendering provider (or the billing provider when that is None too).
    rendering: Provider | None = None
    # Who actually performed the service (the trainer): read by the scrubber, never printed.
    performed_by: Provider | None = None
    session_id: int | None = None
    ref: int | None = None


@dataclass(frozen=True)
class ClaimDocument:
    patient_control_number: str
    billing_provider: BillingProvider
    subscriber: Subscriber
    payer: Payer
    lines: tuple[ServiceLine, ...]
    # ICD-10-CM codes as written on the referral ("M17.11"): first is the principal; at most twelve.
    diagnoses: tuple[str, ...]
    # None when the patient is the subscriber.
    patient: Person | None = None
    frequency: ClaimFrequency = ClaimFrequency.ORIGINAL
    # The payer's claim number of the claim a replacement or void refers to (REF*F8, box 22).
    original_reference: str | None = None
    place_of_service: str = DEFAULT_PLACE_OF_SERVICE
    # P, S or T: primary, secondary, tertiary (SBR01).
    payer_responsibility: str = "P"
    referring: Provider | None = None
    rendering: Provider | None = None
    service_facility: ServiceFacility | None = None
    prior_authorisation: str | None = None
    referral_number: str | None = None
    # CLM06, CLM07, CLM08, CLM09 and boxes 12, 13, 27, 31.
    signature_on_file: bool = True
    accept_assignment: bool = True
    benefits_assigned: bool = True
    release_of_information: bool = True
    ref: int | None = None
    client_ref: int | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def total_charge(self) -> Decimal:
        return sum((line.charge for line in self.lines), Decimal(0))

    @property
    def patient_person(self) -> Person:
        return self.patient or self.subscriber.person

    @property
    def patient_is_subscriber(self) -> bool:
        return self.patient is None

    def rendering_for(self, line: ServiceLine) -> Provider | None:
        return line.rendering or self.rendering

    def performer_for(self, line: ServiceLine) -> Provider | None:
        return line.performed_by or self.rendering_for(line)

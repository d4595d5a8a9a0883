"""Maps a claim onto the CMS-1500 (02/12) paper form, box by box, as text ready to print (the PDF
template places it). Six service lines fit on a form: a longer claim goes on several forms, each
complete with its own lines and its own total in box 28, numbered "page n of m".

Box contents follow the NUCC 1500 Reference Instruction Manual (02/12): dates of birth as
MM DD YYYY, dates of service as MM DD YY, diagnosis codes without the decimal point, ICD indicator
0 for ICD-10-CM, the qualifier DN before a referring provider's name in box 17.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from metpwa.rules.claim_document import Address, ClaimDocument, Person, ServiceLine
from metpwa.standards.billing import ClaimFrequency, PayerKind

LINES_PER_FORM = 6
MAX_DIAGNOSES = 12
DIAGNOSIS_LETTERS = "ABCDEFGHIJKL"
ICD10_INDICATOR = "0"
# Box 1: the program the claim goes to.
_PROGRAM = {
    PayerKind.MEDICARE: "Medicare",
    PayerKind.MEDICAID: "Medicaid",
    PayerKind.COMMERCIAL: "Group Health Plan",
}
_RELATIONSHIP = {"self": "Self", "spouse": "Spouse", "child": "Child"}


class Cms1500Error(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class FormLine:
    """One row of box 24."""

    date_from: str  # 24A, MM DD YY
    date_to: str
    place_of_service: str  # 24B
    code: str  # 24D
    modifiers: tuple[str, ...]
    diagnosis_pointer: str  # 24E: letters A-L, at most four
    charge: Decimal  # 24F
    units: int  # 24G
    rendering_npi: str  # 24J

    @property
    def charge_dollars(self) -> str:
        return f"{int(self.charge)}"

    @property
    def charge_cents(self) -> str:
        return f"{self.charge:.2f}"[-2:]


@dataclass(frozen=True)
class Cms1500Form:
    page: int
    pages: int
    boxes: dict[str, str]
    lines: tuple[FormLine, ...]

    @property
    def total_charge(self) -> Decimal:
        return sum((line.charge for line in self.lines), Decimal(0))


def cms1500_forms(claim: ClaimDocument) -> list[Cms1500Form]:
    if not claim.lines:
        raise Cms1500Error("A claim form needs at least one service line.")
    if not claim.diagnoses or len(claim.diagnoses) > MAX_DIAGNOSES:
        raise Cms1500Error(f"A claim form carries 1 to {MAX_DIAGNOSES} diagnosis codes.")
    header = _header(claim)
    rows = [_line(claim, line) for line in claim.lines]
    chunks = [rows[i:i + LINES_PER_FORM] for i in range(0, len(rows), LINES_PER_FORM)]
    forms = []
    for page, chunk in enumerate(chunks, start=1):
        boxes = dict(header)
        total = sum((row.charge for row in chunk), Decimal(0))
        boxes["28"] = f"{total:.2f}"
        boxes["page"] = f"{page} of {len(chunks)}"
        forms.append(Cms1500Form(page, len(chunks), boxes, tuple(chunk)))
    return forms


def _mmddyyyy(day: date) -> str:
    return day.strftime("%m %d %Y")


def _mmddyy(day: date) -> str:
    return day.strftime("%m %d %y")


def _name(person: Person) -> str:
    middle = f", {person.middle_name[:1].upper()}" if person.middle_name else ""
    return f"{person.last_name.upper()}, {person.first_name.upper()}{middle}"


def _address(address: Address | None) -> dict[str, str]:
    if address is None:
        return {"street": "", "city": "", "state": "", "zip": ""}
    street = f"{address.line1} {address.line2}".strip()
    return {"street": street.upper(), "city": address.city.upper(), "state": address.state.upper(),
            "zip": address.postal_code}


def _header(claim: ClaimDocument) -> dict[str, str]:
    patient = claim.patient_person
    insured = claim.subscriber.person
    billing = claim.billing_provider
    kind = PayerKind(claim.payer.kind)
    boxes: dict[str, str] = {
        "carrier": claim.payer.name.upper(),
        "1": _PROGRAM.get(kind, "Other"),
        "1a": claim.subscriber.member_id.upper(),
        "2": _name(patient),
        "3": _mmddyyyy(patient.date_of_birth),
        "3_sex": patient.sex.upper() if patient.sex.upper() in ("F", "M") else "",
        "4": _name(insured),
        "6": _RELATIONSHIP.get(claim.subscriber.patient_relationship, "Other"),
        "11": (claim.subscriber.group_number or "").upper(),
        "12": "SIGNATURE ON FILE" if claim.release_of_information else "",
        "13": "SIGNATURE ON FILE" if claim.benefits_assigned else "",
        "21_indicator": ICD10_INDICATOR,
        "23": (claim.prior_authorisation or "").upper(),
        "25": (billing.tax_id or "").replace("-", ""),
        "25_kind": "SSN" if billing.tax_id_kind == "SY" else "EIN",
        "26": claim.patient_control_number,
        "27": "Yes" if claim.accept_assignment else "No",
        "31": "SIGNATURE ON FILE" if claim.signature_on_file else "",
        "33": billing.name.upper() if billing.organization else f"{billing.first_name} {billing.name}".upper(),
        "33a": billing.npi,
        "33_phone": billing.phone or "",
    }
    for key, value in _address(patient.address).items():
        boxes[f"5_{key}"] = value
    for key, value in _address(insured.address).items():
        boxes[f"7_{key}"] = value
    for key, value in _address(billing.address).items():
        boxes[f"33_{key}"] = value
    for letter, code in zip(DIAGNOSIS_LETTERS, claim.diagnoses, strict=False):
        boxes[f"21{letter}"] = code.replace(".", "").upper()
    if claim.referring is not None:
        boxes["17_qualifier"] = "DN"
        boxes["17"] = claim.referring.display_name.upper()
        boxes["17b"] = claim.referring.npi or ""
    if claim.frequency is not ClaimFrequency.ORIGINAL:
        boxes["22_code"] = claim.frequency.value
        boxes["22_original"] = (claim.original_reference or "").upper()
    if claim.service_facility is not None:
        boxes["32"] = claim.service_facility.name.upper()
        boxes["32a"] = claim.service_facility.npi or ""
        for key, value in _address(claim.service_facility.address).items():
            boxes[f"32_{key}"] = value
    return boxes


def _line(claim: ClaimDocument, line: ServiceLine) -> FormLine:
    pointers = line.diagnosis_pointers
    if not 1 <= len(pointers) <= 4 or any(not 1 <= p <= len(claim.diagnoses) for p in pointers):
        raise Cms1500Error(f"{line.code} must point at 1 to 4 of the claim's diagnoses.")
    rendering = claim.rendering_for(line)
    return FormLine(
        date_from=_mmddyy(line.service_date),
        date_to=_mmddyy(line.service_date),
        place_of_service=line.place_of_service or claim.place_of_service,
        code=line.code.upper(),
        modifiers=tuple(m.upper() for m in line.modifiers[:4]),
        diagnosis_pointer="".join(DIAGNOSIS_LETTERS[p - 1] for p in pointers),
        charge=line.charge,
        units=line.units,
        rendering_npi=(rendering.npi if rendering is not None and rendering.npi else claim.billing_provider.npi),
    )

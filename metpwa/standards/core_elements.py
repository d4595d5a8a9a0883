"""The twelve core elements of a reimbursement-ready MET practice, in the order and the words the
practice uses (../shared/reference/seed-12-core-elements.txt, METI: "12 core elements"), each with
one line of our own on what it asks for. rules/readiness.py checks each one."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

SOURCE = "METI, the 12 core elements of a reimbursement-ready MET practice (seed-12-core-elements.txt)"


class Element(StrEnum):
    SCOPE = "scope"
    INTAKE = "intake"
    ASSESSMENT = "assessment"
    PLAN = "plan"
    DOCUMENTATION = "documentation"
    OUTCOMES = "outcomes"
    REFERRAL_COMMUNICATION = "referral_communication"
    SECURE_RECORDS = "secure_records"
    CODING_CLAIMS = "coding_claims"
    STAFF = "staff"
    FINANCES = "finances"
    REFERRAL_NETWORK = "referral_network"


@dataclass(frozen=True)
class CoreElement:
    number: int
    element: Element
    name: str
    asks_for: str


CORE_ELEMENTS: tuple[CoreElement, ...] = (
    CoreElement(1, Element.SCOPE, "Scope of practice and ethical compliance",
                "Assess function and run exercise programs; never diagnose or treat."),
    CoreElement(2, Element.INTAKE, "Client intake",
                "Health history, emergency contacts, consents and waivers on file before the first session."),
    CoreElement(3, Element.ASSESSMENT, "Objective assessments",
                "A baseline of range of motion, strength, posture and screens that shows the functional need."),
    CoreElement(4, Element.PLAN, "Plan of Exercise (POE)",
                "An individual plan with measurable goals, progression, intensity and frequency."),
    CoreElement(5, Element.DOCUMENTATION, "Documentation",
                "Every session logged and signed: exercises, sets, response and notes."),
    CoreElement(6, Element.OUTCOMES, "Functional Outcome Measures (FOMs)",
                "Standard tests repeated over time to show measurable change."),
    CoreElement(7, Element.REFERRAL_COMMUNICATION, "Communication with referral sources",
                "Structured progress reports sent to the referring provider, on time."),
    CoreElement(8, Element.SECURE_RECORDS, "Secure record keeping (HIPAA)",
                "Records encrypted, backed up and access-controlled, with a verified audit trail."),
    CoreElement(9, Element.CODING_CLAIMS, "Coding, claims and insurance verification",
                "Eligibility verified before services; clean claims with the right codes."),
    CoreElement(10, Element.STAFF, "Staff training and certification",
                "Certifications current, continuing education kept up, regular HIPAA and documentation training."),
    CoreElement(11, Element.FINANCES, "Fee schedule and financial systems",
                "A set fee schedule, tracked payments and denials handled."),
    CoreElement(12, Element.REFERRAL_NETWORK, "Referral network",
                "Relationships with physicians, therapists and chiropractors kept up, and results shown to them."),
)

BY_ELEMENT: dict[Element, CoreElement] = {element.element: element for element in CORE_ELEMENTS}

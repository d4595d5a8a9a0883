"""The credentials staff hold: what each is, how often it is renewed, the continuing education its
issuer asks for, and which a role needs on file to sign sessions and assessments, each with its source.

A value marked UNVERIFIED comes from secondary sources only (blogs, copies of old pages): the app
shows it as a default the owner can check, and the expiry date printed on the person's own card or
certificate always wins over any cycle here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

# Citations, named once.
METI_RENEWAL = ("Medical Exercise Training Institute (METI), 'Certification Renewal', "
                "postrehab.com/certifications/certification-renewal/: MES, PRCS and MEPD certifications expire "
                "after two years; 5 hours of medical-exercise coursework or observation hours renew them (the page "
                "calls 5 hours a reduction made during the COVID-19 pandemic, and still states it)")
METI_PATHWAYS = ("METI, 'Medical Exercise Specialist: from 14 pioneers to 6 continents' (postrehab.com blog): "
                 "the MES, AMES, PRCS and MEPD pathways")
AHA_CARD = ("American Heart Association BLS / Heartsaver CPR AED course cards: a recommended renewal date two "
            "years after the course, at the end of that month. UNVERIFIED at heart.org: seen in secondary "
            "sources only")
BOC_MAINTENANCE = ("Board of Certification (BOC), 'Certification Maintenance Requirements' (bocatc.org): two-year "
                   "reporting periods ending December 31 (2024-2025, 2026-2027, ...); 50 CEUs per period, 25 for "
                   "an AT certified in the period's first year; current emergency cardiac care (ECC) certification")
NPI_RULE = ("45 CFR 162.410(a)(4): a covered health care provider reports changes to its NPPES data within 30 "
            "days. An NPI does not expire. Check digit: CMS, 'Requirements for NPI Check Digit' "
            "(rules/identifiers.py). The 30-day figure is quoted from the regulation, not re-checked here")
NBHWC_RECERT = ("National Board for Health & Wellness Coaching (NBHWC): recertification every 3 years with 36 "
                "continuing-education hours, at least 3 in ethics. UNVERIFIED at nbhwc.org: secondary sources only")
STATE_BOARDS = ("Each state's licensing board sets its own renewal cycle and continuing-education hours for "
                "PTs, athletic trainers and physicians: no national default exists, so none is assumed")
PRACTICE_POLICY = "metpwa practice default (a setting, not a published requirement)"

# Alerts on the owner's and the person's home screen: 60 days before expiry, then 30 (issue 19).
ALERT_DAYS = (60, 30)


class CredentialKind(StrEnum):
    MES = "mes"
    AMES = "ames"
    CPR_AED = "cpr_aed"
    STATE_LICENCE = "state_licence"
    BOC_AT = "boc_at"
    NPI = "npi"
    NBHWC = "nbhwc"

    @property
    def label(self) -> str:
        return CREDENTIALS[self].label


class Profession(StrEnum):
    """What a state licence licenses. The keys are standards.billing.CredentialKind's (issue 18) for the
    professions both lists name, so billing can read a rendering provider's profession from the licence."""

    PT = "pt"
    ATHLETIC_TRAINER = "athletic_trainer"
    PHYSICIAN = "physician"
    OCCUPATIONAL_THERAPIST = "occupational_therapist"
    NURSE = "nurse"
    OTHER = "other"


PROFESSION_LABELS: dict[Profession, str] = {
    Profession.PT: "Physical therapist (PT)",
    Profession.ATHLETIC_TRAINER: "Athletic trainer (AT)",
    Profession.PHYSICIAN: "Physician (MD/DO)",
    Profession.OCCUPATIONAL_THERAPIST: "Occupational therapist (OT)",
    Profession.NURSE: "Nurse (RN/NP)",
    Profession.OTHER: "Other licensed profession",
}


@dataclass(frozen=True)
class ContinuingEducation:
    """Hours the issuer asks for in each renewal cycle."""

    hours: Decimal
    per_months: int
    note: str = ""

    @property
    def yearly_hours(self) -> Decimal:
        """The pace that meets the cycle's total: hours per cycle spread over its years."""
        return (self.hours * 12 / self.per_months).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class CredentialStandard:
    kind: CredentialKind
    label: str
    short: str
    # Whether the credential carries an expiry date; an NPI does not.
    expires: bool
    # The usual time from issue to expiry, to suggest an expiry date; None where it varies (state boards).
    renewal_months: int | None
    continuing_education: ContinuingEducation | None
    # A state licence names its state and profession; an NPI is checked by its check digit.
    needs_state: bool = False
    needs_number: bool = False
    issuer: str = ""
    verified: bool = True
    source: str = ""


CREDENTIALS: dict[CredentialKind, CredentialStandard] = {
    standard.kind: standard
    for standard in (
        CredentialStandard(
            CredentialKind.MES, "Medical Exercise Specialist (MES)", "MES", expires=True, renewal_months=24,
            continuing_education=ContinuingEducation(Decimal(5), 24, "medical-exercise coursework taught by a "
                                                     "licensed professional, or observation hours in a rehab setting"),
            issuer="Medical Exercise Training Institute (METI)", source=METI_RENEWAL,
        ),
        # The renewal page names MES, PRCS and MEPD but not AMES; the same cycle is assumed.
        CredentialStandard(
            CredentialKind.AMES, "Advanced Medical Exercise Specialist (AMES)", "AMES", expires=True,
            renewal_months=24, continuing_education=ContinuingEducation(Decimal(5), 24, "as for the MES (assumed)"),
            issuer="Medical Exercise Training Institute (METI)", verified=False,
            source=f"{METI_PATHWAYS}. Renewal cycle UNVERIFIED: assumed as for the MES ({METI_RENEWAL})",
        ),
        CredentialStandard(
            CredentialKind.CPR_AED, "CPR/AED", "CPR/AED", expires=True, renewal_months=24,
            continuing_education=None, issuer="American Heart Association, American Red Cross or equivalent",
            verified=False, source=AHA_CARD,
        ),
        CredentialStandard(
            CredentialKind.STATE_LICENCE, "State licence", "Licence", expires=True, renewal_months=None,
            continuing_education=None, needs_state=True, needs_number=True, issuer="the state's licensing board",
            source=STATE_BOARDS,
        ),
        CredentialStandard(
            CredentialKind.BOC_AT, "Certified athletic trainer (BOC)", "ATC", expires=True, renewal_months=24,
            continuing_education=ContinuingEducation(Decimal(50), 24, "25 for an AT certified in the period's "
                                                     "first year; includes evidence-based-practice CEUs"),
            needs_number=True, issuer="Board of Certification (BOC)", source=BOC_MAINTENANCE,
        ),
        CredentialStandard(
            CredentialKind.NPI, "National Provider Identifier (NPI)", "NPI", expires=False, renewal_months=None,
            continuing_education=None, needs_number=True, issuer="CMS (NPPES)", source=NPI_RULE,
        ),
        CredentialStandard(
            CredentialKind.NBHWC, "National Board Certified Health & Wellness Coach (NBC-HWC)", "NBC-HWC",
            expires=True, renewal_months=36,
            continuing_education=ContinuingEducation(Decimal(36), 36, "at least 3 hours in ethics"),
            issuer="National Board for Health & Wellness Coaching (NBHWC)", verified=False, source=NBHWC_RECERT,
        ),
    )
}


@dataclass(frozen=True)
class SigningRequirement:
    """One thing a signer must hold: any one current credential of these kinds satisfies it."""

    key: str
    label: str
    any_of: frozenset[CredentialKind]


# An exercise qualification: the MES or AMES this field is built on, or a licence or BOC certification
# that already qualifies the person to deliver exercise. And current CPR/AED, for the client in front
# of them: the BOC requires emergency cardiac care of every AT it certifies (BOC_MAINTENANCE), and ACE
# asks for current CPR/AED of anyone sitting its own medical exercise exam.
EXERCISE_QUALIFICATION = SigningRequirement(
    "exercise_qualification", "MES or AMES certification, state licence or BOC certification",
    frozenset({CredentialKind.MES, CredentialKind.AMES, CredentialKind.STATE_LICENCE, CredentialKind.BOC_AT}),
)
CPR_AED_CURRENT = SigningRequirement("cpr_aed", "CPR/AED", frozenset({CredentialKind.CPR_AED}))

# Who signs sessions and assessments: trainers, and owners who train. Front desk and billing staff
# never sign clinical records, so nothing is required of them to sign. The owner may change these
# (Practice.credentials_required_to_sign) and turns the block on or off (Practice.signing_requires_credentials).
DEFAULT_REQUIRED_TO_SIGN: dict[str, tuple[SigningRequirement, ...]] = {
    "owner": (EXERCISE_QUALIFICATION, CPR_AED_CURRENT),
    "trainer": (EXERCISE_QUALIFICATION, CPR_AED_CURRENT),
    "front_desk": (),
    "biller": (),
}
REQUIRED_TO_SIGN_SOURCE = PRACTICE_POLICY


def requirement_from_kinds(kinds: list[str] | tuple[str, ...] | frozenset[str]) -> SigningRequirement:
    """A practice's own requirement (stored as a list of kind keys) as a SigningRequirement."""
    members = frozenset(CredentialKind(kind) for kind in kinds)
    if not members:
        raise ValueError("a signing requirement names at least one credential kind")
    label = " or ".join(CREDENTIALS[kind].short for kind in CredentialKind if kind in members)
    return SigningRequirement("+".join(sorted(members)), label, members)


def required_to_sign(role: str, practice_setting: dict[str, list[list[str]]] | None) -> tuple[SigningRequirement, ...]:
    """The requirements for a role: the practice's own when it set them for that role, else the defaults."""
    if practice_setting is not None and role in practice_setting:
        return tuple(requirement_from_kinds(group) for group in practice_setting[role])
    return DEFAULT_REQUIRED_TO_SIGN.get(role, ())

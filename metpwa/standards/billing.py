"""Billing tables with their sources: our own short labels for the CPT/HCPCS codes a MET practice
may bill, which are timed, modifiers, the therapy threshold, the 8-minute table, places of service,
claim frequency codes, credential kinds, payer kinds, routes and unit methods, and the adjustment
reason codes denials will be read against.

CPT descriptors are AMA copyright: only the codes ship, each with a label in our own words.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

STANDARDS_MD = "shared/reference/standards.md"
CMS_230_5 = "Medicare Benefit Policy Manual (100-02) ch. 15 sec. 230.5"
CMS_8_MINUTE = "Medicare Claims Processing Manual (100-04) ch. 5 sec. 20.2"
CMS_POS = "CMS Place of Service Code Set (cms.gov, Place of Service Codes for Professional Claims)"
NUBC_FREQUENCY = "NUBC UB-04 type of bill, 3rd digit (claim frequency), used in 837P CLM05-3 and CMS-1500 item 22"
X12_837P = "ASC X12 005010X222A1 (837 Professional) TR3"
X12_CARC_RARC = "X12 Claim Adjustment Reason Codes and Remittance Advice Remark Codes (x12.org code lists; own words)"
CMS_NCCI_X = "CMS MLN1783722 'Proper Use of the -XE, -XS, -XP, -XU Modifiers' (Transmittal 1422, 2014)"
CMS_THERAPY_MODIFIERS = ("Medicare Claims Processing Manual (100-04) ch. 5 sec. 20.1 (discipline-specific "
                         "outpatient rehabilitation modifiers GP, GO, GN on every therapy line)")
CMS_KX = "CY 2025 and CY 2026 Medicare Physician Fee Schedule final rules (therapy KX threshold)"
TIMELY_FILING_MEDICARE = "42 CFR 424.44: Medicare claims within 12 months (one calendar year) of the date of service"


# --- Codes ---------------------------------------------------------------------------------------


class CodeKind(StrEnum):
    CPT = "cpt"
    CPT_CATEGORY_III = "cpt_iii"
    HCPCS = "hcpcs"


@dataclass(frozen=True)
class ProcedureCode:
    """One billable code: `label` is ours, never the AMA descriptor."""

    code: str
    label: str
    kind: CodeKind
    # Billed in 15-minute units by the 8-minute rule; untimed codes are one unit per session.
    timed: bool
    # A PT/OT/SLP therapy code: on a line a non-therapist performs, only route 1 or 2 may carry it.
    therapy: bool = False
    # A PT evaluation: never on a line an MES performs, under any route.
    pt_evaluation: bool = False
    # Health and well-being coaching codes: the person who performed it holds a coaching credential.
    coaching_credential_required: bool = False
    # Some untimed codes require a minimum time face to face (0592T, 0593T: at least 30 minutes).
    minimum_minutes: int = 0
    # The session activity (models.sessions.ACTIVITY_COLUMNS key) whose minutes the code bills from.
    activity_type: str | None = None
    source: str = STANDARDS_MD


PROCEDURE_CODES: dict[str, ProcedureCode] = {
    code.code: code
    for code in (
        ProcedureCode("97110", "Therapeutic exercise: strength, endurance, range of motion, flexibility",
                      CodeKind.CPT, timed=True, therapy=True, activity_type="therapeutic_exercise"),
        ProcedureCode("97112", "Neuromuscular re-education: balance, coordination, proprioception",
                      CodeKind.CPT, timed=True, therapy=True, activity_type="neuromuscular_reeducation"),
        ProcedureCode("97116", "Gait training", CodeKind.CPT, timed=True, therapy=True, activity_type="gait"),
        ProcedureCode("97530", "Dynamic functional activities", CodeKind.CPT, timed=True, therapy=True,
                      activity_type="functional_activities"),
        # Unit rules for 97750 vary by payer (standards.md); it is counted as a 15-minute timed code here.
        ProcedureCode("97750", "Physical performance test with a written report", CodeKind.CPT, timed=True,
                      therapy=True),
        ProcedureCode("97161", "PT evaluation, low complexity", CodeKind.CPT, timed=False, therapy=True,
                      pt_evaluation=True),
        ProcedureCode("97162", "PT evaluation, moderate complexity", CodeKind.CPT, timed=False, therapy=True,
                      pt_evaluation=True),
        ProcedureCode("97163", "PT evaluation, high complexity", CodeKind.CPT, timed=False, therapy=True,
                      pt_evaluation=True),
        ProcedureCode("97164", "PT re-evaluation", CodeKind.CPT, timed=False, therapy=True, pt_evaluation=True),
        # A temporary HCPCS S-code private payers use; Medicare does not (standards.md).
        ProcedureCode("S9451", "Exercise class by a non-physician provider, per session", CodeKind.HCPCS,
                      timed=False),
        ProcedureCode("0591T", "Health and well-being coaching: first assessment", CodeKind.CPT_CATEGORY_III,
                      timed=False, coaching_credential_required=True),
        ProcedureCode("0592T", "Health and well-being coaching: follow-up, 30 minutes or more",
                      CodeKind.CPT_CATEGORY_III, timed=False, coaching_credential_required=True, minimum_minutes=30),
        ProcedureCode("0593T", "Health and well-being coaching: group, 30 minutes or more",
                      CodeKind.CPT_CATEGORY_III, timed=False, coaching_credential_required=True, minimum_minutes=30),
    )
}

TIMED_CODES = frozenset(code for code, entry in PROCEDURE_CODES.items() if entry.timed)
THERAPY_CODES = frozenset(code for code, entry in PROCEDURE_CODES.items() if entry.therapy)
PT_EVALUATION_CODES = frozenset(code for code, entry in PROCEDURE_CODES.items() if entry.pt_evaluation)
COACHING_CODES = frozenset(code for code, entry in PROCEDURE_CODES.items() if entry.coaching_credential_required)
# Codes a non-therapist's service may go out under where a payer takes them (route 2 or a superbill).
NON_THERAPY_CODES = frozenset(code for code, entry in PROCEDURE_CODES.items() if not entry.therapy)

# The session's four activity columns, and the timed code each bills under.
ACTIVITY_CODES: dict[str, str] = {
    entry.activity_type: code for code, entry in PROCEDURE_CODES.items() if entry.activity_type
}


def procedure(code: str) -> ProcedureCode | None:
    return PROCEDURE_CODES.get((code or "").strip().upper())


# --- Modifiers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Modifier:
    code: str
    label: str
    # Only on a service under a PT plan of care, furnished by a PT (never on an MES's line).
    pt_only: bool = False
    # One of 59 / XE / XS / XP / XU: a distinct procedural service.
    distinct_service: bool = False
    source: str = STANDARDS_MD


MODIFIERS: dict[str, Modifier] = {
    modifier.code: modifier
    for modifier in (
        Modifier("GP", "Service under a physical therapy plan of care (PT only)", pt_only=True,
                 source=CMS_THERAPY_MODIFIERS),
        Modifier("KX", "Over the year's therapy threshold; documentation supports medical necessity", source=CMS_KX),
        Modifier("59", "Distinct procedural service", distinct_service=True, source=CMS_NCCI_X),
        Modifier("XE", "Distinct: a separate encounter", distinct_service=True, source=CMS_NCCI_X),
        Modifier("XS", "Distinct: a separate structure or body area", distinct_service=True, source=CMS_NCCI_X),
        Modifier("XP", "Distinct: a separate practitioner", distinct_service=True, source=CMS_NCCI_X),
        Modifier("XU", "Distinct: an unusual service that does not overlap the usual components",
                 distinct_service=True, source=CMS_NCCI_X),
    )
}
# SV101 and box 24D carry at most four modifiers.
MAX_MODIFIERS = 4

# Medicare's annual threshold for PT and SLP combined, past which therapy lines need KX.
KX_THRESHOLDS: dict[int, Decimal] = {2025: Decimal(2410), 2026: Decimal(2480)}


def kx_threshold(year: int) -> Decimal | None:
    """The year's therapy threshold, or None for a year this table does not have (look it up, don't guess)."""
    return KX_THRESHOLDS.get(year)


# Payers that apply Medicare's therapy threshold and expect KX on the therapy lines past it: traditional
# Medicare, and Medicare Advantage plans, which follow its therapy rules for the therapy they cover.
# (A KX line is still therapy a licensed provider renders: never an MES's line, standards.md.)
KX_PAYER_KINDS = frozenset({"medicare", "medicare_advantage"})

# Payers that expect GP on every therapy line a therapist furnishes under a PT plan of care: Medicare
# (CMS_THERAPY_MODIFIERS) and the Medicare Advantage plans that follow its therapy billing. Other payers'
# rules differ and are not guessed. Never on a line an MES performs (standards.md, sec. 230.5).
GP_PAYER_KINDS = frozenset({"medicare", "medicare_advantage"})

# NCCI procedure-to-procedure (PTP) edits among the codes this table holds. The authority is CMS's
# quarterly practitioner PTP table (cms.gov, "NCCI Procedure to Procedure (PTP) Edits", practitioner
# services; each row: column 1, column 2, effective and deletion dates, modifier indicator 0/1/9). That
# table could not be read from here, so every pair below comes from secondary sources (named per pair)
# and is marked unverified: the scrubber warns where one appears on a claim, and the builder adds no
# modifier for it. A pair becomes enforced (verified=True) only when someone checks it in the quarter's
# CMS table and writes that quarter and version here.
CMS_NCCI_PTP = ("CMS NCCI Procedure to Procedure (PTP) edits, practitioner services, quarterly table "
                "(column 1 / column 2 / modifier indicator)")
NCCI_MODIFIER_INDICATORS = {
    "0": "no modifier lets both codes be paid",
    "1": "a distinct-service modifier lets both be paid when the services really were distinct",
    "9": "the edit does not apply (deleted)",
}


@dataclass(frozen=True)
class NcciPair:
    """One PTP edit: the distinct-service modifier goes on `column2` (NCCI policy manual ch. I sec. E)."""

    column1: str
    column2: str
    # "0", "1" or "9" as the CMS table gives it; None when the sources do not say.
    modifier_indicator: str | None
    # True only when checked against CMS's own practitioner PTP table of `version`.
    verified: bool
    # The CMS table's quarter and version it was checked against ("2026Q1 v321r0"), when verified.
    version: str | None
    source: str


NCCI_PAIRS: tuple[NcciPair, ...] = (
    # Column 1 / column 2 edit, modifier allowed: ADVANCE for Physical Therapy, "What's the correct use
    # of CCI edits and modifier 59?" (vol. 14 issue 11), and the January 2020 round of therapy edits
    # ("therapeutic activity and gait training" needing 59: Montero Therapy Services, "New NCCI edits
    # effective October 1, 2020"). Not seen in CMS's table from here.
    NcciPair("97530", "97116", "1", verified=False, version=None,
             source="ADVANCE for Physical Therapy, vol. 14 issue 11; monterotherapyservices.com (2020)"),
    # Added January 2020 with indicator 0 (evaluation not paid beside 97530), then withdrawn during 2020
    # (elitecme.com "Sudden NCCI edits for physical and occupational therapy"; proactiveltcexperts.com;
    # Montero Therapy Services 2020). Whether an edit stands today is unknown here. An MES never bills
    # an evaluation (the route rule), so these matter only on a therapist's own claim.
    NcciPair("97161", "97530", None, verified=False, version=None,
             source="elitecme.com (2020); proactiveltcexperts.com (2020); monterotherapyservices.com (2020)"),
    NcciPair("97162", "97530", None, verified=False, version=None,
             source="elitecme.com (2020); proactiveltcexperts.com (2020); monterotherapyservices.com (2020)"),
    NcciPair("97163", "97530", None, verified=False, version=None,
             source="elitecme.com (2020); proactiveltcexperts.com (2020); monterotherapyservices.com (2020)"),
    # The re-evaluation "already forms edit pairs" with the treatment codes, 59 on the re-evaluation
    # (elitecme.com 2020): column order and indicator from that account only.
    NcciPair("97530", "97164", "1", verified=False, version=None, source="elitecme.com (2020)"),
)


def ncci_pairs(*, verified: bool | None = None) -> tuple[NcciPair, ...]:
    return tuple(pair for pair in NCCI_PAIRS if verified is None or pair.verified is verified)


# The pairs the claim builder acts on: checked in CMS's table, and a modifier lets both codes be paid.
# (column 1 code, column 2 code); the modifier goes on the column 2 code. Empty until a pair is verified.
DISTINCT_SERVICE_PAIRS: frozenset[tuple[str, str]] = frozenset(
    (pair.column1, pair.column2) for pair in NCCI_PAIRS if pair.verified and pair.modifier_indicator == "1")
# Verified pairs with indicator 0: no modifier makes both payable, so the claim must not carry both.
EXCLUSIVE_PAIRS: frozenset[tuple[str, str]] = frozenset(
    (pair.column1, pair.column2) for pair in NCCI_PAIRS if pair.verified and pair.modifier_indicator == "0")
# Which modifier says "distinct service" is a payer setting (Payer.distinct_service_modifier): 59, which
# every payer reads, unless the payer asks for the more specific XE/XS/XP/XU that CMS prefers (CMS_NCCI_X).
DISTINCT_SERVICE_MODIFIERS = ("59", "XE", "XS", "XP", "XU")
DEFAULT_DISTINCT_SERVICE_MODIFIER = "59"


# --- The 8-minute rule ---------------------------------------------------------------------------

UNIT_MINUTES = 15
# A unit needs more than half of 15 minutes: 8 (CMS total-time and the per-code "substantial portion").
MIDPOINT_MINUTES = 8
# (units, first minute, last minute) exactly as the CMS table lists it; past 127 the pattern goes on
# in 15-minute steps (rules/units.py computes it and a test checks it against these rows).
CMS_UNIT_TABLE: tuple[tuple[int, int, int], ...] = (
    (1, 8, 22),
    (2, 23, 37),
    (3, 38, 52),
    (4, 53, 67),
    (5, 68, 82),
    (6, 83, 97),
    (7, 98, 112),
    (8, 113, 127),
)
CMS_UNIT_TABLE_SOURCE = CMS_8_MINUTE


class UnitMethod(StrEnum):
    """How a payer turns timed minutes into units: a payer setting."""

    CMS_TOTAL_TIME = "cms_total_time"
    SUBSTANTIAL_PORTION = "substantial_portion"

    @property
    def label(self) -> str:
        return UNIT_METHOD_LABELS[self]


UNIT_METHOD_LABELS = {
    UnitMethod.CMS_TOTAL_TIME: "CMS 8-minute rule: units from the day's total timed minutes",
    UnitMethod.SUBSTANTIAL_PORTION: "Each code on its own: a unit once more than half of 15 minutes is reached",
}


# --- Places of service ---------------------------------------------------------------------------

# The settings a MET practice works in; the full code set is CMS's.
PLACES_OF_SERVICE: dict[str, str] = {
    "11": "Office (the practice's own studio or clinic)",
    "12": "Client's home",
    "02": "Telehealth, client not at home",
    "10": "Telehealth, client at home",
    "99": "Other place (a community gym or pool)",
}
DEFAULT_PLACE_OF_SERVICE = "11"
PLACES_OF_SERVICE_SOURCE = CMS_POS


# --- Claim frequency -----------------------------------------------------------------------------


class ClaimFrequency(StrEnum):
    ORIGINAL = "1"
    REPLACEMENT = "7"
    VOID = "8"

    @property
    def label(self) -> str:
        return CLAIM_FREQUENCY_LABELS[self]

    @property
    def needs_original_reference(self) -> bool:
        return self is not ClaimFrequency.ORIGINAL


CLAIM_FREQUENCY_LABELS = {
    ClaimFrequency.ORIGINAL: "Original claim",
    ClaimFrequency.REPLACEMENT: "Replacement of an earlier claim",
    ClaimFrequency.VOID: "Void of an earlier claim",
}
CLAIM_FREQUENCY_SOURCE = NUBC_FREQUENCY


# --- Credentials ---------------------------------------------------------------------------------


class CredentialKind(StrEnum):
    MES = "mes"
    AMES = "ames"
    PT = "pt"
    ATHLETIC_TRAINER = "athletic_trainer"
    PHYSICIAN = "physician"
    OTHER = "other"

    @property
    def label(self) -> str:
        return CREDENTIALS[self].label

    @property
    def may_bill_therapy(self) -> bool:
        return CREDENTIALS[self].may_bill_therapy


@dataclass(frozen=True)
class Credential:
    kind: CredentialKind
    label: str
    # May furnish and bill therapy codes, and so render and supervise under route 1 (sec. 230.5:
    # therapy only by people qualified in PT/OT/SLP; physicians may furnish it themselves).
    may_bill_therapy: bool
    # An exercise professional whose service is never billed as therapy (MES, AMES).
    exercise_specialist: bool = False
    source: str = CMS_230_5


CREDENTIALS: dict[CredentialKind, Credential] = {
    CredentialKind.MES: Credential(CredentialKind.MES, "Medical Exercise Specialist (MES)", False, True),
    CredentialKind.AMES: Credential(CredentialKind.AMES, "Advanced Medical Exercise Specialist (AMES)", False, True),
    CredentialKind.PT: Credential(CredentialKind.PT, "Physical therapist (PT)", True),
    # Sec. 230.5 names athletic trainers among the professions whose services are not therapy.
    CredentialKind.ATHLETIC_TRAINER: Credential(CredentialKind.ATHLETIC_TRAINER, "Athletic trainer (AT)", False),
    CredentialKind.PHYSICIAN: Credential(CredentialKind.PHYSICIAN, "Physician (MD/DO)", True),
    CredentialKind.OTHER: Credential(CredentialKind.OTHER, "Other", False),
}


def may_bill_therapy(credential: str | None) -> bool:
    """False for an unknown or missing credential: therapy billing is never assumed."""
    try:
        return CredentialKind(credential).may_bill_therapy
    except ValueError:
        return False


def credential_label(credential: str | None) -> str:
    try:
        return CredentialKind(credential).label
    except ValueError:
        return "a provider with no credential on file"


# --- Payers, routes and submission ---------------------------------------------------------------


class PayerKind(StrEnum):
    """The kinds intake records on a coverage (models.intake.Coverage.payer_kind) plus self-pay."""

    MEDICARE = "medicare"
    MEDICARE_ADVANTAGE = "medicare_advantage"
    MEDICAID = "medicaid"
    COMMERCIAL = "commercial"
    WORKERS_COMP = "workers_comp"
    AUTO = "auto"
    SELF_PAY = "self_pay"
    OTHER = "other"

    @property
    def label(self) -> str:
        return PAYER_KIND_LABELS[self]


PAYER_KIND_LABELS = {
    PayerKind.MEDICARE: "Traditional Medicare (Part B)",
    PayerKind.MEDICARE_ADVANTAGE: "Medicare Advantage plan",
    PayerKind.MEDICAID: "Medicaid",
    PayerKind.COMMERCIAL: "Commercial insurance",
    PayerKind.WORKERS_COMP: "Workers' compensation",
    PayerKind.AUTO: "Auto insurance",
    PayerKind.SELF_PAY: "Self-pay (superbill)",
    PayerKind.OTHER: "Other",
}

# 837P SBR09 claim filing indicator per payer kind (X12 005010X222A1, 2000B SBR09 code list);
# a payer may set its own (BL for a Blue plan, HM for an HMO, 12 for a PPO...).
CLAIM_FILING_INDICATORS: dict[PayerKind, str] = {
    PayerKind.MEDICARE: "MB",
    PayerKind.MEDICARE_ADVANTAGE: "16",
    PayerKind.MEDICAID: "MC",
    PayerKind.COMMERCIAL: "CI",
    PayerKind.WORKERS_COMP: "WC",
    PayerKind.AUTO: "AM",
    PayerKind.OTHER: "ZZ",
}
CLAIM_FILING_INDICATOR_CODES = frozenset(
    {"11", "12", "13", "14", "15", "16", "17", "AM", "BL", "CH", "CI", "DS", "FI", "HM", "LM", "MA", "MB", "MC",
     "OF", "TV", "VA", "WC", "ZZ"}
)


class ClaimRoute(StrEnum):
    """How a payer's claims leave the practice: a payer setting."""

    X12_837P = "837p"
    PAPER_CMS1500 = "cms1500"
    SUPERBILL = "superbill"

    @property
    def label(self) -> str:
        return CLAIM_ROUTE_LABELS[self]


CLAIM_ROUTE_LABELS = {
    ClaimRoute.X12_837P: "Electronic claim (X12 837P)",
    ClaimRoute.PAPER_CMS1500: "Paper claim (CMS-1500)",
    ClaimRoute.SUPERBILL: "Superbill for a self-pay client",
}


class PaymentRoute(StrEnum):
    """The three legitimate ways an MES's session is paid, and no other (standards.md, CMS 230.5)."""

    # 1: a licensed provider renders and supervises, supervision on record for the date; only where
    #    the payer allows it, never Medicare (230.5 excludes other professions even "incident to").
    LICENSED_SUPERVISOR = "licensed_supervisor"
    # 2: the payer or plan accepts claims for MES services (the referral names the MES service).
    PAYER_ACCEPTS_MES = "payer_accepts_mes"
    # 3: the client pays; a superbill and a letter of medical necessity support an HSA/FSA claim.
    SELF_PAY = "self_pay"

    @property
    def label(self) -> str:
        return PAYMENT_ROUTE_LABELS[self]


PAYMENT_ROUTE_LABELS = {
    PaymentRoute.LICENSED_SUPERVISOR: "Route 1: a licensed provider renders and supervises",
    PaymentRoute.PAYER_ACCEPTS_MES: "Route 2: the payer accepts MES services",
    PaymentRoute.SELF_PAY: "Route 3: self-pay with a superbill",
}


def routes_allowed(kind: PayerKind | str) -> frozenset[PaymentRoute]:
    """Which routes a payer kind can ever allow for a line a non-therapist performs (its settings narrow it)."""
    kind = PayerKind(kind)
    if kind is PayerKind.MEDICARE:
        return frozenset()
    if kind is PayerKind.MEDICARE_ADVANTAGE:
        # Only where the plan's supplemental benefits name the service.
        return frozenset({PaymentRoute.PAYER_ACCEPTS_MES})
    if kind is PayerKind.SELF_PAY:
        return frozenset({PaymentRoute.SELF_PAY})
    return frozenset({PaymentRoute.LICENSED_SUPERVISOR, PaymentRoute.PAYER_ACCEPTS_MES})


MEDICARE_CLIENT_PAYS_PRIVATELY = (
    "Traditional Medicare does not pay for a Medical Exercise Specialist's sessions, not as therapy and not "
    "\"incident to\" a physician (Medicare Benefit Policy Manual ch. 15 sec. 230.5). The client pays privately "
    "(self-pay with a superbill)."
)

# Medicare: 12 months from the date of service; a new payer starts there until its contract says otherwise.
DEFAULT_TIMELY_FILING_DAYS = 365


# --- Claim status --------------------------------------------------------------------------------


class ClaimStatus(StrEnum):
    DRAFT = "draft"
    READY = "ready"
    EXPORTED = "exported"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    PAID = "paid"
    DENIED = "denied"
    CORRECTED = "corrected"
    VOIDED = "voided"

    @property
    def label(self) -> str:
        return self.value.capitalize()


# Where a claim may go from each status; a change of lines after export is a replacement claim.
CLAIM_TRANSITIONS: dict[ClaimStatus, frozenset[ClaimStatus]] = {
    ClaimStatus.DRAFT: frozenset({ClaimStatus.READY, ClaimStatus.VOIDED}),
    ClaimStatus.READY: frozenset({ClaimStatus.DRAFT, ClaimStatus.EXPORTED, ClaimStatus.VOIDED}),
    # A superbill handed to the client has no payer to accept it: the client pays it.
    ClaimStatus.EXPORTED: frozenset({ClaimStatus.ACCEPTED, ClaimStatus.REJECTED, ClaimStatus.PAID}),
    ClaimStatus.ACCEPTED: frozenset({ClaimStatus.PAID, ClaimStatus.DENIED, ClaimStatus.CORRECTED,
                                     ClaimStatus.VOIDED}),
    ClaimStatus.REJECTED: frozenset({ClaimStatus.CORRECTED, ClaimStatus.VOIDED}),
    ClaimStatus.PAID: frozenset({ClaimStatus.CORRECTED, ClaimStatus.VOIDED}),
    ClaimStatus.DENIED: frozenset({ClaimStatus.CORRECTED, ClaimStatus.VOIDED}),
    ClaimStatus.CORRECTED: frozenset(),
    ClaimStatus.VOIDED: frozenset(),
}
# Statuses whose lines are frozen: only a replacement (frequency 7) or a void (8) changes them.
LINES_FROZEN = frozenset(set(ClaimStatus) - {ClaimStatus.DRAFT, ClaimStatus.READY})


# --- Adjustment reason codes (for reading denials later) -----------------------------------------

CLAIM_ADJUSTMENT_GROUPS: dict[str, str] = {
    "CO": "Contractual obligation: the practice writes it off, the client does not owe it",
    "PR": "Patient responsibility: the client owes it (deductible, copay, coinsurance)",
    "OA": "Other adjustment",
    "PI": "Payer-initiated reduction",
    "CR": "Correction or reversal of an earlier claim",
}

# The reason codes a MET practice meets most, in our words; what to do is said where it is known.
CLAIM_ADJUSTMENT_REASONS: dict[str, str] = {
    "1": "Deductible amount",
    "2": "Coinsurance amount",
    "3": "Copay amount",
    "16": "The claim lacks information or has a billing error: see the remark codes",
    "18": "A duplicate of a claim already processed",
    "27": "Service after the coverage ended",
    "29": "Filed after the payer's time limit",
    "45": "Charge above the fee schedule or contracted amount",
    "50": "Not deemed medically necessary by the payer",
    "96": "Not a covered charge",
    "97": "Paid as part of another service on the claim",
    "119": "The benefit maximum for the period has been reached",
    "170": "Not paid when performed or billed by this type of provider",
    "185": "The rendering provider may not perform the service billed",
    "197": "Prior authorisation or pre-certification missing",
    "204": "Not covered under the client's current plan",
}
REMARK_CODES: dict[str, str] = {
    "M76": "Diagnosis missing, incomplete or invalid",
    "N290": "Rendering provider's identifier missing, incomplete or invalid",
    "N130": "Read the plan's benefit documents for the limits of this service",
    "MA130": "Incomplete or invalid claim: fix it and send a new claim (no appeal)",
}
ADJUSTMENT_CODES_SOURCE = X12_CARC_RARC

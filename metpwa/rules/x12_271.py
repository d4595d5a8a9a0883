"""Reads an X12 271 eligibility response (005010X279A1) into plain results, one per subscriber or
dependent: active or not, copay, coinsurance, deductible left, visits allowed and used, whether
authorisation is needed, rejections (AAA) in words, and the payer's messages.

EB segments carry the benefits: EB01 what it is (1 active, 6 inactive, A coinsurance, B copay,
C deductible, F limitation...), EB03 service types (repeated with the repetition separator), EB06
the period, EB07 an amount, EB08 a percent as a fraction (0.2 is 20 %), EB09/EB10 a quantity such
as visits, EB11 authorisation required, EB12 in network. Text in, values out; nothing is stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from metpwa.rules.x12_common import split_segments

# ASC X12 005010X279A1 code lists (the values a MET practice reads), in our words.
ELIGIBILITY_CODES = {
    "1": "Active coverage", "2": "Active: full risk capitation", "3": "Active: services capitated",
    "4": "Active: capitated to the primary care physician", "5": "Active: pending investigation",
    "6": "Inactive", "7": "Inactive: pending eligibility update", "8": "Inactive: pending investigation",
    "A": "Coinsurance", "B": "Copay", "C": "Deductible", "CB": "Coverage basis", "D": "Benefit description",
    "E": "Exclusions", "F": "Limitations", "G": "Out-of-pocket limit", "H": "Unlimited", "I": "Not covered",
    "J": "Cost containment", "K": "Reserve", "L": "Primary care provider", "M": "Pre-existing condition",
    "MC": "Managed care coordinator", "N": "Services restricted to the following provider",
    "O": "Not deemed medically necessary", "P": "Benefit disclaimer", "Q": "Second surgical opinion required",
    "R": "Other or additional payer", "S": "Prior year history", "T": "Card reported lost or stolen",
    "U": "Contact the following entity for benefit information", "V": "Cannot process",
    "W": "Other source of data", "X": "Health care facility", "Y": "Spend down",
}
ACTIVE = frozenset({"1", "2", "3", "4", "5"})
INACTIVE = frozenset({"6", "7", "8"})
TIME_PERIODS = {
    "6": "hour", "7": "day", "13": "24 hours", "21": "years", "22": "service year", "23": "calendar year",
    "24": "year to date", "25": "contract", "26": "episode", "27": "visit", "28": "outlier", "29": "remaining",
    "30": "exceeded", "31": "not exceeded", "32": "lifetime", "33": "lifetime remaining", "34": "month",
    "35": "week", "36": "admission",
}
# EB09: what EB10's quantity counts.
QUANTITY_QUALIFIERS = {
    "8H": "minimum", "99": "used", "CA": "covered (actual)", "CE": "covered (estimated)", "DY": "days",
    "HS": "hours", "M2": "maximum", "MN": "months", "P6": "services or procedures", "QA": "approved",
    "VS": "visits", "YY": "years",
}
# AAA03: why a request was refused, and AAA04: what to do about it.
REJECT_REASONS = {
    "04": "Authorised quantity exceeded", "15": "Required application data missing", "33": "Input errors",
    "35": "Out of network", "41": "Authorisation or access restrictions", "42": "Unable to respond now",
    "43": "Provider identification invalid or missing", "44": "Provider name invalid or missing",
    "45": "Provider specialty invalid or missing", "46": "Provider phone number invalid or missing",
    "47": "Provider state invalid or missing", "48": "Referring provider identification invalid or missing",
    "49": "Provider is not the primary care physician", "50": "Provider not eligible for inquiries",
    "51": "Provider not on file", "52": "Service dates outside the provider's plan enrolment",
    "53": "Benefit asked about does not fit the provider type", "54": "Wrong product or service ID qualifier",
    "55": "Wrong product or service ID", "56": "Inappropriate date", "57": "Dates of service invalid or missing",
    "58": "Date of birth invalid or missing", "60": "Date of birth after the dates of service",
    "61": "Date of death before the dates of service", "62": "Date of service outside the allowed inquiry period",
    "63": "Date of service in the future", "64": "Patient ID invalid or missing", "65": "Patient name invalid or missing",
    "66": "Patient sex invalid or missing", "67": "Patient not found", "68": "Duplicate patient ID",
    "69": "Inconsistent with the patient's age", "70": "Inconsistent with the patient's sex",
    "71": "Birth date does not match the payer's records", "72": "Member ID invalid or missing",
    "73": "Subscriber name invalid or missing", "74": "Subscriber sex invalid or missing", "75": "Subscriber not found",
    "76": "Duplicate subscriber ID", "77": "Subscriber found, patient not found",
    "78": "Subscriber not in the group or plan named", "79": "Invalid participant identification",
    "80": "No response received: transaction ended", "97": "Provider address invalid or missing",
    "T4": "Payer name or identifier missing",
}
FOLLOW_UP_ACTIONS = {
    "C": "Correct and send again", "N": "Do not send again", "P": "Send the original request again",
    "R": "May be sent again", "S": "Do not send again: the payer is asking a third party",
    "W": "Wait 30 days and send again", "X": "Wait 10 days and send again", "Y": "Do not send again: the payer "
    "will answer by other means",
}
REJECTION_LEVELS = {"20": "payer", "21": "provider", "22": "subscriber", "23": "dependent"}
# Service types whose benefits describe a MET practice's sessions; EB segments with no EB03 apply to all.
RELEVANT_SERVICE_TYPES = frozenset({"30", "1", "PT", "AE", "A9", "AC"})


class X12ReadError(ValueError):
    """Text that is not a 271 the reader can follow."""


@dataclass(frozen=True)
class Benefit:
    code: str
    label: str
    coverage_level: str = ""
    service_types: tuple[str, ...] = ()
    insurance_type: str = ""
    plan: str = ""
    time_period: str = ""
    amount: Decimal | None = None
    # Percent, 20 for 20 % (EB08 sends 0.2).
    percent: Decimal | None = None
    quantity_qualifier: str = ""
    quantity: Decimal | None = None
    authorisation_required: bool | None = None
    in_network: bool | None = None
    messages: tuple[str, ...] = ()
    references: tuple[tuple[str, str], ...] = ()
    dates: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Rejection:
    level: str
    reason_code: str
    reason: str
    follow_up_code: str
    follow_up: str

    @property
    def message(self) -> str:
        return f"The {self.level} was refused: {self.reason}. {self.follow_up}."


@dataclass(frozen=True)
class EligibilityResult:
    """One subscriber's or dependent's answer, reduced to what the verification record keeps."""

    trace_number: str | None
    member_id: str | None
    last_name: str
    first_name: str
    dependent: bool
    active: bool | None
    plan: str = ""
    copay: Decimal | None = None
    coinsurance_percent: Decimal | None = None
    deductible_remaining: Decimal | None = None
    visits_allowed: int | None = None
    visits_used: int | None = None
    visits_remaining: int | None = None
    authorisation_required: bool | None = None
    authorisation_number: str | None = None
    plan_begins_on: date | None = None
    plan_ends_on: date | None = None
    benefits: tuple[Benefit, ...] = ()
    rejections: tuple[Rejection, ...] = ()
    messages: tuple[str, ...] = ()

    @property
    def rejected(self) -> bool:
        return bool(self.rejections)


@dataclass(frozen=True)
class EligibilityResponse:
    payer_name: str
    payer_id: str | None
    results: tuple[EligibilityResult, ...]
    # Refusals above any subscriber (the payer or the provider level): the whole request failed.
    rejections: tuple[Rejection, ...] = ()

    def for_trace(self, trace_number: str) -> EligibilityResult | None:
        return next((result for result in self.results if result.trace_number == trace_number), None)


@dataclass
class _Person:
    level: str
    trace: str | None = None
    member_id: str | None = None
    last_name: str = ""
    first_name: str = ""
    benefits: list[dict] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    dates: dict[str, str] = field(default_factory=dict)
    has_dependent: bool = False

    @property
    def answered(self) -> bool:
        """A subscriber loop that only introduces its dependents has no answer of its own."""
        return not self.has_dependent or bool(self.trace or self.benefits or self.rejections)


def read_271(document: str, *, service_types: Iterable[str] = RELEVANT_SERVICE_TYPES) -> EligibilityResponse:
    """Every subscriber and dependent in the response; benefit amounts are taken from EB segments
    for the service types given (and from those that name none), in-network first."""
    try:
        segments, component, repetition = split_segments(document)
    except ValueError as error:
        raise X12ReadError(str(error)) from None
    if not any(s[0] == "ST" and len(s) > 1 and s[1] == "271" for s in segments):
        raise X12ReadError("not a 271 eligibility response: no ST*271")
    wanted = frozenset(service_types)
    payer_name, payer_id = "", None
    top_rejections: list[Rejection] = []
    people: list[_Person] = []
    level = ""
    current: _Person | None = None
    benefit: dict | None = None
    in_2120 = False

    for seg in segments:
        tag = seg[0]
        el = (lambda i, s=seg: s[i] if len(s) > i else "")
        if tag == "HL":
            level = el(3)
            benefit, in_2120 = None, False
            if level in ("22", "23"):
                parent = current if level == "23" and current is not None else None
                current = _Person(level)
                if parent is not None:
                    # The dependent's coverage is the subscriber's: same member ID.
                    current.member_id = parent.member_id
                    parent.has_dependent = True
                people.append(current)
            else:
                current = None
        elif tag == "LS":
            in_2120 = True
        elif tag == "LE":
            in_2120 = False
        elif in_2120:
            continue
        elif tag == "TRN" and current is not None and el(1) == "2":
            current.trace = el(2)
        elif tag == "NM1":
            if el(1) == "PR" and level == "20":
                payer_name, payer_id = el(3), el(9) or None
            elif el(1) in ("IL", "03") and current is not None:
                current.last_name, current.first_name = el(3), el(4)
                if el(1) == "IL":
                    current.member_id = el(9) or None
        elif tag == "AAA":
            rejection = _rejection(el(3), el(4), REJECTION_LEVELS.get(level, "request"))
            (current.rejections if current is not None else top_rejections).append(rejection)
        elif tag == "DTP" and current is not None:
            if benefit is not None:
                benefit["dates"].append((el(1), el(3)))
            else:
                current.dates[el(1)] = el(3)
        elif tag == "EB" and current is not None:
            benefit = {"seg": seg, "messages": [], "references": [], "dates": []}
            current.benefits.append(benefit)
        elif tag == "MSG" and benefit is not None:
            benefit["messages"].append(el(1))
        elif tag == "REF" and benefit is not None:
            benefit["references"].append((el(1), el(2)))
        elif tag == "HSD" and benefit is not None and el(1) == "VS":
            benefit["visits"] = el(2)

    results = tuple(_result(person, component, repetition, wanted) for person in people if person.answered)
    return EligibilityResponse(payer_name, payer_id, results, tuple(top_rejections))


def _rejection(reason: str, follow_up: str, level: str) -> Rejection:
    return Rejection(level, reason, REJECT_REASONS.get(reason, f"reason {reason}"), follow_up,
                     FOLLOW_UP_ACTIONS.get(follow_up, f"follow-up {follow_up}"))


def _decimal(value: str) -> Decimal | None:
    try:
        return Decimal(value) if value else None
    except InvalidOperation:
        return None


def _yes_no(value: str) -> bool | None:
    return {"Y": True, "N": False}.get(value)


def _benefit(raw: dict, component: str, repetition: str) -> Benefit:
    seg = raw["seg"]
    el = (lambda i: seg[i] if len(seg) > i else "")
    percent = _decimal(el(8))
    quantity = _decimal(el(10)) if el(10) else _decimal(raw.get("visits", ""))
    qualifier = el(9) or ("VS" if raw.get("visits") else "")
    return Benefit(
        code=el(1), label=ELIGIBILITY_CODES.get(el(1), el(1)), coverage_level=el(2),
        service_types=tuple(code for code in el(3).split(repetition) if code), insurance_type=el(4), plan=el(5),
        time_period=el(6), amount=_decimal(el(7)),
        percent=(percent * 100).normalize() if percent is not None else None,
        quantity_qualifier=qualifier, quantity=quantity, authorisation_required=_yes_no(el(11)),
        in_network=_yes_no(el(12)), messages=tuple(raw["messages"]), references=tuple(raw["references"]),
        dates=tuple(raw["dates"]),
    )


def _applies(benefit: Benefit, wanted: frozenset[str]) -> bool:
    return not benefit.service_types or bool(wanted.intersection(benefit.service_types))


def _pick(benefits: list[Benefit], code: str, *, period: set[str] | None = None, qualifier: set[str] | None = None,
          value: str = "amount") -> Benefit | None:
    """The first matching benefit, in-network (or unstated) ones before out-of-network ones."""
    found = [b for b in benefits if b.code == code and getattr(b, value) is not None
             and (period is None or b.time_period in period)
             and (qualifier is None or b.quantity_qualifier in qualifier)]
    found.sort(key=lambda b: b.in_network is False)
    return found[0] if found else None


def _ccyymmdd(value: str) -> date | None:
    try:
        return datetime.strptime(value[:8], "%Y%m%d").date()
    except ValueError:
        return None


def _result(person: _Person, component: str, repetition: str, wanted: frozenset[str]) -> EligibilityResult:
    benefits = [_benefit(raw, component, repetition) for raw in person.benefits]
    relevant = [b for b in benefits if _applies(b, wanted)]
    codes = {b.code for b in relevant} or {b.code for b in benefits}
    active = True if codes & ACTIVE else (False if codes & INACTIVE else None)
    copay = _pick(relevant, "B")
    coinsurance = _pick(relevant, "A", value="percent")
    deductible = _pick(relevant, "C", period={"29"})
    allowed = _pick(relevant, "F", qualifier={"VS"}, value="quantity", period={"21", "22", "23", "25", "26", "27",
                                                                              "32", "34", "35", ""})
    remaining = _pick(relevant, "F", qualifier={"VS"}, value="quantity", period={"29", "33"})
    used = _pick(relevant, "F", qualifier={"99"}, value="quantity")
    visits_allowed = int(allowed.quantity) if allowed and allowed.quantity is not None else None
    visits_remaining = int(remaining.quantity) if remaining and remaining.quantity is not None else None
    visits_used = int(used.quantity) if used and used.quantity is not None else (
        visits_allowed - visits_remaining if visits_allowed is not None and visits_remaining is not None else None)
    authorisation = [b.authorisation_required for b in relevant if b.authorisation_required is not None]
    numbers = [value for b in relevant for qualifier, value in b.references if qualifier in ("G1", "9F")]
    plan = next((b.plan for b in benefits if b.code in ACTIVE and b.plan), "")
    messages = tuple(message for b in relevant for message in b.messages)
    plan_dates = person.dates.get("291") or person.dates.get("346") or ""
    begins, _, ends = plan_dates.partition("-")
    return EligibilityResult(
        trace_number=person.trace, member_id=person.member_id, last_name=person.last_name,
        first_name=person.first_name, dependent=person.level == "23", active=active, plan=plan,
        copay=copay.amount if copay else None,
        coinsurance_percent=coinsurance.percent if coinsurance else None,
        deductible_remaining=deductible.amount if deductible else None,
        visits_allowed=visits_allowed, visits_used=visits_used, visits_remaining=visits_remaining,
        authorisation_required=any(authorisation) if authorisation else None,
        authorisation_number=numbers[0] if numbers else None,
        plan_begins_on=_ccyymmdd(begins) if begins else None,
        plan_ends_on=_ccyymmdd(ends) if ends else _ccyymmdd(person.dates.get("347", "")),
        benefits=tuple(benefits), rejections=tuple(person.rejections), messages=messages,
    )

"""The claim scrubber: what would get a claim denied or put the practice at risk, in plain words,
each finding with what to fix and where. A claim and the facts around it go in; findings come out.

The first rules keep an MES out of PT billing (Medicare Benefit Policy Manual ch. 15 sec. 230.5):
a line a non-therapist performs goes out only by one of the three routes in standards.billing, and
never with the GP or KX modifier or a PT evaluation code. Those findings cannot be overridden. Any other
error blocks export until someone overrides it with a reason (export_blockers); warnings never do.

Readiness (intake, clearance, consents, contact details) is the chart's one definition in
rules/readiness.py: the scrubber takes its facts and asks that module, never re-checking itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from metpwa.rules import icd10, readiness
from metpwa.rules.billing_identifiers import normalize_payer_id, normalize_tax_id
from metpwa.rules.claim_document import ClaimDocument, Provider, ServiceLine
from metpwa.rules.identifiers import IdentifierError, normalize_member_id, normalize_npi, normalize_zip
from metpwa.rules.units import timed_units
from metpwa.standards.billing import (
    DEFAULT_DISTINCT_SERVICE_MODIFIER,
    MAX_MODIFIERS,
    MEDICARE_CLIENT_PAYS_PRIVATELY,
    MODIFIERS,
    NCCI_MODIFIER_INDICATORS,
    NCCI_PAIRS,
    NON_THERAPY_CODES,
    PT_EVALUATION_CODES,
    ClaimFrequency,
    ClaimRoute,
    NcciPair,
    PayerKind,
    PaymentRoute,
    UnitMethod,
    credential_label,
    may_bill_therapy,
    procedure,
)

# A claim this close to the payer's filing limit is flagged so it goes out first.
FILING_WARNING_DAYS = 14
MAX_DIAGNOSES = 12
MAX_POINTERS = 4

# A symbolic place in the app, turned into a URL by the routes: ("billing.payer", 31).
Target = tuple[str, int | None]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    fix: str
    target: Target
    severity: Severity = Severity.ERROR
    overridable: bool = True
    # The line's control number when the finding is about one line.
    line: str | None = None

    @property
    def key(self) -> str:
        """Stable across runs of the scrubber: what an override record names."""
        return f"{self.code}@{self.line}" if self.line else self.code


@dataclass(frozen=True)
class PayerSettings:
    kind: PayerKind
    route: ClaimRoute
    unit_method: UnitMethod = UnitMethod.CMS_TOTAL_TIME
    accepts_mes: bool = False
    allows_supervised_billing: bool = False
    # The codes the payer takes for an MES's service (route 2 and superbills): a setting, never guessed.
    mes_codes: frozenset[str] = frozenset()
    requires_referral: bool = False
    requires_authorisation: bool = False
    timely_filing_days: int = 365
    ref: int | None = None
    # The modifier the payer wants on the second code of an NCCI pair (59 or XE/XS/XP/XU).
    distinct_service_modifier: str = DEFAULT_DISTINCT_SERVICE_MODIFIER


@dataclass(frozen=True)
class SessionFacts:
    """A signed (or not) session a line bills: its documented minutes and what the note holds."""

    session_id: int
    service_date: date
    signed: bool
    # Documented minutes per timed code (activity minutes mapped through standards.billing.ACTIVITY_CODES).
    timed_minutes: Mapping[str, int] = field(default_factory=dict)
    # The whole session's minutes face to face, for untimed codes with a minimum (0592T, 0593T).
    total_minutes: int = 0
    # NPIs of licensed providers whose supervision of this session is on record for its date.
    supervised_by: frozenset[str] = frozenset()
    # Out-of-scope wording the scope guard found in the note and nobody kept with a reason.
    scope_flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class CoverageFacts:
    effective_on: date | None = None
    expires_on: date | None = None
    ref: int | None = None


@dataclass(frozen=True)
class ReferralFacts:
    referred_on: date
    expires_on: date | None = None
    closed_on: date | None = None
    order_on_file: bool = True
    authorized_visits: int | None = None
    # Visits already billed under this referral before this claim.
    visits_used: int = 0
    ref: int | None = None


@dataclass(frozen=True)
class AuthorisationFacts:
    number: str | None
    starts_on: date | None = None
    ends_on: date | None = None
    visits_authorised: int | None = None
    visits_used: int = 0
    ref: int | None = None


@dataclass(frozen=True)
class EligibilityFacts:
    verified_on: date
    active: bool
    ref: int | None = None


@dataclass(frozen=True)
class ScrubInput:
    claim: ClaimDocument
    payer: PayerSettings
    today: date
    sessions: Mapping[int, SessionFacts] = field(default_factory=dict)
    readiness: readiness.ReadinessFacts | None = None
    coverage: CoverageFacts | None = None
    referral: ReferralFacts | None = None
    authorisation: AuthorisationFacts | None = None
    eligibility: EligibilityFacts | None = None
    # The client's current Plan of Exercise; None when there is none.
    plan: readiness.PlanFact | None = None
    # NCCI procedure-to-procedure edits to check (standards.billing.NCCI_PAIRS; a test passes its own).
    ncci_pairs: tuple[NcciPair, ...] = NCCI_PAIRS


DiagnosisLookup = Callable[[str], "icd10.Icd10Code | None"]


def scrub(facts: ScrubInput, *, lookup_diagnosis: DiagnosisLookup = icd10.lookup) -> list[Finding]:
    """Every finding, route rule first; an empty list means the claim may go."""
    findings: list[Finding] = []
    for rule in (_route_rule, _frequency, _sessions_signed, _chart_ready, _plan_signed, _referral, _authorisation,
                 _coverage_dates, _timely_filing, _eligibility, _identifiers, _codes_and_lines, _ncci, _units):
        findings.extend(rule(facts))
    findings.extend(_diagnoses(facts, lookup_diagnosis))
    return findings


def export_blockers(findings: list[Finding], overrides: Mapping[str, str]) -> list[Finding]:
    """The findings that still stop export. `overrides` maps a finding's key to the reason given;
    a blank reason is no override, and findings that are not overridable always block."""
    blocking = []
    for finding in findings:
        if finding.severity is not Severity.ERROR:
            continue
        if finding.overridable and (overrides.get(finding.key) or "").strip():
            continue
        blocking.append(finding)
    return blocking


def may_export(findings: list[Finding], overrides: Mapping[str, str] | None = None) -> bool:
    return not export_blockers(findings, overrides or {})


# --- The route rule: an MES never bills as a PT ---------------------------------------------------


def _is_therapist(provider: Provider | None) -> bool:
    return provider is not None and may_bill_therapy(provider.credential)


def _who(provider: Provider) -> str:
    return f"{provider.display_name} ({credential_label(provider.credential)})"


def _route_rule(facts: ScrubInput) -> list[Finding]:
    claim = facts.claim
    found = []
    for line in claim.lines:
        performer = claim.performer_for(line)
        rendering = claim.rendering_for(line)
        target_line: Target = ("claims.line", line.ref)
        if performer is None:
            found.append(Finding(
                "route.performer_unknown", f"{line.code} on {line.service_date:%m/%d/%Y}: who performed it is not "
                "recorded, so the app cannot tell whether it may be billed this way.",
                "Link the line to the signed session it bills.", target_line, overridable=False, line=_n(line)))
            continue
        entry = procedure(line.code)
        if entry is not None and entry.coaching_credential_required and not performer.coaching_credential:
            found.append(Finding(
                "route.coaching_credential", f"{line.code} is a health and well-being coaching code; "
                f"{performer.display_name} holds no coaching credential on file.",
                "Record the coaching credential (NBHWC) on the staff member, or bill the session under another "
                "code the payer takes.", ("billing.rendering_provider", performer.ref), overridable=False,
                line=_n(line)))
        if _is_therapist(performer) and _is_therapist(rendering):
            continue
        non_therapist = performer if not _is_therapist(performer) else rendering
        assert non_therapist is not None
        if any(m.strip().upper() == "GP" for m in line.modifiers):
            found.append(Finding(
                "route.gp_modifier", f"{line.code} carries the GP modifier, which says a physical therapist "
                f"furnished it under a PT plan of care; {_who(non_therapist)} performed it.",
                "Remove the GP modifier. An MES's session is never billed as physical therapy.",
                target_line, overridable=False, line=_n(line)))
        if any(m.strip().upper() == "KX" for m in line.modifiers):
            # KX attests that therapy past the year's threshold is medically necessary: a therapist's
            # attestation, so a hand-typed KX on an MES's line is refused as GP is, with no override.
            found.append(Finding(
                "route.kx_modifier", f"{line.code} carries the KX modifier, which says therapy past the year's "
                f"threshold is medically necessary; {_who(non_therapist)} performed it, and an MES's service "
                "is never therapy.", "Remove the KX modifier. Only a licensed provider's therapy line carries it.",
                target_line, overridable=False, line=_n(line)))
        if line.code in PT_EVALUATION_CODES:
            found.append(Finding(
                "route.pt_evaluation", f"{line.code} is a PT evaluation code; {_who(non_therapist)} performed "
                "the service, and only a physical therapist evaluates.",
                "Remove the line. A functional assessment by an MES is not a PT evaluation.",
                target_line, overridable=False, line=_n(line)))
            continue
        problem = _route_problem(facts, line, performer, rendering)
        if problem is not None:
            message, fix, target = problem
            found.append(Finding("route.not_allowed", message, fix, target, overridable=False, line=_n(line)))
    return found


def _route_problem(facts: ScrubInput, line: ServiceLine, performer: Provider,
                   rendering: Provider | None) -> tuple[str, str, Target] | None:
    """None when one of the three routes covers this line; otherwise why none does."""
    payer = facts.payer
    payer_target: Target = ("billing.payer", payer.ref)
    who = _who(performer)
    if payer.kind is PayerKind.MEDICARE:
        return (f"{line.code} on {line.service_date:%m/%d/%Y}: {MEDICARE_CLIENT_PAYS_PRIVATELY}",
                "Void this claim and bill the client as self-pay with a superbill.", payer_target)
    if payer.kind is PayerKind.SELF_PAY or payer.route is ClaimRoute.SUPERBILL:
        if line.code in NON_THERAPY_CODES:
            return None
        return ((f"{line.code} is a therapy code; on a superbill {who}'s session goes out under a code for "
                "exercise or coaching services, never as therapy."),
                "Bill the session as S9451 (or a coaching code when the credential is on file).",
                ("claims.line", line.ref))
    accepts = payer.accepts_mes and line.code in payer.mes_codes
    if payer.kind is PayerKind.MEDICARE_ADVANTAGE:
        if accepts:
            return None
        return ((f"A Medicare Advantage plan pays for {who}'s session only when its supplemental benefits name the "
                f"service (route 2); this plan is not set up to take {line.code} for MES services."),
                ("If the plan's benefits name the service, set the payer up as accepting MES services with the codes "
                "it takes; otherwise the client pays privately."), payer_target)
    if accepts:
        return None
    supervised, why_not = _supervised_route(facts, line, performer, rendering)
    if supervised:
        return None
    reasons = []
    if not payer.accepts_mes:
        reasons.append("the payer is not set up as accepting MES services")
    elif line.code not in payer.mes_codes:
        reasons.append(f"the payer takes MES services, but not under {line.code}")
    reasons.append(why_not)
    return ((f"{line.code} on {line.service_date:%m/%d/%Y} was performed by {who}, and no route covers it: "
            f"{'; '.join(reasons)}."),
            ("Use a route the payer allows: the payer's MES setting and codes, or a licensed provider who renders and "
            "supervises with supervision on record for that date; otherwise bill the client as self-pay."),
            payer_target)


def _supervised_route(facts: ScrubInput, line: ServiceLine, performer: Provider,
                      rendering: Provider | None) -> tuple[bool, str]:
    payer = facts.payer
    if not payer.allows_supervised_billing:
        return False, "the payer does not allow billing under a licensed supervising provider"
    if rendering is None or not _is_therapist(rendering) or rendering is performer or (
            rendering.npi and rendering.npi == performer.npi):
        return False, "the rendering provider is not a licensed provider who may bill the service"
    if not rendering.licence_number:
        return False, f"{rendering.display_name}'s licence is not on file"
    if rendering.licence_expires_on is not None and rendering.licence_expires_on < line.service_date:
        return False, f"{rendering.display_name}'s licence expired on {rendering.licence_expires_on:%m/%d/%Y}"
    session = facts.sessions.get(line.session_id) if line.session_id is not None else None
    if session is None or (rendering.npi or "") not in session.supervised_by:
        return False, f"no supervision by {rendering.display_name} is on record for {line.service_date:%m/%d/%Y}"
    return True, ""


def _n(line: ServiceLine) -> str:
    return line.line_control_number


# --- The claim and its lines ----------------------------------------------------------------------


def _frequency(facts: ScrubInput) -> list[Finding]:
    claim = facts.claim
    if claim.frequency is not ClaimFrequency.ORIGINAL and not (claim.original_reference or "").strip():
        return [Finding("claim.original_reference", f"A {claim.frequency.label.lower()} must name the payer's "
                        "claim number of the claim it corrects.", "Enter the payer's claim number from the "
                        "remittance or the payer's portal.", ("claims.claim", claim.ref), overridable=False)]
    return []


def _sessions_signed(facts: ScrubInput) -> list[Finding]:
    found = []
    for line in facts.claim.lines:
        session = facts.sessions.get(line.session_id) if line.session_id is not None else None
        if session is None:
            found.append(Finding("session.missing", f"{line.code} on {line.service_date:%m/%d/%Y} is not linked to a "
                                 "documented session.", "Link the line to the signed session it bills.",
                                 ("claims.line", line.ref), line=_n(line)))
        elif not session.signed:
            found.append(Finding("session.unsigned", f"The session of {session.service_date:%m/%d/%Y} is not signed.",
                                 "Sign the session note before billing it.", ("sessions.session", session.session_id),
                                 line=_n(line)))
        elif session.service_date != line.service_date:
            found.append(Finding("session.date", f"{line.code} is dated {line.service_date:%m/%d/%Y}, but its session "
                                 f"took place on {session.service_date:%m/%d/%Y}.", "Use the session's date.",
                                 ("claims.line", line.ref), line=_n(line)))
        if session is not None and session.scope_flags:
            wording = ", ".join(f"\u201c{term}\u201d" for term in session.scope_flags)
            found.append(Finding("note.scope", f"The note of {session.service_date:%m/%d/%Y} uses wording outside an "
                                 f"MES's scope: {wording}.", "Reword the note as function (an addendum), or keep "
                                 "the wording with a reason.", ("sessions.session", session.session_id),
                                 line=_n(line)))
    return _unique(found)


# Readiness items a claim depends on; the referral and coverage have rules of their own here,
# judged on the dates of service rather than today.
_READINESS_KEYS = ("demographics", "intake", "clearance")


def _chart_ready(facts: ScrubInput) -> list[Finding]:
    if facts.readiness is None:
        return [Finding("chart.unknown", "The client's chart readiness was not checked.",
                        "Open the client's chart.", ("clients.chart", facts.claim.client_ref))]
    found = []
    for item in readiness.blockers(facts.readiness):
        if item.key in _READINESS_KEYS or item.key.startswith("consent:"):
            found.append(Finding(f"chart.{item.key}", f"{item.label}: {item.detail}",
                                 "Complete it on the client's chart.", ("clients.chart", facts.claim.client_ref)))
    return found


def _plan_signed(facts: ScrubInput) -> list[Finding]:
    """Sessions are billed against a Plan of Exercise a trainer or owner signed (issue 16): an unsigned
    version is a draft, whoever saved it."""
    client = facts.claim.client_ref
    if facts.plan is None:
        return [Finding("plan.missing", "The client has no Plan of Exercise.",
                        "Write the Plan of Exercise and sign it before billing.", ("plans.edit", client),
                        overridable=False)]
    if not facts.plan.signed:
        return [Finding("plan.unsigned", f"Version {facts.plan.version} of the Plan of Exercise is not signed.",
                        "Sign the current version on the client's plan page.", ("plans.sign", client),
                        overridable=False)]
    return []


def _service_dates(facts: ScrubInput) -> list[date]:
    return sorted({line.service_date for line in facts.claim.lines})


def _insured(facts: ScrubInput) -> bool:
    return facts.payer.kind is not PayerKind.SELF_PAY and facts.payer.route is not ClaimRoute.SUPERBILL


def _referral(facts: ScrubInput) -> list[Finding]:
    referral = facts.referral
    client = ("clients.referrals", facts.claim.client_ref)
    if referral is None:
        if facts.payer.requires_referral:
            return [Finding("referral.missing", "This payer requires a referral, and none is recorded.",
                            "Record the referring provider's order.", client)]
        return []
    target: Target = ("clients.referral", referral.ref)
    found = []
    for day in _service_dates(facts):
        if day < referral.referred_on:
            found.append(Finding("referral.not_started", f"The session of {day:%m/%d/%Y} is before the referral of "
                                 f"{referral.referred_on:%m/%d/%Y}.", "Bill only sessions under the referral.", target))
        elif referral.expires_on is not None and day > referral.expires_on:
            found.append(Finding("referral.expired", f"The referral expired on {referral.expires_on:%m/%d/%Y}, before "
                                 f"the session of {day:%m/%d/%Y}.", "Ask the referring provider for a new order.",
                                 target))
        elif referral.closed_on is not None and day > referral.closed_on:
            found.append(Finding("referral.closed", f"The referral was closed on {referral.closed_on:%m/%d/%Y}, "
                                 f"before the session of {day:%m/%d/%Y}.", "Bill under the referral in force.", target))
    if not referral.order_on_file:
        found.append(Finding("referral.order", "The referral's order or prescription is not on file.",
                             "Upload the signed order.", target))
    if referral.authorized_visits is not None:
        visits = len(_service_dates(facts))
        if referral.visits_used + visits > referral.authorized_visits:
            found.append(Finding("referral.visits", f"The referral allows {referral.authorized_visits} visits; "
                                 f"{referral.visits_used} are billed and this claim adds {visits}.",
                                 "Ask the referring provider for more visits.", target))
    return _unique(found)


def _authorisation(facts: ScrubInput) -> list[Finding]:
    auth = facts.authorisation
    coverage_target: Target = ("clients.coverage", facts.coverage.ref if facts.coverage else None)
    if auth is None or not (auth.number or "").strip():
        if facts.payer.requires_authorisation:
            return [Finding("authorisation.missing", "This payer requires prior authorisation, and no authorisation "
                            "number is recorded.", "Get the authorisation from the payer and record its number, "
                            "dates and visits.", coverage_target)]
        return []
    target: Target = ("clients.authorisation", auth.ref)
    found = []
    for day in _service_dates(facts):
        if (auth.starts_on and day < auth.starts_on) or (auth.ends_on and day > auth.ends_on):
            found.append(Finding("authorisation.dates", f"The session of {day:%m/%d/%Y} falls outside authorisation "
                                 f"{auth.number}.", "Get the authorisation extended or a new one.", target))
    if auth.visits_authorised is not None:
        visits = len(_service_dates(facts))
        if auth.visits_used + visits > auth.visits_authorised:
            found.append(Finding("authorisation.visits", f"Authorisation {auth.number} allows {auth.visits_authorised}"
                                 f" visits; {auth.visits_used} are used and this claim adds {visits}.",
                                 "Ask the payer for more visits.", target))
    return found


def _coverage_dates(facts: ScrubInput) -> list[Finding]:
    if not _insured(facts):
        return []
    coverage = facts.coverage
    if coverage is None:
        return [Finding("coverage.missing", "No insurance coverage is linked to this claim.",
                        "Record the client's coverage.", ("clients.chart", facts.claim.client_ref))]
    found = []
    for day in _service_dates(facts):
        if (coverage.effective_on and day < coverage.effective_on) or (coverage.expires_on and day > coverage.expires_on):
            found.append(Finding("coverage.dates", f"The session of {day:%m/%d/%Y} is outside the coverage dates.",
                                 "Check the coverage dates, or bill the plan in force that day.",
                                 ("clients.coverage", coverage.ref)))
    return found


def _timely_filing(facts: ScrubInput) -> list[Finding]:
    if not _insured(facts) or not facts.claim.lines:
        return []
    first = _service_dates(facts)[0]
    deadline = first + timedelta(days=facts.payer.timely_filing_days)
    target: Target = ("claims.claim", facts.claim.ref)
    if facts.today > deadline:
        return [Finding("filing.late", f"The payer's filing limit for the session of {first:%m/%d/%Y} passed on "
                        f"{deadline:%m/%d/%Y}.", "Send it only with proof of an earlier timely submission.", target)]
    if (deadline - facts.today).days <= FILING_WARNING_DAYS:
        return [Finding("filing.soon", f"The payer's filing limit for the session of {first:%m/%d/%Y} is "
                        f"{deadline:%m/%d/%Y}.", "Send this claim first.", target, severity=Severity.WARNING)]
    return []


def _eligibility(facts: ScrubInput) -> list[Finding]:
    if not _insured(facts):
        return []
    target: Target = ("billing.eligibility", facts.coverage.ref if facts.coverage else None)
    check = facts.eligibility
    first = _service_dates(facts)[0] if facts.claim.lines else facts.today
    if check is None:
        return [Finding("eligibility.unverified", "The client's eligibility with this payer has not been verified.",
                        "Verify eligibility (270/271 or the payer's portal) and record it.", target)]
    if not check.active:
        return [Finding("eligibility.inactive", f"The eligibility check of {check.verified_on:%m/%d/%Y} found the "
                        "coverage inactive.", "Verify again, or bill the client or another plan.", target)]
    if check.verified_on > first:
        return [Finding("eligibility.late", f"Eligibility was verified on {check.verified_on:%m/%d/%Y}, after the "
                        f"first billed session ({first:%m/%d/%Y}).", "Verify eligibility before the first billed "
                        "session; override with the reason if the payer confirms it for that date.", target)]
    return []


def _identifiers(facts: ScrubInput) -> list[Finding]:
    claim, payer = facts.claim, facts.payer
    billing = claim.billing_provider
    billing_target: Target = ("billing.provider", billing.ref)
    found = []

    def check(code: str, what: str, target: Target, call: Callable[[], object]) -> None:
        try:
            call()
        except IdentifierError as error:
            found.append(Finding(code, f"{what}: {error.message}", "Correct it where it is recorded.", target))

    check("id.billing_npi", "The billing provider's NPI", billing_target, lambda: normalize_npi(billing.npi))
    check("id.tax_id", "The billing provider's tax ID", billing_target,
          lambda: normalize_tax_id(billing.tax_id, billing.tax_id_kind))
    if payer.route is ClaimRoute.X12_837P:
        def zip_plus_four() -> None:
            if len(normalize_zip(billing.address.postal_code).replace("-", "")) != 9:
                raise IdentifierError("zip", "An electronic claim needs the billing address's full ZIP+4.")
        check("id.billing_zip", "The billing provider's ZIP code", billing_target, zip_plus_four)
    seen: set[tuple] = set()
    for line in claim.lines:
        rendering = claim.rendering_for(line)
        if rendering is not None and (rendering.ref, rendering.npi) not in seen:
            seen.add((rendering.ref, rendering.npi))
            check("id.rendering_npi", f"{rendering.display_name}'s NPI",
                  ("billing.rendering_provider", rendering.ref), lambda r=rendering: normalize_npi(r.npi or ""))
    if claim.referring is not None:
        check("id.referring_npi", f"The referring provider {claim.referring.display_name}'s NPI",
              ("referrals.provider", claim.referring.ref), lambda: normalize_npi(claim.referring.npi or ""))
    elif payer.requires_referral:
        found.append(Finding("id.referring_missing", "This payer requires the referring provider on the claim.",
                             "Link the claim to the referral.", ("clients.referrals", claim.client_ref)))
    if _insured(facts):
        coverage_target: Target = ("clients.coverage", facts.coverage.ref if facts.coverage else None)
        check("id.member_id", "The member ID", coverage_target,
              lambda: normalize_member_id(claim.subscriber.member_id, payer.kind.value))
        if payer.route is ClaimRoute.X12_837P:
            check("id.payer_id", "The payer ID", ("billing.payer", payer.ref),
                  lambda: normalize_payer_id(claim.payer.payer_id or ""))
    return found


def _codes_and_lines(facts: ScrubInput) -> list[Finding]:
    claim = facts.claim
    found = []
    if not claim.lines:
        found.append(Finding("claim.no_lines", "The claim has no service lines.", "Add the sessions it bills.",
                             ("claims.claim", claim.ref), overridable=False))
    for line in claim.lines:
        target: Target = ("claims.line", line.ref)
        entry = procedure(line.code)
        if entry is None:
            found.append(Finding("code.unknown", f"{line.code} is not a code this practice bills.",
                                 "Use one of the codes in the billing set-up.", target, line=_n(line)))
        unknown = [m for m in line.modifiers if m.strip().upper() not in MODIFIERS]
        if unknown:
            found.append(Finding("code.modifier", f"Unknown modifier {', '.join(unknown)} on {line.code}.",
                                 "Remove it or use GP, KX, 59, XE, XS, XP or XU where they apply.", target,
                                 line=_n(line)))
        if len(line.modifiers) > MAX_MODIFIERS:
            found.append(Finding("code.modifiers", f"{line.code} has more than {MAX_MODIFIERS} modifiers.",
                                 "Keep the four that matter.", target, overridable=False, line=_n(line)))
        if line.units < 1:
            found.append(Finding("units.none", f"{line.code} has {line.units} units.", "Remove the line or fix its "
                                 "units.", target, overridable=False, line=_n(line)))
        if line.charge <= 0:
            found.append(Finding("charge.none", f"{line.code} has no charge.", "Set the fee for the code in the fee "
                                 "schedule.", ("billing.fees", None), line=_n(line)))
    return found


def _distinct_modifiers(line: ServiceLine) -> list[str]:
    return [m.strip().upper() for m in line.modifiers if (entry := MODIFIERS.get(m.strip().upper())) is not None
            and entry.distinct_service]


def _ncci(facts: ScrubInput) -> list[Finding]:
    """NCCI procedure-to-procedure edits, date by date (an edit pairs two codes on one date of service):
    a verified pair with indicator 1 needs a distinct-service modifier on its column 2 code, one with
    indicator 0 cannot be paid both ways; a pair not verified against CMS's table is shown, never
    acted on. A distinct-service modifier other than the one the payer asks for is explained."""
    wanted = facts.payer.distinct_service_modifier
    by_day: dict[date, dict[str, ServiceLine]] = defaultdict(dict)
    found = []
    for line in facts.claim.lines:
        by_day[line.service_date].setdefault(line.code, line)
        other = [m for m in _distinct_modifiers(line) if m != wanted]
        if other:
            found.append(Finding(
                "code.distinct_modifier", f"{line.code} carries {', '.join(other)}; this payer asks for {wanted} "
                "to say a service was distinct.", f"Use {wanted} (the payer's setting), or change the setting if "
                "the payer now asks for another.", ("billing.payer", facts.payer.ref), severity=Severity.WARNING,
                line=_n(line)))
    for day, codes in sorted(by_day.items()):
        for pair in facts.ncci_pairs:
            first, second = codes.get(pair.column1), codes.get(pair.column2)
            if first is None or second is None:
                continue
            target: Target = ("claims.line", second.ref)
            named = f"{pair.column1} and {pair.column2} on {day:%m/%d/%Y}"
            if not pair.verified:
                found.append(Finding(
                    "code.ncci_unverified", f"{named} are reported as an NCCI pair ({pair.source}), not checked "
                    "against CMS's current table, so no modifier was added for it.",
                    f"Look the pair up in this quarter's CMS NCCI PTP table for practitioners; if it stands and the "
                    f"services were distinct, {pair.column2} takes the payer's modifier ({wanted}).", target,
                    severity=Severity.WARNING, line=_n(second)))
            elif pair.modifier_indicator == "0":
                found.append(Finding(
                    "code.ncci_exclusive", f"{named} are an NCCI pair with modifier indicator 0 ({pair.version}): "
                    f"{NCCI_MODIFIER_INDICATORS['0']}, and {pair.column2} would be denied.",
                    f"Remove {pair.column2}, or bill it on the date it was really done.", target, line=_n(second)))
            elif pair.modifier_indicator == "1" and not _distinct_modifiers(second):
                found.append(Finding(
                    "code.ncci_modifier", f"{named} are an NCCI pair ({pair.version}, modifier indicator 1): "
                    f"{pair.column2} is denied without a distinct-service modifier.",
                    f"If the services were distinct (separate time, area or encounter, documented), rebuild the "
                    f"claim so {pair.column2} carries {wanted}; otherwise remove it.", target, line=_n(second)))
    return found


def _units(facts: ScrubInput) -> list[Finding]:
    """Units match the documented minutes by the payer's method; a lone timed service under 8
    minutes is not billed; untimed codes are one unit per session."""
    claim = facts.claim
    found = []
    by_day: dict[date, list[ServiceLine]] = defaultdict(list)
    for line in claim.lines:
        if line.session_id is not None and line.session_id in facts.sessions:
            by_day[line.service_date].append(line)
    for day, lines in sorted(by_day.items()):
        sessions = {line.session_id: facts.sessions[line.session_id] for line in lines}
        minutes: dict[str, int] = defaultdict(int)
        for session in sessions.values():
            for code, value in session.timed_minutes.items():
                minutes[code] += value
        expected = timed_units(dict(minutes), facts.payer.unit_method)
        billed: dict[str, int] = defaultdict(int)
        first_line: dict[str, ServiceLine] = {}
        for line in lines:
            billed[line.code] += line.units
            first_line.setdefault(line.code, line)
        for code, line in first_line.items():
            entry = procedure(code)
            target: Target = ("sessions.session", line.session_id)
            if entry is None:
                continue
            if not entry.timed:
                sessions_with_code = len({ln.session_id for ln in lines if ln.code == code})
                if billed[code] != sessions_with_code:
                    found.append(Finding("units.untimed", f"{code} is billed per session: {sessions_with_code} "
                                         f"on {day:%m/%d/%Y}, not {billed[code]} units.",
                                         "Bill one unit per session.", ("claims.line", line.ref), line=_n(line)))
                short = [s for s in sessions.values() if s.total_minutes < entry.minimum_minutes]
                if entry.minimum_minutes and short:
                    found.append(Finding("units.minimum_time", f"{code} needs at least {entry.minimum_minutes} "
                                         f"minutes; the session of {day:%m/%d/%Y} documents {short[0].total_minutes}.",
                                         "Bill the code only for a session that long.", target, line=_n(line)))
                continue
            documented = minutes.get(code, 0)
            allowed = expected.units_for(code)
            if allowed == billed[code]:
                continue
            lone = len([m for m in minutes.values() if m > 0]) == 1
            if allowed == 0 and 0 < documented < 8 and (lone or facts.payer.unit_method is UnitMethod.SUBSTANTIAL_PORTION):
                found.append(Finding("units.under_8", f"{code} on {day:%m/%d/%Y} has {documented} documented minutes: "
                                     "a timed service under 8 minutes is not billed.", "Remove the line.", target,
                                     line=_n(line)))
            else:
                method = facts.payer.unit_method.label
                found.append(Finding("units.mismatch", f"{code} on {day:%m/%d/%Y} bills {billed[code]} units; the "
                                     f"documented minutes ({documented} of {expected.total_timed_minutes} timed) give "
                                     f"{allowed} ({method}).", f"Bill {allowed} units, or correct the minutes on the "
                                     "session with an addendum.", target, line=_n(line)))
        for code, documented in sorted(minutes.items()):
            if code not in billed and expected.units_for(code) > 0 and _route_bills(facts, lines[0], code):
                found.append(Finding("units.unbilled", f"{documented} documented minutes of {code} on {day:%m/%d/%Y} "
                                     f"earn {expected.units_for(code)} units the claim does not bill.",
                                     "Add the line, or check the minutes.", ("claims.claim", claim.ref),
                                     severity=Severity.WARNING))
    return found


def _route_bills(facts: ScrubInput, line: ServiceLine, code: str) -> bool:
    """Whether the claim's route could bill this timed code at all (rules/claim_coding.py): a superbill
    never carries therapy codes, and a payer that accepts MES services takes only the codes it lists."""
    if _is_therapist(facts.claim.performer_for(line)):
        return True
    payer = facts.payer
    if payer.kind is PayerKind.SELF_PAY or payer.route is ClaimRoute.SUPERBILL:
        return False
    return code in payer.mes_codes if payer.accepts_mes and payer.mes_codes else True


def _diagnoses(facts: ScrubInput, lookup_diagnosis: DiagnosisLookup) -> list[Finding]:
    claim = facts.claim
    target: Target = ("clients.referral", facts.referral.ref if facts.referral else None)
    found = []
    if not claim.diagnoses:
        return [Finding("diagnosis.missing", "The claim has no diagnosis code.", "Record the diagnosis codes from the "
                        "referring provider's order.", target, overridable=False)]
    if len(claim.diagnoses) > MAX_DIAGNOSES:
        found.append(Finding("diagnosis.too_many", f"A claim carries at most {MAX_DIAGNOSES} diagnosis codes.",
                             "Keep the codes the lines point at.", ("claims.claim", claim.ref), overridable=False))
    for code in claim.diagnoses:
        entry = lookup_diagnosis(code)
        if entry is None:
            found.append(Finding("diagnosis.unknown", f"{code} is not an ICD-10-CM code.", "Check the order for a typo "
                                 "and correct the referral's code.", target, overridable=False))
        elif not entry.billable:
            found.append(Finding("diagnosis.not_billable", f"{entry.code} is a heading, not a billable code.",
                                 "Ask the referring provider for the full code.", target, overridable=False))
    for line in claim.lines:
        pointers = line.diagnosis_pointers
        if not pointers or len(pointers) > MAX_POINTERS or any(not 1 <= p <= len(claim.diagnoses) for p in pointers):
            found.append(Finding("diagnosis.pointer", f"{line.code} must point at 1 to {MAX_POINTERS} of the claim's "
                                 "diagnoses.", "Fix the line's diagnosis pointers.", ("claims.line", line.ref),
                                 overridable=False, line=_n(line)))
    return found


def _unique(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, str]] = set()
    unique = []
    for finding in findings:
        marker = (finding.code, finding.message)
        if marker not in seen:
            seen.add(marker)
            unique.append(finding)
    return unique


def payment_route(facts: ScrubInput, line: ServiceLine) -> PaymentRoute | None:
    """The route that covers a line a non-therapist performs, or None when no route does (the
    claim builder asks this; the scrubber says why). A line a therapist performs and renders needs
    no route: None too, with nothing to fix."""
    performer = facts.claim.performer_for(line)
    rendering = facts.claim.rendering_for(line)
    if performer is None or line.code in PT_EVALUATION_CODES:
        return None
    if (_is_therapist(performer) and _is_therapist(rendering)) or _route_problem(facts, line, performer, rendering):
        return None
    payer = facts.payer
    if payer.kind is PayerKind.SELF_PAY or payer.route is ClaimRoute.SUPERBILL:
        return PaymentRoute.SELF_PAY
    if payer.accepts_mes and line.code in payer.mes_codes:
        return PaymentRoute.PAYER_ACCEPTS_MES
    return PaymentRoute.LICENSED_SUPERVISOR


__all__ = [
    "AuthorisationFacts",
    "CoverageFacts",
    "EligibilityFacts",
    "Finding",
    "PayerSettings",
    "PaymentRoute",
    "ReferralFacts",
    "ScrubInput",
    "SessionFacts",
    "Severity",
    "export_blockers",
    "may_export",
    "payment_route",
    "scrub",
]

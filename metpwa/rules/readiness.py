"""Readiness, one definition for the chart, the owner's dashboard and the claim scrubber: the chart's
checklist before a client's first session, each client's evidence chain for an audit or a claim,
and the practice's twelve core elements. Every check is a plain function over a facts dataclass
that returns items (key, label, done, detail, and where it is fixed)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from metpwa.rules.credentials import HeldCredential, add_months, expiry
from metpwa.rules.fixes import Target
from metpwa.rules.reports import Due
from metpwa.rules.training import HipaaDue, HipaaState
from metpwa.standards.core_elements import BY_ELEMENT, CORE_ELEMENTS, CoreElement, Element
from metpwa.standards.credentials import SigningRequirement
from metpwa.standards.training import TrainingTopic

# An outcome measure repeated at least this often once sessions have started (issue 19).
OUTCOME_WITHIN_DAYS = 30

# The practice's defaults for its own upkeep. HIPAA asks for a data backup plan (45 CFR
# 164.308(a)(7)(ii)(A), required), testing it (164.308(a)(7)(ii)(D), addressable) and review of
# system activity and audit records (164.308(a)(1)(ii)(D), 164.312(b)) without saying how often:
# these intervals are practice policy.
BACKUP_MAX_AGE_DAYS = 2
RESTORE_TEST_DAYS = 90
AUDIT_VERIFY_DAYS = 30
# Documentation, assessment and emergency training at least this often (practice policy; the seed's
# element 10 asks for "regular" sessions).
TOPIC_TRAINING_MONTHS = 12
TOPICS_KEPT_UP = (TrainingTopic.DOCUMENTATION, TrainingTopic.ASSESSMENT, TrainingTopic.EMERGENCY)


def _day(value: date) -> str:
    return f"{value:%b} {value.day}, {value.year}"


@dataclass(frozen=True)
class ReadinessItem:
    key: str
    label: str
    done: bool
    detail: str = ""
    fix: Target | None = None
    # Done, but coming due: amber on the dashboard (a credential lapsing within 60 days).
    soon: bool = False


# --- The chart: what must be on file before the first session ---------------------------------------


@dataclass(frozen=True)
class ConsentFact:
    key: str
    title: str
    signed_current: bool
    signed_older_version: bool


@dataclass(frozen=True)
class ReadinessFacts:
    demographics_complete: bool
    emergency_contact: bool
    coverage: bool
    self_pay: bool
    referral: bool
    referral_order_on_file: bool
    referral_expires_on: date | None
    intake_complete: bool
    intake_started: bool
    clearance_required: bool
    clearance_recorded: bool
    consents: tuple[ConsentFact, ...]
    today: date
    # The client's id, for the fix targets; None leaves them without an id.
    client_ref: int | None = None


def _fix(facts: ReadinessFacts, name: str) -> Target:
    return (name, facts.client_ref)


def demographics_item(facts: ReadinessFacts) -> ReadinessItem:
    return ReadinessItem("demographics", "Name, birth date, sex and a phone or email", facts.demographics_complete,
                         "" if facts.demographics_complete else "Contact details are incomplete.",
                         _fix(facts, "clients.edit"))


def emergency_contact_item(facts: ReadinessFacts) -> ReadinessItem:
    return ReadinessItem("emergency_contact", "Emergency contact", facts.emergency_contact,
                         "" if facts.emergency_contact else "No emergency contact on file.",
                         _fix(facts, "clients.emergency_contacts"))


def coverage_item(facts: ReadinessFacts) -> ReadinessItem:
    return ReadinessItem(
        "coverage", "Insurance (or self-pay)", facts.coverage or facts.self_pay,
        "Self-pay" if facts.self_pay and not facts.coverage else
        ("" if facts.coverage else "No insurance plan and not marked self-pay."),
        _fix(facts, "clients.coverage"),
    )


def referral_item(facts: ReadinessFacts) -> ReadinessItem:
    label = "Referral and order"
    if not facts.referral:
        return ReadinessItem("referral", label, False, "No referral recorded.", _fix(facts, "referrals.new"))
    if facts.referral_expires_on is not None and facts.referral_expires_on < facts.today:
        return ReadinessItem("referral", label, False, f"The referral expired on {facts.referral_expires_on:%b} "
                                                       f"{facts.referral_expires_on.day}, {facts.referral_expires_on.year}.",
                             _fix(facts, "referrals.new"))
    if not facts.referral_order_on_file:
        return ReadinessItem("referral", label, False, "The order or prescription document is not on file.",
                             _fix(facts, "referrals.order"))
    return ReadinessItem("referral", label, True, fix=_fix(facts, "referrals.new"))


def intake_item(facts: ReadinessFacts) -> ReadinessItem:
    return ReadinessItem(
        "intake", "Health-history intake", facts.intake_complete,
        "" if facts.intake_complete else ("Started, not finished." if facts.intake_started else "Not started."),
        _fix(facts, "intake.form"),
    )


def clearance_items(facts: ReadinessFacts) -> list[ReadinessItem]:
    """Medical clearance, only when the intake answers call for it."""
    if not facts.clearance_required:
        return []
    return [ReadinessItem(
        "clearance", "Medical clearance", facts.clearance_recorded,
        "" if facts.clearance_recorded else "The intake answers call for a provider's clearance before exercise.",
        _fix(facts, "referrals.clearance"),
    )]


def consent_items(facts: ReadinessFacts) -> list[ReadinessItem]:
    items = []
    for consent in facts.consents:
        detail = ""
        if not consent.signed_current:
            detail = ("Signed an older version: the current version needs a signature."
                      if consent.signed_older_version else "Not signed.")
        items.append(ReadinessItem(f"consent:{consent.key}", consent.title, consent.signed_current, detail,
                                   _fix(facts, "consents.sign")))
    return items


def checklist(facts: ReadinessFacts) -> list[ReadinessItem]:
    """Every item in chart order; a missing one says in a few words what is missing."""
    return [
        demographics_item(facts), emergency_contact_item(facts), coverage_item(facts), referral_item(facts),
        intake_item(facts), *clearance_items(facts), *consent_items(facts),
    ]


def blockers(facts: ReadinessFacts) -> list[ReadinessItem]:
    return [item for item in checklist(facts) if not item.done]


def may_start_sessions(facts: ReadinessFacts) -> bool:
    """Sessions wait for a complete chart; clearance, when asked for, above all."""
    return not blockers(facts)


# --- The evidence chain: what an audit or a claim asks of a client's record -------------------------


@dataclass(frozen=True)
class AuthorisationFact:
    """The payer's authorisation for the current referral, when the payer asks for one."""

    required: bool
    number: str | None = None
    ends_on: date | None = None
    visits_authorised: int | None = None
    visits_used: int = 0


@dataclass(frozen=True)
class PlanFact:
    """The current Plan of Exercise."""

    version: int
    measurable_goals: int
    signed: bool = False
    review_on: date | None = None


@dataclass(frozen=True)
class EvidenceFacts:
    chart: ReadinessFacts
    baseline_assessment_on: date | None = None
    baseline_assessment_signed: bool = False
    plan: PlanFact | None = None
    # A plan counts once a trainer or owner has signed its current version (issue 16); False only for
    # plans brought in from paper that the practice judges on their own.
    plan_signing_required: bool = True
    first_session_on: date | None = None
    sessions_signed: int = 0
    sessions_unsigned: int = 0
    oldest_unsigned_on: date | None = None
    last_outcome_on: date | None = None
    # rules.reports.report_due for the client today; None when no report is due.
    report_due: Due | None = None
    last_report_sent_on: date | None = None
    authorisation: AuthorisationFact | None = None
    eligibility_verified_on: date | None = None
    eligibility_active: bool | None = None
    # Claims for this client that the scrubber holds back, the payer rejected, or the payer denied.
    claims_with_findings: int = 0
    claims_rejected: int = 0
    claims_denied: int = 0

    @property
    def today(self) -> date:
        return self.chart.today

    @property
    def client_ref(self) -> int | None:
        return self.chart.client_ref


def _efix(facts: EvidenceFacts, name: str) -> Target:
    return (name, facts.client_ref)


def authorisation_item(facts: EvidenceFacts) -> ReadinessItem:
    label = "Authorisation"
    auth = facts.authorisation
    fix = _efix(facts, "referrals.authorisation")
    if auth is None or not auth.required:
        return ReadinessItem("authorisation", label, True, "Not required by the payer.", fix)
    if not auth.number:
        return ReadinessItem("authorisation", label, False, "The payer requires an authorisation: none on file.", fix)
    if auth.ends_on is not None and auth.ends_on < facts.today:
        return ReadinessItem("authorisation", label, False, f"Authorisation {auth.number} ended on "
                                                            f"{_day(auth.ends_on)}.", fix)
    if auth.visits_authorised is not None and auth.visits_used >= auth.visits_authorised:
        return ReadinessItem("authorisation", label, False, f"All {auth.visits_authorised} authorised visits are "
                                                            "used.", fix)
    left = "" if auth.visits_authorised is None else f"; {auth.visits_authorised - auth.visits_used} visits left"
    return ReadinessItem("authorisation", label, True, f"Authorisation {auth.number}{left}.", fix)


def baseline_assessment_item(facts: EvidenceFacts) -> ReadinessItem:
    label = "Baseline assessment"
    if facts.baseline_assessment_on is None:
        return ReadinessItem("baseline_assessment", label, False, "No baseline assessment.",
                             _efix(facts, "assessments.new"))
    if not facts.baseline_assessment_signed:
        return ReadinessItem("baseline_assessment", label, False, f"Done on {_day(facts.baseline_assessment_on)}, "
                             "not signed.", _efix(facts, "assessments.unsigned"))
    return ReadinessItem("baseline_assessment", label, True, f"Signed, {_day(facts.baseline_assessment_on)}.",
                         _efix(facts, "assessments.new"))


def plan_item(facts: EvidenceFacts) -> ReadinessItem:
    label = "Plan of Exercise with measurable goals"
    plan = facts.plan
    fix = _efix(facts, "plans.edit")
    if plan is None:
        return ReadinessItem("plan", label, False, "No Plan of Exercise.", fix)
    if plan.measurable_goals == 0:
        return ReadinessItem("plan", label, False, f"Version {plan.version} has no measurable goals.", fix)
    if facts.plan_signing_required and not plan.signed:
        return ReadinessItem("plan", label, False, f"Version {plan.version} is not signed.",
                             _efix(facts, "plans.sign"))
    if plan.review_on is not None and plan.review_on < facts.today:
        return ReadinessItem("plan", label, True, f"Version {plan.version}: its review date, "
                             f"{_day(plan.review_on)}, has passed.", fix, soon=True)
    goals = "goal" if plan.measurable_goals == 1 else "goals"
    return ReadinessItem("plan", label, True, f"Version {plan.version}, {plan.measurable_goals} measurable {goals}.",
                         fix)


def signed_notes_item(facts: EvidenceFacts) -> ReadinessItem:
    label = "Every session note signed"
    fix = _efix(facts, "sessions.unsigned")
    if facts.sessions_unsigned:
        oldest = f", the oldest from {_day(facts.oldest_unsigned_on)}" if facts.oldest_unsigned_on else ""
        count = "1 session is" if facts.sessions_unsigned == 1 else f"{facts.sessions_unsigned} sessions are"
        return ReadinessItem("signed_notes", label, False, f"{count} not signed{oldest}.", fix)
    if not facts.sessions_signed:
        return ReadinessItem("signed_notes", label, True, "No sessions yet.", fix)
    return ReadinessItem("signed_notes", label, True, f"All {facts.sessions_signed} signed.", fix)


def outcome_recent_item(facts: EvidenceFacts) -> ReadinessItem:
    label = f"An outcome measure in the last {OUTCOME_WITHIN_DAYS} days"
    fix = _efix(facts, "measures.client")
    if facts.first_session_on is None:
        return ReadinessItem("outcome_recent", label, True, "Sessions have not started.", fix)
    if facts.last_outcome_on is None:
        return ReadinessItem("outcome_recent", label, False, "No outcome measure on record.", fix)
    age = (facts.today - facts.last_outcome_on).days
    if age > OUTCOME_WITHIN_DAYS:
        return ReadinessItem("outcome_recent", label, False, f"The last was {age} days ago "
                             f"({_day(facts.last_outcome_on)}).", fix)
    return ReadinessItem("outcome_recent", label, True, f"Last on {_day(facts.last_outcome_on)}.", fix)


def progress_report_item(facts: EvidenceFacts) -> ReadinessItem:
    label = "Progress report to the referring provider"
    fix = _efix(facts, "reports.new")
    sent = f"Last sent {_day(facts.last_report_sent_on)}." if facts.last_report_sent_on else ""
    if facts.report_due is not None:
        return ReadinessItem("progress_report", label, False, f"Due: {facts.report_due.reason}. {sent}".strip(), fix)
    return ReadinessItem("progress_report", label, True, sent or "None due yet.", fix)


def eligibility_item(facts: EvidenceFacts) -> ReadinessItem:
    label = "Insurance eligibility verified"
    fix = _efix(facts, "eligibility.verify")
    if facts.chart.self_pay and not facts.chart.coverage:
        return ReadinessItem("eligibility", label, True, "Self-pay.", fix)
    if not facts.chart.coverage:
        return ReadinessItem("eligibility", label, False, "No insurance plan to verify.",
                             _fix(facts.chart, "clients.coverage"))
    if facts.eligibility_verified_on is None:
        return ReadinessItem("eligibility", label, False, "Not verified with the payer.", fix)
    if facts.eligibility_active is False:
        return ReadinessItem("eligibility", label, False, f"Verified on {_day(facts.eligibility_verified_on)}: "
                             "the payer says the coverage is not active.", fix)
    return ReadinessItem("eligibility", label, True, f"Verified on {_day(facts.eligibility_verified_on)}.", fix)


def claims_item(facts: EvidenceFacts) -> ReadinessItem:
    label = "Clean claims"
    parts = [f"{count} {what}" for count, what in ((facts.claims_with_findings, "held back by the scrubber"),
                                                    (facts.claims_rejected, "rejected"),
                                                    (facts.claims_denied, "denied")) if count]
    if parts:
        return ReadinessItem("claims", label, False, f"Claims: {', '.join(parts)}.", _efix(facts, "claims.client"))
    return ReadinessItem("claims", label, True, "", _efix(facts, "claims.client"))


# Each check of the chain, in the order an auditor reads a record, and the core element it serves.
EVIDENCE_CHECKS: tuple[tuple[str, Element, Callable[[EvidenceFacts], list[ReadinessItem]]], ...] = (
    ("intake", Element.INTAKE, lambda f: [intake_item(f.chart)]),
    ("consent", Element.INTAKE, lambda f: consent_items(f.chart)),
    ("clearance", Element.INTAKE, lambda f: clearance_items(f.chart)),
    ("referral", Element.INTAKE, lambda f: [referral_item(f.chart)]),
    ("authorisation", Element.CODING_CLAIMS, lambda f: [authorisation_item(f)]),
    ("baseline_assessment", Element.ASSESSMENT, lambda f: [baseline_assessment_item(f)]),
    ("plan", Element.PLAN, lambda f: [plan_item(f)]),
    ("signed_notes", Element.DOCUMENTATION, lambda f: [signed_notes_item(f)]),
    ("outcome_recent", Element.OUTCOMES, lambda f: [outcome_recent_item(f)]),
    ("progress_report", Element.REFERRAL_COMMUNICATION, lambda f: [progress_report_item(f)]),
    ("eligibility", Element.CODING_CLAIMS, lambda f: [eligibility_item(f)]),
    ("claims", Element.CODING_CLAIMS, lambda f: [claims_item(f)]),
)
CHECK_ELEMENTS: dict[str, Element] = {key: element for key, element, _ in EVIDENCE_CHECKS}
CHECK_LABELS: dict[str, str] = {
    "intake": "Health-history intake", "consent": "Consents signed", "clearance": "Medical clearance",
    "referral": "Referral and order", "authorisation": "Authorisation",
    "baseline_assessment": "Baseline assessment", "plan": "Plan of Exercise with measurable goals",
    "signed_notes": "Every session note signed", "outcome_recent": "A recent outcome measure",
    "progress_report": "Progress reports sent", "eligibility": "Eligibility verified", "claims": "Clean claims",
}


def check_key(item: ReadinessItem) -> str:
    """The check an item comes from: "consent:informed_consent" comes from "consent"."""
    return item.key.split(":", 1)[0]


def evidence_chain(facts: EvidenceFacts) -> list[ReadinessItem]:
    """The client's record as an auditor or a payer would read it, link by link."""
    return [item for _, _, check in EVIDENCE_CHECKS for item in check(facts)]


def evidence_gaps(facts: EvidenceFacts) -> list[ReadinessItem]:
    return [item for item in evidence_chain(facts) if not item.done]


def audit_ready(facts: EvidenceFacts) -> bool:
    return not evidence_gaps(facts)


# --- The practice: the twelve core elements ------------------------------------------------------------


class Status(StrEnum):
    READY = "ready"
    ATTENTION = "attention"
    NOT_READY = "not_ready"
    # Nothing to check yet: the part of the app that keeps these records is not set up.
    NOT_SET_UP = "not_set_up"


@dataclass(frozen=True)
class StaffFacts:
    ref: int
    name: str
    role: str
    credentials: tuple[HeldCredential, ...]
    # What the practice requires of this person's role to sign (standards.credentials.required_to_sign).
    requirements: tuple[SigningRequirement, ...]
    hipaa: HipaaDue
    # Names of the person's credentials whose continuing education is behind (rules.credentials.ce_status).
    ce_behind: tuple[str, ...] = ()


@dataclass(frozen=True)
class PracticeFacts:
    today: date
    # Each active client's evidence chain (evidence_chain), by client id.
    clients: Mapping[int, Sequence[ReadinessItem]]
    staff: Sequence[StaffFacts]
    signing_enforced: bool = False
    # Titles of the required consent forms with no current template.
    consent_templates_missing: tuple[str, ...] = ()
    # Out-of-scope wording kept in notes with a reason in the last 30 days, and default scope terms
    # the owner turned off: both worth a look, neither wrong in itself.
    scope_overrides_recent: int = 0
    scope_terms_off: int = 0
    last_training_on: Mapping[str, date] = field(default_factory=dict)
    # None until billing set-up exists (issue 18).
    fee_schedule_codes: int | None = None
    payers_set_up: int | None = None
    referral_sources_active: int = 0
    referral_sources_quiet: int = 0
    follow_ups_overdue: int = 0
    last_backup_on: date | None = None
    last_restore_test_on: date | None = None
    last_audit_verified_on: date | None = None
    audit_breaks: int | None = None
    # Staff whose role must use two-step sign-in and who have not turned it on.
    two_factor_missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class ElementStatus:
    element: CoreElement
    status: Status
    items: tuple[ReadinessItem, ...]


def status_of(items: Iterable[ReadinessItem]) -> Status:
    items = list(items)
    if any(not item.done for item in items):
        return Status.NOT_READY
    if any(item.soon for item in items):
        return Status.ATTENTION
    return Status.READY


def _names(people: Sequence[str], limit: int = 3) -> str:
    shown = ", ".join(people[:limit])
    return f"{shown} and {len(people) - limit} more" if len(people) > limit else shown


def client_items(clients: Mapping[int, Sequence[ReadinessItem]]) -> dict[str, ReadinessItem]:
    """Per check of the evidence chain: how many active clients fail it, as one practice item."""
    failing: dict[str, set[int]] = {key: set() for key in CHECK_ELEMENTS}
    for client, chain in clients.items():
        for item in chain:
            if not item.done and check_key(item) in failing:
                failing[check_key(item)].add(client)
    total = len(clients)
    items = {}
    for key, refs in failing.items():
        label = CHECK_LABELS[key]
        if refs:
            detail = f"{len(refs)} of {total} active clients are missing this."
        else:
            detail = f"All {total} active clients." if total else "No active clients."
        items[key] = ReadinessItem(f"clients:{key}", label, not refs, detail, ("readiness.clients", key))
    return items


def clients_not_ready(clients: Mapping[int, Sequence[ReadinessItem]]) -> list[tuple[int, list[ReadinessItem]]]:
    """Which clients' records would not survive an audit, and why: the most gaps first."""
    gaps = [(client, [item for item in chain if not item.done]) for client, chain in clients.items()]
    return sorted([g for g in gaps if g[1]], key=lambda g: (-len(g[1]), g[0]))


def credentials_item(facts: PracticeFacts) -> ReadinessItem:
    """Required credentials valid for everyone who signs; anything lapsing within 60 days is amber."""
    lapsed, soon = [], []
    for person in facts.staff:
        for requirement in person.requirements:
            mine = [c for c in person.credentials if c.kind in requirement.any_of]
            if not any(c.valid_on(facts.today) for c in mine):
                lapsed.append(f"{person.name} ({requirement.label})")
        for credential in person.credentials:
            state = expiry(credential.expires_on, facts.today)
            required = any(credential.kind in r.any_of for r in person.requirements)
            # A lapsed credential nobody requires (a coaching certificate) is amber, not red.
            if state.alert and (state.valid or not required):
                soon.append(f"{person.name}: {credential.name}, {state.text[0].lower()}{state.text[1:]}")
    label = "Credentials current"
    fix: Target = ("staff.list", None)
    if lapsed:
        blocked = " (blocked from signing)" if facts.signing_enforced else ""
        return ReadinessItem("credentials", label, False, f"Lapsed or missing{blocked}: {_names(lapsed)}.", fix)
    if soon:
        return ReadinessItem("credentials", label, True, f"Coming due: {_names(soon)}.", fix, soon=True)
    return ReadinessItem("credentials", label, True, "Everyone's required credentials are current.", fix)


def hipaa_training_item(facts: PracticeFacts) -> ReadinessItem:
    label = "HIPAA training current"
    fix: Target = ("staff.training", None)
    behind = [p.name for p in facts.staff
              if p.hipaa.state in (HipaaState.OVERDUE, HipaaState.BEFORE_CLIENT_RECORDS)]
    soon = [p.name for p in facts.staff if p.hipaa.state is HipaaState.DUE_SOON]
    if behind:
        return ReadinessItem("hipaa_training", label, False, f"Overdue or not on record: {_names(behind)}.", fix)
    if soon:
        return ReadinessItem("hipaa_training", label, True, f"Due within 30 days: {_names(soon)}.", fix, soon=True)
    return ReadinessItem("hipaa_training", label, True, "Everyone is current.", fix)


def topic_training_item(facts: PracticeFacts) -> ReadinessItem:
    label = "Documentation, assessment and emergency training held"
    stale = []
    for topic in TOPICS_KEPT_UP:
        last = facts.last_training_on.get(topic.value)
        if last is None or add_months(last, TOPIC_TRAINING_MONTHS) < facts.today:
            stale.append(topic.label.lower())
    if stale:
        return ReadinessItem("topic_training", label, True, f"Not in the last {TOPIC_TRAINING_MONTHS} months: "
                             f"{', '.join(stale)}.", ("staff.training", None), soon=True)
    return ReadinessItem("topic_training", label, True, f"Each in the last {TOPIC_TRAINING_MONTHS} months.",
                         ("staff.training", None))


def continuing_education_item(facts: PracticeFacts) -> ReadinessItem:
    label = "Continuing education on pace"
    behind = [f"{p.name} ({', '.join(p.ce_behind)})" for p in facts.staff if p.ce_behind]
    if behind:
        return ReadinessItem("continuing_education", label, True, f"Behind: {_names(behind)}.",
                             ("staff.continuing_education", None), soon=True)
    return ReadinessItem("continuing_education", label, True, "", ("staff.continuing_education", None))


def consent_templates_item(facts: PracticeFacts) -> ReadinessItem:
    missing = facts.consent_templates_missing
    return ReadinessItem("consent_templates", "Consent templates current", not missing,
                         f"No current version of: {', '.join(missing)}." if missing else "",
                         ("consents.templates", None))


def scope_items(facts: PracticeFacts) -> list[ReadinessItem]:
    overrides = facts.scope_overrides_recent
    terms_off = facts.scope_terms_off
    return [
        ReadinessItem("scope_overrides", "Out-of-scope wording reviewed", True,
                      f"{overrides} notes kept out-of-scope wording with a reason in the last 30 days: worth a look."
                      if overrides else "None kept in the last 30 days.", ("scope.overrides", None),
                      soon=bool(overrides)),
        ReadinessItem("scope_terms", "Scope-of-practice word list in force", True,
                      f"{terms_off} of the standard terms are turned off." if terms_off else "All standard terms on.",
                      ("scope.terms", None), soon=bool(terms_off)),
    ]


def _recent(on: date | None, today: date, days: int) -> bool:
    return on is not None and (today - on).days <= days


def secure_records_items(facts: PracticeFacts) -> list[ReadinessItem]:
    today = facts.today
    backup = facts.last_backup_on
    restore = facts.last_restore_test_on
    verified = facts.last_audit_verified_on
    audit_ok = _recent(verified, today, AUDIT_VERIFY_DAYS) and facts.audit_breaks == 0
    if verified is None:
        audit_detail = "The audit trail has not been verified."
    elif facts.audit_breaks:
        audit_detail = f"The check on {_day(verified)} found {facts.audit_breaks} breaks."
    elif not audit_ok:
        audit_detail = f"Last verified {_day(verified)}: verify it again."
    else:
        audit_detail = f"Verified on {_day(verified)}, no breaks."
    missing = facts.two_factor_missing
    return [
        ReadinessItem("backups_recent", "Backups recent", _recent(backup, today, BACKUP_MAX_AGE_DAYS),
                      f"Last backup {_day(backup)}." if backup else "No backup on record.",
                      ("maintenance.backups", None)),
        ReadinessItem("backups_verified", "A backup restored and checked",
                      _recent(restore, today, RESTORE_TEST_DAYS),
                      f"Last checked {_day(restore)}." if restore else
                      f"No restore check on record (one every {RESTORE_TEST_DAYS} days).", ("maintenance.backups", None)),
        ReadinessItem("audit_verified", "Audit trail verified", audit_ok, audit_detail, ("audit.verify", None)),
        ReadinessItem("two_factor", "Two-step sign-in where required", not missing,
                      f"Not turned on: {_names(list(missing))}." if missing else "", ("staff.two_factor", None)),
    ]


def referral_network_items(facts: PracticeFacts) -> list[ReadinessItem]:
    fix: Target = ("referral_network.sources", None)
    if not facts.referral_sources_active:
        return [ReadinessItem("referral_sources", "Referral sources active", False, "No referral sources recorded.",
                              fix)]
    quiet = facts.referral_sources_quiet
    items = [ReadinessItem("referral_sources", "Referral sources active", True,
                           f"{quiet} of {facts.referral_sources_active} not contacted in 90 days." if quiet else
                           f"All {facts.referral_sources_active} contacted in the last 90 days.", fix, soon=bool(quiet))]
    overdue = facts.follow_ups_overdue
    items.append(ReadinessItem("follow_ups", "Follow-ups done", True,
                               f"{overdue} follow-ups overdue." if overdue else "", ("referral_network.follow_ups", None),
                               soon=bool(overdue)))
    return items


def _not_set_up(key: str, label: str, detail: str, fix: Target) -> ReadinessItem:
    return ReadinessItem(key, label, False, detail, fix)


def practice_readiness(facts: PracticeFacts) -> list[ElementStatus]:
    """The twelve core elements in order, each with its status and the items behind it."""
    by_client = client_items(facts.clients)

    def clients_for(element: Element) -> list[ReadinessItem]:
        return [by_client[key] for key, owner, _ in EVIDENCE_CHECKS if owner is element]

    items: dict[Element, list[ReadinessItem]] = {
        Element.SCOPE: scope_items(facts),
        Element.INTAKE: [consent_templates_item(facts), *clients_for(Element.INTAKE)],
        Element.ASSESSMENT: clients_for(Element.ASSESSMENT),
        Element.PLAN: clients_for(Element.PLAN),
        Element.DOCUMENTATION: clients_for(Element.DOCUMENTATION),
        Element.OUTCOMES: clients_for(Element.OUTCOMES),
        Element.REFERRAL_COMMUNICATION: clients_for(Element.REFERRAL_COMMUNICATION),
        Element.SECURE_RECORDS: secure_records_items(facts),
        Element.CODING_CLAIMS: clients_for(Element.CODING_CLAIMS),
        Element.STAFF: [credentials_item(facts), hipaa_training_item(facts), continuing_education_item(facts),
                        topic_training_item(facts)],
        Element.FINANCES: [],
        Element.REFERRAL_NETWORK: referral_network_items(facts),
    }
    not_set_up: set[Element] = set()
    if facts.payers_set_up is None:
        items[Element.CODING_CLAIMS].insert(0, _not_set_up("payers", "Payers set up", "Billing set-up is not "
                                                           "available yet.", ("billing.payers", None)))
        not_set_up.add(Element.CODING_CLAIMS)
    else:
        items[Element.CODING_CLAIMS].insert(0, ReadinessItem("payers", "Payers set up", facts.payers_set_up > 0,
                                                             "" if facts.payers_set_up else "No payers set up.",
                                                             ("billing.payers", None)))
    if facts.fee_schedule_codes is None:
        items[Element.FINANCES].append(_not_set_up("fee_schedule", "Fee schedule set", "Billing set-up is not "
                                                   "available yet.", ("billing.fee_schedule", None)))
        not_set_up.add(Element.FINANCES)
    else:
        items[Element.FINANCES].append(ReadinessItem(
            "fee_schedule", "Fee schedule set", facts.fee_schedule_codes > 0,
            f"{facts.fee_schedule_codes} codes priced." if facts.fee_schedule_codes else "No fees set.",
            ("billing.fee_schedule", None)))
    statuses = []
    for element in CORE_ELEMENTS:
        element_items = tuple(items[element.element])
        status = Status.NOT_SET_UP if element.element in not_set_up else status_of(element_items)
        statuses.append(ElementStatus(BY_ELEMENT[element.element], status, element_items))
    return statuses


def practice_ready(statuses: Iterable[ElementStatus]) -> bool:
    """Reimbursement-ready: every element ready or only coming due."""
    return all(s.status in (Status.READY, Status.ATTENTION) for s in statuses)

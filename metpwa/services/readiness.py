"""Gathers the facts rules/readiness.py checks: a client's chart for its checklist (a handful of queries,
one per kind), each active client's evidence chain, and the practice's twelve core elements for the
owner's dashboard."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import func, select

from ..clock import practice_today
from ..extensions import db
from ..models import (
    Assessment,
    AuditEvent,
    Claim,
    Client,
    Disclosure,
    EligibilityVerification,
    FeeScheduleEntry,
    OutcomeResult,
    Payer,
    Practice,
    PriorAuthorisation,
    ProgressReport,
    SessionLog,
    StaffCredential,
    TrainingCompletion,
    TrainingSession,
)
from ..permissions import TWO_FACTOR_ROLES
from ..rules.credentials import HeldCredential
from ..rules.readiness import (
    AuthorisationFact,
    ElementStatus,
    EvidenceFacts,
    PlanFact,
    PracticeFacts,
    ReadinessFacts,
    ReadinessItem,
    StaffFacts,
    checklist,
    clients_not_ready,
    evidence_chain,
    may_start_sessions,
    practice_readiness,
    practice_ready,
)
from ..rules.training import Completion, hipaa_due, is_new_staff
from ..standards.consent_texts import FINANCIAL, INFORMED_CONSENT, LIABILITY_WAIVER, PRIVACY_NOTICE
from ..standards.credentials import required_to_sign
from . import consents, intake, network, plans, referrals, reports


def facts(client: Client) -> ReadinessFacts:
    latest = intake.latest_complete(client.id)
    draft = intake.latest(client.id)
    referral = referrals.current_referral(client.id)
    return ReadinessFacts(
        demographics_complete=bool(client.first_name and client.last_name and client.date_of_birth
                                   and client.sex and (client.phone or client.email)),
        emergency_contact=bool(client.emergency_contacts),
        coverage=bool(client.coverages),
        self_pay=client.self_pay,
        referral=referral is not None,
        referral_order_on_file=bool(referral and referral.order_document_id),
        referral_expires_on=referral.expires_on if referral else None,
        intake_complete=latest is not None,
        intake_started=draft is not None,
        clearance_required=bool(latest and latest.clearance_required),
        clearance_recorded=bool(latest and intake.clearance_for(latest) is not None),
        consents=tuple(consents.facts(client)),
        today=practice_today(client.practice),
    )


def for_chart(client: Client):
    # With the client's id the items carry their fix links, so the chart can name the next step as a link.
    checked = replace(facts(client), client_ref=client.id)
    return checklist(checked), may_start_sessions(checked)


def evidence_for_chart(client: Client) -> list[ReadinessItem]:
    """The client's evidence chain, as the owner's dashboard checks it, for the chart."""
    return evidence_chain(evidence(client, practice_today(client.practice)))


# --- The evidence chain per client, and the practice's twelve elements (the owner's dashboard) ---------


def _local_day(practice: Practice, moment: datetime) -> date:
    return moment.astimezone(practice.zone).date()


def evidence(client: Client, today: date) -> EvidenceFacts:
    """One client's record as rules.readiness.evidence_chain reads it."""
    practice = client.practice
    chart = replace(facts(client), today=today, client_ref=client.id)
    baseline = db.session.get(Assessment, client.baseline_assessment_id) if client.baseline_assessment_id else None
    if baseline is None:
        baseline = db.session.scalar(select(Assessment).where(Assessment.client_id == client.id)
                                     .order_by(Assessment.performed_on).limit(1))
    plan = plans.current(client.id)
    goals = sum(1 for g in plan.goals if g.target_value is not None) if plan else 0
    signed_first, signed_count = db.session.execute(
        select(func.min(SessionLog.started_at), func.count()).where(
            SessionLog.client_id == client.id, SessionLog.signed_at.is_not(None))).one()
    unsigned_oldest, unsigned_count = db.session.execute(
        select(func.min(SessionLog.started_at), func.count()).where(
            SessionLog.client_id == client.id, SessionLog.signed_at.is_(None), SessionLog.ended_at.is_not(None))).one()
    last_outcome = db.session.scalar(select(func.max(OutcomeResult.performed_at)).where(
        OutcomeResult.client_id == client.id))
    # "Sent" as on the referral source's page: the first delivery of a finalised report out of the practice.
    last_sent = db.session.scalar(select(func.max(Disclosure.disclosed_at)).where(
        Disclosure.client_id == client.id, Disclosure.document_type == "progress_report",
        Disclosure.method.in_(network.SENT_METHODS)))
    coverage_ids = [c.id for c in client.coverages]
    verified = db.session.scalar(select(EligibilityVerification).where(
        EligibilityVerification.coverage_id.in_(coverage_ids)).order_by(EligibilityVerification.verified_on.desc())
        .limit(1)) if coverage_ids else None
    claims = dict(db.session.execute(select(Claim.status, func.count()).where(Claim.client_id == client.id)
                                     .group_by(Claim.status)).all())
    return EvidenceFacts(
        chart=chart,
        baseline_assessment_on=baseline.performed_on if baseline else None,
        baseline_assessment_signed=bool(baseline and baseline.signed_at),
        plan=PlanFact(plan.version, goals, signed=plan.signed, review_on=plan.review_on) if plan else None,
        first_session_on=_local_day(practice, signed_first) if signed_first else None,
        sessions_signed=signed_count, sessions_unsigned=unsigned_count,
        oldest_unsigned_on=_local_day(practice, unsigned_oldest) if unsigned_oldest else None,
        last_outcome_on=_local_day(practice, last_outcome) if last_outcome else None,
        report_due=reports.due(client, today), last_report_sent_on=_local_day(practice, last_sent) if last_sent else None,
        authorisation=_authorisation(client, today),
        eligibility_verified_on=verified.verified_on if verified else None,
        eligibility_active=verified.active if verified else None,
        claims_rejected=claims.get("rejected", 0), claims_denied=claims.get("denied", 0),
    )


def _authorisation(client: Client, today: date) -> AuthorisationFact | None:
    """The primary open plan's authorisation, when its payer set-up asks for one: the one in force
    today (else the latest, to say it ended), with its visits counted as signed sessions inside it."""
    plans_open = sorted((c for c in client.coverages if c.ended_at is None), key=lambda c: c.priority)
    primary = plans_open[0] if plans_open else None
    if primary is None or primary.payer is None or not primary.payer.requires_authorisation:
        return None
    found = list(db.session.scalars(select(PriorAuthorisation).where(PriorAuthorisation.coverage_id == primary.id)
                                    .order_by(PriorAuthorisation.ends_on.desc(), PriorAuthorisation.id.desc())))
    if not found:
        return AuthorisationFact(required=True)
    auth = next((a for a in found if (a.starts_on is None or a.starts_on <= today)
                 and (a.ends_on is None or today <= a.ends_on)), found[0])
    zone = client.practice.zone
    signed_days = db.session.scalars(select(SessionLog.started_at).where(
        SessionLog.client_id == client.id, SessionLog.signed_at.is_not(None)))
    used = sum(1 for started in signed_days
               if (auth.starts_on is None or auth.starts_on <= started.astimezone(zone).date())
               and (auth.ends_on is None or started.astimezone(zone).date() <= auth.ends_on))
    return AuthorisationFact(True, auth.number, auth.ends_on, auth.visits_authorised, used)


def active_clients(practice: Practice) -> list[Client]:
    """Clients being seen: not archived, and not discharged (a finalised discharge summary ends the chain
    an auditor would check for current care)."""
    discharged = select(ProgressReport.client_id).where(ProgressReport.practice_id == practice.id,
                                                        ProgressReport.kind == "discharge",
                                                        ProgressReport.finalized_at.is_not(None))
    return list(db.session.scalars(select(Client).where(
        Client.practice_id == practice.id, Client.archived_at.is_(None), Client.id.not_in(discharged))
        .order_by(Client.last_name, Client.first_name)))


def _staff_facts(practice: Practice, today: date) -> list[StaffFacts]:
    people = [u for u in practice.staff if u.active]
    ids = [u.id for u in people]
    held: dict[int, list[HeldCredential]] = {i: [] for i in ids}
    for credential in db.session.scalars(select(StaffCredential).where(
            StaffCredential.user_id.in_(ids), StaffCredential.superseded_at.is_(None))):
        held[credential.user_id].append(HeldCredential(credential.kind, credential.expires_on, credential.id))
    completions: dict[int, list[Completion]] = {i: [] for i in ids}
    for done, topic in db.session.execute(
            select(TrainingCompletion, TrainingSession.topic).join(TrainingSession)
            .where(TrainingCompletion.user_id.in_(ids))):
        completions[done.user_id].append(Completion(topic, done.completed_on, done.attested_at is not None, done.id))
    found = []
    for person in people:
        hipaa = hipaa_due(completions[person.id], interval_months=practice.hipaa_training_every_months,
                          new_staff=is_new_staff(person.created_at, practice.hipaa_gate_since), today=today)
        found.append(StaffFacts(person.id, person.full_name, person.role, tuple(held[person.id]),
                                required_to_sign(person.role, practice.credentials_required_to_sign), hipaa))
    return found


def _last_event_day(practice: Practice, action: str, *, practice_id: int | None = None,
                    detail_like: str | None = None) -> tuple[date | None, AuditEvent | None]:
    stmt = select(AuditEvent).where(AuditEvent.action == action)
    if practice_id is not None:
        stmt = stmt.where(AuditEvent.practice_id == practice_id)
    if detail_like is not None:
        stmt = stmt.where(AuditEvent.detail.like(detail_like))
    event = db.session.scalar(stmt.order_by(AuditEvent.id.desc()).limit(1))
    return (_local_day(practice, event.at) if event else None), event


def _count_or_unset(count: int, available: bool) -> int | None:
    """None (not set up) while the app has no screen to enter these, rather than a red item no one can fix."""
    return count if available or count else None


def practice_facts(practice: Practice, chains: dict[int, list], *, billing_screens: bool = True) -> PracticeFacts:
    today = practice_today(practice)
    current = {t.key for t in consents.current_templates(practice.id)}
    missing = tuple(text.title for text in (INFORMED_CONSENT, LIABILITY_WAIVER, PRIVACY_NOTICE, FINANCIAL)
                    if text.required and text.key not in current)
    trained = dict(db.session.execute(select(TrainingSession.topic, func.max(TrainingSession.held_on))
                                      .where(TrainingSession.practice_id == practice.id)
                                      .group_by(TrainingSession.topic)).all())
    active, quiet = network.quiet_count(practice)
    overdue = sum(1 for due, _ in network.follow_ups(practice) if due.overdue)
    # A backup or a restore check is of the whole database, run from the command line with no practice.
    backup_on, _ = _last_event_day(practice, "backup")
    restore_on, _ = _last_event_day(practice, "restore")
    verified_on, verified = _last_event_day(practice, "read", practice_id=practice.id, detail_like="%audit verify%")
    breaks = (verified.detail_data or {}).get("breaks") if verified else None
    missing_two_factor = tuple(u.full_name for u in practice.staff
                               if u.active and u.role in TWO_FACTOR_ROLES and u.totp_enabled_at is None)
    return PracticeFacts(
        today=today, clients=chains, staff=_staff_facts(practice, today),
        signing_enforced=practice.signing_requires_credentials, consent_templates_missing=missing,
        last_training_on=trained,
        fee_schedule_codes=_count_or_unset(db.session.scalar(select(func.count()).select_from(FeeScheduleEntry).where(
            FeeScheduleEntry.practice_id == practice.id)), billing_screens),
        payers_set_up=_count_or_unset(db.session.scalar(select(func.count()).select_from(Payer).where(
            Payer.practice_id == practice.id, Payer.active.is_(True))), billing_screens),
        referral_sources_active=active, referral_sources_quiet=quiet, follow_ups_overdue=overdue,
        last_backup_on=backup_on, last_restore_test_on=restore_on, last_audit_verified_on=verified_on,
        # A check recorded before the breaks were written down counts as not known, never as clean.
        audit_breaks=breaks if isinstance(breaks, int) else None,
        two_factor_missing=missing_two_factor,
    )


@dataclass(frozen=True)
class Dashboard:
    elements: list[ElementStatus]
    ready: bool
    # (client, the links of their chain that fail), the most gaps first.
    not_ready: list[tuple[Client, list[ReadinessItem]]]
    active_clients: int


def dashboard(practice: Practice, *, billing_screens: bool = True) -> Dashboard:
    """The owner's page: the twelve elements from rules.readiness.practice_readiness, and each active
    client's evidence chain (the same check functions the chart and the claim scrubber use).
    `billing_screens`: whether the app has the billing set-up screens yet (payers, fees)."""
    today = practice_today(practice)
    clients = {c.id: c for c in active_clients(practice)}
    chains = {ref: evidence_chain(evidence(client, today)) for ref, client in clients.items()}
    elements = practice_readiness(practice_facts(practice, chains, billing_screens=billing_screens))
    gaps = [(clients[ref], items) for ref, items in clients_not_ready(chains)]
    return Dashboard(elements, practice_ready(elements), gaps, len(clients))

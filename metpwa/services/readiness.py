"""Gathers the facts rules/readiness.py checks: a client's chart for its checklist (a handful of queries,
one per kind), each active client's evidence chain, and the practice's twelve core elements for the
owner's dashboard."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..clock import practice_today
from ..extensions import db
from ..models import (
    Assessment,
    AuditEvent,
    Claim,
    Client,
    Coverage,
    Disclosure,
    EligibilityVerification,
    FeeScheduleEntry,
    IntakeResponse,
    MedicalClearance,
    OutcomeResult,
    Payer,
    PlanVersion,
    Practice,
    PriorAuthorisation,
    ProgressReport,
    Referral,
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
from . import consents, network, reports


def facts(client: Client) -> ReadinessFacts:
    return facts_for([client])[client.id]


def _first_per_client(rows, client_of) -> dict:
    """The first row per client of a query ordered as the one-client query was (so each engine's own
    ordering, NULLs included, picks the same row as before): the batch equivalent of ORDER BY ... LIMIT 1."""
    first: dict = {}
    for row in rows:
        first.setdefault(client_of(row), row)
    return first


def facts_for(clients: list[Client]) -> dict[int, ReadinessFacts]:
    """Each client's chart facts, each kind of evidence loaded for all of them in one query (the owner's
    dashboard checks every active client)."""
    ids = [c.id for c in clients]
    if not ids:
        return {}
    # Contacts, plans and their payers, loaded for all the clients at once rather than one client at a time.
    db.session.scalars(select(Client).where(Client.id.in_(ids)).options(
        selectinload(Client.emergency_contacts), selectinload(Client.coverages).selectinload(Coverage.payer))).all()
    draft = _first_per_client(db.session.scalars(
        select(IntakeResponse).where(IntakeResponse.client_id.in_(ids))
        .order_by(IntakeResponse.started_at.desc(), IntakeResponse.id.desc())), lambda r: r.client_id)
    latest = _first_per_client(db.session.scalars(
        select(IntakeResponse).where(IntakeResponse.client_id.in_(ids), IntakeResponse.completed_at.is_not(None))
        .order_by(IntakeResponse.completed_at.desc(), IntakeResponse.id.desc())), lambda r: r.client_id)
    cleared = _first_per_client(db.session.scalars(
        select(MedicalClearance).where(MedicalClearance.intake_id.in_([r.id for r in latest.values()]))
        .order_by(MedicalClearance.recorded_at.desc())), lambda r: r.intake_id) if latest else {}
    referral = _first_per_client(db.session.scalars(
        select(Referral).where(Referral.client_id.in_(ids), Referral.closed_at.is_(None))
        .order_by(Referral.referred_on.desc(), Referral.id.desc())), lambda r: r.client_id)
    consent_facts = consents.facts_for(clients)
    found = {}
    for client in clients:
        complete, current = latest.get(client.id), referral.get(client.id)
        found[client.id] = ReadinessFacts(
            demographics_complete=bool(client.first_name and client.last_name and client.date_of_birth
                                       and client.sex and (client.phone or client.email)),
            emergency_contact=bool(client.emergency_contacts),
            coverage=bool(client.coverages),
            self_pay=client.self_pay,
            referral=current is not None,
            referral_order_on_file=bool(current and current.order_document_id),
            referral_expires_on=current.expires_on if current else None,
            intake_complete=complete is not None,
            intake_started=client.id in draft,
            clearance_required=bool(complete and complete.clearance_required),
            clearance_recorded=bool(complete and complete.id in cleared),
            consents=tuple(consent_facts[client.id]),
            today=practice_today(client.practice),
        )
    return found


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
    return evidence_for([client], today)[client.id]


def evidence_for(clients: list[Client], today: date) -> dict[int, EvidenceFacts]:
    """Each client's record as rules.readiness.evidence_chain reads it: each kind of evidence in one query
    for all the clients (the dashboard's cost does not grow with the number of clients)."""
    ids = [c.id for c in clients]
    if not ids:
        return {}
    charts = facts_for(clients)
    by_id = {c.id: c for c in clients}
    baseline_ids = [c.baseline_assessment_id for c in clients if c.baseline_assessment_id]
    baselines = {a.id: a for a in db.session.scalars(select(Assessment).where(Assessment.id.in_(baseline_ids)))} \
        if baseline_ids else {}
    baseline = {c.id: baselines.get(c.baseline_assessment_id) for c in clients if c.baseline_assessment_id}
    without = [ref for ref in ids if baseline.get(ref) is None]
    if without:
        baseline |= _first_per_client(db.session.scalars(
            select(Assessment).where(Assessment.client_id.in_(without)).order_by(Assessment.performed_on)),
            lambda a: a.client_id)
    plan = _first_per_client(db.session.scalars(
        select(PlanVersion).where(PlanVersion.client_id.in_(ids), PlanVersion.superseded_at.is_(None))
        .order_by(PlanVersion.version.desc()).options(selectinload(PlanVersion.goals))).unique(),
        lambda p: p.client_id)
    # Signed sessions' start times serve three checks: the first session, the report due, the visits
    # used of an authorisation.
    signed_starts: dict[int, list[datetime]] = {ref: [] for ref in ids}
    for ref, started in db.session.execute(select(SessionLog.client_id, SessionLog.started_at).where(
            SessionLog.client_id.in_(ids), SessionLog.signed_at.is_not(None))):
        signed_starts[ref].append(started)
    unsigned = {ref: (oldest, count) for ref, oldest, count in db.session.execute(
        select(SessionLog.client_id, func.min(SessionLog.started_at), func.count()).where(
            SessionLog.client_id.in_(ids), SessionLog.signed_at.is_(None), SessionLog.ended_at.is_not(None))
        .group_by(SessionLog.client_id))}
    last_outcome = dict(db.session.execute(select(OutcomeResult.client_id, func.max(OutcomeResult.performed_at))
                                           .where(OutcomeResult.client_id.in_(ids)).group_by(OutcomeResult.client_id)).all())
    # "Sent" as on the referral source's page: the first delivery of a finalised report out of the practice.
    last_sent = dict(db.session.execute(select(Disclosure.client_id, func.max(Disclosure.disclosed_at)).where(
        Disclosure.client_id.in_(ids), Disclosure.document_type == "progress_report",
        Disclosure.method.in_(network.SENT_METHODS)).group_by(Disclosure.client_id)).all())
    coverage_client = {c.id: client.id for client in clients for c in client.coverages}
    verified = _first_per_client(db.session.scalars(select(EligibilityVerification).where(
        EligibilityVerification.coverage_id.in_(list(coverage_client)))
        .order_by(EligibilityVerification.verified_on.desc())), lambda v: coverage_client[v.coverage_id]) \
        if coverage_client else {}
    claims: dict[int, dict[str, int]] = {ref: {} for ref in ids}
    for ref, status, count in db.session.execute(select(Claim.client_id, Claim.status, func.count())
                                                 .where(Claim.client_id.in_(ids)).group_by(Claim.client_id, Claim.status)):
        claims[ref][status] = count
    due = reports.due_for(clients, today, signed_starts=signed_starts)
    authorisations = _authorisations(clients, today, signed_starts)
    found = {}
    for ref in ids:
        client = by_id[ref]
        practice = client.practice
        first = baseline.get(ref)
        current = plan.get(ref)
        goals = sum(1 for g in current.goals if g.target_value is not None) if current else 0
        starts = signed_starts[ref]
        oldest, unsigned_count = unsigned.get(ref, (None, 0))
        outcome, sent, check = last_outcome.get(ref), last_sent.get(ref), verified.get(ref)
        found[ref] = EvidenceFacts(
            chart=replace(charts[ref], today=today, client_ref=ref),
            baseline_assessment_on=first.performed_on if first else None,
            baseline_assessment_signed=bool(first and first.signed_at),
            plan=PlanFact(current.version, goals, signed=current.signed, review_on=current.review_on) if current else None,
            first_session_on=_local_day(practice, min(starts)) if starts else None,
            sessions_signed=len(starts), sessions_unsigned=unsigned_count,
            oldest_unsigned_on=_local_day(practice, oldest) if oldest else None,
            last_outcome_on=_local_day(practice, outcome) if outcome else None,
            report_due=due[ref], last_report_sent_on=_local_day(practice, sent) if sent else None,
            authorisation=authorisations.get(ref),
            eligibility_verified_on=check.verified_on if check else None,
            eligibility_active=check.active if check else None,
            claims_rejected=claims[ref].get("rejected", 0), claims_denied=claims[ref].get("denied", 0),
        )
    return found


def _authorisations(clients: list[Client], today: date,
                    signed_starts: dict[int, list[datetime]]) -> dict[int, AuthorisationFact]:
    """Each client's primary open plan's authorisation, when its payer set-up asks for one: the one in
    force today (else the latest, to say it ended), with its visits counted as signed sessions inside it."""
    primary = {}
    for client in clients:
        plans_open = sorted((c for c in client.coverages if c.ended_at is None), key=lambda c: c.priority)
        if plans_open and plans_open[0].payer is not None and plans_open[0].payer.requires_authorisation:
            primary[plans_open[0].id] = client
    if not primary:
        return {}
    found: dict[int, list[PriorAuthorisation]] = {c.id: [] for c in primary.values()}
    for auth in db.session.scalars(select(PriorAuthorisation).where(PriorAuthorisation.coverage_id.in_(list(primary)))
                                   .order_by(PriorAuthorisation.ends_on.desc(), PriorAuthorisation.id.desc())):
        found[primary[auth.coverage_id].id].append(auth)
    facts_by_client = {}
    for client in primary.values():
        listed = found[client.id]
        if not listed:
            facts_by_client[client.id] = AuthorisationFact(required=True)
            continue
        auth = next((a for a in listed if (a.starts_on is None or a.starts_on <= today)
                     and (a.ends_on is None or today <= a.ends_on)), listed[0])
        zone = client.practice.zone
        used = sum(1 for started in signed_starts[client.id]
                   if (auth.starts_on is None or auth.starts_on <= started.astimezone(zone).date())
                   and (auth.ends_on is None or started.astimezone(zone).date() <= auth.ends_on))
        facts_by_client[client.id] = AuthorisationFact(True, auth.number, auth.ends_on, auth.visits_authorised, used)
    return facts_by_client


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
    chains = {ref: evidence_chain(found) for ref, found in evidence_for(list(clients.values()), today).items()}
    elements = practice_readiness(practice_facts(practice, chains, billing_screens=billing_screens))
    gaps = [(clients[ref], items) for ref, items in clients_not_ready(chains)]
    return Dashboard(elements, practice_ready(elements), gaps, len(clients))

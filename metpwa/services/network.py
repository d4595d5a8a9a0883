"""The referral network: each source with its referrals, conversion, progress reports on time or late,
relationship activities and follow-ups, and what MET achieved for the clients a source sent
(aggregates only, small groups hidden by rules.referral_network.effectiveness).

Gathers facts with a few practice-wide queries and hands them to rules/referral_network.py; the
changes (a source's details, an activity, a follow-up done) commit here with their audit event."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from ..clock import practice_today
from ..database import rolls_back_on_refusal
from ..extensions import db
from ..models import (
    Client,
    Disclosure,
    IntakeResponse,
    OutcomeResult,
    PlanVersion,
    Practice,
    ProgressReport,
    Referral,
    ReferringProvider,
    RelationshipActivity,
    RelationshipActivitySource,
    SessionLog,
    User,
    utcnow,
)
from ..rules import outcomes as outcome_rules
from ..rules import plan as plan_rules
from ..rules import referral_network as network_rules
from ..rules import reports as report_rules
from ..rules.errors import InputError, StaleRecord
from . import audit, measures, plans

# What counts as "sent" for the reports-on-time figures: a finalised progress report or discharge
# summary (reports area, ProgressReport.finalized_at) with a disclosure that took it out of the
# practice to someone (fax, secure email, portal, mail or by hand). A download or a print is a copy
# made here, not a delivery, so it does not count; the first delivery's day is the day it was sent.
SENT_METHODS = frozenset({"fax", "email", "portal", "mail", "hand"})


class NetworkInputError(InputError):
    """A referral source or an activity as typed, refused at its field."""


# --- Reading ---------------------------------------------------------------------------------------


def _local_day(practice: Practice, moment: datetime) -> date:
    return moment.astimezone(practice.zone).date()


def providers(practice_id: int, *, include_retired: bool = False) -> list[ReferringProvider]:
    stmt = select(ReferringProvider).where(ReferringProvider.practice_id == practice_id)
    if not include_retired:
        stmt = stmt.where(ReferringProvider.retired_at.is_(None))
    return list(db.session.scalars(stmt.order_by(ReferringProvider.last_name, ReferringProvider.first_name)))


def activities(practice_id: int, provider_id: int | None = None) -> list[RelationshipActivity]:
    stmt = select(RelationshipActivity).where(RelationshipActivity.practice_id == practice_id)
    if provider_id is not None:
        stmt = stmt.where(RelationshipActivity.id.in_(
            select(RelationshipActivitySource.activity_id).where(RelationshipActivitySource.provider_id == provider_id)))
    return list(db.session.scalars(stmt.order_by(RelationshipActivity.held_on.desc(), RelationshipActivity.id.desc())))


def _as_rule(activity: RelationshipActivity) -> network_rules.Activity:
    return network_rules.Activity(activity.id, activity.kind, activity.held_on,
                                  frozenset(s.provider_id for s in activity.sources), activity.follow_up_on,
                                  activity.follow_up_done)


def _as_source(practice: Practice, provider: ReferringProvider) -> network_rules.Source:
    return network_rules.Source(provider.id, provider.display_name, _local_day(practice, provider.created_at),
                                provider.retired_at is not None)


@dataclass(frozen=True)
class SourceRow:
    provider: ReferringProvider
    last_contact_on: date | None
    quiet: network_rules.QuietSource | None
    referred: int


def source_rows(practice: Practice, *, kind: str = "", specialty: str = "") -> list[SourceRow]:
    """The practice's active sources, those gone quiet first (the longest quiet at the top)."""
    today = practice_today(practice)
    everyone = providers(practice.id)
    done = [_as_rule(a) for a in activities(practice.id)]
    contacts = network_rules.last_contacts(done, today=today)
    quiet = {q.ref: q for q in network_rules.quiet_sources([_as_source(practice, p) for p in everyone], done,
                                                            today=today)}
    counts = dict(db.session.execute(
        select(Referral.provider_id, func.count()).where(Referral.practice_id == practice.id)
        .group_by(Referral.provider_id)).all())
    rows = [SourceRow(p, contacts.get(p.id), quiet.get(p.id), counts.get(p.id, 0)) for p in everyone
            if (not kind or p.kind == kind) and (not specialty or (p.specialty or "").lower() == specialty.lower())]
    return sorted(rows, key=lambda r: (r.quiet is None, -(r.quiet.days_quiet if r.quiet else 0),
                                       r.provider.last_name, r.provider.first_name))


def specialties(practice_id: int) -> list[str]:
    return sorted({s for s in db.session.scalars(
        select(ReferringProvider.specialty).where(ReferringProvider.practice_id == practice_id,
                                                  ReferringProvider.specialty.is_not(None))) if s})


def quiet_count(practice: Practice) -> tuple[int, int]:
    """(active sources, of them gone quiet), for the readiness dashboard."""
    rows = source_rows(practice)
    return len(rows), sum(1 for r in rows if r.quiet)


def follow_ups(practice: Practice) -> list[tuple[network_rules.FollowUp, RelationshipActivity]]:
    """Open follow-ups due within the week or overdue, the earliest first."""
    today = practice_today(practice)
    rows = {a.id: a for a in activities(practice.id)}
    due = network_rules.follow_ups_due([_as_rule(a) for a in rows.values()], today=today)
    return [(f, rows[f.activity_ref]) for f in due]


def _first_signed_sessions(client_ids: list[int]) -> dict[int, datetime]:
    if not client_ids:
        return {}
    return dict(db.session.execute(
        select(SessionLog.client_id, func.min(SessionLog.started_at))
        .where(SessionLog.client_id.in_(client_ids), SessionLog.signed_at.is_not(None))
        .group_by(SessionLog.client_id)).all())


def _discharges(practice_id: int) -> dict[int, ProgressReport]:
    """Each client's finalised discharge summary (the latest, when a corrected one replaced it)."""
    found: dict[int, ProgressReport] = {}
    for report in db.session.scalars(
            select(ProgressReport).where(ProgressReport.practice_id == practice_id, ProgressReport.kind == "discharge",
                                         ProgressReport.finalized_at.is_not(None))
            .order_by(ProgressReport.finalized_at)):
        found[report.client_id] = report
    return found


@dataclass(frozen=True)
class SourceReferral:
    referral: Referral
    client: Client
    intake_done: bool
    first_session_on: date | None
    discharged_on: date | None
    goals_met: bool


def referrals_for(practice: Practice, provider_id: int | None = None) -> list[SourceReferral]:
    """Every referral (of one source, or all), newest first, with how far its client has come."""
    stmt = select(Referral).where(Referral.practice_id == practice.id)
    if provider_id is not None:
        stmt = stmt.where(Referral.provider_id == provider_id)
    found = list(db.session.scalars(stmt.order_by(Referral.referred_on.desc(), Referral.id.desc())))
    client_ids = sorted({r.client_id for r in found})
    clients = {c.id: c for c in db.session.scalars(select(Client).where(Client.id.in_(client_ids)))} if client_ids \
        else {}
    intake_done = set(db.session.scalars(select(IntakeResponse.client_id).where(
        IntakeResponse.client_id.in_(client_ids), IntakeResponse.completed_at.is_not(None)))) if client_ids else set()
    first = _first_signed_sessions(client_ids)
    discharges = _discharges(practice.id)
    rows = []
    for referral in found:
        client = clients[referral.client_id]
        discharge = discharges.get(client.id)
        met = bool(discharge) and _goals_met_at(client, discharge.period_end)
        rows.append(SourceReferral(referral, client, client.id in intake_done,
                                   _local_day(practice, first[client.id]) if client.id in first else None,
                                   discharge.period_end if discharge else None, met))
    return rows


def conversion(practice: Practice, rows: list[SourceReferral]) -> dict[int, network_rules.Conversion]:
    return network_rules.conversion(network_rules.ReferralJourney(
        r.referral.provider_id, r.referral.referred_on, r.intake_done, r.first_session_on, r.discharged_on,
        r.goals_met, r.client.id) for r in rows)


def referral_months(practice: Practice, rows: list[SourceReferral], months: int = 12) -> list[tuple[date, int]]:
    today = practice_today(practice)
    first = (today.replace(day=1) - timedelta(days=31 * (months - 1))).replace(day=1)
    return network_rules.referrals_by_month([r.referral.referred_on for r in rows], first_month=first, last_month=today)


def report_timings(practice: Practice, rows: list[SourceReferral]) -> list[tuple[Client, network_rules.ReportTiming]]:
    """Each referred client's progress reports against their due dates (rules.reports), once per client."""
    today = practice_today(practice)
    clients = {r.client.id: r.client for r in rows}
    if not clients:
        return []
    ids = list(clients)
    visits: dict[int, list[date]] = defaultdict(list)
    for client_id, started in db.session.execute(
            select(SessionLog.client_id, SessionLog.started_at)
            .where(SessionLog.client_id.in_(ids), SessionLog.signed_at.is_not(None))):
        visits[client_id].append(_local_day(practice, started))
    sent: dict[int, datetime] = dict(db.session.execute(
        select(Disclosure.document_id, func.min(Disclosure.disclosed_at))
        .where(Disclosure.client_id.in_(ids), Disclosure.document_type == "progress_report",
               Disclosure.method.in_(SENT_METHODS)).group_by(Disclosure.document_id)).all())
    reports: dict[int, list[network_rules.SentReport]] = defaultdict(list)
    for report in db.session.scalars(select(ProgressReport).where(
            ProgressReport.client_id.in_(ids), ProgressReport.finalized_at.is_not(None))):
        on = sent.get(report.id)
        reports[report.client_id].append(network_rules.SentReport(report.period_end,
                                                                  _local_day(practice, on) if on else None))
    discharged = {ref: report.period_end for ref, report in _discharges(practice.id).items()}
    timings = []
    for client_id, client in clients.items():
        days = sorted(visits.get(client_id, []))
        for timing in network_rules.report_timings(
                first_session_on=days[0] if days else None, visit_dates=days, reports=reports.get(client_id, []),
                every_visits=practice.report_every_visits, every_days=practice.report_every_days, today=today):
            # Once discharged, no further progress report falls due.
            if client_id in discharged and timing.due_on > discharged[client_id]:
                continue
            timings.append((client, timing))
    return sorted(timings, key=lambda t: t[1].due_on, reverse=True)


# --- What MET achieved -------------------------------------------------------------------------------


def _end_of(practice: Practice, day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=practice.zone)


def _goals_met_at(client: Client, day: date) -> bool:
    """Every goal of the plan in force at `day` met by the latest value before its end (rules.plan.goal_status)."""
    plan = db.session.scalar(select(PlanVersion).where(PlanVersion.client_id == client.id,
                                                       PlanVersion.starts_on <= day)
                             .order_by(PlanVersion.version.desc()).limit(1))
    if plan is None or not plan.goals:
        return False
    values = plans.latest_values(client, until=_end_of(client.practice, day))
    week = plan_rules.plan_week(plan.starts_on, day)
    for goal in plan.goals:
        value = values.get((goal.target_kind, goal.target_key, goal.side))
        if value is None or plan_rules.goal_status(goal, value, week=week) != "met":
            return False
    return True


def _visits_to_goal(client: Client, first_day: date, end: date, signed_days: list[date]) -> int | None:
    """Signed visits up to the first day (a result or assessment) on which every goal was met."""
    candidates = sorted({_local_day(client.practice, r.performed_at) for r in db.session.scalars(
        select(OutcomeResult).where(OutcomeResult.client_id == client.id))} | {end})
    for day in candidates:
        if first_day <= day <= end and _goals_met_at(client, day):
            return sum(1 for d in signed_days if d <= day)
    return None


def _measure_changes(client: Client, until: datetime) -> dict[str, bool]:
    """Per measure repeated since its first result: whether the last one reached meaningful change,
    judged by the app's own thresholds (rules.outcomes.interpret against the first as baseline) where
    the measure has one."""
    reached = {}
    practice = client.practice
    for key, rows in measures.by_measure(client.id).items():
        rows = [r for r in rows if r.performed_at < until]
        if len(rows) < 2:
            continue
        first, last = rows[0], rows[-1]
        day = _local_day(practice, last.performed_at)
        judged = outcome_rules.interpret(
            key, measures.as_score(last), age=outcome_rules.age_on(client.date_of_birth, day), sex=client.sex,
            baseline=measures.as_score(first), baseline_date=_local_day(practice, first.performed_at), result_date=day)
        # A measure with no change threshold on file (the 30-second chair stand) cannot be judged
        # either way: it is left out rather than counted as "not reached".
        if any(change.threshold is not None for change in judged.changes):
            reached[key] = network_rules.reached_meaningful_change(judged.changes)
    return reached


def discharged_clients(practice: Practice) -> list[network_rules.DischargedClient]:
    """Every discharged client as facts only (no name, no date), under the source of their referral."""
    found = []
    for client_id, discharge in _discharges(practice.id).items():
        client = db.session.get(Client, client_id)
        referral = db.session.scalar(select(Referral).where(Referral.client_id == client_id,
                                                            Referral.referred_on <= discharge.period_end)
                                     .order_by(Referral.referred_on.desc(), Referral.id.desc()).limit(1))
        end = _end_of(practice, discharge.period_end)
        signed = sorted(_local_day(practice, s) for s in db.session.scalars(
            select(SessionLog.started_at).where(SessionLog.client_id == client_id, SessionLog.signed_at.is_not(None),
                                                SessionLog.started_at < end)))
        first_plan = db.session.scalar(select(func.min(PlanVersion.starts_on)).where(PlanVersion.client_id == client_id))
        plan = db.session.scalar(select(PlanVersion).where(PlanVersion.client_id == client_id)
                                 .order_by(PlanVersion.version.desc()).limit(1))
        planned = report_rules.planned_visits(plan.frequency_per_week, first_plan, discharge.period_end) \
            if plan and first_plan else 0
        met = _goals_met_at(client, discharge.period_end)
        found.append(network_rules.DischargedClient(
            referral.provider_id if referral else None, _measure_changes(client, end), met,
            _visits_to_goal(client, signed[0], discharge.period_end, signed) if met and signed else None,
            len(signed), planned))
    return found


@dataclass(frozen=True)
class EffectivenessView:
    practice: network_rules.Effectiveness
    by_source: dict[int, network_rules.Effectiveness]


def effectiveness(practice: Practice) -> EffectivenessView:
    clients = discharged_clients(practice)
    return EffectivenessView(network_rules.effectiveness(clients), network_rules.effectiveness_by_source(clients))


# --- Changes ---------------------------------------------------------------------------------------------


@rolls_back_on_refusal
def update_source(user: User, provider: ReferringProvider, values: dict) -> None:
    """A source's details as checked by rules.referral_network.check_source (the reader tidies them)."""
    changed = sorted(k for k, v in values.items() if getattr(provider, k) != v)
    for key, value in values.items():
        setattr(provider, key, value)
    audit.record("update", provider, user=user, detail={"fields": changed})
    db.session.commit()


@rolls_back_on_refusal
def add_activity(user: User, *, kind: str, held_on: date, staff_id: int, source_ids: list[int],
                 notes: str | None, follow_up_on: date | None) -> RelationshipActivity:
    activity = RelationshipActivity(practice_id=user.practice_id, kind=kind, held_on=held_on, staff_id=staff_id,
                                    notes=notes or None, follow_up_on=follow_up_on, recorded_by_id=user.id)
    activity.sources = [RelationshipActivitySource(practice_id=user.practice_id, provider_id=ref)
                        for ref in source_ids]
    db.session.add(activity)
    db.session.flush()
    audit.record("create", activity, user=user, detail={"sources": source_ids, "kind": kind})
    db.session.commit()
    return activity


@rolls_back_on_refusal
def follow_up_done(user: User, activity: RelationshipActivity) -> None:
    if activity.follow_up_on is None:
        raise StaleRecord("This activity has no follow-up to mark done.")
    if activity.follow_up_done:
        raise StaleRecord("This follow-up was already marked done.")
    activity.follow_up_done_at = utcnow()
    audit.record("update", activity, user=user, detail={"follow_up_done": True})
    db.session.commit()

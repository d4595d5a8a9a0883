"""Progress reports and discharge summaries: gather the period's numbers, preview, finalise into a
locked PDF with its SHA-256, record every delivery; the Letter of Medical Necessity; due reminders."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from .. import charts
from ..database import rolls_back_on_refusal, take_write_lock
from ..extensions import db
from ..models import (
    Assessment,
    Client,
    Disclosure,
    PlanVersion,
    Practice,
    ProgressReport,
    Referral,
    ReferringProvider,
    SessionLog,
    User,
    utcnow,
)
from ..rules import plan as plan_rules
from ..rules import reports as report_rules
from ..rules.errors import RecordLocked
from ..standards.measures import MEASURES, NPRS
from . import assessments, audit, measures, plans, printing, referrals, schedule
from .fingerprints import check_pdf

DELIVERY_METHODS = {"download": "Downloaded", "print": "Printed", "fax": "Faxed", "email": "Emailed",
                    "portal": "Sent through a portal", "hand": "Handed to the client"}
PURPOSES = {"treatment": "Treatment and coordination of care", "payment": "Payment (insurer)",
            "operations": "Health-care operations", "client_request": "At the client's request", "other": "Other"}


@dataclass
class MeasureSection:
    name: str
    results: list
    sentence: str
    charts: list[str]


@dataclass
class ReportContent:
    """Everything a report shows, computed for one client and period."""

    client: Client
    practice: Practice
    period_start: date
    period_end: date
    referral: Referral | None
    plan: PlanVersion | None
    attended: int
    planned: int
    no_shows: int
    cancellations: int
    rate: int | None
    baseline: Assessment | None
    latest: Assessment | None
    comparison: dict
    measure_sections: list[MeasureSection]
    goals: list[tuple]  # (goal text, description, baseline shown, latest shown, unit, status)
    plan_changes: list[tuple[date, str]]
    pain_points: list[tuple[date, float]]
    pain_chart: str | None
    sessions: list[SessionLog] = field(default_factory=list)


def _bounds(practice: Practice, start: date, end: date) -> tuple[datetime, datetime]:
    return (datetime.combine(start, time(0), tzinfo=practice.zone),
            datetime.combine(end + timedelta(days=1), time(0), tzinfo=practice.zone))


def content(client: Client, start: date, end: date) -> ReportContent:
    practice = client.practice
    begin, finish = _bounds(practice, start, end)
    plan = plans.current(client.id)
    signed = list(db.session.scalars(
        select(SessionLog).where(SessionLog.client_id == client.id, SessionLog.signed_at.is_not(None),
                                 SessionLog.started_at >= begin, SessionLog.started_at < finish)
        .order_by(SessionLog.started_at)
    ))
    counts = schedule.attendance(client.id, since=begin, until=finish)
    versions = plans.versions(client.id)
    first_start = min((version.starts_on for version in versions), default=None)
    planned = report_rules.planned_visits(plan.frequency_per_week, max(start, first_start), end) if plan else 0
    baseline = db.session.get(Assessment, client.baseline_assessment_id) if client.baseline_assessment_id else None
    latest = db.session.scalar(
        select(Assessment).where(Assessment.client_id == client.id, Assessment.signed_at.is_not(None),
                                 Assessment.performed_on <= end).order_by(Assessment.performed_on.desc()).limit(1)
    )
    comparison = assessments.compare(baseline, latest) if baseline and latest and latest.id != baseline.id else {}
    sections = []
    for key, rows in measures.by_measure(client.id).items():
        in_period = [row for row in rows if row.performed_at < finish]
        if not in_period or in_period[-1].performed_at < begin:
            continue
        sections.append(MeasureSection(MEASURES[key].name, in_period, in_period[-1].interpretation,
                                       [trend.svg() for trend in measures.trends(client, key, in_period)]))
    values = plans.latest_values(client, until=finish)
    week = plan_rules.plan_week(plan.starts_on, end) if plan else 0
    goals = []
    for goal in plan.goals if plan else []:
        value = values.get((goal.target_kind, goal.target_key, goal.side))
        status = plan_rules.goal_status(goal, value, week=week) if value is not None else "not measured yet"
        # Baseline and latest as the measure shows them (its decimals and unit), never '%g' of a raw mean.
        goals.append((plan_rules.goal_text(goal), goal.description, plan_rules.goal_value(goal, goal.baseline_value),
                      plan_rules.goal_value(goal, value), goal.unit, status))
    changes = [(version.created_at.astimezone(practice.zone).date(), f"Plan version {version.version}: {version.reason}")
               for version in versions if begin <= version.created_at < finish]
    changes += [(s.started_at.astimezone(practice.zone).date(), line) for s in signed if s.plan_changes
                for line in s.plan_changes.splitlines()]
    pain = [(s.started_at.astimezone(practice.zone).date(), float(s.pain_before)) for s in signed
            if s.pain_before is not None]
    pain_chart = charts.trend_chart_svg(pain, title="Pain before sessions (0-10)", unit="/10",
                                        higher_is_better=False, axis=NPRS.chart_axis) if len(pain) > 1 else None
    return ReportContent(
        client=client, practice=practice, period_start=start, period_end=end,
        referral=referrals.current_referral(client.id), plan=plan, attended=len(signed), planned=planned,
        no_shows=counts["no_show"], cancellations=counts["cancelled"],
        rate=report_rules.attendance_rate(len(signed), planned),
        baseline=baseline, latest=latest, comparison=comparison, measure_sections=sections, goals=goals,
        plan_changes=sorted(changes), pain_points=pain, pain_chart=pain_chart, sessions=signed,
    )


def default_period(client: Client, today: date) -> tuple[date, date]:
    """From the day after the last final report (or the first session) to today."""
    last = last_final(client.id)
    if last is not None:
        return last.period_end + timedelta(days=1), today
    first = db.session.scalar(select(func.min(SessionLog.started_at)).where(SessionLog.client_id == client.id))
    return (first.astimezone(client.practice.zone).date() if first else today - timedelta(days=30)), today


def last_final(client_id: int) -> ProgressReport | None:
    return db.session.scalar(
        select(ProgressReport).where(ProgressReport.client_id == client_id, ProgressReport.finalized_at.is_not(None))
        .order_by(ProgressReport.period_end.desc(), ProgressReport.id.desc()).limit(1)
    )


def for_client(client_id: int) -> list[ProgressReport]:
    return list(db.session.scalars(
        select(ProgressReport).where(ProgressReport.client_id == client_id)
        .order_by(ProgressReport.created_at.desc())
    ))


# Finalised meanwhile (in another tab, or by a colleague): the report no longer changes.
FINAL = ("This report has been finalised, so it can no longer change. Reload the page; to correct it, "
         "start a correction.")


def start(user: User, client: Client, *, kind: str, period_start: date, period_end: date,
          recipient: ReferringProvider | None, replaces: ProgressReport | None = None) -> ProgressReport:
    """A new draft, or the open draft of the same report (kind, period, recipient) when there is
    one: a double tap, or the form sent again after a dropped connection, must not leave two
    drafts to sort out."""
    # Held to commit (PostgreSQL; SQLite's write lock already is), so two taps take turns; the
    # write turn first, as every writer takes it before its row locks.
    take_write_lock(db.session.connection())
    db.session.execute(select(Client.id).where(Client.id == client.id).with_for_update())
    same = db.session.scalar(
        select(ProgressReport).where(
            ProgressReport.client_id == client.id, ProgressReport.kind == kind,
            ProgressReport.period_start == period_start, ProgressReport.period_end == period_end,
            ProgressReport.finalized_at.is_(None),
            # A report for another recipient (or the first one chosen now) is another report.
            ProgressReport.recipient_id == recipient.id if recipient else ProgressReport.recipient_id.is_(None),
            ProgressReport.replaces_id == replaces.id if replaces else ProgressReport.replaces_id.is_(None))
        .order_by(ProgressReport.id).limit(1)
    )
    if same is not None:
        db.session.commit()
        return same
    report = ProgressReport(practice_id=client.practice_id, client_id=client.id, kind=kind,
                            period_start=period_start, period_end=period_end,
                            recipient_id=recipient.id if recipient else None, author_id=user.id,
                            recommendations=replaces.recommendations if replaces else None,
                            replaces_id=replaces.id if replaces else None, scope_overrides=[])
    db.session.add(report)
    db.session.flush()
    audit.record("create", report, user=user, client_id=client.id, detail={"kind": kind})
    db.session.commit()
    return report


def _hold_draft(report: ProgressReport) -> None:
    """Re-read the report under the write lock (a row lock on PostgreSQL) and refuse if it was
    finalised meanwhile, so two finalisations or an edit racing one end in a clear answer."""
    take_write_lock(db.session.connection())
    db.session.refresh(report, with_for_update=True)
    refuse_if_final(report)


def refuse_if_final(report: ProgressReport) -> None:
    if report.final:
        raise RecordLocked(FINAL)


@rolls_back_on_refusal
def save_draft(user: User, report: ProgressReport, *, recommendations: str, overrides: list[dict]) -> None:
    _hold_draft(report)
    report.recommendations = report_rules.check_recommendations(recommendations) or None
    if overrides:
        report.scope_overrides = [*report.scope_overrides, *overrides]
    audit.record("update", report, user=user, client_id=report.client_id)
    db.session.commit()


def render(report: ProgressReport, *, signer: User | None, signed_at: datetime | None) -> bytes:
    data = content(report.client, report.period_start, report.period_end)
    return printing.document_pdf("pdf/report.html", report=report, data=data, practice=data.practice,
                                 client=report.client, signer=signer, signed_at=signed_at)


@rolls_back_on_refusal
def finalize(user: User, report: ProgressReport, *, at: datetime | None = None) -> None:
    """Sign: the PDF is made now, its SHA-256 kept, and the report is locked for good.

    The PDF is drawn before the write lock is taken: drawing takes a second or more, and on
    SQLite that lock is the whole practice's (a trainer logging a set would wait for it).
    """
    signed_at = at or utcnow()
    drawn_from = report.recommendations
    pdf = render(report, signer=user, signed_at=signed_at)
    _hold_draft(report)
    if report.recommendations != drawn_from:
        # Edited in another tab while this one drew: the signed PDF must say what was saved.
        pdf = render(report, signer=user, signed_at=signed_at)
    report.pdf = pdf
    report.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    report.finalized_by_id = user.id
    audit.record("sign", report, user=user, client_id=report.client_id, detail={"sha256": report.pdf_sha256})
    report.finalized_at = signed_at  # last: once stored, the row is locked
    db.session.commit()


def final_pdf(user: User, report: ProgressReport) -> bytes:
    """The finalised report's PDF, only when it still matches the SHA-256 taken when it was signed; a
    mismatch is refused, written to the audit trail (owners see it) and to the server's log, as for consents."""
    return check_pdf(report, report.pdf, report.pdf_sha256, user=user, what="progress report")


def record_disclosure(user: User | None, client: Client, *, document_type: str, document_id: int | None,
                      method: str, recipient: str, recipient_address: str | None, purpose: str,
                      note: str | None = None, at: datetime | None = None) -> Disclosure:
    """Log a document leaving the practice (or downloaded), for the accounting of disclosures;
    `at` is for deliveries made before metpwa (and the demo)."""
    disclosure = Disclosure(practice_id=client.practice_id, client_id=client.id, document_type=document_type,
                            document_id=document_id, method=method, recipient=recipient.strip()[:160],
                            recipient_address=(recipient_address or "").strip()[:254] or None, purpose=purpose,
                            note=(note or "").strip()[:300] or None, disclosed_by_id=user.id if user else None,
                            disclosed_at=at or utcnow())
    db.session.add(disclosure)
    db.session.flush()
    audit.record("export" if method in ("download", "print") else "disclose", disclosure, user=user,
                 client_id=client.id, detail={"document": document_type, "method": method, "to": recipient[:80]})
    db.session.commit()
    return disclosure


def disclosures(client_id: int) -> list[Disclosure]:
    return list(db.session.scalars(select(Disclosure).where(Disclosure.client_id == client_id)
                                   .order_by(Disclosure.disclosed_at.desc())))


def due(client: Client, today: date) -> report_rules.Due | None:
    return due_for([client], today)[client.id]


def due_for(clients: list[Client], today: date, *,
            signed_starts: dict[int, list[datetime]] | None = None) -> dict[int, report_rules.Due | None]:
    """due() for many clients in two queries (the readiness dashboard); `signed_starts`: each client's
    signed sessions' start times, when the caller has them already."""
    ids = [c.id for c in clients]
    if not ids:
        return {}
    last_by_client: dict[int, ProgressReport] = {}
    for report in db.session.scalars(
            select(ProgressReport).where(ProgressReport.client_id.in_(ids), ProgressReport.finalized_at.is_not(None))
            .order_by(ProgressReport.period_end.desc(), ProgressReport.id.desc())):
        last_by_client.setdefault(report.client_id, report)
    if signed_starts is None:
        signed_starts = {ref: [] for ref in ids}
        for ref, started in db.session.execute(select(SessionLog.client_id, SessionLog.started_at).where(
                SessionLog.client_id.in_(ids), SessionLog.signed_at.is_not(None))):
            signed_starts[ref].append(started)
    found: dict[int, report_rules.Due | None] = {}
    for client in clients:
        last = last_by_client.get(client.id)
        begin = None
        if last is not None:
            begin, _ = _bounds(client.practice, last.period_end + timedelta(days=1), today)
        since = [started for started in signed_starts.get(client.id, []) if begin is None or started >= begin]
        if not since and last is None:
            found[client.id] = None
            continue
        first_day = min(since).astimezone(client.practice.zone).date() if since else None
        found[client.id] = report_rules.report_due(
            last_report_on=last.period_end if last else None, first_session_on=first_day, visits_since=len(since),
            today=today, every_visits=client.practice.report_every_visits,
            every_days=client.practice.report_every_days)
    return found


def medical_necessity_download(user: User, client: Client) -> bytes:
    """The letter, downloaded for payment (the client's HSA, FSA or own insurer): recorded as a disclosure."""
    data = medical_necessity_letter(user, client)
    record_disclosure(user, client, document_type="medical_necessity_letter", document_id=None, method="download",
                      recipient=f"Downloaded by {user.full_name}", recipient_address=None, purpose="payment")
    return data


def medical_necessity_letter(user: User, client: Client) -> bytes:
    """A Letter of Medical Necessity for the referring provider to sign (HSA/FSA, IRS sec. 213)."""
    referral = referrals.current_referral(client.id)
    plan = plans.current(client.id)
    return printing.document_pdf("pdf/medical_necessity.html", client=client, practice=client.practice,
                                 referral=referral, plan=plan, goal_text=plan_rules.goal_text, author=user,
                                 today=utcnow().astimezone(client.practice.zone).date())

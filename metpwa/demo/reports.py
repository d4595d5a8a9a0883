"""The demo practice's progress reports: a signed four-week report for the longer-standing clients,
faxed to the referring provider, so reports, deliveries and due reminders all have something real."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from ..extensions import db
from ..models import Client, SessionLog, User
from ..services import referrals, reports

RECOMMENDATIONS = (
    "Attendance has been steady and the measures are moving the right way. Continue the Plan of Exercise "
    "twice weekly; progress loads as the progression rules allow; re-test the outcome measures in four weeks."
)


def seed_reports(client: Client, trainer: User, weeks: int) -> None:
    if weeks < 6:
        return
    first = db.session.scalar(select(func.min(SessionLog.started_at)).where(SessionLog.client_id == client.id,
                                                                            SessionLog.signed_at.is_not(None)))
    if first is None:
        return
    zone = client.practice.zone
    start = first.astimezone(zone).date()
    end = start + timedelta(days=27)
    referral = referrals.current_referral(client.id)
    report = reports.start(trainer, client, kind="progress", period_start=start, period_end=end,
                           recipient=referral.provider if referral else None)
    report.created_at = first + timedelta(days=28)
    reports.save_draft(trainer, report, recommendations=RECOMMENDATIONS, overrides=[])
    signed_at = first + timedelta(days=28, hours=6)
    reports.finalize(trainer, report, at=signed_at)
    if referral is not None:
        reports.record_disclosure(
            trainer, client, document_type="progress_report", document_id=report.id, method="fax",
            recipient=referral.provider.display_name, recipient_address=referral.provider.fax, purpose="treatment",
            at=signed_at + timedelta(minutes=20))

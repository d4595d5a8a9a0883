"""What each person's home screen puts first, "what do I do next": their own credential and training
alerts; for the front desk the unfinished health histories and today's coverage to verify; for billing
the claims waiting; for the owner everyone's lapsing credentials, overdue HIPAA training and the
referral follow-ups due. Each item says where it is fixed (an endpoint and its arguments)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import exists, func, select

from ..clock import practice_today
from ..extensions import db
from ..models import (
    Appointment,
    Claim,
    Client,
    Coverage,
    EligibilityVerification,
    IntakeResponse,
    RelationshipActivity,
    TrainingCompletion,
    User,
)
from ..rules.training import HipaaState
from ..standards.billing import ClaimStatus
from . import credentials, training

# Coverage verified longer ago than this is checked again before the visit (practice policy).
ELIGIBILITY_FRESH_DAYS = 30


@dataclass(frozen=True)
class NextStep:
    text: str
    endpoint: str
    args: dict = field(default_factory=dict)
    # "danger" for what stops work (a lapsed card, a closed gate), "warn" for what is coming due.
    tone: str = "warn"


def _own(user: User) -> list[NextStep]:
    """The person's own credential alerts, signing block and HIPAA training."""
    steps = []
    check = credentials.signing_check(user)
    if check.problems and not check.allowed:
        steps.append(NextStep(check.message, "staff.credentials", {"user_id": user.id}, "danger"))
    for alert in credentials.alerts(user.practice, user_id=user.id):
        steps.append(NextStep(f"Your {alert.name}: {alert.expiry.text[0].lower()}{alert.expiry.text[1:]}",
                              "staff.credentials", {"user_id": user.id},
                              "danger" if alert.expiry.status == "lapsed" else "warn"))
    unattested = db.session.scalar(select(func.count()).select_from(TrainingCompletion).where(
        TrainingCompletion.user_id == user.id, TrainingCompletion.attested_at.is_(None)))
    if unattested:
        steps.append(NextStep(f"Confirm {unattested} training{'s' if unattested > 1 else ''} recorded for you",
                              "staff.training_attest", {}, "warn"))
    due = training.hipaa_due(user)
    if due.needs_action and not (unattested and due.state is HipaaState.BEFORE_CLIENT_RECORDS):
        steps.append(NextStep(f"Your HIPAA training: {due.text[0].lower()}{due.text[1:]}", "staff.training_attest",
                              {}, "danger" if due.state is not HipaaState.DUE_SOON else "warn"))
    return steps


def _owner(user: User) -> list[NextStep]:
    practice = user.practice
    steps = []
    for alert in credentials.alerts(practice):
        if alert.person.id == user.id:
            continue
        steps.append(NextStep(f"{alert.person.full_name}'s {alert.name}: {alert.expiry.text[0].lower()}"
                              f"{alert.expiry.text[1:]}", "staff.credentials", {"user_id": alert.person.id},
                              "danger" if alert.expiry.status == "lapsed" else "warn"))
    for row in training.board(practice):
        if row.ref != user.id and row.due.state in (HipaaState.OVERDUE, HipaaState.BEFORE_CLIENT_RECORDS):
            steps.append(NextStep(f"{row.name}'s HIPAA training: {row.due.text[0].lower()}{row.due.text[1:]}",
                                  "staff.training", {}, "danger"))
    today = practice_today(practice)
    follow_ups = list(db.session.scalars(
        select(RelationshipActivity).where(RelationshipActivity.practice_id == practice.id,
                                           RelationshipActivity.follow_up_on <= today,
                                           RelationshipActivity.follow_up_done_at.is_(None))
        .order_by(RelationshipActivity.follow_up_on).limit(10)))
    for activity in follow_ups:
        names = ", ".join(link.provider.display_name for link in activity.sources) or "a referral source"
        steps.append(NextStep(f"Follow up with {names} (due {activity.follow_up_on:%b} {activity.follow_up_on.day})",
                              "referral_network.follow_ups", {}, "warn"))
    return steps


@dataclass(frozen=True)
class FrontDesk:
    unfinished_intake: list[Client]
    to_verify: list[Client]


def front_desk(user: User) -> FrontDesk:
    """Health histories begun and not finished, and today's clients whose coverage is not freshly verified."""
    practice = user.practice
    today = practice_today(practice)
    unfinished = list(db.session.scalars(
        select(Client).where(Client.practice_id == practice.id,
                             exists().where(IntakeResponse.client_id == Client.id,
                                            IntakeResponse.completed_at.is_(None)),
                             ~exists().where(IntakeResponse.client_id == Client.id,
                                             IntakeResponse.completed_at.is_not(None)))
        .order_by(Client.last_name).limit(15)))
    from .schedule import day_bounds

    start, end = day_bounds(practice, today)
    fresh_since = today - timedelta(days=ELIGIBILITY_FRESH_DAYS)
    to_verify = list(db.session.scalars(
        select(Client).where(
            Client.practice_id == practice.id,
            exists().where(Appointment.client_id == Client.id, Appointment.starts_at >= start,
                           Appointment.starts_at < end, Appointment.status == "scheduled"),
            exists().where(Coverage.client_id == Client.id),
            ~exists().where(EligibilityVerification.client_id == Client.id,
                            EligibilityVerification.verified_on >= fresh_since))
        .order_by(Client.last_name)))
    return FrontDesk(unfinished, to_verify)


def claim_counts(practice_id: int) -> dict[str, int]:
    """Claims waiting on the biller: ready to send, rejected, denied."""
    wanted = (ClaimStatus.READY.value, ClaimStatus.REJECTED.value, ClaimStatus.DENIED.value)
    counts = Counter({status: 0 for status in wanted})
    for status, count in db.session.execute(
            select(Claim.status, func.count()).where(Claim.practice_id == practice_id, Claim.status.in_(wanted))
            .group_by(Claim.status)):
        counts[status] = count
    return dict(counts)


def next_steps(user: User) -> list[NextStep]:
    """The top of the home screen: dangers first."""
    steps = _own(user)
    if user.can("staff.manage"):
        steps += _owner(user)
    return sorted(steps, key=lambda step: step.tone != "danger")

"""The demo practice's referral network: the sources' specialties and how they want reports, a year of
calls, visits and lunch-and-learns with follow-ups (one overdue, one due this week), one source gone
quiet, and clients discharged over the past months, enough of them from Dr Ortiz that the
effectiveness page and its PDF show figures (five, the fewest shown), and two from Jordan Brooks, whose figures stay hidden.
Also a few eligibility checks, so that some active clients' records are complete and the readiness
dashboard shows clients in every state."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from ..extensions import db
from ..models import (
    Client,
    EligibilityVerification,
    IntakeResponse,
    PlanGoal,
    PlanVersion,
    Practice,
    Referral,
    ReferringProvider,
    SessionLog,
    User,
    utcnow,
)
from ..services import measures, network, reports

# key: (specialty, address, email, preferred delivery)
DETAILS = {
    "ortiz": ("Orthopaedic surgery", "2150 W Harrison St, Suite 400\nChicago, IL 60612", None, "fax"),
    "greene": ("Family medicine", "3044 N Lincoln Ave\nChicago, IL 60657", None, "fax"),
    "patel": ("Neurology", "680 N Lake Shore Dr, Suite 1100\nChicago, IL 60611", "referrals@northsideneuro.example",
              "secure_email"),
    "brooks": ("Orthopaedic physical therapy", "1010 Lake St\nOak Park, IL 60301", "jbrooks@motionpt.example",
               "secure_email"),
    "chen": ("Chiropractic", "1111 W Randolph St\nChicago, IL 60607", None, "mail"),
}

# (kind, days ago, staff key, source keys, notes, follow-up in days from the activity or None, done)
ACTIVITIES = (
    ("educational_session", 300, "dana", ("ortiz", "brooks"),
     "Lunch-and-learn at Riverside Orthopedics: what medical exercise does after a knee replacement.", 14, True),
    ("visit", 210, "dana", ("chen",), "Dropped off brochures; Dr Chen sends back-pain clients who finish care.", None,
     False),
    ("networking_event", 200, "dana", ("greene", "patel"),
     "Chicago Medical Society spring mixer. Dr Greene asked about balance programs for fallers.", 10, True),
    ("educational_session", 60, "priya", ("patel",),
     "In-service for the neurology nurses on amplitude-based exercise in early Parkinson disease.", 30, True),
    ("educational_session", 75, "dana", ("ortiz", "brooks"),
     "Quarterly lunch-and-learn: outcome measures we report (TUG, 30-second chair stand) and how to read them.",
     80, False),
    ("call", 40, "tom", ("greene",), "Confirmed the fax number for progress reports.", 35, False),
    ("visit", 20, "dana", ("brooks",), "Met the new clinic manager; agreed on a discharge hand-off checklist.", None,
     False),
    ("call", 6, "dana", ("ortiz",), "Shared the first effectiveness summary; Dr Ortiz asked for it quarterly.", 40,
     False),
)


@dataclass(frozen=True)
class Discharged:
    first: str
    last: str
    born: date
    sex: str
    provider: str
    trainer: str
    weeks_ago: int  # discharged this many weeks ago
    tug: tuple[float, float]  # baseline, at discharge
    chair: tuple[int, int]
    visits: int
    sent_after_days: int | None  # the discharge summary faxed this many days after its period ended


# Orthopaedic clients after joint replacement or with knee osteoarthritis; most reach the goal. Each
# discharge summary is a real PDF (a few seconds each to draw), so the demo keeps to the fewest that show figures.
DISCHARGED = (
    Discharged("Margaret", "Lindqvist", date(1949, 3, 2), "F", "ortiz", "marcus", 4, (17.8, 11.2), (7, 12), 22, 2),
    Discharged("Thomas", "Okafor", date(1952, 8, 19), "M", "ortiz", "priya", 7, (15.9, 11.5), (8, 13), 20, 3),
    Discharged("Carol", "Haddad", date(1947, 12, 5), "F", "ortiz", "marcus", 10, (19.4, 13.1), (6, 9), 24, 12),
    Discharged("Richard", "Svoboda", date(1950, 5, 27), "M", "ortiz", "dana", 13, (14.6, 10.9), (9, 14), 18, 1),
    Discharged("George", "Abernathy", date(1944, 1, 30), "M", "ortiz", "marcus", 19, (18.9, 15.6), (6, 8), 16, 9),
    Discharged("Helen", "Vargas", date(1961, 4, 14), "F", "brooks", "priya", 6, (12.9, 9.8), (11, 15), 14, 3),
    Discharged("Nancy", "Ferraro", date(1953, 2, 17), "F", "brooks", "marcus", 18, (15.0, 11.9), (9, 12), 17, 2),
)
PLAN_WEEKS = 10


def seed_network(practice: Practice, people: dict[str, User], providers: dict[str, ReferringProvider],
                 charts: list[tuple[object, Client]]) -> None:
    owner = people["dana"]
    now = utcnow()
    today = now.astimezone(practice.zone).date()
    for key, (specialty, address, email, delivery) in DETAILS.items():
        provider = providers[key]
        provider.specialty, provider.address, provider.email, provider.preferred_delivery = (specialty, address, email,
                                                                                              delivery)
        # Known to the practice for over a year: a source never contacted is quiet from the day it was added.
        provider.created_at = now - timedelta(days=420)
    db.session.flush()
    for kind, days_ago, who, keys, notes, follow_up, done in ACTIVITIES:
        held_on = today - timedelta(days=days_ago)
        activity = network.add_activity(owner, kind=kind, held_on=held_on, staff_id=people[who].id,
                                        source_ids=[providers[k].id for k in keys], notes=notes,
                                        follow_up_on=held_on + timedelta(days=follow_up) if follow_up else None)
        if done:
            activity.follow_up_done_at = datetime.combine(held_on + timedelta(days=follow_up - 2), datetime.min.time(),
                                                          tzinfo=UTC)
    db.session.flush()
    for n, story in enumerate(DISCHARGED):
        _discharged(story, n, practice, people, providers[story.provider], today)
    _eligibility(charts, people["ellen"], today)
    db.session.commit()


def _discharged(story: Discharged, n: int, practice: Practice, people: dict[str, User], provider: ReferringProvider,
                today: date) -> None:
    trainer = people[story.trainer]
    ends = today - timedelta(weeks=story.weeks_ago)
    starts = ends - timedelta(weeks=PLAN_WEEKS)
    joined = datetime.combine(starts - timedelta(days=3), datetime.min.time(), tzinfo=practice.zone).replace(hour=10)
    client = Client(practice_id=practice.id, first_name=story.first, last_name=story.last, date_of_birth=story.born,
                    sex=story.sex, phone=f"(312) 555-02{n + 10}",
                    email=f"{story.first.lower()}.{story.last.lower()}@mail.example", self_pay=True,
                    primary_trainer_id=trainer.id, created_at=joined.astimezone(UTC))
    db.session.add(client)
    db.session.flush()
    client.practice = practice
    db.session.add(Referral(practice_id=practice.id, client_id=client.id, provider_id=provider.id,
                            referred_on=(joined - timedelta(days=9)).date(),
                            reason="Knee osteoarthritis and deconditioning; strengthening and gait.",
                            recorded_by_id=people["tom"].id, created_at=joined.astimezone(UTC)))
    db.session.add(IntakeResponse(practice_id=practice.id, client_id=client.id, form_version="demo", answers={},
                                  started_at=joined.astimezone(UTC), updated_at=joined.astimezone(UTC),
                                  completed_at=(joined + timedelta(minutes=25)).astimezone(UTC), clearance_reasons=[]))
    first_test = (joined + timedelta(days=2, hours=1)).astimezone(UTC)
    last_test = datetime.combine(ends, datetime.min.time(), tzinfo=practice.zone).replace(hour=11).astimezone(UTC)
    for moment, tug, chair in ((first_test, story.tug[0], story.chair[0]), (last_test, story.tug[1], story.chair[1])):
        measures.record(trainer, client, "tug", {"trials": [round(tug + d, 2) for d in (0.4, -0.3, -0.1)]},
                        idempotency_key=str(uuid.uuid4()), performed_at=moment, entered_at=moment, walking_aid="none")
        measures.record(trainer, client, "chair_stand_30s", {"count": chair, "arms_used": False},
                        idempotency_key=str(uuid.uuid4()), performed_at=moment + timedelta(minutes=5),
                        entered_at=moment + timedelta(minutes=5))
    plan = PlanVersion(practice_id=practice.id, client_id=client.id, version=1, reason="First plan",
                       created_by_id=trainer.id, created_at=first_test, starts_on=starts,
                       review_on=starts + timedelta(weeks=5), frequency_per_week=2, duration_weeks=PLAN_WEEKS,
                       scope_overrides=[])
    db.session.add(plan)
    db.session.flush()
    db.session.add(PlanGoal(practice_id=practice.id, plan_id=plan.id, position=1,
                            description="Walk to the mailbox and back without stopping", target_kind="measure",
                            target_key="tug", side="na", direction="below", target_value=12.0, unit="s",
                            baseline_value=story.tug[0], by_week=PLAN_WEEKS))
    span = (ends - starts).days
    for visit in range(story.visits):
        day = starts + timedelta(days=round(visit * span / story.visits))
        started = datetime.combine(day, datetime.min.time(), tzinfo=practice.zone).replace(hour=9).astimezone(UTC)
        db.session.add(SessionLog(practice_id=practice.id, client_id=client.id, trainer_id=trainer.id, plan_id=plan.id,
                                  started_at=started, ended_at=started + timedelta(minutes=50),
                                  minutes_therapeutic_exercise=40, scope_overrides=[],
                                  note_client_report="Feeling stronger on the stairs.",
                                  note_performance="Completed the plan's exercises.", note_response="Tolerated well.",
                                  note_plan="Continue as planned.", signed_at=started + timedelta(minutes=70),
                                  signed_by_id=trainer.id))
    db.session.flush()
    report = reports.start(trainer, client, kind="discharge", period_start=starts, period_end=ends, recipient=provider)
    signed_at = datetime.combine(ends + timedelta(days=1), datetime.min.time(), tzinfo=practice.zone) \
        .replace(hour=16).astimezone(UTC)
    report.created_at = signed_at - timedelta(hours=2)
    reports.save_draft(trainer, report, overrides=[], recommendations=(
        "Goals reviewed at discharge. Continue the home program three times a week; return if function declines."))
    reports.finalize(trainer, report, at=signed_at)
    if story.sent_after_days is not None:
        reports.record_disclosure(trainer, client, document_type="progress_report", document_id=report.id,
                                  method="fax", recipient=provider.display_name, recipient_address=provider.fax,
                                  purpose="treatment", at=signed_at + timedelta(days=story.sent_after_days))


def _eligibility(charts, biller: User, today: date) -> None:
    """Eligibility checked for most insured clients (two are not yet: the dashboard's red items)."""
    for story, client in charts:
        if story.last in ("Kowalski", "Martinez", "DiMarco"):
            continue
        for coverage in client.coverages:
            if coverage.priority != 1:
                continue
            db.session.add(EligibilityVerification(
                practice_id=client.practice_id, client_id=client.id, coverage_id=coverage.id,
                verified_on=max(client.created_at.date(), today - timedelta(days=40)), method="portal", active=True,
                reference=f"DEMO-{client.id:05d}", verified_by_id=biller.id))

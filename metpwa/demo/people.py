"""The demo practice's people: credentials (one lapsing in 20 days, one lapsed so that trainer cannot
sign while the practice's signing block is on, and a renewed card kept in the history), continuing
education, and in-service trainings with who attended and attested (one HIPAA training overdue, one
attendance still waiting for its attestation), and one invitation still waiting for its new trainer.
Named people.py: demo/__init__ uses services.staff."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from ..clock import practice_today
from ..extensions import db
from ..models import (
    ContinuingEducation,
    Practice,
    StaffCredential,
    StaffInvitation,
    TrainingCompletion,
    TrainingSession,
    User,
    utcnow,
)

UTC_NOON = time(17, 0)


def _at(day: date) -> datetime:
    from datetime import UTC

    return datetime.combine(day, UTC_NOON, tzinfo=UTC)


def _card(practice: Practice, person: User, kind: str, *, number: str | None, issuer: str, issued: date,
          expires: date | None, recorder: User, superseded: datetime | None = None) -> StaffCredential:
    card = StaffCredential(practice_id=practice.id, user_id=person.id, kind=kind, number=number, issuer=issuer,
                           issued_on=issued, expires_on=expires, recorded_by_id=recorder.id,
                           recorded_at=_at(issued), superseded_at=superseded)
    db.session.add(card)
    return card


def _credentials(practice: Practice, people: dict[str, User], today: date) -> None:
    dana, marcus, priya = people["dana"], people["marcus"], people["priya"]
    meti, aha = "Medical Exercise Training Institute (METI)", "American Heart Association"
    # Dana: current on everything, and her NPI (checked by its check digit).
    _card(practice, dana, "mes", number="MES-20417", issuer=meti, issued=today - timedelta(days=330),
          expires=today + timedelta(days=400), recorder=dana)
    _card(practice, dana, "cpr_aed", number="AHA-55120934", issuer=aha, issued=today - timedelta(days=200),
          expires=today + timedelta(days=530), recorder=dana)
    _card(practice, dana, "npi", number="1245319599", issuer="CMS (NPPES)", issued=date(2019, 4, 2), expires=None,
          recorder=dana)
    # Marcus: his MES was renewed last spring (the old card stays in the history); CPR/AED lapses in 20 days.
    old = _card(practice, marcus, "mes", number="MES-18873", issuer=meti, issued=today - timedelta(days=1050),
                expires=today - timedelta(days=320), recorder=dana)
    old.superseded_at = _at(today - timedelta(days=330))
    _card(practice, marcus, "mes", number="MES-18873", issuer=meti, issued=today - timedelta(days=330),
          expires=today + timedelta(days=400), recorder=dana)
    _card(practice, marcus, "cpr_aed", number="AHA-48812207", issuer=aha, issued=today - timedelta(days=710),
          expires=today + timedelta(days=20), recorder=dana)
    # Priya: AMES current, CPR/AED lapsed 12 days ago: with the signing block on she cannot sign until
    # the new card is recorded (the class is booked; Staff > Priya > Credentials says so).
    _card(practice, priya, "ames", number="AMES-3021", issuer=meti, issued=today - timedelta(days=150),
          expires=today + timedelta(days=580), recorder=dana)
    _card(practice, priya, "cpr_aed", number="ARC-0X7Q21", issuer="American Red Cross",
          issued=today - timedelta(days=742), expires=today - timedelta(days=12), recorder=priya)


def _continuing_education(practice: Practice, people: dict[str, User], today: date) -> None:
    entries = (
        ("dana", "Post-rehab programming for total knee replacement", "METI", "3", 95, ["mes"]),
        ("dana", "Exercise and Parkinson's disease", "ACSM", "1.5", 40, ["mes"]),
        ("marcus", "Shoulder impingement: exercise progressions", "METI", "2.5", 120, ["mes"]),
        ("marcus", "Observation hours, outpatient orthopedic PT", "Motion Physical Therapy", "1", 30, ["mes"]),
        ("priya", "Balance training after stroke", "METI", "1", 60, ["ames"]),
    )
    for who, title, provider, hours, days_ago, counts in entries:
        person = people[who]
        db.session.add(ContinuingEducation(
            practice_id=practice.id, user_id=person.id, title=title, provider=provider, hours=Decimal(hours),
            completed_on=today - timedelta(days=days_ago), counts_toward=counts, recorded_by_id=person.id,
            recorded_at=_at(today - timedelta(days=days_ago - 1))))


def _trainings(practice: Practice, people: dict[str, User], today: date) -> None:
    dana = people["dana"]
    everyone = [people[k] for k in ("dana", "marcus", "priya", "tom", "ellen")]
    sessions = (
        # (topic, title, days ago, presenter, minutes, attendees, attested)
        ("hipaa", "HIPAA privacy and security refresher", 430, "Dana Whitfield", 60, [people["priya"]], True),
        ("hipaa", "HIPAA privacy and security: annual training", 300, "Dana Whitfield", 60,
         [p for p in everyone if p is not people["priya"]], True),
        ("emergency", "Emergency plan drill: falls, syncope and the AED", 90, "Chicago Fire Dept. CPR instructor", 90,
         [dana, people["marcus"], people["priya"], people["tom"]], True),
        ("documentation", "Session notes that describe function", 40, "Dana Whitfield", 45,
         [dana, people["marcus"], people["priya"]], False),
        ("assessment", "Running the 30-second chair stand and TUG the same way", 150, "Priya Raman", 45,
         [dana, people["marcus"], people["priya"]], True),
    )
    for topic, title, days_ago, presenter, minutes, attendees, attested in sessions:
        held = today - timedelta(days=days_ago)
        session = TrainingSession(practice_id=practice.id, topic=topic, title=title, held_on=held, presenter=presenter,
                                  minutes=minutes, created_by_id=dana.id, created_at=_at(held))
        db.session.add(session)
        db.session.flush()
        for person in attendees:
            # Marcus has not yet confirmed the documentation session: it waits on his home screen.
            confirmed = attested or person is not people["marcus"]
            db.session.add(TrainingCompletion(
                practice_id=practice.id, session_id=session.id, user_id=person.id, completed_on=held,
                attested_at=_at(held + timedelta(days=1)) if confirmed else None, recorded_by_id=dana.id,
                recorded_at=_at(held)))


def _pending_invitation(practice: Practice, people: dict[str, User]) -> None:
    """Sent yesterday, not yet opened: the owner's Staff page shows it with Send again and Cancel. Its
    link's token was never kept, as for any invitation; Send again mails a new link (in development, an
    .eml file in instance/outgoing-mail)."""
    import hashlib
    import secrets

    from flask import current_app

    sent = utcnow() - timedelta(days=1)
    db.session.add(StaffInvitation(
        practice_id=practice.id, email="jordan@riverside.example", full_name="Jordan Reyes", role="trainer",
        credentials="MES", token_hash=hashlib.sha256(secrets.token_urlsafe(32).encode()).hexdigest(),
        created_by_id=people["dana"].id, created_at=sent, sent_at=sent, sent_count=1,
        expires_at=sent + timedelta(hours=int(current_app.config["INVITATION_HOURS"]))))


def seed_staff(practice: Practice, people: dict[str, User]) -> None:
    """Everyone above was there before the practice turned on the new-staff HIPAA gate; the signing
    block goes on last, after the history of signed sessions was written."""
    today = practice_today(practice)
    _credentials(practice, people, today)
    _continuing_education(practice, people, today)
    _trainings(practice, people, today)
    _pending_invitation(practice, people)
    practice.hipaa_gate_since = utcnow()
    practice.signing_requires_credentials = True
    db.session.flush()

"""The demo practice: realistic staff and clients so a person can try metpwa at once."""

from __future__ import annotations

from datetime import date, timedelta

import click
from sqlalchemy import select

from .extensions import db
from .models import Client, User, utcnow
from .permissions import Role
from .services import staff

DEMO_PASSWORD = "riverside-demo-2026"
DEMO_PIN = "2468"
DEMO_PRACTICE = "Riverside Medical Exercise"

STAFF = (
    # (role, full name, email, credentials, NPI)
    (Role.OWNER, "Dana Whitfield", "dana@riverside.example", "MES, ACSM-EP", None),
    (Role.TRAINER, "Marcus Lee", "marcus@riverside.example", "MES, CSCS", None),
    (Role.TRAINER, "Priya Raman", "priya@riverside.example", "AMES, ACSM-CEP", None),
    (Role.FRONT_DESK, "Tom Alvarez", "tom@riverside.example", None, None),
    (Role.BILLER, "Ellen Ortiz", "ellen@riverside.example", "CPC", None),
)

CLIENTS = (
    # (first, last, preferred, born, sex, phone, trainer email, weeks as a client)
    ("Margaret", "Ellison", "Peggy", date(1951, 3, 14), "F", "(312) 555-0142", "marcus@riverside.example", 9),
    ("Harold", "Brooks", None, date(1948, 11, 2), "M", "(312) 555-0187", "marcus@riverside.example", 7),
    ("Linda", "Castillo", None, date(1959, 6, 21), "F", "(773) 555-0119", "priya@riverside.example", 6),
    ("Robert", "Nguyen", "Bob", date(1955, 1, 30), "M", "(773) 555-0164", "priya@riverside.example", 8),
    ("Evelyn", "Park", None, date(1944, 9, 8), "F", "(312) 555-0103", "marcus@riverside.example", 5),
    ("James", "O'Connor", "Jim", date(1962, 4, 17), "M", "(708) 555-0171", "priya@riverside.example", 4),
    ("Dorothy", "Washington", "Dot", date(1950, 12, 5), "F", "(708) 555-0128", "marcus@riverside.example", 10),
    ("Samuel", "Feldman", None, date(1957, 8, 11), "M", "(312) 555-0195", "priya@riverside.example", 3),
    ("Grace", "Kowalski", None, date(1966, 2, 24), "F", "(773) 555-0152", "dana@riverside.example", 6),
    ("Walter", "Jefferson", "Walt", date(1946, 7, 19), "M", "(708) 555-0136", "marcus@riverside.example", 2),
    ("Rosa", "Martinez", None, date(1953, 10, 3), "F", "(773) 555-0180", "priya@riverside.example", 1),
    ("Frank", "DiMarco", None, date(1960, 5, 28), "M", "(312) 555-0111", "dana@riverside.example", 0),
)


def seed() -> list[tuple[str, str]]:
    """Create the demo practice; returns (role label, email) pairs for the sign-in list."""
    if db.session.scalar(select(User).where(User.email == STAFF[0][2])) is not None:
        raise click.UsageError("The demo practice is already loaded.")
    practice = staff.create_practice(DEMO_PRACTICE, "America/Chicago")
    practice.phone = "(312) 555-0100"
    practice.address = "1400 W Riverside Ave, Suite 2, Chicago, IL 60607"
    by_email: dict[str, User] = {}
    for role, full_name, email, credentials, npi in STAFF:
        user = staff.create_user(practice, email=email, full_name=full_name, role=role,
                                 password=DEMO_PASSWORD, credentials=credentials, npi=npi)
        if role in (Role.OWNER, Role.TRAINER):
            staff.set_pin_unchecked(user, DEMO_PIN)
        by_email[email] = user
    now = utcnow()
    for first, last, preferred, born, sex, phone, trainer, weeks in CLIENTS:
        db.session.add(Client(
            practice_id=practice.id, first_name=first, last_name=last, preferred_name=preferred,
            date_of_birth=born, sex=sex, phone=phone,
            email=f"{first.lower()}.{last.lower().replace(chr(39), '')}@mail.example",
            primary_trainer_id=by_email[trainer].id, created_at=now - timedelta(weeks=weeks, days=2),
        ))
    db.session.commit()
    return [(role.label, email) for role, _, email, _, _ in STAFF]

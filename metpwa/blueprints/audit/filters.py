"""The report filters, read from the query string: bad values get a message at the field, never a 500."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from ...clock import practice_today
from ...extensions import db
from ...forms import parse_us_date
from ...models import Client, User
from ...scoping import record_id_or_none
from ...services.audit import ACTIONS, AuditFilter


@dataclass
class Filters:
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    first: date | None = None
    last: date | None = None
    query: AuditFilter | None = None

    @property
    def as_args(self) -> dict[str, str]:
        return {k: v for k, v in self.values.items() if v}


def _local_midnight(day: date, zone) -> datetime:
    return datetime.combine(day, time(), tzinfo=zone)


def read(args: MultiDict, *, default_days: int = 30) -> Filters:
    names = ("from", "to", "user", "client", "action")
    values = {name: args.get(name, "").strip()[:40] for name in names}
    practice = current_user.practice
    today = practice_today(practice)
    result = Filters(values)
    first = parse_us_date(values["from"]) if values["from"] else today - timedelta(days=default_days - 1)
    last = parse_us_date(values["to"]) if values["to"] else today
    # The trail starts with the practice; far-off years are typing slips (and would overflow).
    if first is None or not 2000 <= first.year <= 2200:
        result.errors["from"] = "Enter a date as MM/DD/YYYY."
        first = None
    if last is None or not 2000 <= last.year <= 2200:
        result.errors["to"] = "Enter a date as MM/DD/YYYY."
        last = None
    if first and last and first > last:
        result.errors["from"] = "The first day must come before the last."
    user_id = client_id = None
    if values["user"]:
        user_id = record_id_or_none(values["user"])
        if user_id is None or db.session.get(User, user_id) is None \
                or db.session.get(User, user_id).practice_id != practice.id:
            result.errors["user"] = "Choose a staff member from the list."
    if values["client"]:
        client_id = record_id_or_none(values["client"])
        if client_id is None or db.session.get(Client, client_id) is None \
                or db.session.get(Client, client_id).practice_id != practice.id:
            result.errors["client"] = "Choose a client from the list."
    if values["action"] and values["action"] not in ACTIONS:
        result.errors["action"] = "Choose an action from the list."
    result.first, result.last = first, last
    if not result.errors:
        zone = practice.zone
        result.query = AuditFilter(practice_id=practice.id, since=_local_midnight(first, zone),
                                   until=_local_midnight(last + timedelta(days=1), zone), user_id=user_id,
                                   client_id=client_id, action=values["action"] or None)
    return result


def staff_choices() -> list[User]:
    return list(db.session.scalars(select(User).where(User.practice_id == current_user.practice_id)
                                   .order_by(User.full_name)))


def client_choices() -> list[Client]:
    return list(db.session.scalars(select(Client).where(Client.practice_id == current_user.practice_id)
                                   .order_by(Client.last_name, Client.first_name)))

"""Finding and opening client records; every look at a client is audited."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import func, or_, select

from ..database import take_write_lock
from ..extensions import db
from ..forms import parse_us_date
from ..models import Client, Coverage, EmergencyContact, User, utcnow
from ..scoping import get_for_practice, practice_select
from . import audit

SEARCH_LIMIT = 50


def parse_date_query(text: str) -> date | None:
    """Accept the ways front desk types a birth date: 3/14/1952, 03-14-1952, 1952-03-14, and
    3/14/52 (a birth year of 52 is 1952, as on the registration form)."""
    return parse_us_date(text, past=True)


def search(user: User, query: str = "", *, mine_only: bool = False) -> list[Client]:
    stmt = practice_select(Client).where(Client.archived_at.is_(None))
    query = query.strip()[:80]
    if query:
        born = parse_date_query(query)
        digits = re.sub(r"\D", "", query)
        if born is not None:
            stmt = stmt.where(Client.date_of_birth == born)
        elif len(digits) >= 4 and len(digits) >= len(query.replace(" ", "")) - 3:
            stmt = stmt.where(Client.phone_digits.contains(digits))
        else:
            # "Ellison, Peggy" is how the list and the schedule write a name.
            for word in [word for word in re.split(r"[\s,]+", query) if word][:3]:
                like = f"%{_escape_like(word)}%"
                stmt = stmt.where(
                    or_(
                        Client.first_name.ilike(like, escape="\\"),
                        Client.last_name.ilike(like, escape="\\"),
                        Client.preferred_name.ilike(like, escape="\\"),
                    )
                )
    if mine_only:
        stmt = stmt.where(Client.primary_trainer_id == user.id)
    clients = list(db.session.scalars(stmt.order_by(Client.last_name, Client.first_name).limit(SEARCH_LIMIT)))
    audit.record("read", None, user=user, detail={"list": "clients", "query": query, "shown": len(clients)})
    db.session.commit()
    return clients


def open_chart(user: User, client_id: int) -> Client:
    client = get_for_practice(Client, client_id)
    audit.record("read", client, user=user, detail={"view": "chart"})
    db.session.commit()
    return client


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")



CLIENT_FIELDS = ("first_name", "middle_name", "last_name", "preferred_name", "date_of_birth", "sex", "phone",
                 "email", "address_line1", "address_line2", "city", "state", "postal_code", "self_pay",
                 "primary_trainer_id")


def possible_duplicates(practice_id: int, first_name: str, last_name: str, born: date,
                        exclude_id: int | None = None) -> list[Client]:
    """Same first and last name (any case) and the same birth date: likely the same person."""
    stmt = select(Client).where(
        Client.practice_id == practice_id,
        func.lower(Client.first_name) == first_name.strip().lower(),
        func.lower(Client.last_name) == last_name.strip().lower(),
        Client.date_of_birth == born,
    )
    if exclude_id is not None:
        stmt = stmt.where(Client.id != exclude_id)
    return list(db.session.scalars(stmt))


def register(user: User, values: dict, contact: dict) -> Client:
    """Create the client with their first emergency contact in one step."""
    client = Client(practice_id=user.practice_id, **{k: v for k, v in values.items() if k in CLIENT_FIELDS})
    db.session.add(client)
    db.session.flush()
    db.session.add(EmergencyContact(practice_id=client.practice_id, client_id=client.id, position=1, **contact))
    audit.record("create", client, user=user)
    db.session.commit()
    return client


def update_details(user: User, client: Client, values: dict) -> list[str]:
    """Apply demographic changes; the audit names the fields changed, not their values."""
    changed = []
    for key, value in values.items():
        if key in CLIENT_FIELDS and getattr(client, key) != value:
            setattr(client, key, value)
            changed.append(key)
    if changed:
        audit.record("update", client, user=user, detail={"fields": changed})
    db.session.commit()
    return changed


def _hold_client(client: Client) -> None:
    """Take the write turn and the client's row until commit, then re-read the client's live
    contacts and plans, so a double tap finds what the first tap saved."""
    take_write_lock(db.session.connection())
    db.session.execute(select(Client.id).where(Client.id == client.id).with_for_update())
    db.session.refresh(client, attribute_names=["emergency_contacts", "coverages"])


def _on_file(rows, values: dict, *keys: str):
    """The live row that matches what was typed on these fields (a double tap), or None."""
    return next((row for row in rows if all(getattr(row, key) == values.get(key) for key in keys)), None)


def add_contact(user: User, client: Client, values: dict) -> EmergencyContact:
    """Add a contact; the same person with the same phone already listed (a double tap) is that
    one, not a second row."""
    _hold_client(client)
    if (same := _on_file(client.emergency_contacts, values, "name", "phone")) is not None:
        db.session.commit()
        return same
    position = 1 + max((c.position for c in client.emergency_contacts), default=0)
    contact = EmergencyContact(practice_id=client.practice_id, client_id=client.id, position=position, **values)
    db.session.add(contact)
    db.session.flush()
    audit.record("create", contact, user=user, client_id=client.id)
    db.session.commit()
    return contact


def remove_contact(user: User, contact: EmergencyContact) -> None:
    contact.removed_at = utcnow()
    audit.record("delete", contact, user=user, client_id=contact.client_id)
    db.session.commit()


def add_coverage(user: User, client: Client, values: dict) -> Coverage:
    """Insert at the chosen priority; plans at that priority or after move down one. The same
    card already on file (kind of plan and member ID: a double tap) is that plan, not a second."""
    _hold_client(client)
    if (same := _on_file(client.coverages, values, "payer_kind", "member_id")) is not None:
        db.session.commit()
        return same
    priority = max(1, min(int(values.pop("priority", 1)), len(client.coverages) + 1))
    for existing in client.coverages:
        if existing.priority >= priority:
            existing.priority += 1
    coverage = Coverage(practice_id=client.practice_id, client_id=client.id, priority=priority, **values)
    db.session.add(coverage)
    db.session.flush()
    audit.record("create", coverage, user=user, client_id=client.id, detail={"priority": priority})
    db.session.commit()
    return coverage


def end_coverage(user: User, coverage: Coverage) -> None:
    # Read again under the write turn: ending a plan twice (a double tap, Back then tap) moved every
    # later plan up twice, leaving two primaries.
    take_write_lock(db.session.connection())
    db.session.refresh(coverage, with_for_update=True)
    if coverage.ended_at is not None:
        db.session.commit()
        return
    coverage.ended_at = utcnow()
    for later in db.session.scalars(
        select(Coverage).where(Coverage.client_id == coverage.client_id, Coverage.ended_at.is_(None),
                               Coverage.priority > coverage.priority)
    ):
        later.priority -= 1
    audit.record("delete", coverage, user=user, client_id=coverage.client_id)
    db.session.commit()

"""Finding and opening client records; every look at a client is audited."""

from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy import or_

from ..extensions import db
from ..models import Client, User
from ..scoping import get_for_practice, practice_select
from . import audit

SEARCH_LIMIT = 50


def parse_date_query(text: str) -> date | None:
    """Accept the ways front desk types a birth date: 3/14/1952, 03-14-1952, 1952-03-14."""
    for pattern in ("%m/%d/%Y", "%m-%d-%Y", "%Y-%m-%d", "%m/%d/%y"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


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
            for word in query.split()[:3]:
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


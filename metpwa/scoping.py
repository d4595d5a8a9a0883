"""The one way to load a practice's records: anything from another practice is a 404.

Every table that holds client data carries practice_id, so the same two
functions scope clients, their documents and their child rows alike.
"""

from __future__ import annotations

from typing import TypeVar

from flask import abort
from flask_login import current_user
from sqlalchemy import Select, select

from .extensions import db

M = TypeVar("M")
# Record ids are 32-bit integers (INTEGER in PostgreSQL); a larger number from a tampered form or
# URL is no record, and would make the database refuse the query (a server error, not a 404).
MAX_ID = 2**31 - 1


def record_id(value: str) -> int:
    """A record id sent by a form, as `request.form.get(name, type=record_id)`: ASCII digits within
    the id range, else ValueError (which `get` turns into its default). Python's int() would also
    take "١٢" or "1_000", which no page sends."""
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= MAX_ID:
        raise ValueError(f"not a record id: {value[:20]!r}")
    return int(text)


def record_id_or_none(value: str) -> int | None:
    """record_id for values that may be blank or junk (a filter, a builder row): None then."""
    try:
        return record_id(value)
    except ValueError:
        return None


def practice_select(model: type[M]) -> Select[tuple[M]]:
    """SELECT model rows of the signed-in user's practice only."""
    return select(model).where(model.practice_id == current_user.practice_id)  # type: ignore[attr-defined]


def get_for_practice(model: type[M], ident: int) -> M:
    """The row with this id in the user's practice, or 404 (never 403: ids of
    other practices must not be confirmed to exist)."""
    if not 0 < ident <= MAX_ID:
        abort(404)
    row = db.session.scalar(practice_select(model).where(model.id == ident))  # type: ignore[attr-defined]
    if row is None:
        abort(404)
    return row


def get_for_client(model: type[M], ident: int, client_id: int) -> M:
    """A child record (document, referral, signature...) of this client in this practice, or 404."""
    if not 0 < ident <= MAX_ID:
        abort(404)
    row = db.session.scalar(
        practice_select(model).where(model.id == ident, model.client_id == client_id)  # type: ignore[attr-defined]
    )
    if row is None:
        abort(404)
    return row

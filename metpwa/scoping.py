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


def practice_select(model: type[M]) -> Select[tuple[M]]:
    """SELECT model rows of the signed-in user's practice only."""
    return select(model).where(model.practice_id == current_user.practice_id)  # type: ignore[attr-defined]


def get_for_practice(model: type[M], ident: int) -> M:
    """The row with this id in the user's practice, or 404 (never 403: ids of
    other practices must not be confirmed to exist)."""
    row = db.session.scalar(practice_select(model).where(model.id == ident))  # type: ignore[attr-defined]
    if row is None:
        abort(404)
    return row


def get_for_client(model: type[M], ident: int, client_id: int) -> M:
    """A child record (document, referral, signature...) of this client in this practice, or 404."""
    row = db.session.scalar(
        practice_select(model).where(model.id == ident, model.client_id == client_id)  # type: ignore[attr-defined]
    )
    if row is None:
        abort(404)
    return row

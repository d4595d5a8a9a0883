"""Functional outcome measures on the tablet: pick a test, run it with its control, see what the
result means, save it once; trends per measure."""

from flask import Blueprint

bp = Blueprint("measures", __name__, url_prefix="/clients/<int:client_id>/measures")

from . import routes  # noqa: E402,F401

"""The practice's billing set-up: the billing provider, rendering and supervising providers, payers,
the fee schedule and supervision on record (owner and biller)."""

from flask import Blueprint

bp = Blueprint("billing", __name__, url_prefix="/billing/setup")

from . import routes  # noqa: F401

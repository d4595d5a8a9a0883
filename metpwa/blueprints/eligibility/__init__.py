"""Eligibility checks of a client's coverage, prior authorisations, and the X12 270/271 exchange
(front desk, biller, owner)."""

from flask import Blueprint

bp = Blueprint("eligibility", __name__, url_prefix="/eligibility")

from . import routes  # noqa: F401

"""Referring providers, each client's referral with its order, and medical clearance."""

from flask import Blueprint

bp = Blueprint("referrals", __name__)

from . import routes  # noqa: E402,F401

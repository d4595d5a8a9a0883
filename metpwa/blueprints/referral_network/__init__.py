"""The referral network: sources with their referrals, conversion and reports, relationship activities
and follow-ups, and what MET achieved for the clients they sent (aggregates, and a one-page PDF)."""

from flask import Blueprint

bp = Blueprint("referral_network", __name__)

from . import routes  # noqa: E402,F401

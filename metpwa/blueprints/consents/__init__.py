"""Consent forms: the owner's versioned templates, signed PDFs and withdrawals."""

from flask import Blueprint

bp = Blueprint("consents", __name__)

from . import routes  # noqa: E402,F401

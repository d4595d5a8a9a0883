"""The exercise library: quick search and filters, and the practice's own exercises."""

from flask import Blueprint

bp = Blueprint("library", __name__, url_prefix="/library")

from . import routes  # noqa: E402,F401

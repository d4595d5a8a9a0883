"""The health-history intake as staff see it, and the step screens shared with hand-off mode."""

from flask import Blueprint

bp = Blueprint("intake", __name__)

from . import routes  # noqa: E402,F401

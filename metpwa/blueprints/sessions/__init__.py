"""The appointment book and the gym-floor session screen."""

from flask import Blueprint

bp = Blueprint("sessions", __name__)

from . import routes  # noqa: E402,F401

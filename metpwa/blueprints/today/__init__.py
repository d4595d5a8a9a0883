"""The trainer's home screen: today's clients."""

from flask import Blueprint

bp = Blueprint("today", __name__)

from . import routes  # noqa: E402,F401

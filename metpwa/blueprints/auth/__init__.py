"""Sign in, sign out, the shared-iPad lock screen and its unlock."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import routes  # noqa: E402,F401

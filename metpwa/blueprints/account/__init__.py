"""The signed-in person's own settings: unlock PIN and password."""

from flask import Blueprint

bp = Blueprint("account", __name__, url_prefix="/me")

from . import routes  # noqa: E402,F401

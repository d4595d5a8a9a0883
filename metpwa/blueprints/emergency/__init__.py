"""Emergency (break-glass) access: owners grant and end it; the holder starts it with a reason."""

from flask import Blueprint

bp = Blueprint("emergency", __name__, url_prefix="/emergency")

from . import routes  # noqa: E402,F401

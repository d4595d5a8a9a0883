"""Hand-off mode: the client fills in their own intake and signs consents on the iPad."""

from flask import Blueprint

bp = Blueprint("handoff", __name__, url_prefix="/handoff")

from . import routes  # noqa: E402,F401

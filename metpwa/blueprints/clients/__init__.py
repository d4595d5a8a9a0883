"""The client registry and each client's chart."""

from flask import Blueprint

bp = Blueprint("clients", __name__, url_prefix="/clients")

from . import routes  # noqa: E402,F401

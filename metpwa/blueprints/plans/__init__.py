"""The Plan of Exercise: view, build a new version, provider acknowledgement, printout."""

from flask import Blueprint

bp = Blueprint("plans", __name__, url_prefix="/clients/<int:client_id>/plan")

from . import routes  # noqa: E402,F401

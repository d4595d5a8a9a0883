"""Progress reports and discharge summaries to referring providers, and the Letter of Medical Necessity."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/clients/<int:client_id>")

from . import routes  # noqa: E402,F401

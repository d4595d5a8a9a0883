"""The owner's readiness dashboard: the twelve core elements, the clients whose records would not
survive an audit and why, each item linked to where it is fixed."""

from flask import Blueprint

from ...fixlinks import fix_url

bp = Blueprint("readiness", __name__)
# Every screen that shows readiness items (this dashboard, the client chart) links them the same way.
bp.add_app_template_global(fix_url, "fix_url")

from . import routes  # noqa: E402,F401

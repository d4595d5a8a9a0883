"""The owner's audit report and accounting of disclosures (HIPAA 164.312(b), 164.528)."""

from flask import Blueprint

bp = Blueprint("audit", __name__, url_prefix="/audit")

from . import routes  # noqa: E402,F401

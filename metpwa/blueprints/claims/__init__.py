"""Claims: the biller's queue of signed sessions not yet billed, each claim with the scrubber's
findings, its life cycle, and the outputs (837P batch, CMS-1500, superbill)."""

from flask import Blueprint

bp = Blueprint("claims", __name__, url_prefix="/claims")

from . import routes  # noqa: F401

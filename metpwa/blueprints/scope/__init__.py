"""The scope-of-practice guard in the browser: inline warnings and the practice's word list."""

from flask import Blueprint

bp = Blueprint("scope", __name__, url_prefix="/scope")

from . import routes  # noqa: E402,F401

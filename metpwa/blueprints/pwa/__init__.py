"""The installable shell: web app manifest, service worker and offline page."""

from flask import Blueprint

bp = Blueprint("pwa", __name__)

from . import routes  # noqa: E402,F401

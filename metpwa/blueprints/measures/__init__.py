"""Functional outcome measures on the tablet: pick a test, run it with its control, see what the
result means, save it once; trends per measure."""

from flask import Blueprint

bp = Blueprint("measures", __name__, url_prefix="/clients/<int:client_id>/measures")
# The guided screens without any client in them, for the service worker to keep: offline, a tap on a
# test from the session screen opens its shell, which names the client from the page already open
# (issue 20). Its own blueprint because its URLs name no client.
shell_bp = Blueprint("measure_shell", __name__, url_prefix="/measures/shell")

from . import routes  # noqa: E402,F401

"""The readiness dashboard and the list of clients failing one check of the evidence chain."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_login import current_user

from ...access import requires
from ...rules.readiness import CHECK_LABELS, Status, check_key
from ...services import audit, readiness
from . import bp

def _board():
    # Until the billing area's set-up screens are in the app, its elements say "not set up yet" rather
    # than showing red items with nowhere to fix them.
    return readiness.dashboard(current_user.practice, billing_screens="billing.payers" in current_app.view_functions)


STATUS_WORDS = {Status.READY: "Ready", Status.ATTENTION: "Coming due", Status.NOT_READY: "Needs work",
                Status.NOT_SET_UP: "Not set up yet"}


@bp.get("/readiness")
@requires("readiness.view")
def index():
    board = _board()
    # The page names every client with a gap in their record: a read of each of those charts' state.
    audit.viewed(practice_id=current_user.practice_id,
                 detail={"report": "readiness", "clients_named": [c.id for c, _ in board.not_ready]})
    return render_template("readiness/index.html", board=board, words=STATUS_WORDS)


@bp.get("/readiness/clients")
@requires("readiness.view")
def clients():
    check = request.args.get("check", "")
    if check not in CHECK_LABELS:
        check = ""
    board = _board()
    rows = [(client, [i for i in items if not check or check_key(i) == check]) for client, items in board.not_ready]
    rows = [(client, items) for client, items in rows if items]
    audit.viewed(practice_id=current_user.practice_id,
                 detail={"report": "readiness clients", "check": check, "clients_named": [c.id for c, _ in rows]})
    return render_template("readiness/clients.html", rows=rows, check=check, label=CHECK_LABELS.get(check, ""),
                           total=board.active_clients)

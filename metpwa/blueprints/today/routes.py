"""Today: what the signed-in person needs first."""

from datetime import datetime

from flask import render_template
from flask_login import current_user

from ...services import clients
from . import bp


@bp.get("/")
def index():
    now = datetime.now(current_user.practice.zone)
    mine = clients.search(current_user, mine_only=True) if current_user.can("clinical.view") else []
    return render_template("today/index.html", now=now, my_clients=mine)

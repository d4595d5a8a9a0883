"""Client list with search-as-you-type, and the chart."""

from datetime import date

from flask import render_template, request
from flask_login import current_user

from ...access import requires
from ...extensions import htmx
from ...services import clients
from . import bp


@bp.get("")
@requires("clients.view")
def index():
    query = request.args.get("q", "")
    results = clients.search(current_user, query)
    if htmx.target == "client-results":
        return render_template("clients/_results.html", clients=results, query=query)
    return render_template("clients/index.html", clients=results, query=query)


@bp.get("/<int:client_id>")
@requires("clients.view")
def chart(client_id: int):
    client = clients.open_chart(current_user, client_id)
    return render_template("clients/chart.html", client=client, today=date.today())

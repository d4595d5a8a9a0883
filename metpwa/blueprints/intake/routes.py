"""Intake overview on the chart, staff filling in steps with the client, and a fresh yearly intake."""

from flask import redirect, render_template, url_for
from flask_login import current_user

from ...access import requires
from ...models import Client
from ...rules import intake as intake_rules
from ...scoping import get_for_practice
from ...services import audit, intake
from . import bp
from ..intake_step import render_step, step_keys


@bp.get("/clients/<int:client_id>/intake")
@requires("clients.view")
def overview(client_id: int):
    client = get_for_practice(Client, client_id)
    latest = intake.latest(client.id)
    answered = intake.latest_complete(client.id)
    show_answers = current_user.can("clinical.view")
    # The health history is client data: who opened it is on the audit trail, as for the chart.
    audit.viewed(client, detail={"view": "intake", "answers_shown": show_answers})
    return render_template(
        "intake/overview.html", client=client, latest=latest, answered=answered,
        summary=intake_rules.summary(answered.answers) if answered and show_answers else [],
        draft_summary=intake_rules.summary(latest.answers) if latest and not latest.complete and show_answers else [],
        clearance=intake.clearance_for(answered) if answered else None,
        next_step=intake.first_open_step(latest) if latest and not latest.complete else None,
    )


@bp.route("/clients/<int:client_id>/intake/steps/<step_key>", methods=["GET", "POST"])
@requires("clinical.write")
def step(client_id: int, step_key: str):
    client = get_for_practice(Client, client_id)
    draft = intake.open_draft(current_user, client)
    if draft.complete:
        return redirect(url_for("intake.overview", client_id=client.id), code=303)
    return render_step(client, draft, step_key, layout="base.html",
                       action=lambda key: url_for("intake.step", client_id=client.id, step_key=key),
                       finished=url_for("intake.overview", client_id=client.id))


@bp.post("/clients/<int:client_id>/intake/new")
@requires("clients.edit")
def fresh(client_id: int):
    """A new intake (yearly update, or after a health change); the completed one stays on file."""
    client = get_for_practice(Client, client_id)
    draft = intake.start_or_resume(current_user, client, fresh=True)
    first = intake.first_open_step(draft) or step_keys()[0]
    if current_user.can("clinical.write"):
        return redirect(url_for("intake.step", client_id=client.id, step_key=first), code=303)
    return redirect(url_for("intake.overview", client_id=client.id), code=303)

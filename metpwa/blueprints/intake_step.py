"""One intake step screen, used by staff (in the chart, blueprints.intake) and by the client (in
hand-off mode, blueprints.handoff). It sits beside the area packages so neither imports the other."""

from collections.abc import Callable

from flask import abort, redirect, render_template, request
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from ..models import Client, IntakeResponse
from ..rules import intake as intake_rules
from ..services import audit, intake
from ..standards.intake_form import BODY_OUTLINE, BODY_REGIONS, BODY_VIEWBOX, STEP_BY_KEY, STEP_KEYS


def step_keys() -> tuple[str, ...]:
    return STEP_KEYS


def read_step(form: MultiDict) -> dict[str, list[str]]:
    """A step's boxes by name, every value of each: list questions grow rows the page names as it
    adds them (medications-2-dose), which rules.intake.validate_step checks box by box."""
    return form.to_dict(flat=False)


def _next_after(step_key: str, answers: dict) -> str | None:
    """The next unfinished step after this one, else the first unfinished one."""
    missing = intake_rules.missing_steps(answers)
    keys = step_keys()
    later = [key for key in keys[keys.index(step_key) + 1:] if key in missing]
    return (later or missing or [None])[0]


def render_step(client: Client, draft: IntakeResponse, step_key: str, *, layout: str,
                action: Callable[[str], str], finished: str, show_saved: bool = True):
    """One step; with show_saved False (hand-off started by someone who may not read clinical
    answers) saved steps are not shown again, only the steps still open."""
    if step_key not in STEP_BY_KEY:
        abort(404)
    done = set(STEP_KEYS) - set(intake_rules.missing_steps(draft.answers))
    if not show_saved and step_key in done:
        following = _next_after(step_key, draft.answers)
        return redirect(action(following) if following else finished, code=303)
    status = 200
    if request.method == "POST":
        result = intake.save_step(current_user, draft, step_key, read_step(request.form))
        if not result.errors:
            following = None if draft.complete else _next_after(step_key, draft.answers)
            return redirect(action(following) if following else finished, code=303)
        values, errors, status = result.raw, result.errors, 422
    else:
        values, errors = intake_rules.form_values(step_key, draft.answers), {}
        audit.viewed(client, detail={"view": "intake step", "step": step_key})
    keys = step_keys()
    return render_template(
        "intake/step.html", layout=layout, client=client, step=STEP_BY_KEY[step_key], values=values,
        errors=errors, number=keys.index(step_key) + 1, total=len(keys), keys=keys, action=action(step_key),
        back=action(keys[keys.index(step_key) - 1]) if keys.index(step_key) and show_saved else None,
        list_rows=intake_rules.list_rows, body_regions=BODY_REGIONS, body_outline=BODY_OUTLINE, viewbox=BODY_VIEWBOX,
        done_steps=done,
    ), status

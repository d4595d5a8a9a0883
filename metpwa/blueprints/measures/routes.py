"""Outcome measure pages: the test picker, one guided screen per test, the previewed and the saved
result (fragments the screen's script swaps in), each measure's trend, and the chart's card."""

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from ...access import requires
from ...extensions import htmx
from ...models import Client
from ...rules.outcomes import MeasureInputError
from ...scoping import get_for_practice
from ...services import measures, scope
from ...standards.measures import (
    BALANCE_HOLD_SECONDS,
    BALANCE_STAGES,
    MEASURES,
    WALKING_AID_MEASURES,
    WALKING_AIDS,
    MeasureDefinition,
)
from ...standards.questionnaires import QUESTIONNAIRES
from . import bp, forms, shell_bp

# The control each test is run with (a template in measures/controls/) and how the picker names it.
CONTROLS = {
    "tug": ("stopwatch", "Stopwatch, up to 3 trials"),
    "chair_stand_30s": ("chair_stand", "30 s countdown and tap counter"),
    "balance_4stage": ("balance", "Four 10 s holds"),
    "grip": ("grip", "3 trials per hand, kg or lb"),
    "nprs": ("pain", "0–10 tap scale"),
    "six_minute_walk": ("six_minute_walk", "6:00 countdown and lap counter"),
    "gait_speed": ("stopwatch", "Stopwatch over 4 m or 10 m"),
    "berg": ("questionnaire", "14 tasks, tap through"),
    "lefs": ("questionnaire", "20 activities, tap through"),
}
# What the screen starts from: the client's last course, lap length and its unit, grip unit and
# walking aid, else these. The hallway's unit is never assumed: a 100 ft lap typed as 100 under a
# preset "m" was 100 m (issue 16).
PREFILL = {"course_m": "4", "unit": "kg", "walking_aid": "none"}


def _load(client_id: int, measure_key: str) -> tuple[Client, MeasureDefinition]:
    client = get_for_practice(Client, client_id)
    try:
        return client, measures.definition(measure_key)
    except KeyError:
        abort(404)


def _prefill(screen: measures.Screen) -> MultiDict:
    values = MultiDict(PREFILL)
    if screen.last is not None:
        for name in ("course_m", "lap_length", "length_unit", "unit"):
            if name in screen.last.raw:
                value = screen.last.raw[name]
                values[name] = f"{value:g}" if isinstance(value, (int, float)) else value
    if screen.walking_aid:
        values["walking_aid"] = screen.walking_aid
    return values


def _form_context(client: Client, measure: MeasureDefinition, values: MultiDict, *, errors: dict | None = None,
                  flags: dict | None = None) -> dict:
    errors = errors or {}
    return {
        "client": client, "measure": measure, "values": values, "errors": errors, "flags": flags or {},
        "general_errors": [message for field, message in errors.items() if field not in forms.placed_fields(measure)],
        "control": CONTROLS[measure.key][0], "limits": {limit.field: limit for limit in measure.input_limits},
        "questionnaire": QUESTIONNAIRES.get(measure.key), "balance_stages": BALANCE_STAGES,
        "hold_seconds": BALANCE_HOLD_SECONDS,
        "walking_aids": WALKING_AIDS if measure.key in WALKING_AID_MEASURES else (),
    }


def _refused(client: Client, measure: MeasureDefinition, errors: dict, flags: dict | None = None):
    """The form again with each message at its field and what was entered kept (422)."""
    context = _form_context(client, measure, request.form, errors=errors, flags=flags)
    if htmx and not htmx.boosted:
        return render_template("measures/_form.html", **context), 422
    screen = measures.open_screen(current_user, client, measure.key)
    return render_template("measures/run.html", screen=screen, **context), 422


@bp.get("")
@requires("clinical.view")
def index(client_id: int):
    client = get_for_practice(Client, client_id)
    latest = {row.measure.key: row for row in measures.open_overview(current_user, client)}
    return render_template("measures/index.html", client=client, measures=MEASURES.values(), latest=latest,
                           controls=CONTROLS)


@bp.get("/card")
@requires("clinical.view")
def card(client_id: int):
    """The chart page's Measures card, loaded into the chart once it is showing."""
    client = get_for_practice(Client, client_id)
    return render_template("measures/_card.html", client=client, latest=measures.open_overview(current_user, client))


@bp.get("/<measure_key>")
@requires("clinical.view")
def run(client_id: int, measure_key: str):
    client, measure = _load(client_id, measure_key)
    screen = measures.open_screen(current_user, client, measure.key)
    return render_template("measures/run.html", screen=screen, **_form_context(client, measure, _prefill(screen)))


@bp.post("/<measure_key>/preview")
@requires("clinical.write")
def preview(client_id: int, measure_key: str):
    client, measure = _load(client_id, measure_key)
    try:
        entry = forms.read_entry(measure, request.form)
        interpretation = measures.preview(current_user, client, measure.key, entry.raw, entry.performed_at)
    except MeasureInputError as error:
        return _refused(client, measure, {error.field: error.message})
    return render_template("measures/_result.html", client=client, measure=measure, interpretation=interpretation,
                           result=None)


@bp.post("/<measure_key>")
@requires("clinical.write")
def record(client_id: int, measure_key: str):
    client, measure = _load(client_id, measure_key)
    note = forms.read_note(request.form)
    review = scope.review(current_user, {"note": note.text}, note.keep_reasons)
    if review.errors:
        return _refused(client, measure, review.errors, review.flags)
    try:
        entry = forms.read_entry(measure, request.form)
        result, created = measures.record(
            current_user, client, measure.key, entry.raw, idempotency_key=entry.idempotency_key,
            performed_at=entry.performed_at, walking_aid=entry.walking_aid, observations=entry.observations,
            note=entry.note, scope_overrides=review.overrides,
        )
    except MeasureInputError as error:
        return _refused(client, measure, {error.field: error.message}, review.flags)
    if htmx and not htmx.boosted:
        # 201 for a new result, 200 when a retry found the one already saved.
        return render_template("measures/_result.html", client=client, measure=measure, result=result,
                               interpretation=None), 201 if created else 200
    return redirect(url_for("measures.history", client_id=client.id, measure_key=measure.key), code=303)


@bp.get("/<measure_key>/trend")
@requires("clinical.view")
def history(client_id: int, measure_key: str):
    client, measure = _load(client_id, measure_key)
    return render_template("measures/history.html", client=client, measure=measure,
                           history=measures.open_history(current_user, client, measure.key),
                           walking_aids=dict(WALKING_AIDS))


class _NoClient:
    """Stands in for the client in a shell: the form's URLs name client 0 until the page, opened at
    the real test's address, points them there (measures.js)."""

    id = 0
    display_name = ""


@shell_bp.get("/<measure_key>")
@requires("clinical.write")
def shell(measure_key: str):
    """A guided test with no client data at all (no name, no last result, no prefill from one), so
    the service worker may keep it and serve it offline for /clients/<id>/measures/<key>."""
    try:
        measure = measures.definition(measure_key)
    except KeyError:
        abort(404)
    return render_template("measures/shell.html", **_form_context(_NoClient(), measure, MultiDict(PREFILL)))  # type: ignore[arg-type]

"""Plan pages: the current plan, the builder (a new version on every save), signing, rows added by htmx."""

from datetime import timedelta

from flask import Response, redirect, render_template, request, url_for
from flask_login import current_user

from ...access import requires
from ...clock import practice_today
from ...models import Client, Exercise, PlanVersion
from ...rules import plan as plan_rules
from ...scoping import get_for_client, get_for_practice, record_id, record_id_or_none
from ...services import audit, documents, library, plans, scope
from ...standards.exercises import ACTIVITIES, ACTIVITY_SHORT_LABELS
from . import bp, forms

ACTIVITY_CHOICES = [(activity.key, activity.short) for activity in ACTIVITIES]
TARGET_GROUPS = (("measure", "Outcome measures"), ("rom", "Range of motion (degrees)"),
                 ("strength", "Strength (dynamometer, kg)"))


def _builder_context(client: Client, raw: dict, errors: dict, flags: dict, based_on: int | None, *,
                     newer: PlanVersion | None = None) -> dict:
    """The builder on top of version `based_on` (None: the first plan); `newer` is the version
    someone saved while this one was being edited, when a save was refused for it."""
    exercise_ids = {record_id_or_none(row["exercise_id"]) for _, row in plan_rules.exercise_rows(raw)} - {None}
    goal_rows, exercise_rows = plan_rules.goal_rows(raw), plan_rules.exercise_rows(raw)
    return {
        "client": client, "raw": raw, "errors": errors, "flags": flags, "based_on": based_on, "newer": newer,
        "goal_text": plan_rules.goal_text,
        "goal_rows": goal_rows, "exercise_rows": exercise_rows,
        "exercises": library.by_ids(client.practice_id, exercise_ids),
        "targets": plan_rules.GOAL_TARGETS, "target_groups": TARGET_GROUPS, "activity_choices": ACTIVITY_CHOICES,
        "goal_next": 1 + max((n for n, _ in goal_rows), default=-1),
        "exercise_next": 1 + max((n for n, _ in exercise_rows), default=-1),
    }


def _raw_from_plan(plan: PlanVersion | None, today) -> dict[str, list[str]]:
    if plan is None:
        return {"starts_on": [f"{today:%m/%d/%Y}"], "review_on": [f"{today + timedelta(weeks=4):%m/%d/%Y}"],
                "frequency_per_week": ["2"], "duration_weeks": ["8"], "goals-0-direction": [""],
                "goals-0-description": [""]}
    starts_on, review_on = plan_rules.new_version_dates(plan.starts_on, plan.review_on, plan.duration_weeks, today)
    raw = {"starts_on": [f"{starts_on:%m/%d/%Y}"], "review_on": [f"{review_on:%m/%d/%Y}"],
           "frequency_per_week": [str(plan.frequency_per_week)], "duration_weeks": [str(plan.duration_weeks)]}
    for n, goal in enumerate(plan.goals):
        for field, value in (("description", goal.description), ("target", f"{goal.target_kind}:{goal.target_key}"),
                             ("side", goal.side), ("direction", goal.direction),
                             ("target_value", f"{goal.target_value:g}"), ("by_week", str(goal.by_week))):
            raw[f"goals-{n}-{field}"] = [value]
    for n, item in enumerate(plan.exercises):
        values = {"exercise_id": item.exercise_id, "sets": item.sets, "reps": item.reps, "seconds": item.seconds,
                  "load": f"{item.load:g}" if item.load is not None else "", "load_unit": item.load_unit,
                  "intensity_kind": item.intensity_kind, "intensity_value":
                  f"{item.intensity_value:g}" if item.intensity_value is not None else "",
                  "rest_seconds": item.rest_seconds, "progression": item.progression,
                  "activity_type": item.activity_type}
        for field, value in values.items():
            raw[f"exercises-{n}-{field}"] = ["" if value is None else str(value)]
    return raw


@bp.get("")
@requires("clinical.view")
def show(client_id: int):
    client = get_for_practice(Client, client_id)
    plan = plans.current(client.id)
    if plan is not None:
        audit.viewed(plan, user=current_user, client_id=client.id)
    return _plan_page(client, plan)


def _plan_page(client: Client, plan: PlanVersion | None, *, ack_errors: dict | None = None, status: int = 200):
    today = practice_today(current_user.practice)
    if plan is not None and not current_user.can("clinical.view"):
        # Front desk records acknowledgements but may not read the plan: their refusal shows the form alone.
        return render_template("plans/acknowledgement.html", client=client, plan=plan, ack_errors=ack_errors or {},
                               acknowledgements=plans.acknowledgements(plan.id), ack_methods=plans.ACK_METHODS), status
    latest = plans.latest_values(client)
    statuses = {}
    if plan is not None:
        week = plan_rules.plan_week(plan.starts_on, today)
        for goal in plan.goals:
            value = latest.get((goal.target_kind, goal.target_key, goal.side))
            statuses[goal.id] = (value, plan_rules.goal_status(goal, value, week=week) if value is not None else None)
    return render_template(
        "plans/show.html", client=client, plan=plan, versions=plans.versions(client.id), goal_text=plan_rules.goal_text,
        statuses=statuses, acknowledgements=plans.acknowledgements(plan.id) if plan else [],
        ack_methods=plans.ACK_METHODS, ack_errors=ack_errors or {}, today=today, activity_labels=ACTIVITY_SHORT_LABELS,
        attestation=plans.attestation(plan) if plan is not None else None,
    ), status


@bp.get("/versions/<int:plan_id>")
@requires("clinical.view")
def version(client_id: int, plan_id: int):
    client = get_for_practice(Client, client_id)
    plan = get_for_client(PlanVersion, plan_id, client.id)
    audit.viewed(plan, user=current_user, client_id=client.id)
    return _plan_page(client, plan)


@bp.post("/versions/<int:plan_id>/sign")
@requires("clinical.write")
def sign(client_id: int, plan_id: int):
    client = get_for_practice(Client, client_id)
    plan = get_for_client(PlanVersion, plan_id, client.id)
    plans.sign(current_user, plan, client)
    return redirect(url_for("plans.version", client_id=client.id, plan_id=plan.id, _anchor="signature"), code=303)


@bp.route("/edit", methods=["GET", "POST"])
@requires("clinical.write")
def edit(client_id: int):
    client = get_for_practice(Client, client_id)
    today = practice_today(current_user.practice)
    if request.method == "GET":
        previous = plans.current(client.id)
        audit.viewed(previous or client, user=current_user, client_id=client.id, detail={"view": "plan builder"})
        return render_template("plans/edit.html", **_builder_context(
            client, _raw_from_plan(previous, today), {}, {}, previous.version if previous else None))
    posted = forms.read_builder(request.form)
    # A reason is required as the page asked for one (opened on a version); a version saved since
    # is found by the service, under the write lock.
    based_on = posted.based_on_version
    form = plan_rules.parse_plan(posted.boxes, exercises=plans.exercise_infos(client.practice_id), today=today,
                                 previous_version=based_on)
    texts = {f"goals-{n}-description": row["description"] for n, row in plan_rules.goal_rows(form.raw)}
    texts |= {f"exercises-{n}-progression": row["progression"] for n, row in plan_rules.exercise_rows(form.raw)}
    if based_on is not None:
        texts["reason"] = (form.raw.get("reason") or [""])[-1]
    review = scope.review(current_user, texts, posted.keep_reasons)
    errors = {**form.errors, **review.errors}
    raw = posted.shown_again(form.raw)
    if errors:
        return render_template("plans/edit.html", **_builder_context(client, raw, errors, review.flags, based_on)), 422
    try:
        plans.save_version(current_user, client, form, based_on_version=based_on, scope_overrides=review.overrides)
    except plans.NewerVersion as refused:
        # Everything typed comes back, now on top of the newer version: saving again is a choice.
        newer = refused.current
        return render_template("plans/edit.html", **_builder_context(client, raw, {}, review.flags, newer.version,
                                                                     newer=newer)), 409
    return redirect(url_for("plans.show", client_id=client.id), code=303)


@bp.get("/goal-row")
@requires("clinical.write")
def goal_row(client_id: int):
    client = get_for_practice(Client, client_id)
    n = min(max(request.args.get("goal_next", 0, type=int), 0), 9999)
    return render_template("plans/_goal_row_added.html", client=client, n=n, row={}, errors={}, flags={},
                           targets=plan_rules.GOAL_TARGETS, target_groups=TARGET_GROUPS, raw={})


@bp.get("/exercise-row")
@requires("clinical.write")
def exercise_row(client_id: int):
    client = get_for_practice(Client, client_id)
    exercise = get_for_practice(Exercise, request.args.get("exercise_id", 0, type=record_id))
    n = min(max(request.args.get("exercise_next", 0, type=int), 0), 9999)
    row = {"exercise_id": str(exercise.id), "sets": str(exercise.default_sets or 2),
           "reps": str(exercise.default_reps or "") if exercise.default_reps else "",
           "seconds": str(exercise.default_hold_seconds or exercise.default_duration_seconds or ""),
           "load_unit": exercise.load_unit if exercise.load_unit in ("kg", "lb") else "",
           "rest_seconds": str(exercise.default_rest_seconds or ""), "activity_type": exercise.activity_type}
    if row["reps"]:
        row["seconds"] = ""
    return render_template("plans/_exercise_row_added.html", client=client, n=n, row=row, errors={}, flags={},
                           exercise=exercise, activity_choices=ACTIVITY_CHOICES, raw={})


@bp.get("/pick")
@requires("clinical.write")
def pick(client_id: int):
    client = get_for_practice(Client, client_id)
    query = request.args.get("q", "")[:60]
    results = library.search(client.practice_id, query, limit=12) if query.strip() else []
    return render_template("plans/_pick.html", client=client, results=results, query=query)


@bp.post("/versions/<int:plan_id>/acknowledgement")
@requires("clients.edit")
def acknowledge(client_id: int, plan_id: int):
    client = get_for_practice(Client, client_id)
    plan = get_for_client(PlanVersion, plan_id, client.id)
    ack = forms.read_acknowledgement(request.form, request.files)
    errors = {}
    if ack.received_on is None or ack.received_on > practice_today(current_user.practice):
        errors["received_on"] = "Enter the date it came back, as MM/DD/YYYY (not in the future)."
    if ack.method not in plans.ACK_METHODS:
        errors["method"] = "Choose how the acknowledgement came."
    document = None
    if not errors:
        try:
            document = documents.store_upload(client, ack.document, kind="plan_acknowledgement",
                                              title=f"Plan v{plan.version} acknowledged", by=current_user)
        except documents.DocumentRefused as refused:
            errors["document"] = refused.message
    if errors:
        return _plan_page(client, plan, ack_errors=errors, status=422)
    plans.acknowledge(current_user, plan, received_on=ack.received_on, method=ack.method, document=document,
                      note=ack.note)
    if not current_user.can("clinical.view"):
        return redirect(url_for("clients.chart", client_id=client.id, _anchor="plan"), code=303)
    return redirect(url_for("plans.version", client_id=client.id, plan_id=plan.id), code=303)


@bp.get("/versions/<int:plan_id>.pdf")
@requires("clinical.view")
def pdf(client_id: int, plan_id: int):
    client = get_for_practice(Client, client_id)
    plan = get_for_client(PlanVersion, plan_id, client.id)
    response = Response(plans.open_pdf(current_user, plan, client), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="plan-of-exercise-v{plan.version}.pdf"'
    return response

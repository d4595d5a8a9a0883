"""Assessment pages: each section posts one row at a time and gets its own fragment back."""

from dataclasses import asdict

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from ...access import requires
from ...clock import practice_today
from ...extensions import db, htmx
from ...forms import AddendumForm, keep_reasons
from ...models import Assessment, Client, PostureFinding, RomMeasurement, ScreenFinding, StrengthMeasurement
from ...rules.assessment import DEGREE_LIMITS, AssessmentInputError
from ...scoping import get_for_client, get_for_practice
from ...services import assessments, audit, credentials, scope
from ...standards.rom import NORMAL_RANGE_BY_KEY
from ...standards.screening import (
    MUSCLE_GROUP_LABELS,
    MUSCLE_GROUPS,
    POSTURE_BY_KEY,
    POSTURE_DEVIATIONS,
    POSTURE_VIEWS,
    SCREEN_REGIONS,
    SCREEN_RESULTS,
    SIDES,
)
from . import bp, forms

SECTIONS = {"rom": "assessments/_rom.html", "strength": "assessments/_strength.html",
            "screen": "assessments/_screen.html", "posture": "assessments/_posture.html",
            "text": "assessments/_text.html"}
PARTS = {"rom": RomMeasurement, "strength": StrengthMeasurement, "screen": ScreenFinding, "posture": PostureFinding}
# The fields each section shows a message beside; a refusal about any other (a side or mode no button
# offers, so a tampered or stale page) is shown at the top of that section's form.
SHOWN_AT_FIELD = {"rom": {"motion", "degrees"}, "strength": {"muscle_group", "grade", "dynamometer_kg"},
                  "screen": {"region", "result", "observation"}, "posture": set()}


def _context(client: Client, assessment: Assessment) -> dict:
    return {
        "client": client, "assessment": assessment, "degree_limits": DEGREE_LIMITS, "normals": NORMAL_RANGE_BY_KEY,
        "muscle_groups": MUSCLE_GROUPS, "muscle_labels": MUSCLE_GROUP_LABELS, "regions": SCREEN_REGIONS,
        "region_labels": dict(SCREEN_REGIONS), "results": SCREEN_RESULTS, "result_labels": dict(SCREEN_RESULTS),
        "sides": SIDES, "posture_views": POSTURE_VIEWS, "posture_deviations": POSTURE_DEVIATIONS,
        "posture_by_key": POSTURE_BY_KEY, "percent_of_normal": assessments.percent_of_normal,
        "is_baseline": client.baseline_assessment_id == assessment.id,
        "addenda": assessments.addenda("assessment", assessment.id) if assessment.signed else [],
        "errors": {}, "values": {}, "flags": {},
    }


def _load(client_id: int, assessment_id: int) -> tuple[Client, Assessment]:
    client = get_for_practice(Client, client_id)
    return client, get_for_client(Assessment, assessment_id, client.id)


def _section(section: str, client: Client, assessment: Assessment, *, status: int = 200, **extra):
    context = {**_context(client, assessment), **extra}
    if htmx and not htmx.boosted:
        return render_template(SECTIONS[section], **context), status
    if status != 200:
        return render_template("assessments/edit.html", **context), status
    return redirect(url_for("assessments.show", client_id=client.id, assessment_id=assessment.id,
                            _anchor=f"{section}-section"), code=303)


@bp.get("")
@requires("clinical.view")
def index(client_id: int):
    client = get_for_practice(Client, client_id)
    audit.viewed(client, detail={"list": "assessments"})
    return render_template("assessments/index.html", client=client, rows=assessments.for_client(client.id),
                           today=practice_today(current_user.practice))


@bp.post("")
@requires("clinical.write")
def start(client_id: int):
    client = get_for_practice(Client, client_id)
    performed_on = forms.read_performed_on(request.form) or practice_today(current_user.practice)
    assessment = assessments.start(current_user, client, performed_on)
    return redirect(url_for("assessments.show", client_id=client.id, assessment_id=assessment.id), code=303)


@bp.get("/<int:assessment_id>")
@requires("clinical.view")
def show(client_id: int, assessment_id: int):
    client, assessment = _load(client_id, assessment_id)
    audit.viewed(assessment, user=current_user)
    return render_template("assessments/edit.html", **_context(client, assessment))


@bp.post("/<int:assessment_id>/<section>")
@requires("clinical.write")
def add(client_id: int, assessment_id: int, section: str):
    client, assessment = _load(client_id, assessment_id)
    if section not in forms.READINGS and section != "posture":
        return _section("text", client, assessment, status=404)
    values = asdict(forms.read_reading(request.form, section)) if section in forms.READINGS else {}
    try:
        if section == "rom":
            assessments.add_rom(current_user, assessment, **values)
        elif section == "strength":
            assessments.add_strength(current_user, assessment, **values)
        elif section == "posture":
            choice = forms.read_posture(request.form)
            assessments.toggle_posture(current_user, assessment, deviation=choice.deviation, side=choice.side)
        else:
            review = scope.review(current_user, {"observation": values["observation"]},
                                  keep_reasons(request.form, ["observation"]))
            if review.errors:
                return _section(section, client, assessment, status=422, errors=review.errors, values=values,
                                flags=review.flags)
            assessments.add_screen(current_user, assessment, overrides=review.overrides, **values)
    except AssessmentInputError as error:
        field = error.field if error.field in values else (
            "degrees" if section == "rom" else "grade" if error.field == "muscle_grade" else
            "dynamometer_kg" if error.field == "dynamometer_kg" else error.field)
        if field not in SHOWN_AT_FIELD.get(section, ()):
            field = f"{section}:form"
        return _section(section, client, assessment, status=422, errors={field: error.message}, values=values)
    kept = {k: v for k, v in values.items() if k in ("motion", "mode", "muscle_group", "region")}
    return _section(section, client, assessment, values=kept)


@bp.post("/<int:assessment_id>/<section>/<int:row_id>/remove")
@requires("clinical.write")
def remove(client_id: int, assessment_id: int, section: str, row_id: int):
    client, assessment = _load(client_id, assessment_id)
    model = PARTS.get(section)
    row = db.session.get(model, row_id) if model else None
    if row is None or row.assessment_id != assessment.id:
        return _section("text", client, assessment, status=404)
    assessments.remove_part(current_user, assessment, row)
    return _section(section, client, assessment)


@bp.post("/<int:assessment_id>/text")
@requires("clinical.write")
def save_text(client_id: int, assessment_id: int):
    client, assessment = _load(client_id, assessment_id)
    values = asdict(forms.read_text(request.form))
    review = scope.review(current_user, {"notes": values["notes"]}, keep_reasons(request.form, ["notes"]))
    if review.errors:
        return _section("text", client, assessment, status=422, errors=review.errors, values=values,
                        flags=review.flags)
    assessments.save_text(current_user, assessment, overrides=review.overrides, **values)
    return _section("text", client, assessment, values={"saved": "1"})


@bp.post("/<int:assessment_id>/sign")
@requires("clinical.write")
def sign(client_id: int, assessment_id: int):
    client, assessment = _load(client_id, assessment_id)
    try:
        assessments.sign(current_user, assessment, client)
    except AssessmentInputError as error:
        return render_template("assessments/edit.html", **{**_context(client, assessment),
                                                             "errors": {"sign": error.message}}), 422
    except credentials.SigningBlocked as blocked:
        return render_template("assessments/edit.html", **{**_context(client, assessment), "errors": {"sign": blocked.message},
                                                             "sign_fix": url_for("staff.credentials", user_id=current_user.id)}), 422
    return redirect(url_for("assessments.show", client_id=client.id, assessment_id=assessment.id), code=303)


@bp.post("/<int:assessment_id>/baseline")
@requires("clinical.write")
def baseline(client_id: int, assessment_id: int):
    client, assessment = _load(client_id, assessment_id)
    try:
        assessments.make_baseline(current_user, client, assessment)
    except AssessmentInputError:
        pass
    return redirect(url_for("assessments.index", client_id=client.id), code=303)


@bp.get("/<int:assessment_id>/compare")
@requires("clinical.view")
def compare(client_id: int, assessment_id: int):
    client, assessment = _load(client_id, assessment_id)
    if client.baseline_assessment_id is None:
        return redirect(url_for("assessments.show", client_id=client.id, assessment_id=assessment.id), code=303)
    baseline = get_for_client(Assessment, client.baseline_assessment_id, client.id)
    audit.viewed(assessment, user=current_user, detail={"compare_with": baseline.id})
    return render_template("assessments/compare.html", client=client, baseline=baseline, current=assessment,
                           rows=assessments.compare(baseline, assessment))


@bp.post("/<int:assessment_id>/addenda")
@requires("clinical.write")
def addendum(client_id: int, assessment_id: int):
    client, assessment = _load(client_id, assessment_id)
    form = AddendumForm(record="assessment")
    form.validate_on_submit()
    review = scope.review(current_user, {"text": form.text.data or ""}, form.keep_reasons())
    errors = {**form.messages, **review.errors}
    if errors or not assessment.signed:
        return render_template("assessments/edit.html", **{**_context(client, assessment), "errors": errors,
                                                             "values": form.values, "flags": review.flags}), 422
    assessments.add_addendum(current_user, client_id=client.id, record_type="assessment", record_id=assessment.id,
                             reason=form.reason.data, text=form.text.data, overrides=review.overrides)
    return redirect(url_for("assessments.show", client_id=client.id, assessment_id=assessment.id,
                            _anchor="addenda"), code=303)

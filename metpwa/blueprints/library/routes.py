"""Library search with thumb-sized filters, one exercise's card, and adding the practice's own."""

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from ...access import requires
from ...extensions import htmx
from ...services import library
from ...standards.exercises import ACTIVITY_LABELS, BODY_REGIONS, CATEGORY_LABELS, EQUIPMENT
from . import bp
from .forms import ExerciseForm


def _filters() -> dict:
    return {key: request.args.get(key, "")[:40] for key in ("q", "category", "body_region", "equipment")}


@bp.get("")
@requires("clinical.view")
def index():
    filters = _filters()
    results = library.search(current_user.practice_id, filters["q"], category=filters["category"],
                             body_region=filters["body_region"], equipment=filters["equipment"])
    context = {"results": results, "filters": filters, "categories": CATEGORY_LABELS, "regions": BODY_REGIONS,
               "equipment": EQUIPMENT, "activity_labels": ACTIVITY_LABELS}
    if htmx.target == "library-results":
        return render_template("library/_results.html", **context)
    return render_template("library/index.html", **context)


@bp.route("/new", methods=["GET", "POST"])
@requires("clinical.write")
def new():
    form = ExerciseForm()
    if form.validate_on_submit():
        exercise = library.add(current_user, form.values())
        return redirect(url_for("library.index", q=exercise.name), code=303)
    return render_template("library/new.html", form=form), 422 if form.errors else 200

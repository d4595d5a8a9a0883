"""Inline check of a text field as the trainer types, and the owner's edits to the word list."""

from dataclasses import asdict

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from ...access import requires
from ...extensions import db
from ...models import ScopeTerm
from ...scoping import get_for_practice, practice_select
from ...services import scope
from ...standards.scope_terms import CATEGORIES, DEFAULT_TERMS
from . import bp, forms


@bp.post("/check")
@requires("clinical.view")
def check():
    """Answers the textarea's debounced htmx post with the warning for that field (or nothing)."""
    check = forms.read_check(request.form)
    return render_template("scope/_warning.html", field=check.field,
                           flags=scope.flags_for(current_user.practice_id, check.text), keep=check.keep_reason)


def _page(errors: dict | None = None, values: dict | None = None, status: int = 200):
    entries = list(db.session.scalars(practice_select(ScopeTerm).order_by(ScopeTerm.created_at)))
    return render_template(
        "scope/terms.html", defaults=DEFAULT_TERMS, added=[e for e in entries if e.phrase],
        removed={e.removed_default_key: e for e in entries if e.removed_default_key}, categories=CATEGORIES,
        errors=errors or {}, values=values or {},
    ), status


@bp.get("/terms")
@requires("clinical.view")
def terms():
    return _page()


@bp.post("/terms")
@requires("staff.manage")
def add_term():
    term = forms.read_term(request.form)
    values = asdict(term)
    if not term.phrase or len(term.phrase) > 80:
        return _page({"phrase": "Give a word or phrase of up to 80 characters."}, values, 422)
    if term.category not in CATEGORIES:
        return _page({"category": "Choose what the phrase does: diagnose, treat, name a medication or bill."}, values, 422)
    scope.add_term(current_user, term.phrase, term.category, term.suggestion)
    return redirect(url_for("scope.terms"), code=303)


@bp.post("/terms/default/<key>/off")
@requires("staff.manage")
def switch_off(key: str):
    if key in {term.key for term in DEFAULT_TERMS}:
        scope.switch_off_default(current_user, key)
    return redirect(url_for("scope.terms"), code=303)


@bp.post("/terms/<int:term_id>/remove")
@requires("staff.manage")
def remove(term_id: int):
    scope.remove_entry(current_user, get_for_practice(ScopeTerm, term_id))
    return redirect(url_for("scope.terms"), code=303)

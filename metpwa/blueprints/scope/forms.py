"""What the scope-of-practice pages post: a text field to check as it is typed, and a phrase the
owner adds to the practice's word list."""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from ...forms import KEEP_SUFFIX

MAX_CHECK_CHARS = 20_000


@dataclass(frozen=True)
class FieldCheck:
    """A guarded textarea's debounced post: which field, its text, and the reason typed to keep it."""

    field: str
    text: str
    keep_reason: str


def read_check(form: MultiDict) -> FieldCheck:
    field = form.get("field", "")[:60]
    return FieldCheck(field, form.get(field, "")[:MAX_CHECK_CHARS], form.get(field + KEEP_SUFFIX, ""))


@dataclass(frozen=True)
class NewTerm:
    phrase: str
    category: str
    suggestion: str


def read_term(form: MultiDict) -> NewTerm:
    return NewTerm(*(form.get(key, "").strip() for key in ("phrase", "category", "suggestion")))

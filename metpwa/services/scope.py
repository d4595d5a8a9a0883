"""The scope-of-practice guard applied to documents: the practice's word list, inline checks,
and the rule that flagged wording is saved only with a recorded reason."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import ScopeTerm, User, utcnow
from ..rules.scope_guard import PracticeTerm, ScopeFlag, check, what_they_say
from . import audit


@dataclass(frozen=True)
class Review:
    """The outcome of checking a document's free-text fields before saving."""

    overrides: list[dict]
    errors: dict[str, str]
    flags: dict[str, list[ScopeFlag]]


def word_list(practice_id: int) -> tuple[list[PracticeTerm], set[str]]:
    rows = db.session.scalars(select(ScopeTerm).where(ScopeTerm.practice_id == practice_id))
    added, removed = [], set()
    for row in rows:
        if row.removed_default_key:
            removed.add(row.removed_default_key)
        elif row.phrase:
            added.append(PracticeTerm(row.phrase, row.category or "diagnosis", suggestion=row.suggestion or None))
    return added, removed


def flags_for(practice_id: int, text: str) -> list[ScopeFlag]:
    added, removed = word_list(practice_id)
    return check(text or "", added_terms=added, removed_terms=removed)


def review(user: User, fields: Mapping[str, str], keep_reasons: Mapping[str, str]) -> Review:
    """Check each field; a flagged field needs a reason to keep its wording (`keep_reasons` by field,
    read by metpwa.forms.keep_reasons) to be saved as written.

    The overrides returned are stored on the document, so an auditor sees what was kept and why.
    """
    added, removed = word_list(user.practice_id)
    overrides, errors, found = [], {}, {}
    for name, text in fields.items():
        flags = check(text or "", added_terms=added, removed_terms=removed)
        if not flags:
            continue
        found[name] = flags
        reason = (keep_reasons.get(name) or "").strip()
        if reason:
            overrides.append({"field": name, "terms": sorted({f.matched for f in flags}), "reason": reason[:300],
                              "by": user.id, "at": utcnow().isoformat(timespec="seconds")})
        else:
            errors[name] = (f"{what_they_say(flags)}: describe what the client can and cannot "
                            "do instead, or give a reason to keep your wording.")
    return Review(overrides=overrides, errors=errors, flags=found)


def add_term(user: User, phrase: str, category: str, suggestion: str | None) -> ScopeTerm:
    PracticeTerm(phrase, category)  # refuses an empty phrase or an unknown category
    term = ScopeTerm(practice_id=user.practice_id, phrase=" ".join(phrase.split())[:80], category=category,
                     suggestion=(suggestion or "").strip() or None, created_by_id=user.id)
    db.session.add(term)
    db.session.flush()
    audit.record("create", term, user=user, detail={"scope_term": term.phrase})
    db.session.commit()
    return term


def switch_off_default(user: User, key: str) -> None:
    term = ScopeTerm(practice_id=user.practice_id, removed_default_key=key, created_by_id=user.id)
    db.session.add(term)
    db.session.flush()
    audit.record("create", term, user=user, detail={"scope_default_off": key})
    db.session.commit()


def remove_entry(user: User, term: ScopeTerm) -> None:
    audit.record("delete", term, user=user, detail={"phrase": term.phrase, "default": term.removed_default_key})
    db.session.delete(term)
    db.session.commit()

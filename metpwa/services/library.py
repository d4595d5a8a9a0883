"""The practice's exercise library: the seeded movements, the practice's own, and quick search."""

from __future__ import annotations

import re

from sqlalchemy import or_, select

from ..extensions import db
from ..models import Exercise, Practice, User
from ..standards.exercises import EXERCISES
from . import audit


def install_defaults(practice: Practice) -> None:
    """Give a new practice the seeded library; each practice then owns and grows its copy."""
    for seed in EXERCISES:
        dosage = seed.dosage
        db.session.add(Exercise(
            practice_id=practice.id, slug=seed.slug, name=seed.name, category=seed.category,
            equipment=seed.equipment, body_region=seed.body_region, activity_type=seed.activity_type,
            default_sets=dosage.sets, default_reps=dosage.reps, default_hold_seconds=dosage.hold_seconds,
            default_duration_seconds=dosage.duration_seconds, default_rest_seconds=dosage.rest_seconds,
            each_side=dosage.each_side, load_unit=dosage.load_unit, instructions=seed.instructions,
            origin="library",
        ))
    db.session.flush()


def search(practice_id: int, query: str = "", *, category: str = "", body_region: str = "", equipment: str = "",
           limit: int = 60) -> list[Exercise]:
    stmt = select(Exercise).where(Exercise.practice_id == practice_id, Exercise.archived_at.is_(None))
    for word in query.strip().split()[:4]:
        like = f"%{word.replace(chr(92), '').replace('%', '').replace('_', '')}%"
        stmt = stmt.where(or_(Exercise.name.ilike(like), Exercise.equipment.ilike(like),
                              Exercise.body_region.ilike(like)))
    if category:
        stmt = stmt.where(Exercise.category == category)
    if body_region:
        stmt = stmt.where(Exercise.body_region == body_region)
    if equipment:
        stmt = stmt.where(Exercise.equipment == equipment)
    return list(db.session.scalars(stmt.order_by(Exercise.name).limit(limit)))


def by_ids(practice_id: int, ids: set[int]) -> dict[int, Exercise]:
    if not ids:
        return {}
    rows = db.session.scalars(select(Exercise).where(Exercise.practice_id == practice_id, Exercise.id.in_(ids)))
    return {row.id: row for row in rows}


def all_active(practice_id: int) -> list[Exercise]:
    return search(practice_id, limit=1000)


def slug_for(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:70] or "exercise"


def add(user: User, values: dict) -> Exercise:
    base = slug_for(values["name"])
    slug, n = base, 1
    while db.session.scalar(select(Exercise.id).where(Exercise.practice_id == user.practice_id,
                                                      Exercise.slug == slug)):
        n += 1
        slug = f"{base}-{n}"
    exercise = Exercise(practice_id=user.practice_id, slug=slug, origin="practice", **values)
    db.session.add(exercise)
    db.session.flush()
    audit.record("create", exercise, user=user)
    db.session.commit()
    return exercise

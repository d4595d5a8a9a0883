"""The seeded exercise library is complete, consistent and worded within scope."""

import re
from typing import get_args

import pytest

from metpwa.rules.scope_guard import check
from metpwa.standards.exercises import (
    ACTIVITY_BY_CATEGORY,
    ACTIVITY_TYPES,
    BODY_REGIONS,
    CATEGORY_LABELS,
    EQUIPMENT,
    EXERCISE_BY_SLUG,
    EXERCISES,
    Dosage,
    LoadUnit,
)

FALL_PREVENTION_STAPLES = [
    "sit-to-stand",
    "heel-raise",
    "tandem-stance",
    "side-stepping",
    "step-up",
    "standing-marching",
    "wall-push-up",
    "band-row",
    "bridge",
    "clamshell",
    "bird-dog",
    "dead-bug",
    "farmer-carry",
]


def test_at_least_sixty_exercises():
    assert len(EXERCISES) >= 60


def test_slugs_and_names_are_unique():
    assert len({e.slug for e in EXERCISES}) == len(EXERCISES)
    assert len({e.name.casefold() for e in EXERCISES}) == len(EXERCISES)
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", e.slug) for e in EXERCISES)
    assert EXERCISE_BY_SLUG["sit-to-stand"].name == "Sit-to-stand"


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.slug)
def test_every_field_is_filled_from_the_allowed_values(exercise):
    assert exercise.name.strip() and exercise.instructions.strip()
    assert exercise.category in dict(CATEGORY_LABELS)
    assert exercise.equipment in EQUIPMENT
    assert exercise.body_region in BODY_REGIONS
    assert exercise.activity_type in ACTIVITY_TYPES
    assert exercise.activity_type == ACTIVITY_BY_CATEGORY[exercise.category]


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.slug)
def test_dosage_is_sane(exercise):
    dosage = exercise.dosage
    assert 1 <= dosage.sets <= 6
    assert dosage.reps is None or 1 <= dosage.reps <= 30
    assert dosage.hold_seconds is None or 1 <= dosage.hold_seconds <= 120
    assert dosage.duration_seconds is None or 20 <= dosage.duration_seconds <= 3600
    assert 0 <= dosage.rest_seconds <= 180
    assert dosage.load_unit is None or dosage.load_unit in get_args(LoadUnit)


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.slug)
def test_instructions_are_short_and_within_scope(exercise):
    sentences = re.findall(r"[.!?](?:\s|$)", exercise.instructions)
    assert 2 <= len(sentences) <= 3
    assert check(exercise.name) == []
    assert check(exercise.instructions) == []


def test_the_library_covers_every_category_and_the_main_regions():
    assert {e.category for e in EXERCISES} == set(dict(CATEGORY_LABELS))
    assert {"knee", "hip", "ankle and foot", "shoulder", "spine and core", "upper body", "lower body"} <= {
        e.body_region for e in EXERCISES
    }


@pytest.mark.parametrize("slug", FALL_PREVENTION_STAPLES)
def test_fall_prevention_staples_are_seeded(slug):
    assert slug in EXERCISE_BY_SLUG


def test_balance_and_gait_count_toward_their_own_activities():
    assert EXERCISE_BY_SLUG["tandem-stance"].activity_type == "neuromuscular_reeducation"
    assert EXERCISE_BY_SLUG["parallel-bars-walking"].activity_type == "gait"
    assert EXERCISE_BY_SLUG["step-up"].activity_type == "functional_activities"
    assert EXERCISE_BY_SLUG["bridge"].activity_type == "therapeutic_exercise"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"sets": 3},
        {"sets": 1, "reps": 10, "duration_seconds": 60},
        {"sets": 1, "hold_seconds": 10, "duration_seconds": 60},
    ],
)
def test_a_dosage_is_one_of_reps_hold_or_duration(kwargs):
    with pytest.raises(ValueError):
        Dosage(**kwargs)

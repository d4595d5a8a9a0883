"""Reads a posted test screen into typed values: the raw entry that rules.outcomes scores (its trials
and readings differ by test, so they stay a mapping by the scorer's field names), and the details
kept beside the result (walking aid, observations, note, the tablet's time of the test, the result
key)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from werkzeug.datastructures import MultiDict

from ...forms import keep_reasons
from ...models import utcnow
from ...rules.outcomes import MeasureInputError
from ...standards.measures import WALKING_AID_MEASURES, MeasureDefinition
from ...standards.questionnaires import QUESTIONNAIRES

# Posted once per trial, stance or reading; a blank box is a trial not run.
LIST_FIELDS: dict[str, tuple[str, ...]] = {
    "tug": ("trials",),
    "gait_speed": ("trials",),
    "balance_4stage": ("stage_seconds",),
    "grip": ("right", "left"),
}
# The nth box is the nth stance, so a gap is not closed up.
ORDERED_FIELDS = frozenset({"stage_seconds"})
VALUE_FIELDS: dict[str, tuple[str, ...]] = {
    "chair_stand_30s": ("count",),
    "grip": ("unit",),
    "nprs": ("rating",),
    "six_minute_walk": ("laps", "length_unit", "lap_length", "extra"),
    "gait_speed": ("course_m",),
}


def placed_fields(measure: MeasureDefinition) -> frozenset[str]:
    """The fields with a place on this test's screen; a refusal naming any other field (the result
    key, the test time, an observation the test does not have) is shown above the form."""
    placed = {*LIST_FIELDS.get(measure.key, ()), *VALUE_FIELDS.get(measure.key, ()), "note"}
    if measure.key in QUESTIONNAIRES:
        placed.add("items")
    if measure.key in WALKING_AID_MEASURES:
        placed.add("walking_aid")
    if measure.observations:
        placed.add("observations")
    return frozenset(placed)


# A result waits on the page while the wifi is down, not for days.
OLDEST_PERFORMED = timedelta(days=7)
# iPad clocks drift a little from the server's.
CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class Entry:
    raw: dict[str, object]
    idempotency_key: str
    performed_at: datetime | None
    walking_aid: str | None
    observations: list[str]
    note: str


@dataclass(frozen=True)
class MeasureNote:
    """The trainer's note and the reason typed to keep its flagged wording, checked before the test
    is scored (services.scope.review)."""

    text: str
    keep_reasons: dict[str, str]


def read_note(form: MultiDict) -> MeasureNote:
    return MeasureNote(form.get("note", ""), keep_reasons(form, ["note"]))


def read_entry(measure: MeasureDefinition, form: MultiDict) -> Entry:
    """Raises MeasureInputError only for the tablet's time of the test; the raw entry is checked
    by rules.outcomes.score, so what was typed comes back with the message at its field."""
    raw: dict[str, object] = {}
    for name in LIST_FIELDS.get(measure.key, ()):
        values = [value.strip() for value in form.getlist(name)]
        if name in ORDERED_FIELDS:
            # Only the stances not reached may be left blank.
            while values and not values[-1]:
                values.pop()
            raw[name] = values
        else:
            raw[name] = [value for value in values if value]
    for name in VALUE_FIELDS.get(measure.key, ()):
        value = form.get(name, "").strip()
        if value:
            raw[name] = value
    if measure.key == "chair_stand_30s":
        raw["arms_used"] = form.get("arms_used") == "yes"
    questionnaire = QUESTIONNAIRES.get(measure.key)
    if questionnaire is not None:
        raw["items"] = [form.get(f"item-{item.number}") or None for item in questionnaire.items]
    return Entry(
        raw=raw,
        # The page makes a key for each result (crypto.randomUUID); only a page without
        # JavaScript posts none, and then this post is its one attempt.
        idempotency_key=form.get("idempotency_key", "").strip() or str(uuid.uuid4()),
        performed_at=performed_at(form.get("performed_at", "")),
        walking_aid=form.get("walking_aid") or None,
        observations=form.getlist("observations"),
        note=form.get("note", ""),
    )


def performed_at(text: str, now: datetime | None = None) -> datetime | None:
    """The tablet's time of the test (ISO 8601 with its zone), refused when it cannot be right."""
    if not text.strip():
        return None
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        raise MeasureInputError("performed_at", "this page sent a broken test time: reload it and run the test again")
    when = when.astimezone(UTC)
    now = now or utcnow()
    if when > now + CLOCK_SKEW:
        raise MeasureInputError("performed_at", "the tablet's clock is ahead of the server's: check the iPad's "
                                                "date and time")
    if when < now - OLDEST_PERFORMED:
        raise MeasureInputError("performed_at", "this test was run more than 7 days ago: run it again")
    return when

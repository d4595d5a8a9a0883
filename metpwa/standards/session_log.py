"""The session log's controlled lists: how the client responded to an exercise, and the parts of
the session note, each with the words the trainer sees."""

from __future__ import annotations

from typing import NamedTuple

# How the client took an exercise, chosen on its card; "pain_increase" asks for a 0-10 rating.
RESPONSES: dict[str, str] = {
    "tolerated_well": "Tolerated well",
    "fatigue": "Fatigue",
    "pain_increase": "Pain increase",
    "other": "Other",
}


class NoteField(NamedTuple):
    """One part of the session note: the SessionLog column, its label, and the hint under the box."""

    key: str
    label: str
    hint: str


NOTE_FIELDS: tuple[NoteField, ...] = (
    NoteField("note_client_report", "Client report", "How they felt since last time, in their words"),
    NoteField("note_performance", "Performance", "What they did and how it went"),
    NoteField("note_response", "Response", "How they responded: tolerance, fatigue, pain"),
    NoteField("note_plan", "Plan", "What comes next"),
)

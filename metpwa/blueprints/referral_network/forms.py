"""What the referral-network pages post, read into typed values and checked at the field: a source's
details (the NPI's check digit, US phone and fax, a delivery the source can receive) and an activity."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from werkzeug.datastructures import MultiDict

from ...rules.parse import clean_text, us_date, whole_number
from ...rules.referral_network import ActivityInput, SourceInput, check_activity, check_source
from ...scoping import record_id_or_none

NAME_MAX, ORGANISATION_MAX, ADDRESS_MAX, SPECIALTY_MAX, EMAIL_MAX, NOTES_MAX = 80, 160, 300, 80, 254, 4000


def _line(form: MultiDict, name: str, limit: int) -> str:
    return clean_text(form.get(name, ""), multiline=False)[:limit]


@dataclass(frozen=True)
class SourceEntry:
    """A referral source as typed; `values` holds the columns to save when `errors` is empty."""

    typed: dict[str, str]
    errors: dict[str, str]
    values: dict[str, str | None] = field(default_factory=dict)


def read_source(form: MultiDict) -> SourceEntry:
    typed = {
        "first_name": _line(form, "first_name", NAME_MAX), "last_name": _line(form, "last_name", NAME_MAX),
        "credentials": _line(form, "credentials", 40), "kind": form.get("kind", ""),
        "specialty": _line(form, "specialty", SPECIALTY_MAX),
        "organization": _line(form, "organization", ORGANISATION_MAX),
        "address": clean_text(form.get("address", ""), multiline=True)[:ADDRESS_MAX],
        "npi": _line(form, "npi", 20), "phone": _line(form, "phone", 30), "fax": _line(form, "fax", 30),
        "email": _line(form, "email", EMAIL_MAX), "preferred_delivery": form.get("preferred_delivery", ""),
    }
    errors: dict[str, str] = {}
    if not typed["first_name"]:
        errors["first_name"] = "Enter the first name."
    if not typed["last_name"]:
        errors["last_name"] = "Enter the last name."
    if typed["email"] and ("@" not in typed["email"] or " " in typed["email"]):
        errors["email"] = "Enter an email address like name@clinic.org."
    checked = check_source(SourceInput(typed["kind"], typed["npi"], typed["phone"], typed["fax"], typed["email"],
                                       typed["preferred_delivery"]))
    errors.update(checked.errors)
    if errors:
        return SourceEntry(typed, errors)
    values: dict[str, str | None] = {key: (value or None) for key, value in typed.items()}
    values.update(npi=checked.npi, phone=checked.phone, fax=checked.fax,
                  first_name=typed["first_name"], last_name=typed["last_name"], kind=typed["kind"])
    return SourceEntry(typed, {}, values)


@dataclass(frozen=True)
class ActivityEntry:
    typed: dict[str, object]
    errors: dict[str, str]
    kind: str = ""
    held_on: date | None = None
    staff_id: int | None = None
    source_ids: tuple[int, ...] = ()
    notes: str = ""
    follow_up_on: date | None = None


def read_activity(form: MultiDict, *, today: date, staff_ids: set[int], source_ids: set[int]) -> ActivityEntry:
    """`staff_ids` and `source_ids` are the practice's own: anything else posted is refused at its field."""
    typed: dict[str, object] = {name: form.get(name, "") for name in ("kind", "held_on", "staff_id", "notes",
                                                                        "follow_up_on")}
    chosen = {record_id_or_none(v) for v in form.getlist("source_ids")}
    typed["source_ids"] = {c for c in chosen if c is not None}
    held_on = us_date(form.get("held_on"), today=today)
    follow_up_text = form.get("follow_up_on", "").strip()
    follow_up_on = us_date(follow_up_text, today=today) if follow_up_text else None
    staff_id = whole_number(form.get("staff_id"), 1)
    notes = clean_text(form.get("notes", ""), multiline=True)
    sources = frozenset(c for c in chosen if c in source_ids)
    errors = check_activity(ActivityInput(form.get("kind", ""), held_on, sources, follow_up_on), today=today)
    if form.get("held_on", "").strip() and held_on is None:
        errors["held_on"] = "Enter the date as MM/DD/YYYY."
    if follow_up_text and follow_up_on is None:
        errors["follow_up_on"] = "Enter the follow-up date as MM/DD/YYYY, or leave it empty."
    if staff_id not in staff_ids:
        errors["staff_id"] = "Choose who went or called."
    if len(notes) > NOTES_MAX:
        errors["notes"] = f"Notes are at most {NOTES_MAX} characters."
    if None in chosen or any(c not in source_ids for c in chosen if c is not None):
        errors["source_ids"] = "Choose referral sources from the list."
    if errors:
        return ActivityEntry(typed, errors)
    return ActivityEntry(typed, {}, form["kind"], held_on, staff_id, tuple(sorted(sources)), notes, follow_up_on)


@dataclass(frozen=True)
class SourceFilters:
    kind: str
    specialty: str


def read_filters(args: MultiDict) -> SourceFilters:
    return SourceFilters(args.get("kind", "")[:30], clean_text(args.get("specialty", ""), multiline=False)[:80])

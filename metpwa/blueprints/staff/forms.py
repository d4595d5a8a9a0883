"""Forms for managing staff accounts, and readers for credentials, continuing education and training."""

from dataclasses import dataclass
from datetime import date

from werkzeug.datastructures import MultiDict
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ...permissions import ROLE_LABELS

from ...forms import BaseForm, fits_after, parse_us_date
from ...rules.credentials import CeInput, CredentialInput
from ...rules.parse import whole_number
from ...scoping import record_id_or_none

ROLE_CHOICES = [SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()]


class StaffForm(BaseForm):
    full_name = StringField("Full name", validators=[DataRequired("Enter the person's name."), Length(max=120)])
    email = StringField(
        "Email (their sign-in; the invitation goes there)",
        validators=[DataRequired("Enter an email."),
                    Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="That does not look like an email."),
                    fits_after(str.lower, 254, "That email is too long.")],
        render_kw={"inputmode": "email", "autocapitalize": "none", "spellcheck": "false"},
    )
    role = SelectField("Role", choices=ROLE_CHOICES)
    credentials = StringField(
        "Credentials (printed after the name)",
        validators=[Optional(), Length(max=120)],
        render_kw={"placeholder": "MES, ACSM-EP"},
    )
    npi = StringField(
        "NPI (if they have one)",
        validators=[Optional(), Regexp(r"^\d{10}$", message="An NPI is exactly 10 digits.")],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )


class RoleForm(BaseForm):
    role = SelectField("Role", choices=ROLE_CHOICES)


# --- Credentials, continuing education and training: read into typed values for the rules ---------


@dataclass(frozen=True)
class Typed:
    """What a form sent, typed values for the service, and the dates that could not be read (a
    message at the field, with the text kept so nothing typed is lost)."""

    value: object
    errors: dict[str, str]


DATE_MESSAGE = "Type the date as MM/DD/YYYY, for example 03/14/2027."


def _date(form: MultiDict, name: str, errors: dict[str, str]) -> date | None:
    text = form.get(name, "").strip()
    if not text:
        return None
    parsed = parse_us_date(text)
    if parsed is None:
        errors[name] = DATE_MESSAGE
    return parsed


def read_credential(form: MultiDict) -> Typed:
    errors: dict[str, str] = {}
    entered = CredentialInput(
        kind=form.get("kind", ""), number=form.get("number", ""), issuer=form.get("issuer", ""),
        issued_on=_date(form, "issued_on", errors), expires_on=_date(form, "expires_on", errors),
        state=form.get("state", ""), profession=form.get("profession", ""))
    return Typed(entered, errors)


def read_ce(form: MultiDict) -> Typed:
    errors: dict[str, str] = {}
    entered = CeInput(title=form.get("title", ""), provider=form.get("provider", ""), hours=form.get("hours", ""),
                      completed_on=_date(form, "completed_on", errors),
                      counts_toward=tuple(form.getlist("counts_toward")))
    return Typed(entered, errors)


@dataclass(frozen=True)
class NewTraining:
    topic: str
    title: str
    held_on: date | None
    presenter: str
    minutes: int | None
    notes: str


def read_training(form: MultiDict) -> Typed:
    errors: dict[str, str] = {}
    minutes_text = form.get("minutes", "").strip()
    minutes = whole_number(minutes_text, 1, 600)
    if minutes_text and minutes is None:
        errors["minutes"] = "Enter the length in minutes, 1 to 600, or leave it empty."
    return Typed(NewTraining(form.get("topic", ""), form.get("title", ""), _date(form, "held_on", errors),
                             form.get("presenter", ""), minutes, form.get("notes", "")), errors)


@dataclass(frozen=True)
class Attendance:
    attendee_ids: tuple[int, ...]
    completed_on: date | None


def read_attendance(form: MultiDict) -> Typed:
    errors: dict[str, str] = {}
    ids = tuple(i for i in (record_id_or_none(v) for v in form.getlist("attendees")) if i is not None)
    return Typed(Attendance(ids, _date(form, "completed_on", errors)), errors)


@dataclass(frozen=True)
class WaiverEntry:
    reason: str
    until: date | None


def read_waiver(form: MultiDict) -> Typed:
    errors: dict[str, str] = {}
    return Typed(WaiverEntry(form.get("reason", ""), _date(form, "until", errors)), errors)

"""What the blueprints' forms share: US dates typed on a numeric keypad, phones, the reasons typed to
keep flagged wording, and the addendum form every signed record's page shows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import ClassVar

from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import ValidationError

from .rules import parse
from .rules.identifiers import IdentifierError, normalize_us_phone

_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")


def strip_controls(value):
    """Text pasted into a field can carry control characters nobody meant to type; they are
    dropped before any check, so what is stored is what the screen showed."""
    return value.translate(_CONTROL) if isinstance(value, str) else value


class _PracticeWords:
    """WTForms' own messages, in the words the rest of the app uses. They sit under the box, so they
    say what to do: "Field cannot be longer than 120 characters." named no field."""

    WORDS: ClassVar[dict[str, str]] = {
        "Field cannot be longer than %(max)d characters.": "Too long: at most %(max)d characters here.",
        "Not a valid choice.": "Choose one from the list.",
        "Invalid Choice: could not coerce.": "Choose one from the list.",
        "Invalid choice(s): one or more data inputs could not be coerced.": "Choose from the list.",
        "'%(value)s' is not a valid choice for this field.": "%(value)s is not on the list: choose from it.",
    }

    def gettext(self, string: str) -> str:
        return self.WORDS.get(string, string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


class BaseForm(FlaskForm):
    """Every form of the app: text fields lose control characters before validation; WTForms' own
    messages are in the practice's words."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            # A field's own filters are in its unbound kwargs; options would replace them, not add.
            options["filters"] = [strip_controls, *unbound_field.kwargs.get("filters", ())]
            return unbound_field.bind(form=form, **options)

        def get_translations(self, form):
            return _PracticeWords()


def fits_after(transform, limit: int, message: str):
    """A length check on the value as it will be stored (lower- or upper-cased): some letters
    grow when their case changes (ß becomes SS), so checking before is not enough."""

    def check(form, field):
        if field.data and len(transform(field.data)) > limit:
            raise ValidationError(message)

    return check


class WholeNumberField(IntegerField):
    """A whole number typed on the numeric keypad. A run of digits too long for any count the app
    keeps is refused here: WTForms' NumberRange turns the number into a float, and a 400-digit
    number overflows it (a server error, found by the every-form test)."""

    MAX_DIGITS = 9

    def process_formdata(self, valuelist):
        if valuelist and len(valuelist[0].strip().lstrip("+-")) > self.MAX_DIGITS:
            self.data = None
            raise ValueError("That number is far too large.")
        try:
            super().process_formdata(valuelist)
        except ValueError:
            # WTForms says "Not a valid integer value."; "12.5" or "1e5" typed here wants plainer words.
            raise ValueError("Type a whole number, without a point or letters.") from None


def practice_day() -> date:
    """Today where the practice is, for a signed-in request: the server runs in UTC, and a
    California evening is already tomorrow there. The server's day otherwise (the command line)."""
    from flask import has_request_context
    from flask_login import current_user

    if has_request_context() and current_user and current_user.is_authenticated:
        from .clock import practice_today

        return practice_today(current_user.practice)
    return date.today()


def parse_us_date(text: str, *, past: bool = False) -> date | None:
    """rules.parse.us_date; with past=True a two-digit year is never after the practice's today."""
    return parse.us_date(text, today=practice_day() if past else None)


class USDateField(StringField):
    """A date typed as MM/DD/YYYY on the numeric keypad: quicker than a date wheel for a birth year."""

    def __init__(self, label=None, validators=None, *, past: bool = False, **kwargs):
        render_kw = {"inputmode": "numeric", "placeholder": "MM/DD/YYYY", "autocomplete": "off",
                     **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.past = past
        self.parsed: date | None = None

    def _value(self) -> str:
        if isinstance(self.data, date):
            return f"{self.data:%m/%d/%Y}"
        return self.data or ""

    def pre_validate(self, form):
        if not self.data:
            self.parsed = None
            return
        self.parsed = parse_us_date(self.data, past=self.past)
        if self.parsed is None:
            raise ValidationError("Type the date as MM/DD/YYYY, for example 03/14/1952.")


class MoneyField(StringField):
    """Dollars and cents typed on the decimal keypad: never negative, never more than two places."""

    UNREADABLE = "Type an amount in dollars and cents, like 45.00."
    NEGATIVE = "An amount cannot be negative."
    TOO_PRECISE = "Dollars and cents only: at most two places after the point."

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"inputmode": "decimal", "autocomplete": "off", "placeholder": "0.00",
                     **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.amount: Decimal | None = None

    def pre_validate(self, form):
        text = (self.data or "").strip().lstrip("$").replace(",", "")
        self.amount = None
        if not text:
            return
        amount = parse.decimal(text)
        if amount is None:
            raise ValidationError(self.UNREADABLE)
        if amount < 0:
            raise ValidationError(self.NEGATIVE)
        if amount.as_tuple().exponent < -2:
            raise ValidationError(self.TOO_PRECISE)
        if amount >= Decimal(100000000):
            raise ValidationError("That amount is far too large.")
        self.amount = amount


class PercentField(MoneyField):
    """A percent typed on the decimal keypad (a coinsurance of 20 or 12.5), read like money but said as a percent."""

    UNREADABLE = "Type the percent as a number, like 20."
    NEGATIVE = "A percent cannot be negative."
    TOO_PRECISE = "At most two places after the point, like 12.5."

    def pre_validate(self, form):
        self.data = (self.data or "").strip().rstrip("%").strip()
        super().pre_validate(form)


class PhoneField(StringField):
    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"inputmode": "tel", "autocomplete": "off", **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def pre_validate(self, form):
        if self.data:
            try:
                self.data = normalize_us_phone(self.data)
            except IdentifierError as error:
                raise ValidationError(error.message) from None


def show_refusal(form, error, field: str | None = None) -> None:
    """A service's InputError beside the WTForms field it names (or `field`), else above the form."""
    target = getattr(form, field or error.field, None)
    if target is None:
        form.form_errors.append(error.message)
    else:
        target.errors = [*target.errors, error.message]


def not_in_future(form, field) -> None:
    if getattr(field, "parsed", None) and field.parsed > practice_day():
        raise ValidationError("That date is in the future.")


# Under a text field the scope-of-practice guard flagged, the box where the writer says why their
# own words stay (services.scope.review records it with the document).
KEEP_SUFFIX = "-keep"


def keep_reasons(form: Mapping[str, str], names: Iterable[str]) -> dict[str, str]:
    """The reasons typed to keep each named field's flagged wording ("" where none was)."""
    return {name: form.get(name + KEEP_SUFFIX) or "" for name in names}


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


class AddendumForm(BaseForm):
    """A correction to a signed record (a session note, an assessment): why, and what it adds. The
    same two boxes on every signed record's page; `record` names it in the message ("note")."""

    reason = StringField("Why an addendum", filters=[_stripped])
    text = TextAreaField("Addendum", filters=[_stripped])
    text_keep = StringField(name="text" + KEEP_SUFFIX)

    def __init__(self, *, record: str, **kwargs):
        super().__init__(**kwargs)
        self.record = record

    # An addendum can never be taken back: nothing longer than the page lets anyone type.
    REASON_CHARS, TEXT_CHARS = 300, 4000

    def validate_reason(self, field):
        if not field.data:
            raise ValidationError(f"Say why the signed {self.record} needs an addendum.")
        if len(field.data) > self.REASON_CHARS:
            raise ValidationError(f"Please keep this to {self.REASON_CHARS} characters or fewer.")

    def validate_text(self, field):
        if not field.data:
            raise ValidationError("Write the addendum.")
        if len(field.data) > self.TEXT_CHARS:
            raise ValidationError(f"Please keep this to {self.TEXT_CHARS} characters or fewer.")

    @property
    def values(self) -> dict[str, str]:
        return {"reason": self.reason.data or "", "text": self.text.data or ""}

    @property
    def messages(self) -> dict[str, str]:
        """One message a field, as the pages show them."""
        return {name: errors[0] for name, errors in self.errors.items()}

    def keep_reasons(self) -> dict[str, str]:
        return {"text": self.text_keep.data or ""}

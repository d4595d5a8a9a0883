"""Forms for eligibility: a verification as the payer gave it, a prior authorisation, the date a 270
request asks about, a 271 answer pasted or uploaded, and the payer set-up a coverage bills under."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ...forms import BaseForm, MoneyField, PercentField, USDateField, WholeNumberField, not_in_future
from ...services.eligibility import METHODS, AuthorisationValues, VerificationValues


def _non_negative(form, field):
    if field.data is not None and field.data < 0:
        raise ValidationError("A number of visits cannot be negative.")


def _blank_none(value: str | None) -> str | None:
    return (value or "").strip() or None


class VerificationForm(BaseForm):
    verified_on = USDateField("Checked on", validators=[DataRequired("Enter the date you checked."), not_in_future])
    method = SelectField("How", choices=[SelectChoice(key, label) for key, label in METHODS.items()])
    active = SelectField("Coverage", choices=[SelectChoice("yes", "Active"), SelectChoice("no", "Not active")])
    visits_allowed = WholeNumberField("Visits allowed this year", validators=[Optional(), _non_negative],
                                      render_kw={"inputmode": "numeric"})
    visits_used = WholeNumberField("Visits already used", validators=[Optional(), _non_negative],
                                   render_kw={"inputmode": "numeric"})
    copay = MoneyField("Copay per visit", validators=[Optional()])
    coinsurance_percent = PercentField("Coinsurance (%)", validators=[Optional()], render_kw={"placeholder": "20"})
    deductible_remaining = MoneyField("Deductible left", validators=[Optional()])
    authorisation_number = StringField("Authorisation number", validators=[Optional(), Length(max=50)],
                                       render_kw={"autocapitalize": "characters", "autocomplete": "off"})
    authorisation_expires_on = USDateField("Authorisation expires", validators=[Optional()])
    reference = StringField("Call reference or confirmation number", validators=[Optional(), Length(max=50)],
                            render_kw={"autocomplete": "off"})
    note = TextAreaField("Note", validators=[Optional(), Length(max=1000)])

    def values(self) -> VerificationValues:
        return VerificationValues(
            verified_on=self.verified_on.parsed, method=self.method.data, active=self.active.data == "yes",
            visits_allowed=self.visits_allowed.data, visits_used=self.visits_used.data, copay=self.copay.amount,
            coinsurance_percent=self.coinsurance_percent.amount,
            deductible_remaining=self.deductible_remaining.amount,
            authorisation_number=_blank_none((self.authorisation_number.data or "").upper()),
            authorisation_expires_on=self.authorisation_expires_on.parsed,
            reference=_blank_none(self.reference.data), note=_blank_none(self.note.data))


class AuthorisationForm(BaseForm):
    number = StringField("Authorisation number", validators=[DataRequired("Enter the authorisation number."),
                                                             Length(max=50)],
                         render_kw={"autocapitalize": "characters", "autocomplete": "off"})
    starts_on = USDateField("From", validators=[Optional()])
    ends_on = USDateField("Until", validators=[Optional()])
    visits_authorised = WholeNumberField("Visits authorised", validators=[Optional(), _non_negative],
                                         render_kw={"inputmode": "numeric"})

    def values(self) -> AuthorisationValues:
        return AuthorisationValues(number=self.number.data.strip().upper(), starts_on=self.starts_on.parsed,
                                   ends_on=self.ends_on.parsed, visits_authorised=self.visits_authorised.data)


class RequestForm(BaseForm):
    service_date = USDateField("Ask about the date", validators=[DataRequired("Enter the date to ask about.")])


class ResponseForm(BaseForm):
    response = TextAreaField("Paste the 271 answer", validators=[Optional()],
                             render_kw={"rows": 4, "spellcheck": "false", "autocomplete": "off"})
    response_file = FileField("or choose the file")

    def text(self) -> str:
        upload = self.response_file.data
        if upload is not None and getattr(upload, "filename", ""):
            raw = upload.read(2_000_000)
            return raw.decode("utf-8", "replace").lstrip("\ufeff")
        return self.response.data or ""


class PayerLinkForm(BaseForm):
    payer_record_id = SelectField("Bills under the payer set-up", choices=[])

"""Forms for providers, referrals and clearance."""

import re

from flask_wtf.file import FileField
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ...forms import BaseForm, PhoneField, USDateField, WholeNumberField, not_in_future
from ...rules.identifiers import IdentifierError, normalize_npi

PROVIDER_KINDS = [SelectChoice("physician", "Physician (MD/DO)"), SelectChoice("physical_therapist", "Physical therapist"),
                  SelectChoice("chiropractor", "Chiropractor"), SelectChoice("nurse_practitioner", "Nurse practitioner"),
                  SelectChoice("physician_assistant", "Physician assistant"), SelectChoice("other", "Other clinician")]
MAX_CODES = 12  # CMS-1500 box 21 holds A-L


class ProviderForm(BaseForm):
    first_name = StringField("First name", validators=[DataRequired("Enter the first name."), Length(max=80)])
    last_name = StringField("Last name", validators=[DataRequired("Enter the last name."), Length(max=80)])
    credentials = StringField("Credentials", validators=[Optional(), Length(max=40)],
                              render_kw={"placeholder": "MD, DPT, DC"})
    kind = SelectField("Kind", choices=PROVIDER_KINDS)
    npi = StringField("NPI", validators=[Optional()], render_kw={"inputmode": "numeric", "autocomplete": "off"})
    organization = StringField("Practice or hospital", validators=[Optional(), Length(max=160)])
    phone = PhoneField("Phone", validators=[Optional()])
    fax = PhoneField("Fax", validators=[Optional()])

    def validate_npi(self, field):
        if field.data:
            try:
                field.data = normalize_npi(field.data)
            except IdentifierError as error:
                raise ValidationError(error.message) from None

    def values(self) -> dict:
        return {"first_name": self.first_name.data.strip(), "last_name": self.last_name.data.strip(),
                "credentials": self.credentials.data or None, "kind": self.kind.data, "npi": self.npi.data or None,
                "organization": self.organization.data or None, "phone": self.phone.data or None,
                "fax": self.fax.data or None}


class ReferralForm(BaseForm):
    provider_id = SelectField("Referring provider", coerce=lambda v: int(v) if v else None, validate_choice=False,
                              validators=[DataRequired("Choose the referring provider (add them first if new).")])
    referred_on = USDateField("Date on the order", validators=[DataRequired("Enter the date on the order."),
                                                               not_in_future])
    reason = TextAreaField("Reason for referral, as the order states it",
                           validators=[DataRequired("Copy the reason from the order."), Length(max=2000)],
                           render_kw={"rows": 3})
    codes = TextAreaField(
        "Diagnosis codes exactly as written on the order (one per line)",
        validators=[DataRequired("Copy the ICD-10-CM codes from the order.")],
        render_kw={"rows": 3, "autocapitalize": "characters", "spellcheck": "false",
                   "placeholder": "M17.11\nZ96.651"},
    )
    authorized_visits = WholeNumberField("Visits authorized", validators=[Optional(), NumberRange(
        min=1, max=200, message="Visits authorized is a number from 1 to 200.")], render_kw={"inputmode": "numeric"})
    expires_on = USDateField("Referral expires", validators=[Optional()])
    order_document = FileField("The order or prescription (PDF or photo)",
                               render_kw={"accept": "application/pdf,image/jpeg,image/png"})

    def code_lines(self) -> list[str]:
        return [line.strip() for line in re.split(r"[\n,;]+", self.codes.data or "") if line.strip()]

    def validate_codes(self, field):
        if len(self.code_lines()) > MAX_CODES:
            raise ValidationError(f"A claim carries at most {MAX_CODES} diagnosis codes.")

    def validate_expires_on(self, field):
        if field.parsed and self.referred_on.parsed and field.parsed < self.referred_on.parsed:
            raise ValidationError("The referral cannot expire before the date on the order.")


class OrderForm(BaseForm):
    order_document = FileField("The order or prescription (PDF or photo)",
                               render_kw={"accept": "application/pdf,image/jpeg,image/png"})


class ClearanceForm(BaseForm):
    provider_id = SelectField("Provider who cleared the client", coerce=lambda v: int(v) if v else None,
                              validate_choice=False, validators=[DataRequired("Choose the provider.")])
    cleared_on = USDateField("Date of the clearance", validators=[DataRequired("Enter the date on the letter."),
                                                                  not_in_future])
    restrictions = TextAreaField("Restrictions the provider wrote (if any)", validators=[Optional(), Length(max=2000)],
                                 render_kw={"rows": 3})
    document = FileField("The clearance letter or form (PDF or photo)",
                         render_kw={"accept": "application/pdf,image/jpeg,image/png"})

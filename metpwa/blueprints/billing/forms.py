"""Forms for the billing set-up: the billing provider, rendering and supervising providers, payers,
the fee schedule with contracted amounts, and supervision on record. Identifiers are checked by the
rules (NPI by Luhn with 80840, EIN prefixes, payer IDs, taxonomy codes) and the message shows at
the field; money is read as Decimal with at most two places."""

from __future__ import annotations

from decimal import Decimal

from wtforms import BooleanField, SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ...forms import BaseForm, MoneyField, PhoneField, USDateField, WholeNumberField
from ...rules.billing_identifiers import normalize_payer_id, normalize_tax_id, normalize_taxonomy
from ...rules.identifiers import IdentifierError, normalize_npi, normalize_state, normalize_zip
from ...services.billing_setup import (
    BillingProviderValues,
    FeeValues,
    PayerValues,
    RenderingProviderValues,
)
from ...standards.billing import (
    CLAIM_FILING_INDICATOR_CODES,
    CLAIM_ROUTE_LABELS,
    CREDENTIALS,
    DEFAULT_DISTINCT_SERVICE_MODIFIER,
    DEFAULT_TIMELY_FILING_DAYS,
    PAYER_KIND_LABELS,
    PROCEDURE_CODES,
    UNIT_METHOD_LABELS,
)


def _checked(normalize, *args):
    """A validator from a rules normaliser: the tidy value is kept, a refusal is the field's message."""

    def check(form, field):
        if field.data:
            try:
                field.data = normalize(field.data, *args)
            except IdentifierError as error:
                raise ValidationError(error.message) from None

    return check


def _blank_none(value: str | None) -> str | None:
    return (value or "").strip() or None


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class BillingProviderForm(BaseForm):
    name = StringField("Name on claims (the practice, or your own name)",
                       validators=[DataRequired("Enter the name claims are paid to."), Length(max=120)])
    npi = StringField("NPI (type 2 for the practice)", validators=[DataRequired("Enter the NPI: 10 digits."),
                                                                   _checked(normalize_npi)],
                      render_kw={"inputmode": "numeric", "autocomplete": "off"})
    tax_id_kind = SelectField("Tax ID kind", choices=[SelectChoice("EI", "EIN (employer identification number)"),
                                                      SelectChoice("SY", "Social security number (sole proprietor)")])
    tax_id = StringField("Federal tax ID", validators=[DataRequired("Enter the federal tax ID.")],
                         render_kw={"inputmode": "numeric", "autocomplete": "off", "placeholder": "36-1234567"})
    taxonomy = StringField("Taxonomy code", validators=[Optional(), _checked(normalize_taxonomy)],
                           render_kw={"autocapitalize": "characters", "placeholder": "225100000X"})
    address_line1 = StringField("Street address", validators=[DataRequired("Enter the street address."),
                                                              Length(max=120)])
    address_line2 = StringField("Suite or unit", validators=[Optional(), Length(max=120)])
    city = StringField("City", validators=[DataRequired("Enter the city."), Length(max=80)])
    state = StringField("State", validators=[DataRequired("Enter the state."), _checked(normalize_state)],
                        render_kw={"autocapitalize": "characters", "placeholder": "IL"})
    postal_code = StringField("ZIP+4", validators=[DataRequired("Enter the ZIP code."), _checked(normalize_zip)],
                              render_kw={"inputmode": "numeric", "placeholder": "60602-1234"})
    phone = PhoneField("Billing phone", validators=[Optional()])
    submitter_id = StringField("Clearinghouse submitter ID", validators=[Optional(), Length(max=15)],
                               render_kw={"autocapitalize": "characters", "autocomplete": "off"})

    def validate_tax_id(self, field):
        try:
            field.data = normalize_tax_id(field.data, self.tax_id_kind.data)
        except IdentifierError as error:
            raise ValidationError(error.message) from None

    def validate_postal_code(self, field):
        if field.data and len(field.data.replace("-", "")) != 9:
            raise ValidationError("Claims ask the billing provider for all nine digits: ZIP+4, like 60602-1234.")

    def values(self) -> BillingProviderValues:
        return BillingProviderValues(
            name=self.name.data.strip(), npi=self.npi.data, tax_id_kind=self.tax_id_kind.data,
            tax_id=self.tax_id.data, taxonomy=_blank_none(self.taxonomy.data),
            address_line1=self.address_line1.data.strip(), address_line2=_blank_none(self.address_line2.data),
            city=self.city.data.strip(), state=self.state.data, postal_code=self.postal_code.data,
            phone=_blank_none(self.phone.data), submitter_id=_blank_none((self.submitter_id.data or "").upper()))


CREDENTIAL_CHOICES = [SelectChoice(kind.value, credential.label) for kind, credential in CREDENTIALS.items()]


class RenderingProviderForm(BaseForm):
    first_name = StringField("First name", validators=[DataRequired("Enter the first name."), Length(max=80)])
    last_name = StringField("Last name", validators=[DataRequired("Enter the last name."), Length(max=80)])
    credential = SelectField("Credential", choices=CREDENTIAL_CHOICES)
    user_id = SelectField("Staff member (if they sign in here)", choices=[], default="")
    npi = StringField("NPI (type 1)", validators=[Optional(), _checked(normalize_npi)],
                      render_kw={"inputmode": "numeric", "autocomplete": "off"})
    taxonomy = StringField("Taxonomy code", validators=[Optional(), _checked(normalize_taxonomy)],
                           render_kw={"autocapitalize": "characters", "placeholder": "225100000X"})
    licence_number = StringField("Licence number", validators=[Optional(), Length(max=40)],
                                 render_kw={"autocapitalize": "characters", "autocomplete": "off"})
    licence_state = StringField("Licence state", validators=[Optional(), _checked(normalize_state)],
                                render_kw={"autocapitalize": "characters", "placeholder": "IL"})
    licence_expires_on = USDateField("Licence expires", validators=[Optional()])
    coaching_credential = BooleanField("Holds a health and well-being coaching credential (NBHWC)")
    active = BooleanField("Active", default=True)

    def values(self) -> RenderingProviderValues:
        return RenderingProviderValues(
            first_name=self.first_name.data.strip(), last_name=self.last_name.data.strip(),
            credential=self.credential.data, user_id=int(self.user_id.data) if self.user_id.data else None,
            npi=_blank_none(self.npi.data), taxonomy=_blank_none(self.taxonomy.data),
            licence_number=_blank_none((self.licence_number.data or "").upper()),
            licence_state=_blank_none(self.licence_state.data), licence_expires_on=self.licence_expires_on.parsed,
            coaching_credential=self.coaching_credential.data, active=self.active.data)


PAYER_KIND_CHOICES = [SelectChoice(kind.value, label) for kind, label in PAYER_KIND_LABELS.items()]
CLAIM_ROUTE_CHOICES = [SelectChoice(route.value, label) for route, label in CLAIM_ROUTE_LABELS.items()]
UNIT_METHOD_CHOICES = [SelectChoice(method.value, label) for method, label in UNIT_METHOD_LABELS.items()]
# 59 says only "distinct"; CMS prefers the X modifier that says how, where a payer asks for it.
DISTINCT_MODIFIER_CHOICES = [
    SelectChoice("59", "59: distinct procedural service (read by every payer)"),
    SelectChoice("XE", "XE: a separate encounter"),
    SelectChoice("XS", "XS: a separate structure or body area"),
    SelectChoice("XP", "XP: a separate practitioner"),
    SelectChoice("XU", "XU: an unusual service that does not overlap the usual components"),
]
# Codes a payer may take for an MES's service: never the PT evaluations.
MES_CODE_CHOICES = [SelectChoice(code, f"{code} {entry.label}") for code, entry in PROCEDURE_CODES.items()
                    if not entry.pt_evaluation]


class PayerForm(BaseForm):
    name = StringField("Payer name", validators=[DataRequired("Enter the payer's name."), Length(max=120)],
                       render_kw={"placeholder": "Prairie Health Plan"})
    kind = SelectField("Kind of payer", choices=PAYER_KIND_CHOICES, default="commercial")
    payer_id = StringField("Payer ID (electronic claims)", validators=[Optional(), _checked(normalize_payer_id)],
                           render_kw={"autocapitalize": "characters", "autocomplete": "off", "placeholder": "60054"})
    claim_route = SelectField("How claims go out", choices=CLAIM_ROUTE_CHOICES, default="837p")
    unit_method = SelectField("How timed minutes become units", choices=UNIT_METHOD_CHOICES,
                              default="cms_total_time")
    accepts_mes = BooleanField("Accepts claims for MES services (route 2)")
    mes_codes = CheckboxList("Codes it takes for an MES's services", choices=MES_CODE_CHOICES)
    allows_supervised_billing = BooleanField("Pays a licensed provider who renders and supervises (route 1)")
    distinct_service_modifier = SelectField(
        "Modifier for a distinct service (second code of an NCCI pair)", choices=DISTINCT_MODIFIER_CHOICES,
        default=DEFAULT_DISTINCT_SERVICE_MODIFIER)
    requires_referral = BooleanField("Requires a referral")
    requires_authorisation = BooleanField("Requires prior authorisation")
    timely_filing_days = WholeNumberField("Timely filing (days after the session)", default=DEFAULT_TIMELY_FILING_DAYS,
                                          validators=[InputRequired("Enter the payer's filing limit in days.")],
                                          render_kw={"inputmode": "numeric"})
    claim_filing_indicator = StringField("Claim filing indicator (if not the usual for its kind)",
                                         validators=[Optional()],
                                         render_kw={"autocapitalize": "characters", "placeholder": "BL"})
    address_line1 = StringField("Claims address", validators=[Optional(), Length(max=120)])
    address_line2 = StringField("Suite or PO box", validators=[Optional(), Length(max=120)])
    city = StringField("City", validators=[Optional(), Length(max=80)])
    state = StringField("State", validators=[Optional(), _checked(normalize_state)],
                        render_kw={"autocapitalize": "characters"})
    postal_code = StringField("ZIP", validators=[Optional(), _checked(normalize_zip)],
                              render_kw={"inputmode": "numeric"})
    active = BooleanField("Active", default=True)

    def validate_timely_filing_days(self, field):
        if field.data is not None and not 1 <= field.data <= 3650:
            raise ValidationError("Timely filing is a number of days from 1 to 3650, like 90 or 365.")

    def validate_claim_filing_indicator(self, field):
        if field.data:
            field.data = field.data.strip().upper()
            if field.data not in CLAIM_FILING_INDICATOR_CODES:
                raise ValidationError("Use an X12 claim filing indicator, like BL, CI, HM or 12, or leave it empty.")

    def validate_claim_route(self, field):
        if field.data == "cms1500" and self.kind.data == "self_pay" or \
                field.data == "superbill" and self.kind.data not in ("self_pay", "other"):
            raise ValidationError("A superbill is for self-pay; insurers get an 837P or a CMS-1500.")

    def values(self) -> PayerValues:
        return PayerValues(
            name=self.name.data.strip(), kind=self.kind.data, payer_id=_blank_none(self.payer_id.data),
            claim_route=self.claim_route.data, unit_method=self.unit_method.data, accepts_mes=self.accepts_mes.data,
            mes_codes=tuple(self.mes_codes.data or ()), allows_supervised_billing=self.allows_supervised_billing.data,
            requires_referral=self.requires_referral.data, requires_authorisation=self.requires_authorisation.data,
            timely_filing_days=self.timely_filing_days.data,
            claim_filing_indicator=_blank_none(self.claim_filing_indicator.data),
            address_line1=_blank_none(self.address_line1.data), address_line2=_blank_none(self.address_line2.data),
            city=_blank_none(self.city.data), state=_blank_none(self.state.data),
            postal_code=_blank_none(self.postal_code.data), active=self.active.data,
            distinct_service_modifier=self.distinct_service_modifier.data or DEFAULT_DISTINCT_SERVICE_MODIFIER)


CODE_CHOICES = [SelectChoice("", "Choose a code")] + [SelectChoice(code, f"{code} {entry.label}")
                                                      for code, entry in PROCEDURE_CODES.items()]


class FeeForm(BaseForm):
    """The charge for a code from a date; contracted amounts come as contracted_<payer id> fields,
    added by the route for the practice's payers."""

    code = SelectField("Code", choices=CODE_CHOICES, validators=[DataRequired("Choose a code.")])
    charge = MoneyField("Charge (per unit for timed codes, per session otherwise)",
                        validators=[DataRequired("Enter the charge.")])
    effective_on = USDateField("From", validators=[DataRequired("Enter the date the charge starts.")])

    def values(self, contracted: dict[int, MoneyField]) -> FeeValues:
        return FeeValues(code=self.code.data, charge=self.charge.amount or Decimal(0),
                         effective_on=self.effective_on.parsed,
                         contracted=tuple((payer_id, f.amount) for payer_id, f in contracted.items()
                                          if f.amount is not None))


def fee_form_for(payer_ids: list[int], **kwargs) -> FeeForm:
    """A FeeForm with one optional contracted amount per payer of the practice."""

    class WithRates(FeeForm):
        pass

    for payer_id in payer_ids:
        setattr(WithRates, f"contracted_{payer_id}", MoneyField("Contracted amount", validators=[Optional()]))
    return WithRates(**kwargs)


class SupervisionForm(BaseForm):
    session_id = SelectField("Session", choices=[], validators=[DataRequired("Choose the session.")])
    supervisor_id = SelectField("Supervising provider", choices=[], validators=[DataRequired("Choose who supervised.")])
    note = TextAreaField("Note (optional)", validators=[Optional(), Length(max=500)])

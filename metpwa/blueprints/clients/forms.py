"""Forms for the client registry: registration, details, contacts and insurance."""

from wtforms import BooleanField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from ...forms import BaseForm, PhoneField, USDateField, fits_after, not_in_future
from ...rules.identifiers import IdentifierError, normalize_member_id, normalize_state, normalize_zip

SEXES = [SelectChoice("", "Choose"), SelectChoice("F", "Female"), SelectChoice("M", "Male"),
         SelectChoice("X", "Another sex / nonbinary"), SelectChoice("U", "Not recorded")]
EMAIL = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="That does not look like an email.")


def _state(form, field):
    if field.data:
        try:
            field.data = normalize_state(field.data)
        except IdentifierError as error:
            raise ValidationError(error.message) from None


def _zip(form, field):
    if field.data:
        try:
            field.data = normalize_zip(field.data)
        except IdentifierError as error:
            raise ValidationError(error.message) from None


class DetailsForm(BaseForm):
    first_name = StringField("Legal first name", validators=[DataRequired("Enter the first name."), Length(max=80)],
                             render_kw={"autocapitalize": "words", "autocomplete": "off"})
    middle_name = StringField("Middle name", validators=[Optional(), Length(max=80)],
                              render_kw={"autocapitalize": "words", "autocomplete": "off"})
    last_name = StringField("Legal last name", validators=[DataRequired("Enter the last name."), Length(max=80)],
                            render_kw={"autocapitalize": "words", "autocomplete": "off"})
    preferred_name = StringField("Goes by", validators=[Optional(), Length(max=80)],
                                 render_kw={"autocapitalize": "words", "autocomplete": "off"})
    date_of_birth = USDateField("Date of birth", validators=[DataRequired("Enter the date of birth."), not_in_future],
                                past=True)
    sex = SelectField("Sex (for age and sex norms)", choices=SEXES,
                      validators=[DataRequired("Choose one; 'Not recorded' is fine.")])
    phone = PhoneField("Phone", validators=[Optional()])
    email = StringField("Email", validators=[Optional(), EMAIL, fits_after(str.lower, 254, "That email is too long.")],
                        render_kw={"inputmode": "email", "autocapitalize": "none", "spellcheck": "false"})
    address_line1 = StringField("Street address", validators=[Optional(), Length(max=120)])
    address_line2 = StringField("Apartment, suite", validators=[Optional(), Length(max=120)])
    city = StringField("City", validators=[Optional(), Length(max=80)])
    state = StringField("State", validators=[Optional(), _state], render_kw={"autocapitalize": "characters"})
    postal_code = StringField("ZIP code", validators=[Optional(), _zip], render_kw={"inputmode": "numeric"})
    primary_trainer_id = SelectField("Trainer", coerce=lambda v: int(v) if v else None, validate_choice=False)
    self_pay = BooleanField("Self-pay (no insurance billing)")

    def validate_primary_trainer_id(self, field):
        # The choices are the practice's own trainers; an id from a tampered form is refused here.
        allowed = {choice.value for choice in field.choices}
        if field.data is not None and str(field.data) not in allowed:
            raise ValidationError("Choose one of the practice's trainers.")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Across two optional fields, so it cannot be a field validator (Optional() stops those).
        if not self.phone.data and not self.email.data:
            self.phone.errors = [*self.phone.errors, "Give a phone or an email so the practice can reach the client."]
            valid = False
        return valid

    def values(self) -> dict:
        return {
            "first_name": self.first_name.data.strip(), "middle_name": (self.middle_name.data or "").strip() or None,
            "last_name": self.last_name.data.strip(), "preferred_name": (self.preferred_name.data or "").strip() or None,
            "date_of_birth": self.date_of_birth.parsed, "sex": self.sex.data, "phone": self.phone.data or None,
            "email": (self.email.data or "").strip().lower() or None,
            "address_line1": self.address_line1.data or None, "address_line2": self.address_line2.data or None,
            "city": self.city.data or None, "state": self.state.data or None,
            "postal_code": self.postal_code.data or None, "self_pay": bool(self.self_pay.data),
            "primary_trainer_id": self.primary_trainer_id.data,
        }


class ContactForm(BaseForm):
    name = StringField("Emergency contact's name", validators=[DataRequired("Enter the contact's name."),
                                                              Length(max=120)])
    relationship_to_client = StringField("Relationship", validators=[DataRequired("Say how they are related."),
                                                                     Length(max=40)],
                                         render_kw={"placeholder": "Daughter, husband, neighbor"})
    phone = PhoneField("Their phone", validators=[DataRequired("Enter the contact's phone.")])
    alternate_phone = PhoneField("Another phone", validators=[Optional()])

    def values(self) -> dict:
        return {"name": self.name.data.strip(), "relationship_to_client": self.relationship_to_client.data.strip(),
                "phone": self.phone.data, "alternate_phone": self.alternate_phone.data or None}


class RegisterForm(DetailsForm):
    contact_name = StringField("Emergency contact's name",
                               validators=[DataRequired("Every client needs an emergency contact."), Length(max=120)])
    contact_relationship = StringField("Relationship", validators=[DataRequired("Say how they are related."),
                                                                   Length(max=40)],
                                       render_kw={"placeholder": "Daughter, husband, neighbor"})
    contact_phone = PhoneField("Their phone", validators=[DataRequired("Enter the contact's phone.")])
    different_person = BooleanField("I checked: this is a different person. Create a new record.")

    def contact(self) -> dict:
        return {"name": self.contact_name.data.strip(), "relationship_to_client": self.contact_relationship.data.strip(),
                "phone": self.contact_phone.data, "alternate_phone": None}


PAYER_KINDS = [SelectChoice("medicare", "Medicare (Part B)"), SelectChoice("medicare_advantage", "Medicare Advantage"),
               SelectChoice("medicaid", "Medicaid"), SelectChoice("commercial", "Commercial / employer plan"),
               SelectChoice("workers_comp", "Workers' compensation"), SelectChoice("auto", "Auto insurance"),
               SelectChoice("other", "Other")]
RELATIONSHIPS = [SelectChoice("self", "The client"), SelectChoice("spouse", "Spouse"),
                 SelectChoice("child", "Client is their child"), SelectChoice("other", "Someone else")]


class CoverageForm(BaseForm):
    priority = SelectField("Order", coerce=int,
                           choices=[SelectChoice(1, "Primary"), SelectChoice(2, "Secondary"), SelectChoice(3, "Tertiary")])
    payer_kind = SelectField("Kind of plan", choices=PAYER_KINDS)
    payer_name = StringField("Insurance company", validators=[DataRequired("Enter the insurer's name."), Length(max=120)],
                             render_kw={"placeholder": "Medicare, Blue Cross Blue Shield of Illinois"})
    plan_name = StringField("Plan", validators=[Optional(), Length(max=120)])
    # The practice's billing set-up for this insurer; choices are the practice's payers (set by the route).
    payer_record_id = SelectField("Bills under (the practice's payer set-up)", choices=[], default="")
    payer_id = StringField("Payer ID for claims (if known)", validators=[Optional(), Length(max=20),
                           Regexp(r"^[A-Za-z0-9]+$", message="A payer ID is letters and digits only.")])
    member_id = StringField("Member ID", validators=[DataRequired("Enter the member ID from the card.")],
                            render_kw={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"})
    group_number = StringField("Group number", validators=[Optional(), fits_after(str.upper, 40,
                                                                                 "A group number is at most 40 characters.")],
                               render_kw={"autocapitalize": "characters"})
    subscriber_relationship = SelectField("Who holds the policy", choices=RELATIONSHIPS)
    subscriber_first_name = StringField("Policy holder's first name", validators=[Optional(), Length(max=80)])
    subscriber_last_name = StringField("Policy holder's last name", validators=[Optional(), Length(max=80)])
    subscriber_date_of_birth = USDateField("Policy holder's date of birth", validators=[Optional(), not_in_future],
                                           past=True)
    effective_on = USDateField("Coverage starts", validators=[Optional()])
    expires_on = USDateField("Coverage ends", validators=[Optional()])

    def validate_member_id(self, field):
        try:
            field.data = normalize_member_id(field.data or "", self.payer_kind.data)
        except IdentifierError as error:
            raise ValidationError(error.message) from None

    def validate_subscriber_relationship(self, field):
        # Checked here, not on the name fields: their Optional() stops the chain when empty.
        if field.data != "self" and not (self.subscriber_first_name.data and self.subscriber_last_name.data):
            raise ValidationError("When the client is not the policy holder, give the holder's name below.")

    def validate_expires_on(self, field):
        if field.parsed and self.effective_on.parsed and field.parsed < self.effective_on.parsed:
            raise ValidationError("Coverage cannot end before it starts.")

    def values(self) -> dict:
        is_self = self.subscriber_relationship.data == "self"
        return {
            "priority": self.priority.data, "payer_kind": self.payer_kind.data, "payer_name": self.payer_name.data.strip(),
            "plan_name": self.plan_name.data or None, "payer_id": (self.payer_id.data or "").upper() or None,
            "member_id": self.member_id.data, "group_number": (self.group_number.data or "").upper() or None,
            "subscriber_relationship": self.subscriber_relationship.data,
            "subscriber_first_name": None if is_self else self.subscriber_first_name.data,
            "subscriber_last_name": None if is_self else self.subscriber_last_name.data,
            "subscriber_date_of_birth": None if is_self else self.subscriber_date_of_birth.parsed,
            "effective_on": self.effective_on.parsed, "expires_on": self.expires_on.parsed,
            "payer_record_id": int(self.payer_record_id.data) if self.payer_record_id.data else None,
        }

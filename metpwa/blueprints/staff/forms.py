"""Forms for managing staff accounts."""

from wtforms import PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ...permissions import ROLE_LABELS

from ...forms import BaseForm, fits_after

ROLE_CHOICES = [SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()]


class StaffForm(BaseForm):
    full_name = StringField("Full name", validators=[DataRequired("Enter the person's name."), Length(max=120)])
    email = StringField(
        "Email (their sign-in)",
        validators=[DataRequired("Enter an email."),
                    # Shape only: the address is a sign-in name, never mailed to by metpwa.
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
    password = PasswordField(
        "First password (they change it after signing in)",
        validators=[DataRequired("Set a first password."), Length(min=12, max=200, message="Use at least 12 characters.")],
        render_kw={"autocomplete": "new-password"},
    )


class RoleForm(BaseForm):
    role = SelectField("Role", choices=ROLE_CHOICES)

"""Forms for one's own PIN, password and two-step sign-in."""

from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from ...forms import BaseForm


class PinForm(BaseForm):
    pin = PasswordField(
        "New PIN (4 to 8 digits)",
        validators=[DataRequired("Enter a PIN."), Regexp(r"^\d{4,8}$", message="A PIN is 4 to 8 digits.")],
        render_kw={"inputmode": "numeric", "autocomplete": "off", "pattern": r"\d*"},
    )
    password = PasswordField(
        "Your password (to confirm it is you)",
        validators=[DataRequired("Enter your password.")],
        render_kw={"autocomplete": "current-password"},
    )


class PasswordForm(BaseForm):
    current = PasswordField("Current password", validators=[DataRequired("Enter your current password.")],
                            render_kw={"autocomplete": "current-password"})
    new = PasswordField(
        "New password (12 characters or more)",
        validators=[DataRequired("Enter a new password."), Length(min=12, max=200, message="Use at least 12 characters.")],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "New password again",
        validators=[DataRequired("Type the new password again."), EqualTo("new", message="The two new passwords differ.")],
        render_kw={"autocomplete": "new-password"},
    )


class ConfirmPasswordForm(BaseForm):
    """Turning two-step sign-in on or off, or replacing recovery codes, asks for the password first."""

    password = PasswordField(
        "Your password (to confirm it is you)",
        validators=[DataRequired("Enter your password."), Length(max=200, message="That password is too long.")],
        render_kw={"autocomplete": "current-password"},
    )


class TwoFactorCodeForm(BaseForm):
    code = StringField(
        "The 6-digit code the app shows now",
        validators=[DataRequired("Type the code your authenticator app shows."),
                    Length(max=40, message="That code is too long.")],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": r"[0-9 ]*",
                   "maxlength": "7"},
    )

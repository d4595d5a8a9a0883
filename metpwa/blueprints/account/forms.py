"""Forms for one's own PIN and password."""

from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp


class PinForm(FlaskForm):
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


class PasswordForm(FlaskForm):
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

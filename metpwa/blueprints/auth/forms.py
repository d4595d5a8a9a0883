"""Forms for signing in and unlocking."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class SignInForm(FlaskForm):
    email = StringField(
        "Email",
        validators=[DataRequired("Enter your email."), Length(max=254, message="That email is too long.")],
        render_kw={"autocomplete": "username", "inputmode": "email", "autocapitalize": "none",
                   "spellcheck": "false"},
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired("Enter your password."), Length(max=200, message="That password is too long.")],
        render_kw={"autocomplete": "current-password"},
    )


class UnlockForm(FlaskForm):
    secret = PasswordField(
        "PIN or password",
        validators=[DataRequired("Enter your PIN or password."), Length(max=200)],
        render_kw={"autocomplete": "off"},
    )


"""Forms for signing in and unlocking."""

from werkzeug.datastructures import MultiDict
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from ...forms import BaseForm


class SignInForm(BaseForm):
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


class UnlockForm(BaseForm):
    secret = PasswordField(
        "PIN or password",
        validators=[DataRequired("Enter your PIN or password."), Length(max=200)],
        render_kw={"autocomplete": "off"},
    )



class SecondStepForm(BaseForm):
    code = StringField(
        "6-digit code from your authenticator app",
        validators=[DataRequired("Type the code your authenticator app shows."),
                    Length(max=40, message="That code is too long.")],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code", "autocapitalize": "none",
                   "spellcheck": "false", "pattern": r"[0-9 ]*", "maxlength": "7", "autofocus": True},
    )


class RecoveryStepForm(BaseForm):
    code = StringField(
        "Recovery code",
        validators=[DataRequired("Type one of your recovery codes."), Length(max=40, message="That code is too long.")],
        render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false", "autofocus": True},
    )


class EnrollForm(BaseForm):
    code = StringField(
        "The 6-digit code the app shows now",
        validators=[DataRequired("Type the code your authenticator app shows."),
                    Length(max=40, message="That code is too long.")],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": r"[0-9 ]*",
                   "maxlength": "7"},
    )


def read_lock_reason(form: MultiDict) -> str:
    """Why the screen is being locked, for the audit event: the Lock button or the page's idle timer."""
    return form.get("reason", "button")[:20]


class WelcomeForm(BaseForm):
    """An invited person's own password and, for the iPad's lock screen, a PIN."""

    password = PasswordField(
        "Choose a password (at least 12 characters)",
        validators=[DataRequired("Choose a password."), Length(max=200, message="That password is too long.")],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "The same password again",
        validators=[DataRequired("Type the password again."), Length(max=200, message="That password is too long.")],
        render_kw={"autocomplete": "new-password"},
    )
    pin = PasswordField(
        "Unlock PIN, 4 to 8 digits (optional: set it later on the Me page)",
        validators=[Length(max=8, message="A PIN is 4 to 8 digits.")],
        render_kw={"inputmode": "numeric", "pattern": "[0-9]*", "autocomplete": "off", "maxlength": "8"},
    )

"""Forms the client fills in during hand-off, and the staff check to take the iPad back."""

from wtforms import HiddenField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length

from ...services.consents import RELATIONSHIPS

from ...forms import BaseForm


class SignForm(BaseForm):
    signer_name = StringField("Type your full name", validators=[DataRequired("Type your name as you sign it."),
                                                                 Length(max=120)],
                              render_kw={"autocomplete": "off", "autocapitalize": "words"})
    signer_relationship = SelectField("You are signing as", choices=[SelectChoice(k, v) for k, v in RELATIONSHIPS.items()])
    signature = HiddenField(validators=[DataRequired("Please sign in the box with your finger or the pencil.")])
    text_sha256 = HiddenField()
    # The Notice of Privacy Practices shown above an acknowledgement (its id), when there is one.
    notice_id = HiddenField()


class StaffCheckForm(BaseForm):
    secret = PasswordField("Staff PIN or password", validators=[DataRequired("Enter the staff PIN or password.")],
                           render_kw={"autocomplete": "off"})

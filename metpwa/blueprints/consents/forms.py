"""Forms for publishing consent versions and recording a withdrawal."""

from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length

from ...forms import BaseForm, USDateField, not_in_future
from ...standards.majority import STATES


class TemplateForm(BaseForm):
    title = StringField("Title", validators=[DataRequired("Give the form a title."), Length(max=160)])
    body = TextAreaField("Text the client reads and signs",
                         validators=[DataRequired("Write the text of the form."), Length(min=40, max=20000,
                                     message="The text must be between 40 and 20,000 characters.")],
                         render_kw={"rows": 16})
    required = BooleanField("Required before the first session")


class WithdrawForm(BaseForm):
    withdrawn_on = USDateField("Date the client withdrew", validators=[DataRequired("Enter the date."), not_in_future])
    reason = TextAreaField("What the client said", validators=[DataRequired("Record the reason or the client's words."),
                                                               Length(max=2000)], render_kw={"rows": 3})


class PracticeStateForm(BaseForm):
    """The state the practice works in: it sets the age of majority, below which a parent or guardian signs."""

    state = SelectField("The practice's state", choices=[SelectChoice("", "Not set (18)"),
                                                         *(SelectChoice(code, name) for code, name in STATES)],
                        validators=[AnyOf(["", *(code for code, _ in STATES)], message="Choose a state from the list.")])

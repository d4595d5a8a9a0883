"""Forms for granting emergency access and for starting it."""

from flask import current_app
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired

from ...forms import BaseForm
from ...services.emergency import REASON_MAX

HOUR_CHOICES = (1, 2, 4, 8, 12)


def _reason(label: str, placeholder: str) -> TextAreaField:
    # The length rules live in services/emergency.py, so the message at the field is one message.
    return TextAreaField(label, validators=[DataRequired("Give the reason in a few words.")],
                         render_kw={"rows": 3, "maxlength": str(REASON_MAX), "placeholder": placeholder})


class GrantForm(BaseForm):
    # Choices are the practice's eligible staff, filled in by the view; the service checks the id.
    user_id = SelectField("Staff member", coerce=int, validate_choice=False,
                          validators=[DataRequired("Choose a staff member.")])
    hours = SelectField("For how long", coerce=int, validate_choice=False, default=4)
    reason = _reason("Reason (kept in the audit trail)", "Marcus is out sick; Tom covers today's clients")

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user_id.choices = [(0, "Choose…")] + [(m.id, f"{m.full_name} ({m.role.label})") for m in staff]
        longest = int(current_app.config["EMERGENCY_ACCESS_MAX_HOURS"])
        self.hours.choices = [(h, f"{h} hour{'s' if h > 1 else ''}") for h in HOUR_CHOICES if h <= longest]


class StartForm(BaseForm):
    reason = _reason("Why do you need clinical records now?", "Mrs. Ellison fell in the gym; checking her history")

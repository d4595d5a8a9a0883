"""The form for an exercise of the practice's own."""

from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ...forms import BaseForm, WholeNumberField
from ...standards.exercises import ACTIVITIES, BODY_REGIONS, CATEGORY_LABELS, EQUIPMENT


def _count(label, low, high, unit):
    return WholeNumberField(label, validators=[Optional(), NumberRange(low, high, f"{label} is {low} to {high} {unit}.")],
                        render_kw={"inputmode": "numeric"})


class ExerciseForm(BaseForm):
    name = StringField("Name", validators=[DataRequired("Name the exercise."), Length(max=120)])
    category = SelectField("Kind", choices=[SelectChoice(k, v) for k, v in CATEGORY_LABELS])
    equipment = SelectField("Equipment", choices=[SelectChoice(e, e.capitalize()) for e in EQUIPMENT])
    body_region = SelectField("Body region", choices=[SelectChoice(r, r.capitalize()) for r in BODY_REGIONS])
    activity_type = SelectField("Minutes count as", choices=[SelectChoice(a.key, a.long) for a in ACTIVITIES])
    default_sets = _count("Sets", 1, 10, "sets")
    default_reps = _count("Reps", 1, 100, "reps")
    default_hold_seconds = _count("Hold (seconds)", 1, 600, "seconds")
    default_duration_seconds = _count("Duration (seconds)", 10, 3600, "seconds")
    default_rest_seconds = _count("Rest (seconds)", 0, 600, "seconds")
    each_side = BooleanField("Each side")
    load_unit = SelectField("Load in", choices=[SelectChoice("", "No load"), SelectChoice("kg", "kg"),
                                                SelectChoice("lb", "lb"), SelectChoice("band color", "Band color")])
    instructions = TextAreaField("Instructions", validators=[DataRequired("Write two or three lines of instructions."),
                                                            Length(min=20, max=1500)], render_kw={"rows": 4})

    def validate_default_sets(self, field):
        reps, timed = self.default_reps.data, self.default_duration_seconds.data
        if bool(reps) == bool(timed) and not self.default_hold_seconds.data:
            raise ValidationError("Give reps, a hold or a duration (one of them).")

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in (
            "name", "category", "equipment", "body_region", "activity_type", "default_sets", "default_reps",
            "default_hold_seconds", "default_duration_seconds", "default_rest_seconds", "each_side",
            "instructions")} | {"load_unit": self.load_unit.data or None, "name": self.name.data.strip()}

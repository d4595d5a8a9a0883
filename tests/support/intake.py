"""A plain set of intake answers in the shape the step forms post them."""

READINESS_KEYS = ("readiness_heart", "readiness_chest_pain", "readiness_dizziness", "readiness_other_condition",
                  "readiness_medication", "readiness_bone_joint", "readiness_supervision")


def step_posts(*, readiness_yes: tuple[str, ...] = ()) -> dict[str, dict[str, list[str] | str]]:
    return {
        "health_history": {"conditions": ["arthritis", "high_blood_pressure"]},
        "surgeries": {"had_surgery": "yes", "surgeries-0-what": "Right knee replacement", "surgeries-0-year": "2025"},
        "medications": {"takes_medications": "yes", "medications-0-name": "Lisinopril",
                        "medications-0-dose": "10 mg daily", "medications-0-reason": "blood pressure"},
        "pain": {"has_pain": "yes", "pain_regions": ["right_knee"], "pain_worst": "4", "pain_worse_with": "stairs"},
        "activity": {"activity_level": "light", "active_days": "2", "fell_past_year": "no", "walking_aids": ["none"],
                     "feels_unsteady": "no", "worried_about_falling": "no"},
        "goals": {"goals": ["climb_stairs", "walk_farther"], "goals_own_words": "Walk my granddaughter to school"},
        "readiness": {key: ("yes" if key in readiness_yes else "no") for key in READINESS_KEYS},
    }

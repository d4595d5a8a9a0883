"""The client's health-history intake (in the spirit of the MET-Q form) with a PAR-Q+-style readiness screen, the body outline for tapping pain regions, and which answers call for medical clearance, each rule with its source."""

from dataclasses import dataclass
from typing import Literal

# Stored answers are read against the version they were given under: change a question's
# meaning, options or limits and this changes too.
FORM_VERSION = "2026.1"

QuestionKind = Literal["yes_no", "choice", "multi", "text", "long_text", "number", "scale", "list", "body_map"]
ItemFieldKind = Literal["text", "year"]
View = Literal["front", "back"]
ShapeKind = Literal["rect", "ellipse"]

# The values a yes/no button posts.
YES = "yes"
NO = "no"

# An option with this value in a "multi" question stands alone: ticking it with others is refused,
# so "none of these" is an answer the client gave, not a box left empty.
NONE_OF_THESE = "none"

# Input limits: generous for what a client writes, small enough to keep a draft row modest.
TEXT_MAX_CHARS = 200
LONG_TEXT_MAX_CHARS = 2000
ITEM_TEXT_MAX_CHARS = 120
EARLIEST_YEAR = 1900


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class ItemField:
    """One box in a row of a "list" question; rows post as `<question>-<n>-<field>`."""

    key: str
    label: str
    required: bool = False
    # "year": four digits, from EARLIEST_YEAR to this year; stored as an int.
    kind: ItemFieldKind = "text"
    # Written in brackets after the row's other boxes in the summary: "Metformin 500 mg (diabetes)".
    in_brackets: bool = False


@dataclass(frozen=True)
class Question:
    """One question on a step.

    `show_if=(question_key, value)` names an earlier question on the same step: this one is asked,
    checked and kept only while that answer equals `value` (or, for "multi" and "body_map"
    answers, contains it). `minimum`/`maximum` bound "number" and "scale"; `item_fields` and
    `max_items` shape a "list". `chart_label` is the short name used in the summary.
    """

    key: str
    kind: QuestionKind
    label: str
    help: str | None = None
    options: tuple[Option, ...] = ()
    required: bool = False
    minimum: int | None = None
    maximum: int | None = None
    item_fields: tuple[ItemField, ...] = ()
    max_items: int = 0
    show_if: tuple[str, str | bool] | None = None
    chart_label: str | None = None

    @property
    def summary_label(self) -> str:
        return self.chart_label or self.label


@dataclass(frozen=True)
class AtLeastOne:
    """At least one of these questions must be answered; `message` shows at the first."""

    question_keys: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class Step:
    """One screen of the intake, answerable in about a minute."""

    key: str
    title: str
    intro: str
    questions: tuple[Question, ...]
    at_least_one: AtLeastOne | None = None
    # Where the step's questions come from, shown under the intro when they follow a published form.
    source: str | None = None


@dataclass(frozen=True)
class Shape:
    """A rectangle or the ellipse inside it, in the 0-200 x 0-400 box of BODY_VIEWBOX."""

    kind: ShapeKind
    x: int
    y: int
    w: int
    h: int


@dataclass(frozen=True)
class BodyRegion:
    key: str
    label: str
    view: View
    shape: Shape


# Body outline: each view is drawn in its own SVG with this viewBox (x, y, width, height).
BODY_VIEWBOX = (0, 0, 200, 400)

# The front view faces the reader, so the client's right side is drawn on the left, as on a
# clinic pain diagram; the app should print "Right" and "Left" beside the figure. Each region
# is in one view only, so a tap means one thing; regions of a view never overlap.
BODY_REGIONS: tuple[BodyRegion, ...] = (
    BodyRegion("head_neck", "Head or neck", "front", Shape("ellipse", 80, 4, 40, 62)),
    BodyRegion("left_shoulder", "Left shoulder", "front", Shape("ellipse", 124, 56, 30, 28)),
    BodyRegion("right_shoulder", "Right shoulder", "front", Shape("ellipse", 46, 56, 30, 28)),
    BodyRegion("chest", "Chest", "front", Shape("rect", 78, 70, 44, 50)),
    BodyRegion("upper_back", "Upper back", "back", Shape("rect", 74, 66, 52, 58)),
    BodyRegion("lower_back", "Lower back", "back", Shape("rect", 74, 128, 52, 52)),
    BodyRegion("abdomen", "Belly (abdomen)", "front", Shape("rect", 78, 124, 44, 50)),
    BodyRegion("left_elbow", "Left elbow", "front", Shape("ellipse", 128, 126, 28, 28)),
    BodyRegion("right_elbow", "Right elbow", "front", Shape("ellipse", 44, 126, 28, 28)),
    BodyRegion("left_wrist_hand", "Left wrist or hand", "front", Shape("ellipse", 132, 184, 32, 44)),
    BodyRegion("right_wrist_hand", "Right wrist or hand", "front", Shape("ellipse", 36, 184, 32, 44)),
    BodyRegion("left_hip", "Left hip", "front", Shape("ellipse", 102, 176, 28, 30)),
    BodyRegion("right_hip", "Right hip", "front", Shape("ellipse", 70, 176, 28, 30)),
    BodyRegion("left_knee", "Left knee", "front", Shape("ellipse", 102, 258, 30, 32)),
    BodyRegion("right_knee", "Right knee", "front", Shape("ellipse", 68, 258, 30, 32)),
    BodyRegion("left_ankle_foot", "Left ankle or foot", "front", Shape("ellipse", 102, 340, 32, 50)),
    BodyRegion("right_ankle_foot", "Right ankle or foot", "front", Shape("ellipse", 66, 340, 32, 50)),
)

BODY_REGION_BY_KEY: dict[str, BodyRegion] = {region.key: region for region in BODY_REGIONS}

# A plain silhouette drawn under the regions of both views (not tappable), so the figure reads
# as a body without any image asset.
BODY_OUTLINE: tuple[Shape, ...] = (
    Shape("ellipse", 82, 6, 36, 44),  # head
    Shape("rect", 92, 48, 16, 16),  # neck
    Shape("rect", 70, 62, 60, 120),  # trunk
    Shape("rect", 50, 66, 18, 74),  # upper arms
    Shape("rect", 132, 66, 18, 74),
    Shape("rect", 44, 140, 18, 56),  # forearms
    Shape("rect", 138, 140, 18, 56),
    Shape("ellipse", 40, 194, 24, 30),  # hands
    Shape("ellipse", 136, 194, 24, 30),
    Shape("rect", 72, 182, 26, 92),  # thighs
    Shape("rect", 102, 182, 26, 92),
    Shape("rect", 74, 274, 22, 76),  # lower legs
    Shape("rect", 104, 274, 22, 76),
    Shape("ellipse", 68, 346, 30, 44),  # feet
    Shape("ellipse", 102, 346, 30, 44),
)


# The questionnaire. Labels speak to the client ("you"); chart labels speak to the trainer.

CONDITION_OPTIONS: tuple[Option, ...] = (
    Option("heart_disease", "Heart disease or a heart problem"),
    Option("high_blood_pressure", "High blood pressure"),
    Option("diabetes", "Diabetes"),
    Option("stroke", "Stroke or mini-stroke (TIA)"),
    Option("lung_disease", "Lung disease, asthma or COPD"),
    Option("kidney_disease", "Kidney disease"),
    Option("osteoporosis", "Osteoporosis (thin or weak bones)"),
    Option("arthritis", "Arthritis"),
    Option("cancer", "Cancer, now or in the past"),
    Option("neurological", "A nerve or brain condition, such as Parkinson's or MS"),
    Option("joint_replacement", "A joint replacement"),
    Option("pregnancy", "Pregnant now"),
    Option(NONE_OF_THESE, "None of these"),
)

ACTIVITY_LEVEL_OPTIONS: tuple[Option, ...] = (
    Option("mostly_sitting", "I sit for most of the day"),
    Option("light", "I move around the house and run errands"),
    Option("moderate", "I walk or do light exercise most weeks"),
    Option("vigorous", "I exercise hard or play a sport most weeks"),
)

WALKING_AID_OPTIONS: tuple[Option, ...] = (
    Option("cane", "A cane"),
    Option("walker", "A walker"),
    Option("wheelchair", "A wheelchair or scooter"),
    Option("other", "Something else"),
    Option(NONE_OF_THESE, "No, nothing"),
)

GOAL_OPTIONS: tuple[Option, ...] = (
    Option("walk_farther", "Walk farther"),
    Option("climb_stairs", "Climb stairs"),
    Option("get_up", "Get up from a chair or the floor"),
    Option("balance", "Better balance and fewer falls"),
    Option("carry", "Carry groceries or bags"),
    Option("sport", "Get back to a sport or hobby"),
    Option("less_pain", "Less pain in daily tasks"),
    Option("surgery", "Get ready for surgery, or recover after it"),
)

# The readiness screen covers the ground of the PAR-Q+ general health questions (PAR-Q+
# Collaboration; Warburton DER et al. 2011, Health Fit J Can 4(2):3-23) in our own words: the
# PAR-Q+ text is copyrighted and is not reproduced here. Being adapted, it is not the PAR-Q+ and
# must not be called it; the screen says so and names its source (issue 16).
PARQ_PLUS_SOURCE = (
    "Adapted from the general health questions of the PAR-Q+ (The Physical Activity Readiness"
    " Questionnaire for Everyone; PAR-Q+ Collaboration, eparmedx.com; Warburton DER et al. 2011,"
    " Health Fit J Can 4(2):3-23), in our own words. It is not the PAR-Q+ and leaves out its"
    " follow-up questions: any yes asks for a doctor's clearance instead."
)
READINESS_QUESTIONS: tuple[Question, ...] = (
    Question(
        "readiness_heart",
        "yes_no",
        "Do you have a heart problem or high blood pressure that a doctor has found?",
        required=True,
        chart_label="Heart problem or high blood pressure found by a doctor",
    ),
    Question(
        "readiness_chest_pain",
        "yes_no",
        "Do you get chest pain or pressure, whether resting, doing everyday tasks, or exercising?",
        required=True,
        chart_label="Chest pain at rest, in daily tasks or with exercise",
    ),
    Question(
        "readiness_dizziness",
        "yes_no",
        "In the past 12 months, have you fainted or blacked out, or been so dizzy that you lost your balance?",
        help="Dizziness only from breathing very hard, such as during hard exercise, does not count.",
        required=True,
        chart_label="Fainted, or lost balance from dizziness, in the past 12 months",
    ),
    Question(
        "readiness_other_condition",
        "yes_no",
        "Apart from a heart problem or high blood pressure, has a doctor found any other long-term health condition?",
        help="For example diabetes, lung disease, kidney disease, cancer, or a nerve or brain condition.",
        required=True,
        chart_label="Another long-term health condition",
    ),
    Question(
        "readiness_medication",
        "yes_no",
        "Do you take medicine that a doctor ordered for a long-term health condition?",
        required=True,
        chart_label="Takes medicine for a long-term condition",
    ),
    Question(
        "readiness_bone_joint",
        "yes_no",
        "Do you have a problem with a bone, joint, muscle, tendon or ligament, now or in the past 12 months,"
        " that more activity could make worse?",
        help="Answer no if an old problem no longer holds you back.",
        required=True,
        chart_label="Bone, joint or soft-tissue problem that activity could make worse",
    ),
    Question(
        "readiness_supervision",
        "yes_no",
        "Has a doctor told you that you should exercise only where medical staff can supervise you?",
        required=True,
        chart_label="Told by a doctor to exercise only under medical supervision",
    ),
)

STEPS: tuple[Step, ...] = (
    Step(
        "health_history",
        "Health history",
        "Tell us about your health, now and in the past. This helps us plan exercise that is safe for you.",
        (
            Question(
                "conditions",
                "multi",
                "Has a doctor ever told you that you have any of these? Tick all that apply.",
                options=CONDITION_OPTIONS,
                required=True,
                chart_label="Conditions",
            ),
            Question(
                "joint_replacement_which",
                "text",
                "Which joint was replaced, and when?",
                show_if=("conditions", "joint_replacement"),
                chart_label="Joint replacement",
            ),
            Question(
                "pregnancy_weeks",
                "number",
                "How many weeks pregnant are you?",
                required=True,
                minimum=1,
                maximum=42,
                show_if=("conditions", "pregnancy"),
                chart_label="Weeks pregnant",
            ),
            Question(
                "other_conditions",
                "long_text",
                "Is a doctor keeping an eye on anything else? Tell us in your own words.",
                chart_label="Anything else a doctor is following",
            ),
        ),
    ),
    Step(
        "surgeries",
        "Surgeries and hospital stays",
        "Tell us about any operations or nights in a hospital, however long ago.",
        (
            Question(
                "had_surgery",
                "yes_no",
                "Have you ever had surgery or stayed overnight in a hospital?",
                required=True,
                chart_label="Surgery or hospital stay",
            ),
            Question(
                "surgeries",
                "list",
                "List each surgery or hospital stay.",
                help="Start with the most recent. A rough year is fine.",
                required=True,
                item_fields=(
                    ItemField("what", "Surgery or reason for the stay", required=True),
                    ItemField("year", "Year", kind="year", in_brackets=True),
                ),
                max_items=15,
                show_if=("had_surgery", True),
                chart_label="Surgeries and hospital stays",
            ),
        ),
    ),
    Step(
        "medications",
        "Medicines",
        "Tell us what you take, the way you take it.",
        (
            Question(
                "takes_medications",
                "yes_no",
                "Do you take any medicines, vitamins or supplements?",
                required=True,
                chart_label="Takes medicines",
            ),
            Question(
                "medications",
                "list",
                "List each one the way you take it.",
                help="If you are not sure of a name or dose, write what you know and bring the bottles to your next visit.",
                required=True,
                item_fields=(
                    ItemField("name", "Medicine name", required=True),
                    ItemField("dose", "How much and how often"),
                    ItemField("reason", "What it is for", in_brackets=True),
                ),
                max_items=25,
                show_if=("takes_medications", True),
                chart_label="Medications",
            ),
        ),
    ),
    Step(
        "pain",
        "Pain",
        "Tell us where it hurts, if anywhere, and how much.",
        (
            Question(
                "has_pain",
                "yes_no",
                "Do you have pain anywhere, now or on most days?",
                required=True,
                chart_label="Pain now or most days",
            ),
            Question(
                "pain_regions",
                "body_map",
                "Tap each place where you have pain.",
                help="Tap a place again to clear it.",
                required=True,
                show_if=("has_pain", True),
                chart_label="Where",
            ),
            Question(
                "pain_worst",
                "scale",
                "In the past week, how bad was your pain at its worst?",
                help="0 means no pain. 10 means the worst pain you can imagine.",
                required=True,
                minimum=0,
                maximum=10,
                show_if=("has_pain", True),
                chart_label="Worst pain in the past week",
            ),
            Question(
                "pain_worse_with",
                "text",
                "What makes it worse?",
                help="For example: stairs, sitting for a long time, lifting.",
                show_if=("has_pain", True),
                chart_label="Worse with",
            ),
        ),
    ),
    Step(
        "activity",
        "Activity and falls",
        "Tell us how you move day to day, and about any falls.",
        (
            Question(
                "activity_level",
                "choice",
                "Which is most like you right now?",
                options=ACTIVITY_LEVEL_OPTIONS,
                required=True,
                chart_label="Activity level",
            ),
            Question(
                "active_days",
                "number",
                "On how many days a week are you active for 30 minutes or more?",
                help="Count anything that makes you breathe a little harder, such as brisk walking, gardening or a class.",
                required=True,
                minimum=0,
                maximum=7,
                chart_label="Days a week with 30 minutes of activity",
            ),
            Question(
                "fell_past_year",
                "yes_no",
                "Have you fallen in the past 12 months?",
                required=True,
                chart_label="Fell in the past 12 months",
            ),
            Question(
                "fall_count",
                "number",
                "How many times?",
                required=True,
                minimum=1,
                maximum=50,
                show_if=("fell_past_year", True),
                chart_label="Falls in the past 12 months",
            ),
            Question(
                "fall_injured",
                "yes_no",
                "Were you hurt, or unable to get up on your own, after any of these falls?",
                required=True,
                show_if=("fell_past_year", True),
                chart_label="Hurt, or could not get up, after a fall",
            ),
            Question(
                "walking_aids",
                "multi",
                "Do you use anything to help you get around?",
                options=WALKING_AID_OPTIONS,
                required=True,
                chart_label="Walking aids",
            ),
            Question(
                "walking_aid_other",
                "text",
                "What do you use?",
                required=True,
                show_if=("walking_aids", "other"),
                chart_label="Other walking aid",
            ),
            Question(
                "feels_unsteady",
                "yes_no",
                "Do you feel unsteady when you stand or walk?",
                required=True,
                chart_label="Feels unsteady standing or walking",
            ),
            Question(
                "worried_about_falling",
                "yes_no",
                "Do you worry about falling?",
                required=True,
                chart_label="Worries about falling",
            ),
        ),
    ),
    Step(
        "goals",
        "Goals",
        "What do you want exercise to help you do?",
        (
            Question(
                "goals",
                "multi",
                "Tick everything that matters to you.",
                options=GOAL_OPTIONS,
                chart_label="Goals",
            ),
            Question(
                "goals_own_words",
                "long_text",
                "Anything else you want to work toward? Tell us in your own words.",
                chart_label="In the client's words",
            ),
        ),
        at_least_one=AtLeastOne(("goals", "goals_own_words"), "Add at least one goal."),
    ),
    Step(
        "readiness",
        "Exercise readiness",
        "These questions check that it is safe to start exercising. They are based on a widely used"
        " form, the PAR-Q+, in our own words. If you answer yes to any, we will ask your doctor to"
        " clear you for exercise first. That is common, and it does not mean you cannot take part.",
        READINESS_QUESTIONS,
        source=PARQ_PLUS_SOURCE,
    ),
)

STEP_KEYS: tuple[str, ...] = tuple(step.key for step in STEPS)
STEP_BY_KEY: dict[str, Step] = {step.key: step for step in STEPS}
QUESTION_BY_KEY: dict[str, Question] = {
    question.key: question for step in STEPS for question in step.questions
}


# Which answers call for medical clearance before exercise, and which only for a fall-risk check.
#
# Sources:
# - PAR-Q+ (PAR-Q+ Collaboration; Warburton DER et al. 2011, Health Fit J Can 4(2):3-23): a yes
#   to a general health question leads to further screening. metpwa does not ship the PAR-Q+
#   follow-up pages, so any yes asks for a physician's clearance instead: stricter, never looser.
# - Riebe D et al. 2015, Updating ACSM's recommendations for exercise preparticipation health
#   screening, Med Sci Sports Exerc 47(11):2473-2479: known cardiovascular, metabolic or renal
#   disease calls for medical clearance before a program. ACSM waives it for moderate exercise in
#   clients already exercising regularly; intake does not know the planned intensity or the last
#   three months of exercise, so it is applied to everyone.
# - ACOG Committee Opinion 804 (2020), Physical Activity and Exercise During Pregnancy and the
#   Postpartum Period: a clinical evaluation before recommending an exercise program.
# - Montero-Odasso M et al. 2022, World guidelines for falls prevention and management for older
#   adults, Age Ageing 51(9):afac205: a fall with injury, two or more falls in 12 months, or being
#   unable to get up after a fall is high risk and calls for a clinician's multifactorial falls
#   risk assessment (outside an MES's scope). One fall with unsteadiness is intermediate risk, for
#   which strength and balance exercise is itself the recommended intervention: a flag, not a
#   reason to withhold exercise.
# - AGS/BGS Clinical Practice Guideline for Prevention of Falls in Older Persons 2010 (summary
#   J Am Geriatr Soc 2011;59(1):148-157): two or more falls in 12 months call for a multifactorial
#   fall risk assessment.
# - CDC STEADI Algorithm for Fall Risk Screening, Assessment, and Intervention (2019): a yes to any
#   of the three key questions screens positive; then assess gait, strength and balance (TUG,
#   30-Second Chair Stand, 4-Stage Balance Test), which the trainer does at the first assessment.

# One sentence each for the chart, in the order of the readiness screen.
READINESS_CLEARANCE_REASONS: dict[str, str] = {
    "readiness_heart": "Readiness screen: a heart problem or high blood pressure found by a doctor.",
    "readiness_chest_pain": "Readiness screen: chest pain or pressure at rest, in daily tasks or with exercise.",
    "readiness_dizziness": "Readiness screen: fainted, or lost balance from dizziness, in the past 12 months.",
    "readiness_other_condition": "Readiness screen: another long-term health condition found by a doctor.",
    "readiness_medication": "Readiness screen: takes medicine a doctor ordered for a long-term condition.",
    "readiness_bone_joint": "Readiness screen: a bone, joint or soft-tissue problem that more activity could make worse.",
    "readiness_supervision": "Readiness screen: a doctor said to exercise only under medical supervision.",
}

# Health-history answers that call for clearance even if the readiness screen said no, so a
# client who ticks "heart disease" and then answers the readiness screen "no" is still caught.
CONDITION_CLEARANCE_REASONS: dict[str, str] = {
    "heart_disease": "Health history lists heart disease: known heart disease calls for medical clearance (ACSM 2015).",
    "stroke": "Health history lists a stroke or TIA: known cardiovascular disease calls for medical clearance (ACSM 2015).",
    "diabetes": "Health history lists diabetes: known metabolic disease calls for medical clearance (ACSM 2015).",
    "kidney_disease": "Health history lists kidney disease: known renal disease calls for medical clearance (ACSM 2015).",
    "pregnancy": (
        "Health history lists a current pregnancy: an obstetric care provider should evaluate before"
        " an exercise program starts (ACOG Committee Opinion 804)."
    ),
}

# World Falls Guidelines 2022 and AGS/BGS 2010: two or more falls in 12 months is high risk.
FALLS_CALLING_FOR_CLEARANCE = 2
FALLS_CLEARANCE_REASON = (
    "{count} falls in the past 12 months: two or more call for a clinician's multifactorial"
    " fall-risk assessment (World Falls Guidelines 2022; AGS/BGS 2010)."
)
FALL_INJURY_CLEARANCE_REASON = (
    "Hurt, or unable to get up, after a fall in the past 12 months: a clinician's multifactorial"
    " fall-risk assessment is advised (World Falls Guidelines 2022)."
)

# The three CDC STEADI key questions as intake asks them, with the words the flag uses.
STEADI_KEY_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("fell_past_year", "fell in the past 12 months"),
    ("feels_unsteady", "feels unsteady standing or walking"),
    ("worried_about_falling", "worries about falling"),
)
STEADI_FLAG = (
    "Fall-risk screen positive (CDC STEADI key questions: {answers}): assess gait, strength and"
    " balance (TUG, 30-second chair stand, 4-stage balance) at the first assessment."
)

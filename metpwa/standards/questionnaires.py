"""The item text, answer labels and scoring of the free tap-through questionnaires: the Berg Balance Scale and the Lower Extremity Functional Scale."""

from dataclasses import dataclass

# Only instruments free to use go here: Wong-Baker FACES, Oswestry and QuickDASH are
# licensed for software vendors (standards.md), so their text must never be added.


@dataclass(frozen=True)
class QuestionnaireItem:
    number: int
    title: str
    # Indexed by points: answers[0] is the 0-point label, answers[4] the 4-point label.
    answers: tuple[str, str, str, str, str]


@dataclass(frozen=True)
class Questionnaire:
    key: str
    name: str
    prompt: str
    items: tuple[QuestionnaireItem, ...]
    higher_is_better: bool
    source: str
    min_total: int = 0
    # Shown with the items: whose instrument it is and whether its wording is the published one.
    attribution: str | None = None

    @property
    def max_total(self) -> int:
        return sum(len(item.answers) - 1 for item in self.items)


# The LEFS as published (Binkley JM, Stratford PW, Lott SA, Riddle DL; North American Orthopaedic
# Rehabilitation Research Network 1999, The Lower Extremity Functional Scale (LEFS): scale
# development, measurement properties, and clinical application, Phys Ther 79(4):371-383): its
# instructions, question, answers and 20 activities word for word. Its reliability and its 9-point
# MCID were measured with this wording; reworded items are another instrument (issue 16).
BINKLEY_1999_CITATION = (
    "Binkley JM, Stratford PW, Lott SA, Riddle DL; North American Orthopaedic Rehabilitation Research"
    " Network. The Lower Extremity Functional Scale (LEFS): scale development, measurement properties,"
    " and clinical application. Phys Ther 1999;79(4):371-383"
)

LEFS_INSTRUCTIONS = (
    "We are interested in knowing whether you are having any difficulty at all with the activities"
    " listed below because of your lower limb problem for which you are currently seeking attention."
    " Please provide an answer for each activity."
)
LEFS_QUESTION = "Today, do you or would you have any difficulty at all with:"

LEFS_ANSWERS = (
    "Extreme difficulty or unable to perform activity",
    "Quite a bit of difficulty",
    "Moderate difficulty",
    "A little bit of difficulty",
    "No difficulty",
)

LEFS_ACTIVITIES = (
    "Any of your usual work, housework, or school activities.",
    "Your usual hobbies, recreational or sporting activities.",
    "Getting into or out of the bath.",
    "Walking between rooms.",
    "Putting on your shoes or socks.",
    "Squatting.",
    "Lifting an object, like a bag of groceries from the floor.",
    "Performing light activities around your home.",
    "Performing heavy activities around your home.",
    "Getting into or out of a car.",
    "Walking 2 blocks.",
    "Walking a mile.",
    "Going up or down 10 stairs (about 1 flight of stairs).",
    "Standing for 1 hour.",
    "Sitting for 1 hour.",
    "Running on even ground.",
    "Running on uneven ground.",
    "Making sharp turns while running fast.",
    "Hopping.",
    "Rolling over in bed.",
)

LEFS_QUESTIONNAIRE = Questionnaire(
    key="lefs",
    name="Lower Extremity Functional Scale",
    prompt=f"{LEFS_INSTRUCTIONS} {LEFS_QUESTION}",
    items=tuple(
        QuestionnaireItem(number, title, LEFS_ANSWERS)
        for number, title in enumerate(LEFS_ACTIVITIES, start=1)
    ),
    higher_is_better=True,
    source=f"{BINKLEY_1999_CITATION}; free to use (standards.md)",
    attribution=f"Lower Extremity Functional Scale, in its published wording: {BINKLEY_1999_CITATION}.",
)

BERG_QUESTIONNAIRE = Questionnaire(
    key="berg",
    name="Berg Balance Scale",
    prompt="Score each task at the lowest level that applies.",
    items=(
        QuestionnaireItem(1, "Sitting to standing", (
            "Needs moderate or maximal help to stand",
            "Needs minimal help to stand or to steady",
            "Stands using hands after several tries",
            "Stands on own using hands",
            "Stands without using hands and steadies on own",
        )),
        QuestionnaireItem(2, "Standing unsupported (2 minutes)", (
            "Unable to stand 30 s unsupported",
            "Needs several tries to stand 30 s unsupported",
            "Stands 30 s unsupported",
            "Stands 2 minutes with supervision",
            "Stands safely for 2 minutes",
        )),
        QuestionnaireItem(3, "Sitting with back unsupported, feet on floor or stool (2 minutes)", (
            "Unable to sit 10 s without support",
            "Sits 10 s",
            "Sits 30 s",
            "Sits 2 minutes under supervision",
            "Sits safely and securely for 2 minutes",
        )),
        QuestionnaireItem(4, "Standing to sitting", (
            "Needs help to sit",
            "Sits on own but descent is uncontrolled",
            "Uses the backs of the legs against the chair to control descent",
            "Controls descent using hands",
            "Sits safely with minimal use of hands",
        )),
        QuestionnaireItem(5, "Transfers (chair with arms and chair without)", (
            "Needs two people to help or supervise to be safe",
            "Needs one person to help",
            "Transfers with verbal cues and/or supervision",
            "Transfers safely, clearly needing hands",
            "Transfers safely with minor use of hands",
        )),
        QuestionnaireItem(6, "Standing unsupported with eyes closed (10 s)", (
            "Needs help to keep from falling",
            "Cannot keep eyes closed 3 s but stays steady",
            "Stands 3 s",
            "Stands 10 s with supervision",
            "Stands 10 s safely",
        )),
        QuestionnaireItem(7, "Standing unsupported with feet together (1 minute)", (
            "Needs help into position and cannot hold 15 s",
            "Needs help into position but stands 15 s feet together",
            "Places feet together on own but cannot hold 30 s",
            "Places feet together on own and stands 1 minute with supervision",
            "Places feet together on own and stands 1 minute safely",
        )),
        QuestionnaireItem(8, "Reaching forward with outstretched arm while standing", (
            "Loses balance while trying or needs outside support",
            "Reaches forward but needs supervision",
            "Reaches forward more than 5 cm (2 in) safely",
            "Reaches forward more than 12.5 cm (5 in) safely",
            "Reaches forward confidently more than 25 cm (10 in)",
        )),
        QuestionnaireItem(9, "Picking up an object from the floor while standing", (
            "Unable to try, or needs help to keep from losing balance or falling",
            "Unable to pick it up and needs supervision while trying",
            "Unable to pick it up but reaches within 2-5 cm (1-2 in) and keeps balance on own",
            "Picks up the slipper but needs supervision",
            "Picks up the slipper safely and easily",
        )),
        QuestionnaireItem(10, "Turning to look behind over left and right shoulders while standing", (
            "Needs help to keep from losing balance or falling",
            "Needs supervision when turning",
            "Turns sideways only but keeps balance",
            "Looks behind one side only; less weight shift to the other side",
            "Looks behind both sides and shifts weight well",
        )),
        QuestionnaireItem(11, "Turning 360 degrees", (
            "Needs help while turning",
            "Needs close supervision or verbal cues",
            "Turns 360 degrees safely but slowly",
            "Turns 360 degrees safely one side only in 4 s or less",
            "Turns 360 degrees safely in 4 s or less each side",
        )),
        QuestionnaireItem(12, "Placing alternate feet on a step or stool while standing unsupported", (
            "Needs help to keep from falling, or unable to try",
            "Completes more than 2 steps; needs minimal help",
            "Completes 4 steps without aid, with supervision",
            "Stands on own and completes 8 steps in more than 20 s",
            "Stands on own safely and completes 8 steps in 20 s",
        )),
        QuestionnaireItem(13, "Standing unsupported with one foot in front (30 s)", (
            "Loses balance while stepping or standing",
            "Needs help to step but holds 15 s",
            "Takes a small step on own and holds 30 s",
            "Places foot ahead on own and holds 30 s",
            "Places feet in tandem on own and holds 30 s",
        )),
        QuestionnaireItem(14, "Standing on one leg", (
            "Unable to try, or needs help to prevent a fall",
            "Tries to lift leg; cannot hold 3 s but stays standing on own",
            "Lifts leg on own and holds 3 s or more",
            "Lifts leg on own and holds 5-10 s",
            "Lifts leg on own and holds more than 10 s",
        )),
    ),
    higher_is_better=True,
    source="Berg Balance Scale (Berg KO et al.); free to use (standards.md)",
)

QUESTIONNAIRES: dict[str, Questionnaire] = {
    questionnaire.key: questionnaire for questionnaire in (BERG_QUESTIONNAIRE, LEFS_QUESTIONNAIRE)
}

"""The seeded exercise library: common medical-exercise movements with category, equipment, body region, default dosage, the activity type their minutes count toward, and short instructions in our own words."""

from dataclasses import dataclass
from typing import Literal, NamedTuple

ExerciseCategory = Literal["strength", "mobility", "balance", "gait", "functional", "aerobic", "core"]
ActivityType = Literal["therapeutic_exercise", "neuromuscular_reeducation", "gait", "functional_activities"]
LoadUnit = Literal["kg", "band color", "resistance level", "mph", "inch step height"]

CATEGORY_LABELS: tuple[tuple[ExerciseCategory, str], ...] = (
    ("strength", "Strength"),
    ("mobility", "Mobility and flexibility"),
    ("balance", "Balance"),
    ("gait", "Gait"),
    ("functional", "Functional"),
    ("aerobic", "Aerobic and endurance"),
    ("core", "Core"),
)


class Activity(NamedTuple):
    """A timed activity: `short` where room is tight (the sign page's minutes, a plan row), `long`
    where the trainer chooses one for an exercise (what each covers)."""

    key: ActivityType
    short: str
    long: str


# Session minutes count toward one timed activity (standards.md, "Timed codes": 97110 strength,
# endurance, ROM, flexibility; 97112 balance, coordination, proprioception; 97116 gait;
# 97530 dynamic functional activities). A seeded exercise takes its category's activity.
ACTIVITIES: tuple[Activity, ...] = (
    Activity("therapeutic_exercise", "Therapeutic exercise",
             "Therapeutic exercise (strength, endurance, range, flexibility)"),
    Activity("neuromuscular_reeducation", "Neuromuscular re-education",
             "Neuromuscular re-education (balance, coordination)"),
    Activity("gait", "Gait training", "Gait training"),
    Activity("functional_activities", "Functional activities", "Functional activities"),
)
ACTIVITY_TYPES: tuple[ActivityType, ...] = tuple(activity.key for activity in ACTIVITIES)
ACTIVITY_LABELS: dict[str, str] = {activity.key: activity.long for activity in ACTIVITIES}
ACTIVITY_SHORT_LABELS: dict[str, str] = {activity.key: activity.short for activity in ACTIVITIES}

ACTIVITY_BY_CATEGORY: dict[ExerciseCategory, ActivityType] = {
    "strength": "therapeutic_exercise",
    "mobility": "therapeutic_exercise",
    "aerobic": "therapeutic_exercise",
    "core": "therapeutic_exercise",
    "balance": "neuromuscular_reeducation",
    "gait": "gait",
    "functional": "functional_activities",
}

EQUIPMENT: tuple[str, ...] = (
    "none",
    "band",
    "dumbbell",
    "kettlebell",
    "ankle weight",
    "cable",
    "machine",
    "step",
    "stairs",
    "chair",
    "counter",
    "wall",
    "mat",
    "towel",
    "dowel",
    "small ball",
    "stability ball",
    "foam pad",
    "foam roller",
    "cones",
    "parallel bars",
    "treadmill",
    "bike",
    "arm bike",
)

BODY_REGIONS: tuple[str, ...] = (
    "neck",
    "shoulder",
    "elbow and wrist",
    "upper body",
    "spine and core",
    "hip",
    "knee",
    "ankle and foot",
    "lower body",
    "whole body",
)


@dataclass(frozen=True)
class Dosage:
    """A starting dose the trainer adjusts in the Plan of Exercise.

    A set is `reps` repetitions (each held `hold_seconds` if given), or one hold of
    `hold_seconds` (a plank), or `duration_seconds` of continuous work (a walk).
    """

    sets: int
    reps: int | None = None
    hold_seconds: int | None = None
    duration_seconds: int | None = None
    rest_seconds: int = 60
    # Reps or seconds are per side: "10 each leg".
    each_side: bool = False
    load_unit: LoadUnit | None = None

    def __post_init__(self) -> None:
        timed = self.duration_seconds is not None
        if timed == (self.reps is not None or self.hold_seconds is not None):
            raise ValueError("a dosage is repetitions, a hold, or a duration, and only one of them")


@dataclass(frozen=True)
class Exercise:
    slug: str
    name: str
    category: ExerciseCategory
    equipment: str
    body_region: str
    dosage: Dosage
    activity_type: ActivityType
    instructions: str


def _seed(
    slug: str,
    name: str,
    category: ExerciseCategory,
    equipment: str,
    body_region: str,
    dosage: Dosage,
    instructions: str,
) -> Exercise:
    return Exercise(slug, name, category, equipment, body_region, dosage, ACTIVITY_BY_CATEGORY[category], instructions)


EXERCISES: tuple[Exercise, ...] = (
    # Knee
    _seed(
        "quad-set", "Quad set", "strength", "towel", "knee",
        Dosage(sets=2, reps=10, hold_seconds=5, rest_seconds=30, each_side=True),
        "Sit or lie with the leg straight and a rolled towel under the knee. Tighten the front"
        " of the thigh to press the back of the knee into the towel, hold, then relax fully.",
    ),
    _seed(
        "straight-leg-raise", "Straight leg raise", "strength", "mat", "knee",
        Dosage(sets=2, reps=10, rest_seconds=45, each_side=True, load_unit="kg"),
        "Lie on your back with one knee bent and the other leg straight. Tighten the thigh of the"
        " straight leg and lift it to the height of the bent knee, then lower slowly with the knee"
        " kept straight.",
    ),
    _seed(
        "short-arc-quad", "Short arc quad", "strength", "towel", "knee",
        Dosage(sets=2, reps=12, hold_seconds=3, rest_seconds=45, each_side=True, load_unit="kg"),
        "Lie on your back with a rolled towel or bolster under the knee. Lift the heel until the"
        " knee is fully straight, pause, and lower under control.",
    ),
    _seed(
        "seated-knee-extension", "Seated knee extension", "strength", "ankle weight", "knee",
        Dosage(sets=3, reps=10, each_side=True, load_unit="kg"),
        "Sit tall in a chair with the feet flat. Straighten one knee until the leg is level,"
        " pause, and lower slowly. Add an ankle weight only when 15 clean repetitions feel easy.",
    ),
    _seed(
        "terminal-knee-extension", "Terminal knee extension with band", "strength", "band", "knee",
        Dosage(sets=3, reps=12, hold_seconds=2, each_side=True, load_unit="band color"),
        "Stand facing an anchored band looped behind one knee, with the knee slightly bent. Push"
        " the knee back until the leg is straight against the band, hold briefly, then let it"
        " bend slowly.",
    ),
    _seed(
        "heel-slide", "Heel slide", "mobility", "mat", "knee",
        Dosage(sets=2, reps=10, hold_seconds=3, rest_seconds=30, each_side=True),
        "Lie on your back with both legs straight. Slide one heel toward the buttock as far as"
        " is comfortable, pause, and slide it back out.",
    ),
    _seed(
        "seated-hamstring-curl-band", "Seated hamstring curl with band", "strength", "band", "knee",
        Dosage(sets=3, reps=12, each_side=True, load_unit="band color"),
        "Sit with a band anchored in front of you and looped around one ankle. Pull the heel back"
        " under the chair against the band, then let it return slowly.",
    ),
    _seed(
        "knee-extension-machine", "Knee extension machine", "strength", "machine", "knee",
        Dosage(sets=3, reps=10, rest_seconds=90, load_unit="kg"),
        "Line the machine's pivot up with the knee and set the pad just above the ankles."
        " Straighten both knees, pause at the top, and lower over three seconds.",
    ),
    _seed(
        "hamstring-curl-machine", "Hamstring curl machine", "strength", "machine", "knee",
        Dosage(sets=3, reps=10, rest_seconds=90, load_unit="kg"),
        "Set the pad just above the heels with the knees in line with the machine's pivot. Bend"
        " the knees to pull the pad down and back, then let it return over three seconds.",
    ),
    # Lower body
    _seed(
        "wall-sit", "Wall sit", "strength", "wall", "lower body",
        Dosage(sets=3, hold_seconds=20),
        "Stand with your back against a wall and the feet a step forward. Slide down until the"
        " knees bend, no lower than chair height, and hold while breathing steadily.",
    ),
    _seed(
        "mini-squat", "Mini squat", "strength", "chair", "lower body",
        Dosage(sets=3, reps=10),
        "Stand behind a chair holding the backrest, feet hip-width apart. Push the hips back and"
        " bend the knees a quarter of the way down, then stand tall again with the knees over the"
        " toes.",
    ),
    _seed(
        "goblet-squat", "Goblet squat", "strength", "dumbbell", "lower body",
        Dosage(sets=3, reps=10, rest_seconds=90, load_unit="kg"),
        "Hold one dumbbell upright against the chest with the feet a little wider than the hips."
        " Sit down between the heels as far as you stay in control, then drive up through the"
        " whole foot.",
    ),
    _seed(
        "leg-press", "Leg press", "strength", "machine", "lower body",
        Dosage(sets=3, reps=10, rest_seconds=90, load_unit="kg"),
        "Sit in the machine with the feet hip-width apart on the platform. Let the platform come"
        " toward you until the knees reach a comfortable bend, then press it away without"
        " snapping the knees straight.",
    ),
    _seed(
        "seated-hamstring-stretch", "Seated hamstring stretch", "mobility", "chair", "lower body",
        Dosage(sets=3, hold_seconds=30, rest_seconds=15, each_side=True),
        "Sit near the front of a chair with one leg straight and the heel on the floor. Hinge"
        " forward from the hips with a long back until you feel a stretch behind the thigh, and"
        " hold.",
    ),
    _seed(
        "standing-quad-stretch", "Standing quadriceps stretch", "mobility", "chair", "lower body",
        Dosage(sets=3, hold_seconds=30, rest_seconds=15, each_side=True),
        "Hold a chair for balance and bend one knee to bring the heel toward the buttock, holding"
        " the ankle or a strap. Keep the knees side by side and the pelvis tucked while you hold.",
    ),
    # Hip
    _seed(
        "bridge", "Bridge", "strength", "mat", "hip",
        Dosage(sets=3, reps=10, hold_seconds=3),
        "Lie on your back with the knees bent and feet flat. Squeeze the buttocks and lift the"
        " hips until shoulders, hips and knees line up, pause, and roll back down.",
    ),
    _seed(
        "single-leg-bridge", "Single-leg bridge", "strength", "mat", "hip",
        Dosage(sets=3, reps=8, each_side=True),
        "Start as for a bridge, then straighten one leg in line with the other thigh. Lift the"
        " hips on the supporting leg without letting the pelvis drop to one side, then lower.",
    ),
    _seed(
        "clamshell", "Clamshell", "strength", "band", "hip",
        Dosage(sets=3, reps=12, rest_seconds=45, each_side=True, load_unit="band color"),
        "Lie on your side with the hips and knees bent and a band just above the knees. Keep the"
        " feet together and lift the top knee without rolling the pelvis back, then lower slowly.",
    ),
    _seed(
        "side-lying-hip-abduction", "Side-lying hip abduction", "strength", "mat", "hip",
        Dosage(sets=3, reps=10, each_side=True, load_unit="kg"),
        "Lie on your side with the bottom knee bent and the top leg straight. Lift the top leg"
        " toward the ceiling, leading with the heel and keeping the toes facing forward, then"
        " lower.",
    ),
    _seed(
        "standing-hip-abduction", "Standing hip abduction", "strength", "chair", "hip",
        Dosage(sets=2, reps=12, rest_seconds=45, each_side=True, load_unit="kg"),
        "Stand tall holding the back of a chair. Lift one leg out to the side with the toes"
        " facing forward and the trunk upright, then bring it back.",
    ),
    _seed(
        "standing-hip-extension", "Standing hip extension", "strength", "chair", "hip",
        Dosage(sets=2, reps=12, rest_seconds=45, each_side=True, load_unit="kg"),
        "Hold the back of a chair and stand tall. Move one leg straight back without arching the"
        " low back, squeeze the buttock, and return.",
    ),
    _seed(
        "romanian-deadlift", "Romanian deadlift", "strength", "dumbbell", "hip",
        Dosage(sets=3, reps=10, rest_seconds=90, load_unit="kg"),
        "Stand holding dumbbells in front of the thighs with soft knees. Push the hips back and"
        " slide the weights down the legs with a flat back until the backs of the thighs feel"
        " long, then drive the hips forward to stand.",
    ),
    _seed(
        "lateral-band-walk", "Lateral band walk", "strength", "band", "hip",
        Dosage(sets=3, reps=10, each_side=True, load_unit="band color"),
        "Place a band around the legs just above the knees and bend the knees slightly. Take ten"
        " steps sideways, keeping tension on the band and the toes forward, then return the other"
        " way.",
    ),
    _seed(
        "seated-marching", "Seated marching", "strength", "chair", "hip",
        Dosage(sets=2, reps=15, rest_seconds=45, each_side=True, load_unit="kg"),
        "Sit tall near the front of a chair. Lift one knee toward the chest without leaning back,"
        " lower it, and alternate legs.",
    ),
    _seed(
        "half-kneeling-hip-flexor-stretch", "Half-kneeling hip flexor stretch", "mobility", "mat", "hip",
        Dosage(sets=3, hold_seconds=30, rest_seconds=15, each_side=True),
        "Kneel on one knee on a pad with the other foot flat in front. Tuck the pelvis under and"
        " shift forward until you feel a stretch at the front of the back hip, and hold.",
    ),
    _seed(
        "seated-figure-four-stretch", "Seated figure-four stretch", "mobility", "chair", "hip",
        Dosage(sets=3, hold_seconds=30, rest_seconds=15, each_side=True),
        "Sit tall and rest one ankle on the opposite knee. Lean forward from the hips with a long"
        " back until you feel a stretch in the buttock, and hold.",
    ),
    # Ankle and foot
    _seed(
        "heel-raise", "Heel raise", "strength", "chair", "ankle and foot",
        Dosage(sets=3, reps=12, rest_seconds=45),
        "Stand holding the back of a chair with the feet hip-width apart. Rise onto the balls of"
        " the feet as high as you can, pause, and lower slowly.",
    ),
    _seed(
        "single-leg-heel-raise", "Single-leg heel raise", "strength", "counter", "ankle and foot",
        Dosage(sets=3, reps=8, each_side=True),
        "Stand on one foot, lightly holding a counter. Rise onto the ball of the foot, pause at"
        " the top, and lower over three seconds.",
    ),
    _seed(
        "toe-raise", "Toe raise", "strength", "chair", "ankle and foot",
        Dosage(sets=3, reps=12, rest_seconds=45),
        "Stand holding the back of a chair with your weight on the heels. Lift the toes and the"
        " front of the feet off the floor, then lower them with control.",
    ),
    _seed(
        "ankle-pumps", "Ankle pumps", "mobility", "none", "ankle and foot",
        Dosage(sets=2, reps=20, rest_seconds=30),
        "Sit or lie with the legs out straight. Point the feet away from you, then pull them back"
        " toward you, moving through the full comfortable range.",
    ),
    _seed(
        "ankle-alphabet", "Ankle alphabet", "mobility", "chair", "ankle and foot",
        Dosage(sets=1, reps=1, rest_seconds=15, each_side=True),
        "Sit with one foot lifted just off the floor. Trace the letters A to Z in the air with"
        " the big toe, moving at the ankle rather than the knee.",
    ),
    _seed(
        "band-ankle-dorsiflexion", "Band ankle dorsiflexion", "strength", "band", "ankle and foot",
        Dosage(sets=3, reps=12, rest_seconds=45, each_side=True, load_unit="band color"),
        "Sit with the leg straight and a band anchored in front, looped over the top of the foot."
        " Pull the foot back toward you against the band and let it return slowly.",
    ),
    _seed(
        "band-ankle-plantarflexion", "Band ankle plantarflexion", "strength", "band", "ankle and foot",
        Dosage(sets=3, reps=15, rest_seconds=45, each_side=True, load_unit="band color"),
        "Sit with the leg straight and a band around the ball of the foot, holding both ends."
        " Press the foot away as if pushing a pedal, then let it come back slowly.",
    ),
    _seed(
        "band-ankle-eversion", "Band ankle eversion", "strength", "band", "ankle and foot",
        Dosage(sets=3, reps=12, rest_seconds=45, each_side=True, load_unit="band color"),
        "Sit with a band anchored to the inside of the foot and looped around it. Turn the sole"
        " of the foot outward against the band without moving the knee, then return slowly.",
    ),
    _seed(
        "calf-stretch-at-wall", "Calf stretch at the wall", "mobility", "wall", "ankle and foot",
        Dosage(sets=3, hold_seconds=30, rest_seconds=15, each_side=True),
        "Stand facing a wall with the hands on it and one foot stepped back. Keep the back heel"
        " down and the back knee straight, and lean forward until you feel a stretch in the calf.",
    ),
    _seed(
        "towel-scrunch", "Towel scrunch", "strength", "towel", "ankle and foot",
        Dosage(sets=2, reps=10, rest_seconds=30, each_side=True),
        "Sit with one bare foot on a towel laid flat on the floor. Curl the toes to gather the"
        " towel toward you, then spread them flat and repeat.",
    ),
    # Shoulder, arm and neck
    _seed(
        "wall-push-up", "Wall push-up", "strength", "wall", "upper body",
        Dosage(sets=3, reps=10),
        "Stand an arm's length from a wall with the hands at shoulder height. Bend the elbows to"
        " bring the chest toward the wall, keeping the body in one line, then push back.",
    ),
    _seed(
        "counter-push-up", "Counter push-up", "strength", "counter", "upper body",
        Dosage(sets=3, reps=10),
        "Place the hands on a sturdy counter edge a little wider than the shoulders and walk the"
        " feet back. Lower the chest toward the counter with the body straight, then push away.",
    ),
    _seed(
        "band-row", "Band row", "strength", "band", "upper body",
        Dosage(sets=3, reps=12, load_unit="band color"),
        "Anchor a band at chest height and hold one end in each hand with the arms forward. Pull"
        " the elbows back beside the ribs, squeezing the shoulder blades together, then return"
        " slowly.",
    ),
    _seed(
        "seated-cable-row", "Seated cable row", "strength", "cable", "upper body",
        Dosage(sets=3, reps=10, rest_seconds=90, load_unit="kg"),
        "Sit tall with the feet braced and the handle held at arm's length. Pull the handle to"
        " the lower ribs without leaning back, then let the arms straighten with control.",
    ),
    _seed(
        "lat-pulldown", "Lat pulldown", "strength", "machine", "upper body",
        Dosage(sets=3, reps=10, rest_seconds=90, load_unit="kg"),
        "Sit with the thighs under the pad and grip the bar a little wider than the shoulders."
        " Pull the bar to the upper chest, leading with the elbows, then let it rise with control.",
    ),
    _seed(
        "chest-press-machine", "Chest press machine", "strength", "machine", "upper body",
        Dosage(sets=3, reps=10, rest_seconds=90, load_unit="kg"),
        "Set the seat so the handles line up with the middle of the chest. Press the handles"
        " forward until the arms are nearly straight, then return slowly.",
    ),
    _seed(
        "band-external-rotation", "Band external rotation", "strength", "band", "shoulder",
        Dosage(sets=3, reps=12, rest_seconds=45, each_side=True, load_unit="band color"),
        "Stand side-on to a band anchored at elbow height, the elbow bent to a right angle and"
        " tucked against a small towel at your side. Rotate the forearm outward, away from the"
        " body, then return slowly.",
    ),
    _seed(
        "band-internal-rotation", "Band internal rotation", "strength", "band", "shoulder",
        Dosage(sets=3, reps=12, rest_seconds=45, each_side=True, load_unit="band color"),
        "Stand side-on to a band anchored at elbow height, the elbow bent to a right angle and"
        " tucked against a small towel at your side. Rotate the forearm in across the stomach,"
        " then return slowly.",
    ),
    _seed(
        "shoulder-blade-squeeze", "Shoulder blade squeeze", "strength", "none", "shoulder",
        Dosage(sets=2, reps=10, hold_seconds=5, rest_seconds=30),
        "Sit or stand tall with the arms relaxed. Draw the shoulder blades back and down toward"
        " each other without shrugging, hold, and release.",
    ),
    _seed(
        "wall-slide", "Wall slide", "mobility", "wall", "shoulder",
        Dosage(sets=2, reps=10, rest_seconds=30),
        "Stand facing a wall with the forearms resting on it. Slide the arms up the wall as high"
        " as is comfortable, keeping the shoulders down, then slide them back.",
    ),
    _seed(
        "wand-shoulder-flexion", "Wand-assisted shoulder flexion", "mobility", "dowel", "shoulder",
        Dosage(sets=2, reps=10, hold_seconds=3, rest_seconds=30),
        "Lie on your back holding a dowel in both hands, palms down. Use both arms together to"
        " lift the dowel overhead as far as is comfortable, then lower it.",
    ),
    _seed(
        "dumbbell-shoulder-press", "Dumbbell shoulder press", "strength", "dumbbell", "shoulder",
        Dosage(sets=3, reps=10, rest_seconds=90, load_unit="kg"),
        "Sit tall holding dumbbells at shoulder height, palms forward. Press them overhead until"
        " the arms are straight without arching the back, then lower to the start.",
    ),
    _seed(
        "lateral-raise", "Lateral raise", "strength", "dumbbell", "shoulder",
        Dosage(sets=3, reps=10, load_unit="kg"),
        "Stand holding light dumbbells at your sides. Raise the arms out to shoulder height with"
        " a slight bend in the elbows, then lower slowly.",
    ),
    _seed(
        "band-pull-apart", "Band pull-apart", "strength", "band", "shoulder",
        Dosage(sets=3, reps=12, rest_seconds=45, load_unit="band color"),
        "Hold a band in front of the chest with both hands, arms straight. Pull the hands apart"
        " until the band touches the chest, squeezing the shoulder blades, then return slowly.",
    ),
    _seed(
        "doorway-chest-stretch", "Doorway chest stretch", "mobility", "wall", "shoulder",
        Dosage(sets=3, hold_seconds=30, rest_seconds=15),
        "Stand in a doorway with the forearms on the frame at shoulder height. Step one foot"
        " through and lean gently forward until you feel a stretch across the chest.",
    ),
    _seed(
        "cross-body-shoulder-stretch", "Cross-body shoulder stretch", "mobility", "none", "shoulder",
        Dosage(sets=3, hold_seconds=30, rest_seconds=15, each_side=True),
        "Bring one arm across the chest at shoulder height. Use the other hand to ease it closer"
        " at the elbow until you feel a stretch at the back of the shoulder, and hold.",
    ),
    _seed(
        "biceps-curl", "Biceps curl", "strength", "dumbbell", "elbow and wrist",
        Dosage(sets=3, reps=10, load_unit="kg"),
        "Stand or sit tall holding dumbbells with the palms forward. Bend the elbows to bring the"
        " weights toward the shoulders without swinging, then lower slowly.",
    ),
    _seed(
        "triceps-pressdown", "Triceps pressdown", "strength", "cable", "elbow and wrist",
        Dosage(sets=3, reps=12, load_unit="kg"),
        "Stand facing a high cable with the elbows tucked at your sides. Straighten the elbows to"
        " press the handle down to the thighs, then let it rise to just above a right angle.",
    ),
    _seed(
        "grip-squeeze", "Grip squeeze", "strength", "small ball", "elbow and wrist",
        Dosage(sets=2, reps=10, hold_seconds=3, rest_seconds=30, each_side=True),
        "Hold a soft ball in one hand. Squeeze as firmly as is comfortable, hold, and relax the"
        " hand fully between squeezes.",
    ),
    _seed(
        "wrist-curl", "Wrist curl", "strength", "dumbbell", "elbow and wrist",
        Dosage(sets=2, reps=12, rest_seconds=45, each_side=True, load_unit="kg"),
        "Rest the forearm on the thigh with the wrist just past the knee, palm up, holding a"
        " light dumbbell. Curl the hand up, then lower slowly; turn the palm down to work the"
        " back of the forearm.",
    ),
    _seed(
        "chin-tuck", "Chin tuck", "mobility", "none", "neck",
        Dosage(sets=2, reps=10, hold_seconds=5, rest_seconds=30),
        "Sit tall looking straight ahead. Glide the head straight back to make a double chin"
        " without tipping it down, hold, and relax.",
    ),
    _seed(
        "side-neck-stretch", "Side neck stretch", "mobility", "chair", "neck",
        Dosage(sets=3, hold_seconds=30, rest_seconds=15, each_side=True),
        "Sit tall and hold the edge of the seat with one hand. Tilt the ear toward the opposite"
        " shoulder until you feel a gentle stretch along the side of the neck, and hold.",
    ),
    # Spine and core
    _seed(
        "thoracic-extension-foam-roller", "Thoracic extension over foam roller", "mobility", "foam roller",
        "spine and core",
        Dosage(sets=2, reps=8, rest_seconds=30),
        "Lie with a foam roller across the upper back, hands behind the head and hips on the"
        " floor. Let the upper back arch over the roller, come back up, and move the roller a"
        " little higher or lower.",
    ),
    _seed(
        "open-book-rotation", "Open book rotation", "mobility", "mat", "spine and core",
        Dosage(sets=2, reps=8, rest_seconds=30, each_side=True),
        "Lie on your side with the knees bent and the arms together in front. Sweep the top arm"
        " across to the other side, following it with the eyes and turning the upper back, then"
        " return.",
    ),
    _seed(
        "cat-cow", "Cat-cow", "mobility", "mat", "spine and core",
        Dosage(sets=2, reps=10, rest_seconds=30),
        "Start on hands and knees. Round the back up toward the ceiling, then let the chest sink"
        " and lift the gaze, moving slowly between the two.",
    ),
    _seed(
        "knee-to-chest-stretch", "Knee-to-chest stretch", "mobility", "mat", "spine and core",
        Dosage(sets=3, hold_seconds=20, rest_seconds=15, each_side=True),
        "Lie on your back with the knees bent. Hug one knee toward the chest with both hands"
        " until you feel a stretch in the low back and buttock, and hold.",
    ),
    _seed(
        "lower-trunk-rotation", "Lower trunk rotation", "mobility", "mat", "spine and core",
        Dosage(sets=2, reps=10, rest_seconds=30),
        "Lie on your back with the knees bent and together. Let both knees fall slowly to one"
        " side while the shoulders stay on the floor, then bring them across to the other side.",
    ),
    _seed(
        "pelvic-tilt", "Pelvic tilt", "core", "mat", "spine and core",
        Dosage(sets=2, reps=10, hold_seconds=3, rest_seconds=30),
        "Lie on your back with the knees bent. Flatten the low back gently into the floor by"
        " tightening the stomach, hold, and relax.",
    ),
    _seed(
        "abdominal-bracing", "Abdominal bracing", "core", "none", "spine and core",
        Dosage(sets=2, reps=10, hold_seconds=10, rest_seconds=30),
        "Lie, sit or stand tall. Tighten the stomach muscles as if bracing for a light poke while"
        " breathing normally, hold, and relax.",
    ),
    _seed(
        "bird-dog", "Bird dog", "core", "mat", "spine and core",
        Dosage(sets=3, reps=8, hold_seconds=3, each_side=True),
        "Start on hands and knees with a flat back. Reach one arm forward and the opposite leg"
        " back until both are level with the trunk, hold without the hips turning, and return.",
    ),
    _seed(
        "dead-bug", "Dead bug", "core", "mat", "spine and core",
        Dosage(sets=3, reps=8, each_side=True),
        "Lie on your back with the arms toward the ceiling and the hips and knees bent to right"
        " angles. Slowly lower one arm overhead and the opposite leg toward the floor while the"
        " low back stays flat, then return and switch.",
    ),
    _seed(
        "front-plank", "Front plank", "core", "mat", "spine and core",
        Dosage(sets=3, hold_seconds=20),
        "Rest on the forearms and toes, or on the knees for an easier version, with the body in a"
        " straight line. Brace the stomach and hold without letting the hips sag or lift.",
    ),
    _seed(
        "side-plank", "Side plank", "core", "mat", "spine and core",
        Dosage(sets=3, hold_seconds=15, each_side=True),
        "Lie on your side propped on the forearm, elbow under the shoulder, knees bent or legs"
        " straight. Lift the hips so the body forms a straight line and hold.",
    ),
    _seed(
        "pallof-press", "Pallof press", "core", "band", "spine and core",
        Dosage(sets=3, reps=10, each_side=True, load_unit="band color"),
        "Stand side-on to a band anchored at chest height, holding it at the chest with both"
        " hands. Press the hands straight out and keep the band from turning you, then bring"
        " them back.",
    ),
    # Balance and fall prevention
    _seed(
        "seated-ball-marching", "Seated marching on a stability ball", "balance", "stability ball",
        "spine and core",
        Dosage(sets=2, reps=10, rest_seconds=45, each_side=True),
        "Sit tall on a stability ball with the feet flat and hip-width apart, close to a wall or"
        " support. Lift one foot a little off the floor while staying upright, lower it, and"
        " alternate.",
    ),
    _seed(
        "tandem-stance", "Tandem stance", "balance", "counter", "whole body",
        Dosage(sets=3, hold_seconds=30, rest_seconds=30),
        "Stand beside a counter and place one foot directly in front of the other, heel touching"
        " toe. Hold with light or no hand support, then switch which foot is in front.",
    ),
    _seed(
        "semi-tandem-stance", "Semi-tandem stance", "balance", "counter", "whole body",
        Dosage(sets=3, hold_seconds=30, rest_seconds=30),
        "Stand beside a counter with the heel of one foot beside the big toe of the other. Hold"
        " with as little hand support as you safely can, then switch feet.",
    ),
    _seed(
        "single-leg-stance", "Single-leg stance", "balance", "counter", "whole body",
        Dosage(sets=3, hold_seconds=20, rest_seconds=30, each_side=True),
        "Stand beside a counter and lift one foot just off the floor. Hold steady, touching the"
        " counter only when needed, then change legs.",
    ),
    _seed(
        "feet-together-on-foam", "Feet together on foam pad", "balance", "foam pad", "whole body",
        Dosage(sets=3, hold_seconds=30, rest_seconds=30),
        "Stand on a foam pad with the feet together in a corner or beside a counter. Hold steady"
        " with the hands hovering near the support; turn the head side to side to make it harder.",
    ),
    _seed(
        "weight-shifts", "Weight shifts", "balance", "counter", "whole body",
        Dosage(sets=2, reps=10, rest_seconds=30),
        "Stand with the feet hip-width apart, hands resting on a counter. Shift your weight slowly"
        " onto one foot and then the other, then forward and back, keeping the trunk upright.",
    ),
    _seed(
        "side-stepping", "Side stepping", "balance", "counter", "whole body",
        Dosage(sets=3, reps=10, rest_seconds=30, each_side=True),
        "Stand facing a counter with the hands resting on it. Take ten steps sideways along it,"
        " toes facing forward, then step back the other way.",
    ),
    _seed(
        "standing-marching", "Standing marching", "balance", "counter", "whole body",
        Dosage(sets=2, reps=10, rest_seconds=30, each_side=True),
        "Stand beside a counter and march on the spot, lifting each knee toward hip height. Use"
        " as little hand support as you safely can.",
    ),
    _seed(
        "heel-to-toe-walk", "Heel-to-toe walk", "balance", "counter", "whole body",
        Dosage(sets=3, reps=10, rest_seconds=30),
        "Walk along a counter, placing the heel of each foot directly in front of the toes of the"
        " other. Look ahead rather than at your feet, then turn and come back.",
    ),
    _seed(
        "backward-walking", "Backward walking", "balance", "counter", "whole body",
        Dosage(sets=3, reps=10, rest_seconds=30),
        "Stand beside a counter and take ten steps backward, reaching back with the toes before"
        " the heel. Stand tall and glance over the shoulder rather than bending forward.",
    ),
    _seed(
        "heel-walking", "Heel walking", "balance", "counter", "whole body",
        Dosage(sets=3, reps=10, rest_seconds=30),
        "Stand beside a counter, lift the toes and walk ten steps on the heels. Turn and walk"
        " back, holding the counter as lightly as possible.",
    ),
    _seed(
        "toe-walking", "Toe walking", "balance", "counter", "whole body",
        Dosage(sets=3, reps=10, rest_seconds=30),
        "Stand beside a counter, rise onto the balls of the feet and walk ten steps. Turn and walk"
        " back without letting the heels drop.",
    ),
    _seed(
        "standing-reach", "Standing reach in several directions", "balance", "counter", "whole body",
        Dosage(sets=2, reps=5, rest_seconds=30, each_side=True),
        "Stand near a counter and reach one hand forward, to the side and across the body as far"
        " as you can without moving the feet. Return to upright between reaches.",
    ),
    # Functional tasks
    _seed(
        "sit-to-stand", "Sit-to-stand", "functional", "chair", "lower body",
        Dosage(sets=3, reps=10),
        "Sit near the front of a firm chair with the feet slightly behind the knees. Lean forward"
        " and stand up fully without using the hands if you can, then sit down slowly.",
    ),
    _seed(
        "step-up", "Step-up", "functional", "step", "lower body",
        Dosage(sets=3, reps=10, each_side=True, load_unit="inch step height"),
        "Stand facing a step, holding a rail if needed. Step up with one foot and push through"
        " that heel to bring the other foot up, then step down leading with the same foot.",
    ),
    _seed(
        "lateral-step-up", "Lateral step-up", "functional", "step", "lower body",
        Dosage(sets=3, reps=10, each_side=True, load_unit="inch step height"),
        "Stand side-on to a step with the near foot on it. Push through that foot to stand up on"
        " the step, tap the other foot beside it, and lower back down slowly.",
    ),
    _seed(
        "forward-step-down", "Forward step-down", "functional", "step", "lower body",
        Dosage(sets=3, reps=8, each_side=True, load_unit="inch step height"),
        "Stand on a low step holding a rail. Slowly lower one heel to touch the floor in front"
        " while the standing knee stays over the toes, then straighten back up.",
    ),
    _seed(
        "farmer-carry", "Farmer carry", "functional", "kettlebell", "whole body",
        Dosage(sets=3, duration_seconds=30, rest_seconds=90, load_unit="kg"),
        "Pick up a weight in each hand and stand tall with the shoulders back. Walk with even,"
        " steady steps for the set time, then set the weights down by bending the knees.",
    ),
    _seed(
        "suitcase-carry", "Suitcase carry", "functional", "kettlebell", "whole body",
        Dosage(sets=3, duration_seconds=30, rest_seconds=60, each_side=True, load_unit="kg"),
        "Carry one weight at your side like a suitcase. Walk tall without leaning toward or away"
        " from the weight, then switch hands.",
    ),
    _seed(
        "floor-to-waist-lift", "Floor-to-waist lift", "functional", "kettlebell", "lower body",
        Dosage(sets=3, reps=8, rest_seconds=90, load_unit="kg"),
        "Stand over a kettlebell or box with the feet hip-width apart. Bend the hips and knees,"
        " keep the back long and the load close, and stand to bring it to waist height, then"
        " lower it the same way.",
    ),
    _seed(
        "floor-transfer", "Getting down to and up from the floor", "functional", "mat", "whole body",
        Dosage(sets=2, reps=3, rest_seconds=90),
        "Beside a sturdy chair, lower yourself to one knee, then both knees, then to sitting on"
        " the mat. Reverse the steps to stand, using the chair for support.",
    ),
    _seed(
        "overhead-shelf-reach", "Overhead shelf reach", "functional", "dumbbell", "upper body",
        Dosage(sets=2, reps=8, rest_seconds=60, load_unit="kg"),
        "Stand facing a shelf at about eye height holding a light weight at the waist. Lift it"
        " onto the shelf, take it back down, and keep the trunk upright throughout.",
    ),
    # Gait
    _seed(
        "parallel-bars-walking", "Walking in the parallel bars", "gait", "parallel bars", "whole body",
        Dosage(sets=2, reps=4, rest_seconds=60),
        "Walk the length of the bars with both hands on the rails, then turn and walk back; each"
        " length is one repetition. Aim for even step lengths and a heel-first landing.",
    ),
    _seed(
        "stair-climbing", "Stair climbing", "gait", "stairs", "lower body",
        Dosage(sets=2, reps=2, rest_seconds=90),
        "Go up and down one flight holding the rail, one step per foot if you can. Lead with the"
        " stronger leg going up and the other leg going down if one side is weaker.",
    ),
    _seed(
        "obstacle-stepping", "Stepping over obstacles", "gait", "cones", "whole body",
        Dosage(sets=2, reps=4, rest_seconds=60),
        "Set low cones or foam blocks a stride apart along a clear walkway. Walk the line lifting"
        " each foot cleanly over them, then turn and come back.",
    ),
    _seed(
        "walking-with-head-turns", "Walking with head turns", "gait", "none", "whole body",
        Dosage(sets=2, reps=4, rest_seconds=60),
        "Walk a clear hallway at your usual pace while turning the head to look left and right"
        " every few steps. Keep walking in a straight line; a trainer walks alongside.",
    ),
    _seed(
        "figure-eight-walking", "Figure-eight walking", "gait", "cones", "whole body",
        Dosage(sets=2, reps=3, rest_seconds=60),
        "Place two cones about six feet apart and walk a figure of eight around them. Keep the"
        " turns smooth with several small steps rather than pivoting on one foot.",
    ),
    _seed(
        "walking-speed-changes", "Walking with speed changes", "gait", "none", "whole body",
        Dosage(sets=2, duration_seconds=120, rest_seconds=60),
        "Walk a clear hallway, switching between your usual pace and a brisk pace on the"
        " trainer's cue. Keep the steps even as you speed up and slow down.",
    ),
    # Aerobic and endurance
    _seed(
        "treadmill-walking", "Treadmill walking", "aerobic", "treadmill", "whole body",
        Dosage(sets=1, duration_seconds=600, rest_seconds=0, load_unit="mph"),
        "Start the belt slowly while holding the rails, then walk tall with a natural stride."
        " Build to a pace where you can talk but not sing, and slow down for the last minute.",
    ),
    _seed(
        "stationary-bike", "Stationary bike", "aerobic", "bike", "lower body",
        Dosage(sets=1, duration_seconds=900, rest_seconds=0, load_unit="resistance level"),
        "Set the seat so the knee stays slightly bent at the bottom of each pedal stroke. Pedal"
        " at a steady effort where you can still talk, easing off for the last two minutes.",
    ),
    _seed(
        "arm-bike", "Arm bike", "aerobic", "arm bike", "upper body",
        Dosage(sets=1, duration_seconds=600, rest_seconds=0, load_unit="resistance level"),
        "Sit facing the arm bike with the handles at shoulder height. Turn the handles at a steady"
        " pace, switching direction halfway through.",
    ),
    _seed(
        "recumbent-stepper", "Recumbent stepper", "aerobic", "machine", "whole body",
        Dosage(sets=1, duration_seconds=900, rest_seconds=0, load_unit="resistance level"),
        "Sit with the back supported and the feet strapped to the pedals. Push with arms and legs"
        " together at a steady pace where you can still hold a conversation.",
    ),
    _seed(
        "brisk-hallway-walking", "Brisk hallway walking", "aerobic", "none", "whole body",
        Dosage(sets=1, duration_seconds=600, rest_seconds=0),
        "Walk a clear hallway or track at a pace that raises your breathing but still lets you"
        " talk. Use your usual walking aid and rest on a chair whenever you need to.",
    ),
)

EXERCISE_BY_SLUG: dict[str, Exercise] = {exercise.slug: exercise for exercise in EXERCISES}

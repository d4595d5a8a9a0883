"""Checklists for the baseline assessment: musculoskeletal screen regions, muscle groups tested,
and postural deviations by view. Observations only: what is seen and what the client can do."""

from __future__ import annotations

from dataclasses import dataclass

# Regions of the screen, each observed through functional movement (reach, squat, step, turn).
SCREEN_REGIONS: tuple[tuple[str, str], ...] = (
    ("cervical", "Neck"),
    ("shoulder", "Shoulder"),
    ("elbow", "Elbow"),
    ("wrist_hand", "Wrist and hand"),
    ("thoracic", "Upper back"),
    ("lumbar", "Low back"),
    ("hip", "Hip"),
    ("knee", "Knee"),
    ("ankle_foot", "Ankle and foot"),
)

# no_limitation / limited / painful: painful means the movement brought on the client's pain,
# an observation, not a cause.
SCREEN_RESULTS: tuple[tuple[str, str], ...] = (
    ("no_limitation", "Moves without limitation"),
    ("limited", "Limited"),
    ("painful", "Brings on pain"),
)

SIDES: tuple[tuple[str, str], ...] = (("right", "Right"), ("left", "Left"), ("both", "Both"), ("na", "Not sided"))

# Muscle groups tested by manual muscle test or hand-held dynamometer.
MUSCLE_GROUPS: tuple[tuple[str, str], ...] = (
    ("shoulder_flexors", "Shoulder flexors"),
    ("shoulder_abductors", "Shoulder abductors"),
    ("shoulder_external_rotators", "Shoulder external rotators"),
    ("shoulder_internal_rotators", "Shoulder internal rotators"),
    ("elbow_flexors", "Elbow flexors"),
    ("elbow_extensors", "Elbow extensors"),
    ("grip", "Grip"),
    ("trunk_flexors", "Trunk flexors"),
    ("trunk_extensors", "Trunk extensors"),
    ("hip_flexors", "Hip flexors"),
    ("hip_extensors", "Hip extensors"),
    ("hip_abductors", "Hip abductors"),
    ("knee_extensors", "Knee extensors"),
    ("knee_flexors", "Knee flexors"),
    ("ankle_dorsiflexors", "Ankle dorsiflexors"),
    ("ankle_plantarflexors", "Ankle plantarflexors"),
)
MUSCLE_GROUP_LABELS = dict(MUSCLE_GROUPS)


@dataclass(frozen=True)
class PostureDeviation:
    key: str
    label: str
    view: str  # anterior, lateral, posterior
    sided: bool = False


# A standing posture checklist in three views, after the usual plumb-line observation
# (e.g. Kendall, Muscles: Testing and Function, ch. 2); each is an observation of alignment.
POSTURE_VIEWS: tuple[tuple[str, str], ...] = (("anterior", "From the front"), ("lateral", "From the side"),
                                              ("posterior", "From behind"))
POSTURE_DEVIATIONS: tuple[PostureDeviation, ...] = (
    PostureDeviation("head_tilt", "Head tilted to one side", "anterior", sided=True),
    PostureDeviation("shoulder_height", "One shoulder higher", "anterior", sided=True),
    PostureDeviation("pelvic_obliquity", "One side of the pelvis higher", "anterior", sided=True),
    PostureDeviation("knee_valgus", "Knees angle inward", "anterior", sided=True),
    PostureDeviation("knee_varus", "Knees bow outward", "anterior", sided=True),
    PostureDeviation("foot_pronation", "Arches flattened, feet roll in", "anterior", sided=True),
    PostureDeviation("forward_head", "Head forward of the shoulders", "lateral"),
    PostureDeviation("rounded_shoulders", "Rounded shoulders", "lateral"),
    PostureDeviation("increased_kyphosis", "Increased upper-back rounding", "lateral"),
    PostureDeviation("increased_lordosis", "Increased low-back arch", "lateral"),
    PostureDeviation("flat_back", "Flattened low back", "lateral"),
    PostureDeviation("anterior_pelvic_tilt", "Pelvis tipped forward", "lateral"),
    PostureDeviation("posterior_pelvic_tilt", "Pelvis tucked under", "lateral"),
    PostureDeviation("knee_hyperextension", "Knees locked back", "lateral"),
    PostureDeviation("scapular_winging", "Shoulder blade lifts off the ribs", "posterior", sided=True),
    PostureDeviation("trunk_shift", "Trunk shifted to one side", "posterior", sided=True),
    PostureDeviation("spinal_curve", "Side-to-side curve of the spine", "posterior"),
    PostureDeviation("heel_eversion", "Heels tilt outward", "posterior", sided=True),
)
POSTURE_BY_KEY = {deviation.key: deviation for deviation in POSTURE_DEVIATIONS}

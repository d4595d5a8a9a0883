"""Normal range of motion per joint and motion, in degrees, exactly as standards.md lists it, for showing a goniometer reading against its normal range."""

from dataclasses import dataclass

# The two sources standards.md names; each value below points at its own.
AAOS_VIA_NORKIN_WHITE = (
    "American Academy of Orthopaedic Surgeons (AAOS) values, via Norkin CC, White DJ,"
    " Measurement of Joint Motion: A Guide to Goniometry (standards.md)"
)
VA_RATING_SCHEDULE = (
    "VA rating schedule values (Schedule for Rating Disabilities, 38 CFR Part 4,"
    " musculoskeletal system; standards.md)"
)


@dataclass(frozen=True)
class NormalRange:
    """One motion's normal arc; `key` ("shoulder.flexion") is stable and stored with each reading."""

    key: str
    joint: str
    motion: str
    low: int
    high: int
    source: str

    @property
    def label(self) -> str:
        return f"{self.joint} {self.motion}"

    @property
    def arc(self) -> int:
        return self.high - self.low


NORMAL_RANGES: tuple[NormalRange, ...] = (
    NormalRange("shoulder.flexion", "shoulder", "flexion", 0, 180, AAOS_VIA_NORKIN_WHITE),
    NormalRange("shoulder.extension", "shoulder", "extension", 0, 60, AAOS_VIA_NORKIN_WHITE),
    NormalRange("shoulder.abduction", "shoulder", "abduction", 0, 180, AAOS_VIA_NORKIN_WHITE),
    NormalRange("shoulder.internal_rotation", "shoulder", "internal rotation", 0, 70, AAOS_VIA_NORKIN_WHITE),
    NormalRange("shoulder.external_rotation", "shoulder", "external rotation", 0, 90, AAOS_VIA_NORKIN_WHITE),
    NormalRange("elbow.flexion", "elbow", "flexion", 0, 150, AAOS_VIA_NORKIN_WHITE),
    NormalRange("forearm.pronation", "forearm", "pronation", 0, 80, AAOS_VIA_NORKIN_WHITE),
    NormalRange("forearm.supination", "forearm", "supination", 0, 80, AAOS_VIA_NORKIN_WHITE),
    NormalRange("wrist.flexion", "wrist", "flexion", 0, 80, AAOS_VIA_NORKIN_WHITE),
    NormalRange("wrist.extension", "wrist", "extension", 0, 70, AAOS_VIA_NORKIN_WHITE),
    NormalRange("wrist.radial_deviation", "wrist", "radial deviation", 0, 20, AAOS_VIA_NORKIN_WHITE),
    NormalRange("wrist.ulnar_deviation", "wrist", "ulnar deviation", 0, 30, AAOS_VIA_NORKIN_WHITE),
    NormalRange("hip.flexion", "hip", "flexion", 0, 125, VA_RATING_SCHEDULE),
    NormalRange("hip.extension", "hip", "extension", 0, 30, VA_RATING_SCHEDULE),
    NormalRange("hip.abduction", "hip", "abduction", 0, 45, VA_RATING_SCHEDULE),
    NormalRange("knee.flexion", "knee", "flexion", 0, 140, VA_RATING_SCHEDULE),
    NormalRange("ankle.dorsiflexion", "ankle", "dorsiflexion", 0, 20, VA_RATING_SCHEDULE),
    NormalRange("ankle.plantarflexion", "ankle", "plantarflexion", 0, 45, VA_RATING_SCHEDULE),
)

NORMAL_RANGE_BY_KEY: dict[str, NormalRange] = {normal.key: normal for normal in NORMAL_RANGES}

"""The functional outcome measures the practice runs, as data: units, LOINC codes, protocols, input limits, fall-risk cut-offs, meaningful-change values and age/sex norms, each with its source."""

from dataclasses import dataclass
from typing import Literal

Sex = Literal["female", "male"]

# Citations, named once so every value below can point at where it comes from.
CDC_STEADI_TUG = "CDC STEADI, Timed Up & Go (TUG) assessment form"
CDC_STEADI_CHAIR_STAND = "CDC STEADI, 30-Second Chair Stand assessment form"
CDC_STEADI_BALANCE = "CDC STEADI, 4-Stage Balance Test assessment form"
BARRY_2014 = "Barry E et al. 2014, BMC Geriatrics 14:14 (PMC3924230)"
BOHANNON_2006 = "Bohannon RW 2006, J Geriatr Phys Ther 29(2):64"
ALGHADIR_2015 = (
    "Alghadir A, Anwer S, Brismee JM 2015, BMC Musculoskelet Disord 16:174"
    " (knee OA, single rater MDC 1.10 s)"
)
ASHT_GRIP = "American Society of Hand Therapists (ASHT) grip test position"
MATHIOWETZ_1985 = "Mathiowetz V et al. 1985, Arch Phys Med Rehabil 66(2):69"
BOHANNON_2019 = "Bohannon RW 2019, grip strength MCID systematic review (PMID 30774209)"
FARRAR_2001 = "Farrar JT et al. 2001, Pain 94(2):149"
ATS_2002 = "ATS statement: guidelines for the six-minute walk test, Am J Respir Crit Care Med 2002;166:111"
BOHANNON_CROUCH_2017 = "Bohannon RW, Crouch R 2017, 6MWT MCID systematic review (14-30.5 m)"
PERERA_2006 = "Perera S et al. 2006, J Am Geriatr Soc 54(5):743"
DONOGHUE_STOKES_2009 = (
    "Donoghue D, Stokes EK 2009, J Rehabil Med 41(5):343-346, doi:10.2340/16501977-0337"
    " (MDC95 by baseline band, checked in the abstract at medicaljournals.se)"
)
BERG_CUTOFF = "standards.md, Berg Balance Scale row: < 45 is the common fall-risk cut-off"
BINKLEY_1999 = "Binkley JM et al. 1999, Phys Ther 79(4):371"
# Term definitions and example UCUM units as published on loinc.org, LOINC version 2.80 (issue 16).
LOINC_TUG = "loinc.org/89423-8 (panel 89422-0, CDC STEADI): one timed rise, walk 10 ft and back, and sit; unit s"
LOINC_CHAIR_STAND = "loinc.org/66247-8: sit-to-stand frequency in 30 seconds; example unit {#}/(30.s)"
LOINC_GRIP = (
    "loinc.org/83145-3 (NIH Toolbox Grip Strength Test panel): 83174-3 right and 83173-5 left,"
    " 'Grip strength Hand - Dynamometer', method Dynamometer, example unit [lbf_av]"
)
LOINC_NPRS = "loinc.org/72514-3: pain severity 0-10 verbal numeric rating, reported; example unit {score}"
LOINC_GAIT_SPEED = (
    "loinc.org/83144-6 (NIH Toolbox 4-Meter Walk Gait Speed Test): one practice and two timed trials from"
    " a standing start behind the line, the better trial scored as 83172-7 in m/s"
)

# Shown wherever LOINC codes are shown or exported, as the LOINC licence asks (loinc.org/license),
# for the LOINC version the codes above were checked in (2.80, 2025).
LOINC_NOTICE = (
    "This material contains content from LOINC® (http://loinc.org). LOINC is copyright © 1995-2025,"
    " Regenstrief Institute, Inc. and the Logical Observation Identifiers Names and Codes (LOINC)"
    " Committee and is available at no cost under the license at http://loinc.org/license. LOINC® is a"
    " registered United States trademark of Regenstrief Institute, Inc."
)
# The grip codes are terms of the NIH Toolbox Grip Strength Test panel, whose materials carry their
# own notice (NIH Toolbox Terms and Conditions: "©2012 Northwestern University and the National
# Institutes of Health"). metpwa uses the codes only, not the Toolbox's protocol, norms or scores.
NIH_TOOLBOX_NOTICE = (
    "LOINC 83173-5 and 83174-3 are terms of the NIH Toolbox® Grip Strength Test panel (83145-3). NIH"
    " Toolbox materials are © 2012 Northwestern University and the National Institutes of Health;"
    " metpwa uses the codes only, not the NIH Toolbox protocol, norms or scores."
)
LOINC_6MW = (
    "HL7 Denmark KL-dk-tools profile KLToolsCare6minwalk (hl7dk/KL-dk-tools,"
    " fsh/KLToolsCare6minwalk.fsh): LOINC 64098-7 'Walking distance 6 minutes'"
)
PLAUSIBILITY = "metpwa plausibility limit (issue 6)"

# Exact by definition of the international pound (1959).
KG_PER_LB = 0.45359237
# Exact by definition of the international yard and foot (1959).
M_PER_FT = 0.3048
# The hallway a 6-minute walk lap is measured in: US practices measure in feet (issue 16).
LENGTH_UNITS = ("ft", "m")
FEET_LIMITS = "the metre limits in feet (1 m = 3.2808 ft), rounded inward so that no more is allowed"

# 4-stage balance: the order is the protocol; each is tried only after the one before is held.
BALANCE_STAGES = ("Feet side by side", "Semi-tandem stance", "Tandem stance", "One-leg stance")
BALANCE_HOLD_SECONDS = 10.0
TANDEM_STAGE = 3


@dataclass(frozen=True)
class LoincCode:
    """A LOINC term sent with a result only because the protocol matches its definition (issue 16).
    `part` is what the code's value is: the score, each trial, or one hand's mean. `unit` is the
    term's UCUM unit, the unit the value goes out in (grip in pounds-force, not kilograms)."""

    code: str
    display: str
    part: Literal["score", "each trial", "right hand", "left hand"]
    unit: str
    source: str
    notices: tuple[str, ...] = (LOINC_NOTICE,)


@dataclass(frozen=True)
class ProtocolText:
    """Our own three-line summary of a protocol, shown on the tablet before the test."""

    set_up: str
    say: str
    timing: str


@dataclass(frozen=True)
class InputLimit:
    """The values a trainer may enter for one raw field; anything outside is refused."""

    field: str
    label: str
    low: float
    high: float
    unit: str
    whole_number: bool = False
    allowed: tuple[float, ...] = ()
    # For values that break no protocol rule but cannot be real, e.g. a 120 kg grip.
    over_message: str | None = None
    source: str = PLAUSIBILITY


@dataclass(frozen=True)
class ChangeThreshold:
    """The smallest change worth reporting, as a single value, a published range or two named tiers."""

    name: str
    low: float
    high: float
    unit: str
    source: str
    # NPRS: a relative change this large also counts (Farrar 2001: 2 points or 30%), from a
    # baseline of `relative_from` up: Farrar studied moderate-to-severe pain (issue 16).
    relative: float | None = None
    relative_from: float | None = None
    # Berg: the MDC depends on where the client started.
    baseline_from: float | None = None
    baseline_to: float | None = None
    # Gait speed: Perera's small and substantial changes are both meaningful.
    low_name: str | None = None
    high_name: str | None = None

    def applies_to(self, baseline: float) -> bool:
        if self.baseline_from is None or self.baseline_to is None:
            return True
        return self.baseline_from <= baseline <= self.baseline_to


@dataclass(frozen=True)
class FallRiskCutoff:
    """A fall-risk cut-off. `label` names whose cut-off it is ("CDC STEADI cut-off") and
    `at_risk_when` says plainly which side of it is at risk ("12 s or slower"), so a sentence never
    leaves the reader to work out whether "at or above" is the safe side (issue 16)."""

    threshold: float
    at_risk_if: Literal["at_or_above", "below"]
    label: str
    source: str
    at_risk_when: str
    # What the cut-off is compared with: the score, or the seconds held in tandem stance.
    applies_to: Literal["score", "tandem_stance_seconds"] = "score"
    use_alone: bool = True
    caution: str | None = None


@dataclass(frozen=True)
class MeasureDefinition:
    key: str
    name: str
    short_name: str
    unit: str
    ucum_unit: str
    value_format: str
    higher_is_better: bool
    loinc: tuple[LoincCode, ...]
    protocol_version: str
    protocol: ProtocolText
    protocol_source: str
    equipment: tuple[str, ...]
    input_limits: tuple[InputLimit, ...]
    max_trials: int | None = None
    change_thresholds: tuple[ChangeThreshold, ...] = ()
    fall_risk_cutoffs: tuple[FallRiskCutoff, ...] = ()
    norm_source: str | None = None
    observations: tuple[str, ...] = ()
    # A scale with fixed ends (pain 0-10) is charted on those ends, so one reading of 4 is not
    # drawn on an axis from 3.9 to 4.2 that makes it look like a swing.
    chart_axis: tuple[float, float] | None = None

    def limit(self, field: str) -> InputLimit:
        for limit in self.input_limits:
            if limit.field == field:
                return limit
        raise KeyError(f"{self.key} has no input limit for {field!r}")

    def loinc_for(self, part: str) -> LoincCode | None:
        return next((code for code in self.loinc if code.part == part), None)


TUG = MeasureDefinition(
    key="tug",
    name="Timed Up and Go",
    short_name="TUG",
    unit="s",
    ucum_unit="s",
    value_format="{:.1f} s",
    higher_is_better=False,
    # 89423-8 is one timed trial: each trial goes out with it; the mean of the trials has no code.
    loinc=(
        LoincCode(
            "89423-8",
            "Time to rise from chair, walk 10 feet and back, and return to sitting [TUG]",
            "each trial",
            "s",
            LOINC_TUG,
        ),
    ),
    protocol_version="tug-1",
    protocol=ProtocolText(
        set_up="Armchair against a wall, tape line 3 m (10 ft) from the chair front; client in usual shoes with their usual walking aid.",
        say="\"When I say go, stand up, walk at your normal pace to the line, turn, walk back and sit down again.\"",
        timing="Start on \"go\"; stop when the client is seated with their back against the chair. Watch gait, sway and the turn.",
    ),
    protocol_source=CDC_STEADI_TUG,
    equipment=("Standard armchair", "Tape measure", "Floor tape", "Stopwatch (on the tablet)"),
    input_limits=(InputLimit("trials", "time", 0.5, 300.0, "seconds"),),
    max_trials=3,
    change_thresholds=(
        ChangeThreshold("minimal detectable change", 1.1, 1.1, "s", ALGHADIR_2015),
    ),
    fall_risk_cutoffs=(
        FallRiskCutoff(12.0, "at_or_above", "CDC STEADI cut-off", CDC_STEADI_TUG, "12 s or slower"),
        FallRiskCutoff(
            13.5,
            "at_or_above",
            "Barry 2014 cut-off",
            BARRY_2014,
            "13.5 s or slower",
            use_alone=False,
            caution="low sensitivity: never use it alone to rule fall risk in or out",
        ),
    ),
    norm_source=BOHANNON_2006,
    observations=(
        "Slow, tentative pace",
        "Loss of balance",
        "Short strides",
        "Little or no arm swing",
        "Steadying self on walls",
        "Shuffling",
        "Turning en bloc",
        "Walking aid not used properly",
    ),
)

CHAIR_STAND = MeasureDefinition(
    key="chair_stand_30s",
    name="30-second chair stand",
    short_name="Chair stand",
    unit="stands",
    ucum_unit="{#}",
    value_format="{:.0f} stands",
    higher_is_better=True,
    loinc=(LoincCode("66247-8", "Sit to stand frequency in 30 seconds", "score", "{#}/(30.s)", LOINC_CHAIR_STAND),),
    protocol_version="chair_stand_30s-1",
    protocol=ProtocolText(
        set_up="Chair without arms, seat 17 in (43 cm) high, back against a wall; client sits in the middle, feet flat, arms crossed on the chest.",
        say="\"Keep your arms crossed. On go, stand up all the way and sit down again, as many times as you can in 30 seconds.\"",
        timing="Start the 30 s countdown on \"go\" and count full stands; more than halfway up at 30 s counts; if the arms are used the score is 0.",
    ),
    protocol_source=CDC_STEADI_CHAIR_STAND,
    equipment=("Chair without arms, 17 in (43 cm) seat", "Timer and counter (on the tablet)"),
    input_limits=(InputLimit("count", "count", 0, 60, "stands", whole_number=True),),
    norm_source=CDC_STEADI_CHAIR_STAND,
)

BALANCE_4STAGE = MeasureDefinition(
    key="balance_4stage",
    name="4-stage balance test",
    short_name="4-stage balance",
    unit="stage",
    ucum_unit="{#}",
    value_format="stage {:.0f} of 4",
    higher_is_better=True,
    loinc=(),
    protocol_version="balance_4stage-1",
    protocol=ProtocolText(
        set_up="Clear floor space, no walking aid; stand close beside the client, ready to steady them.",
        say="\"I'll show you four ways to stand. Hold each one without holding on until I say stop.\"",
        timing="Time each stance up to 10 s from when the client lets go; stop if they move their feet or reach for support; go on only after 10 s.",
    ),
    protocol_source=CDC_STEADI_BALANCE,
    equipment=("Clear floor space", "Four 10 s timers (on the tablet)"),
    input_limits=(InputLimit("stage_seconds", "hold time", 0.0, BALANCE_HOLD_SECONDS, "seconds"),),
    max_trials=len(BALANCE_STAGES),
    fall_risk_cutoffs=(
        FallRiskCutoff(
            BALANCE_HOLD_SECONDS,
            "below",
            "CDC STEADI cut-off",
            CDC_STEADI_BALANCE,
            "tandem stance held under 10 s",
            applies_to="tandem_stance_seconds",
        ),
    ),
)

GRIP = MeasureDefinition(
    key="grip",
    name="Grip strength",
    short_name="Grip",
    unit="kg",
    ucum_unit="kg",
    value_format="{:.1f} kg",
    higher_is_better=True,
    loinc=(
        # The mean of one hand's trials, in pounds-force: the terms' unit is [lbf_av], not kg.
        LoincCode("83174-3", "Grip strength Hand - right Dynamometer", "right hand", "[lbf_av]", LOINC_GRIP,
                  (LOINC_NOTICE, NIH_TOOLBOX_NOTICE)),
        LoincCode("83173-5", "Grip strength Hand - left Dynamometer", "left hand", "[lbf_av]", LOINC_GRIP,
                  (LOINC_NOTICE, NIH_TOOLBOX_NOTICE)),
    ),
    protocol_version="grip-1",
    protocol=ProtocolText(
        set_up="Jamar-type dynamometer on handle position 2; client seated, shoulder at the side, elbow bent 90 degrees, forearm neutral.",
        say="\"Squeeze as hard as you can... harder... and let go.\"",
        timing="Three trials per hand, alternating hands with a short rest; enter each reading in kg or lb.",
    ),
    protocol_source=ASHT_GRIP,
    equipment=("Hand dynamometer (Jamar or equivalent), handle position 2", "Chair without arms"),
    input_limits=(
        InputLimit("grip_kg", "grip", 0.0, 100.0, "kg", over_message="grip over 100 kg is not plausible"),
        InputLimit("grip_lb", "grip", 0.0, 220.0, "lb", over_message="grip over 220 lb is not plausible"),
    ),
    max_trials=3,
    change_thresholds=(
        ChangeThreshold("minimal clinically important difference", 5.0, 6.5, "kg", BOHANNON_2019),
    ),
    norm_source=MATHIOWETZ_1985,
)

NPRS = MeasureDefinition(
    key="nprs",
    name="Numeric pain rating scale",
    short_name="Pain",
    unit="points",
    ucum_unit="{score}",
    value_format="{:.0f}/10",
    higher_is_better=False,
    loinc=(LoincCode("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported", "score", "{score}",
                     LOINC_NPRS),),
    protocol_version="nprs-1",
    protocol=ProtocolText(
        set_up="Show the 0-10 number scale on the tablet (no faces).",
        say="\"From 0, no pain, to 10, the worst pain you can imagine: what number is your pain right now?\"",
        timing="No timing; record the number the client chooses, without suggesting one.",
    ),
    protocol_source="standards.md, NPRS row: the client's own 0-10 rating",
    equipment=("0-10 number scale (on the tablet)",),
    input_limits=(InputLimit("rating", "pain rating", 0, 10, "", whole_number=True),),
    change_thresholds=(
        # Farrar 2001: a reduction of about 2 points or 30% is clinically important, in patients with
        # chronic pain of at least 4/10 at baseline; below a baseline of 4, 30% is under 2 points
        # (at 3/10, one point), so there the 2 points alone decide. One point is never enough.
        ChangeThreshold(
            "minimal clinically important difference", 2.0, 2.0, "points", FARRAR_2001, relative=0.30, relative_from=4.0
        ),
    ),
    chart_axis=(0.0, 10.0),
)

SIX_MINUTE_WALK = MeasureDefinition(
    key="six_minute_walk",
    name="6-minute walk test",
    short_name="6-minute walk",
    unit="m",
    ucum_unit="m",
    value_format="{:.0f} m",
    higher_is_better=True,
    loinc=(LoincCode("64098-7", "Walking distance 6 minutes", "score", "m", LOINC_6MW),),
    # -2: the instructions say a lap here is one length, turn to turn (the method is unchanged).
    # -3: the lap length and the last part-lap are entered in feet or metres, chosen on the screen;
    # a 100 ft hallway typed as 100 used to be 100 m (issue 16). The method is unchanged.
    protocol_version="six_minute_walk-3",
    protocol=ProtocolText(
        set_up="Flat, straight hallway with both turning points marked (30 m, 100 ft, is standard); a chair nearby; note the lap length (one length, turn to turn) and whether you measured it in feet or metres.",
        say="\"Walk as far as you can in six minutes, back and forth. You may slow down or rest, and carry on when you can.\"",
        timing="Start the 6:00 countdown as the client sets off; tap each time they reach a turning point (a lap here is one length, not there and back); at 6:00 say stop and measure the last part-lap.",
    ),
    protocol_source=ATS_2002,
    equipment=("Hallway course with marked turning points", "Measuring wheel or tape", "Chair", "Countdown and lap counter (on the tablet)"),
    input_limits=(
        InputLimit("laps", "laps", 0, 1000, "laps", whole_number=True),
        InputLimit("lap_length_m", "lap length", 1.0, 100.0, "m"),
        InputLimit("lap_length_ft", "lap length", 3.3, 328.0, "ft", source=FEET_LIMITS),
        InputLimit("extra_m", "extra distance", 0.0, 100.0, "m"),
        InputLimit("extra_ft", "extra distance", 0.0, 328.0, "ft", source=FEET_LIMITS),
        InputLimit(
            "distance_m",
            "distance",
            0.0,
            1000.0,
            "m",
            over_message="a distance over 1000 m in six minutes is not plausible",
        ),
    ),
    change_thresholds=(
        ChangeThreshold("minimal clinically important difference", 14.0, 30.5, "m", BOHANNON_CROUCH_2017),
    ),
)

GAIT_SPEED = MeasureDefinition(
    key="gait_speed",
    name="Gait speed (usual pace)",
    short_name="Gait speed",
    unit="m/s",
    ucum_unit="m/s",
    value_format="{:.2f} m/s",
    higher_is_better=True,
    # No code: 83172-7 is the NIH Toolbox 4 m walk, the better of two trials from a standing start
    # (LOINC_GAIT_SPEED); ours is the mean of up to three trials with a walking start, over 4 m or
    # 10 m, which that term does not describe (issue 16).
    loinc=(),
    protocol_version="gait_speed-1",
    protocol=ProtocolText(
        set_up="Mark a 4 m or 10 m course with about 2 m of free space before and after it.",
        say="\"Walk at your usual pace until I say stop, past the far line.\"",
        timing="Start when the first foot crosses the start line; stop when the first foot crosses the finish line.",
    ),
    protocol_source="standards.md, gait speed row: usual pace over a measured course",
    equipment=("Measured 4 m or 10 m course", "Floor tape", "Stopwatch (on the tablet)"),
    input_limits=(
        InputLimit("course_m", "course", 4.0, 10.0, "m", allowed=(4.0, 10.0)),
        InputLimit("trials", "time", 0.5, 120.0, "seconds"),
    ),
    max_trials=3,
    change_thresholds=(
        ChangeThreshold(
            "meaningful change",
            0.05,
            0.10,
            "m/s",
            PERERA_2006,
            low_name="small meaningful change",
            high_name="substantial meaningful change",
        ),
    ),
)

BERG = MeasureDefinition(
    key="berg",
    name="Berg Balance Scale",
    short_name="Berg",
    unit="points",
    ucum_unit="{score}",
    value_format="{:.0f}/56",
    higher_is_better=True,
    loinc=(),
    protocol_version="berg-1",
    protocol=ProtocolText(
        set_up="Two chairs (one with arms), a step or stool, a ruler, a slipper to pick up, and room to turn a full circle.",
        say="Show each task and give its instruction; ask the client to keep their balance without holding on.",
        timing="Score each of the 14 tasks 0-4 as the lowest level that applies; time the held positions with the stopwatch.",
    ),
    protocol_source="Berg Balance Scale (Berg KO et al.), free to use (standards.md)",
    equipment=("Chair with arms", "Chair without arms", "Step or stool", "Ruler", "Slipper or shoe", "Stopwatch (on the tablet)"),
    input_limits=(InputLimit("items", "item score", 0, 4, "", whole_number=True),),
    # Donoghue & Stokes 2009: MDC95 of 4 for a baseline of 45-56, 5 for 35-44, 7 for 25-34, 5 for 0-24.
    change_thresholds=(
        ChangeThreshold("minimal detectable change", 4, 4, "points", DONOGHUE_STOKES_2009, baseline_from=45, baseline_to=56),
        ChangeThreshold("minimal detectable change", 5, 5, "points", DONOGHUE_STOKES_2009, baseline_from=35, baseline_to=44),
        ChangeThreshold("minimal detectable change", 7, 7, "points", DONOGHUE_STOKES_2009, baseline_from=25, baseline_to=34),
        ChangeThreshold("minimal detectable change", 5, 5, "points", DONOGHUE_STOKES_2009, baseline_from=0, baseline_to=24),
    ),
    fall_risk_cutoffs=(FallRiskCutoff(45, "below", "common Berg cut-off", BERG_CUTOFF, "under 45 points"),),
)

LEFS = MeasureDefinition(
    key="lefs",
    name="Lower Extremity Functional Scale",
    short_name="LEFS",
    unit="points",
    ucum_unit="{score}",
    value_format="{:.0f}/80",
    higher_is_better=True,
    loinc=(),
    # -2: the instructions, question, answers and activities are Binkley 1999's own words again; the
    # reworded ones of -1 broke comparability with the published MCID (issue 16).
    protocol_version="lefs-2",
    protocol=ProtocolText(
        set_up="Hand the tablet to the client, or read the instructions and each activity aloud, word for word, and tap their answer.",
        say="\"Today, do you or would you have any difficulty at all with:\" and then each activity as written.",
        timing="No timing; all 20 activities must be answered, from 0 (extreme difficulty or unable to perform activity) to 4 (no difficulty).",
    ),
    protocol_source=BINKLEY_1999,
    equipment=("Tablet",),
    input_limits=(InputLimit("items", "item score", 0, 4, "", whole_number=True),),
    change_thresholds=(
        ChangeThreshold("minimal clinically important difference", 9, 9, "points", BINKLEY_1999),
    ),
)

MEASURES: dict[str, MeasureDefinition] = {
    measure.key: measure
    for measure in (TUG, CHAIR_STAND, BALANCE_4STAGE, GRIP, NPRS, SIX_MINUTE_WALK, GAIT_SPEED, BERG, LEFS)
}


@dataclass(frozen=True)
class AgeBand:
    low: int
    high: int | None  # None: this age and over

    def contains(self, age: int) -> bool:
        return age >= self.low and (self.high is None or age <= self.high)

    @property
    def label(self) -> str:
        return f"{self.low}+" if self.high is None else f"{self.low}-{self.high}"


@dataclass(frozen=True)
class TugAgeMean:
    ages: AgeBand
    mean_s: float
    ci_low_s: float
    ci_high_s: float
    source: str = BOHANNON_2006


@dataclass(frozen=True)
class ChairStandBelowAverage:
    """A count under `below` is below average for this age and sex."""

    ages: AgeBand
    sex: Sex
    below: int
    source: str = CDC_STEADI_CHAIR_STAND


@dataclass(frozen=True)
class GripNorm:
    """Mean of three trials in pounds, by hand."""

    ages: AgeBand
    sex: Sex
    right_lb: float
    left_lb: float
    source: str = MATHIOWETZ_1985


# Bohannon 2006 (meta-analysis): mean and 95% confidence interval by age band; a time is worse
# than the norm only above the interval's upper limit (60-69 9.0 s, 70-79 10.2 s, 80-99 12.7 s).
TUG_AGE_MEANS = (
    TugAgeMean(AgeBand(60, 69), 8.1, 7.1, 9.0),
    TugAgeMean(AgeBand(70, 79), 9.2, 8.2, 10.2),
    TugAgeMean(AgeBand(80, 99), 11.3, 10.0, 12.7),
)

CHAIR_STAND_BELOW_AVERAGE = (
    ChairStandBelowAverage(AgeBand(60, 64), "male", 14),
    ChairStandBelowAverage(AgeBand(60, 64), "female", 12),
    ChairStandBelowAverage(AgeBand(65, 69), "male", 12),
    ChairStandBelowAverage(AgeBand(65, 69), "female", 11),
    ChairStandBelowAverage(AgeBand(70, 74), "male", 12),
    ChairStandBelowAverage(AgeBand(70, 74), "female", 10),
    ChairStandBelowAverage(AgeBand(75, 79), "male", 11),
    ChairStandBelowAverage(AgeBand(75, 79), "female", 10),
    ChairStandBelowAverage(AgeBand(80, 84), "male", 10),
    ChairStandBelowAverage(AgeBand(80, 84), "female", 9),
    ChairStandBelowAverage(AgeBand(85, 89), "male", 8),
    ChairStandBelowAverage(AgeBand(85, 89), "female", 8),
    ChairStandBelowAverage(AgeBand(90, 94), "male", 7),
    ChairStandBelowAverage(AgeBand(90, 94), "female", 4),
)

GRIP_NORMS = (
    GripNorm(AgeBand(20, 24), "male", 121.0, 104.5),
    GripNorm(AgeBand(20, 24), "female", 70.4, 61.0),
    GripNorm(AgeBand(25, 29), "male", 120.8, 110.5),
    GripNorm(AgeBand(25, 29), "female", 74.5, 63.5),
    GripNorm(AgeBand(30, 34), "male", 121.8, 110.4),
    GripNorm(AgeBand(30, 34), "female", 78.7, 68.0),
    GripNorm(AgeBand(35, 39), "male", 119.7, 112.9),
    GripNorm(AgeBand(35, 39), "female", 74.1, 66.3),
    GripNorm(AgeBand(40, 44), "male", 116.8, 112.8),
    GripNorm(AgeBand(40, 44), "female", 70.4, 62.3),
    GripNorm(AgeBand(45, 49), "male", 109.9, 100.8),
    GripNorm(AgeBand(45, 49), "female", 62.2, 56.0),
    GripNorm(AgeBand(50, 54), "male", 113.6, 101.9),
    GripNorm(AgeBand(50, 54), "female", 65.8, 57.3),
    GripNorm(AgeBand(55, 59), "male", 101.1, 83.2),
    GripNorm(AgeBand(55, 59), "female", 57.3, 47.3),
    GripNorm(AgeBand(60, 64), "male", 89.7, 76.8),
    GripNorm(AgeBand(60, 64), "female", 55.1, 45.7),
    GripNorm(AgeBand(65, 69), "male", 91.1, 76.8),
    GripNorm(AgeBand(65, 69), "female", 49.6, 41.0),
    GripNorm(AgeBand(70, 74), "male", 75.3, 64.8),
    GripNorm(AgeBand(70, 74), "female", 49.6, 41.5),
    GripNorm(AgeBand(75, None), "male", 65.7, 55.0),
    GripNorm(AgeBand(75, None), "female", 42.6, 37.6),
)

# What the client walked with: the CDC STEADI TUG form asks for it, because an aid changes the
# time, so results are compared fairly only with the same aid. Recorded for the walking tests.
WALKING_AIDS = (
    ("none", "No aid"),
    ("cane", "Cane"),
    ("quad_cane", "Quad cane"),
    ("walker", "Walker"),
    ("rollator", "Rollator"),
    ("other", "Other aid"),
)
WALKING_AID_MEASURES = frozenset({"tug", "gait_speed", "six_minute_walk"})

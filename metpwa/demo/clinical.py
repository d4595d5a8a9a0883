"""The demo practice's clinical records: baseline assessments, re-assessments and Plans of Exercise."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import Assessment, Client, Exercise, User
from ..rules import plan as plan_rules
from ..services import assessments, plans
from . import measures


@dataclass(frozen=True)
class Progress:
    """Baseline readings and, when the client has been coming long enough, the re-assessment."""

    rom: tuple[tuple[str, str, float, float], ...] = ()  # motion, side, baseline degrees, re-assessed degrees
    strength: tuple[tuple[str, str, str, str], ...] = ()  # muscle group, side, baseline grade, re-assessed grade
    grip_kg: tuple[float, float] | None = None
    screen: tuple[tuple[str, str, str, str], ...] = ()  # region, side, result, observation
    posture: tuple[str, ...] = ()
    limitations: str = ""
    goals: tuple[tuple[str, str, str, str, float, int], ...] = ()  # description, target, side, direction, value, week
    exercises: tuple[tuple[str, int, int | None, int | None, float | None], ...] = ()  # slug, sets, reps, secs, kg
    change: tuple[str, tuple[str, ...]] | None = None  # a second plan version: reason, slugs added
    extras: dict = field(default_factory=dict)


STAIRS = "Get up and down the stairs at home with one rail, foot over foot"
CHAIR = "Stand up from a dining chair and walk to the door without help"

PROGRESS: dict[str, Progress] = {
    "Ellison": Progress(
        rom=(("knee.flexion", "right", 95, 118), ("knee.extension", "right", -8, -3), ("knee.flexion", "left", 132, 134)),
        strength=(("knee_extensors", "right", "3+", "4"), ("hip_abductors", "right", "4-", "4")),
        screen=(("knee", "right", "painful", "Stairs: leads with the left leg and needs the rail; pain 5/10 on the step up"),
                ("hip", "right", "limited", "Single-leg stance on the right held 3 s")),
        posture=("forward_head",), limitations="“I can't get up the stairs to my bedroom without stopping.”",
        goals=((CHAIR, "measure:tug", "na", "below", 12, 8), (STAIRS, "rom:knee.flexion", "right", "above", 115, 8)),
        exercises=(("sit-to-stand", 3, 10, None, None), ("heel-slide", 2, 15, None, None),
                   ("step-up", 2, 8, None, None), ("heel-raise", 2, 12, None, None),
                   ("tandem-stance", 3, None, 20, None), ("standing-marching", 2, None, 45, None)),
        change=("Knee flexion goal met at re-assessment; progress stairs and single-leg balance",
                ("forward-step-down",)),
    ),
    "Brooks": Progress(
        rom=(("ankle.dorsiflexion", "right", 8, 12), ("ankle.dorsiflexion", "left", 10, 13)),
        strength=(("hip_abductors", "right", "3+", "4-"), ("hip_abductors", "left", "4-", "4"),
                  ("ankle_dorsiflexors", "right", "4-", "4")),
        grip_kg=(26.0, 28.5),
        screen=(("ankle_foot", "both", "limited", "Sways in tandem stance and steps out at 4 s"),),
        posture=("increased_kyphosis", "forward_head"), limitations="“I'm afraid of falling in the shower.”",
        goals=(("Walk in the store without holding the cart", "measure:tug", "na", "below", 12, 10),
               ("Stand from a chair five times without using the arms", "measure:chair_stand_30s", "na", "above", 10, 10)),
        exercises=(("sit-to-stand", 3, 8, None, None), ("side-stepping", 2, 10, None, None),
                   ("tandem-stance", 3, None, 15, None), ("heel-to-toe-walk", 3, None, 30, None),
                   ("band-ankle-dorsiflexion", 2, 15, None, None)),
    ),
    "Castillo": Progress(
        rom=(("hip.flexion", "right", 100, 112), ("hip.flexion", "left", 104, 114)),
        strength=(("trunk_extensors", "na", "3+", "4"), ("hip_extensors", "right", "4-", "4")),
        screen=(("lumbar", "na", "painful", "Bending to lift a 10 lb box from the floor brings on low-back pain 6/10"),),
        posture=("increased_lordosis", "anterior_pelvic_tilt"),
        limitations="“I can't lift the laundry basket or stand to cook for long.”",
        goals=(("Lift a 15 lb laundry basket from the floor to the counter", "strength:hip_extensors", "right",
                "above", 20, 8),
               ("Stand at the stove for 20 minutes with pain at most 2 of 10", "measure:nprs", "na", "below", 3, 8)),
        exercises=(("bridge", 3, 12, None, None), ("bird-dog", 2, 10, None, None), ("dead-bug", 2, 10, None, None),
                   ("romanian-deadlift", 2, 10, None, 6.0), ("band-row", 3, 12, None, None)),
    ),
    "Nguyen": Progress(
        rom=(("shoulder.flexion", "right", 150, 162), ("shoulder.flexion", "left", 155, 164)),
        strength=(("hip_extensors", "right", "4-", "4"), ("hip_flexors", "left", "4", "4")),
        screen=(("hip", "both", "limited", "Short, shuffling steps; turning 180° takes 6 steps"),),
        posture=("increased_kyphosis", "forward_head", "rounded_shoulders"),
        limitations="“My feet feel stuck when I turn around in the kitchen.”",
        goals=(("Walk a block at a steady pace with long steps", "measure:gait_speed", "na", "above", 1.0, 8),
               ("Turn around in the kitchen without freezing", "measure:tug", "na", "below", 11, 8)),
        exercises=(("standing-marching", 3, None, 30, None), ("side-stepping", 2, 12, None, None),
                   ("obstacle-stepping", 2, 8, None, None), ("sit-to-stand", 3, 10, None, None)),
    ),
    "Park": Progress(
        rom=(("shoulder.flexion", "right", 140, 150), ("wrist.extension", "left", 55, 62)),
        strength=(("knee_extensors", "right", "4-", "4"), ("knee_extensors", "left", "4-", "4")),
        grip_kg=(16.0, 17.5),
        screen=(("wrist_hand", "left", "limited", "Cannot open a jar lid; pushing up from a chair uses the right hand"),),
        posture=("increased_kyphosis",), limitations="“I don't carry my groceries anymore; my son does.”",
        goals=(("Carry two light grocery bags from the car", "measure:grip", "left", "above", 19, 10),
               ("Stand from a chair with arms crossed", "measure:chair_stand_30s", "na", "above", 9, 10)),
        exercises=(("sit-to-stand", 2, 8, None, None), ("wall-push-up", 2, 10, None, None),
                   ("farmer-carry", 3, None, 30, 2.0), ("heel-raise", 2, 12, None, None)),
    ),
    "O'Connor": Progress(
        rom=(("shoulder.flexion", "right", 120, 138), ("ankle.dorsiflexion", "right", 5, 10)),
        strength=(("shoulder_flexors", "right", "3", "3+"), ("knee_extensors", "right", "3+", "4-"),
                  ("ankle_dorsiflexors", "right", "3", "3+")),
        grip_kg=(22.0, 26.0),
        screen=(("shoulder", "right", "limited", "Reaching to a high shelf stops at shoulder height"),
                ("ankle_foot", "right", "limited", "Toes catch the floor when tired")),
        limitations="“My right side gives out after a few holes of golf.”",
        goals=(("Walk nine holes of a golf course", "measure:six_minute_walk", "na", "above", 400, 12),
               ("Reach the top kitchen shelf with the right hand", "rom:shoulder.flexion", "right", "above", 150, 12)),
        exercises=(("band-row", 3, 10, None, None), ("step-up", 2, 8, None, None),
                   ("band-ankle-dorsiflexion", 2, 15, None, None), ("heel-to-toe-walk", 3, None, 30, None),
                   ("sit-to-stand", 3, 10, None, None)),
    ),
    "Washington": Progress(
        strength=(("knee_extensors", "right", "4-", "4"), ("knee_extensors", "left", "4-", "4")),
        screen=(("hip", "both", "no_limitation", ""),),
        posture=("forward_head", "rounded_shoulders"), limitations="“I get winded walking to the mailbox.”",
        goals=(("Walk to the mailbox and back without stopping to rest", "measure:six_minute_walk", "na", "above",
                300, 10),),
        exercises=(("treadmill-walking", 1, None, 600, None), ("sit-to-stand", 2, 8, None, None),
                   ("band-row", 2, 12, None, None), ("seated-marching", 2, None, 60, None)),
    ),
    "Feldman": Progress(
        rom=(("shoulder.flexion", "right", 150, 165), ("shoulder.external_rotation", "right", 65, 80)),
        strength=(("shoulder_external_rotators", "right", "4-", "4+"),),
        screen=(("shoulder", "right", "painful", "Overhead reach brings on pain 3/10 at the end of the motion"),),
        goals=(("Swim freestyle for 20 minutes", "rom:shoulder.flexion", "right", "above", 170, 8),),
        exercises=(("band-external-rotation", 3, 12, None, None), ("band-pull-apart", 3, 12, None, None),
                   ("wall-slide", 2, 10, None, None)),
    ),
    "Kowalski": Progress(
        rom=(("knee.flexion", "right", 118, 125), ("knee.flexion", "left", 112, 120)),
        strength=(("knee_extensors", "right", "4-", "4"), ("knee_extensors", "left", "4-", "4")),
        screen=(("knee", "both", "painful", "Squat to a chair brings on knee pain 5/10"),),
        posture=("knee_valgus",), limitations="“Stairs hurt both knees, especially going down.”",
        goals=((STAIRS, "measure:lefs", "na", "above", 55, 10),),
        exercises=(("sit-to-stand", 3, 10, None, None), ("step-up", 2, 10, None, None),
                   ("bridge", 3, 12, None, None), ("stationary-bike", 1, None, 900, None)),
    ),
    "Kim": Progress(
        rom=(("knee.flexion", "right", 128, 138),),
        strength=(("knee_extensors", "right", "4", "4+"), ("hip_abductors", "right", "4", "5")),
        screen=(("knee", "right", "limited", "Single-leg hop on the right lands with the knee drifting in"),),
        goals=(("Run and cut in a soccer drill without the knee drifting in", "strength:knee_extensors", "right",
                "above", 35, 10),),
        exercises=(("lateral-step-up", 3, 10, None, None), ("single-leg-bridge", 3, 10, None, None),
                   ("lateral-band-walk", 3, 12, None, None), ("forward-step-down", 3, 8, None, None)),
    ),
}


def seed_clinical(client: Client, trainer: User, joined: datetime, weeks: int) -> None:
    """Baseline a day after joining; a re-assessment four weeks later for those who have been
    coming that long; the plan from the baseline, changed once where the story says so."""
    progress = PROGRESS.get(client.last_name)
    if progress is None:
        return
    _assessment(client, trainer, joined + timedelta(days=1), progress, later=False)
    # Outcome results before the plan, so its measure goals start from the first result.
    measures.seed_results(client, trainer, joined, weeks)
    first = _plan(client, trainer, progress, joined + timedelta(days=1), reason=None, extra=())
    plans.sign(trainer, first, client, at=first.created_at + timedelta(hours=1))
    if weeks >= 6:
        _assessment(client, trainer, joined + timedelta(weeks=4), progress, later=True)
        if progress.change:
            reason, extra = progress.change
            # Left as a draft: the chart shows a version waiting for its signature.
            _plan(client, trainer, progress, joined + timedelta(weeks=4, days=1), reason=reason, extra=extra,
                  previous=first.version)


def _assessment(client: Client, trainer: User, when: datetime, progress: Progress, *, later: bool) -> Assessment:
    # The day in the practice's zone: an evening assessment in Chicago is already tomorrow in UTC.
    assessment = assessments.start(trainer, client, when.astimezone(client.practice.zone).date())
    for motion, side, before, after in progress.rom:
        assessments.add_rom(trainer, assessment, motion=motion, side=side, mode="active",
                            degrees=str(after if later else before))
    for group, side, before, after in progress.strength:
        assessments.add_strength(trainer, assessment, muscle_group=group, side=side, grade=after if later else before)
    if progress.grip_kg:
        assessments.add_strength(trainer, assessment, muscle_group="grip", side="right",
                                 dynamometer_kg=str(progress.grip_kg[1 if later else 0]))
    if not later:
        for region, side, result, observation in progress.screen:
            assessments.add_screen(trainer, assessment, region=region, side=side, result=result,
                                   observation=observation, overrides=[])
        for deviation in progress.posture:
            assessments.toggle_posture(trainer, assessment, deviation=deviation, side="na")
        assessments.save_text(trainer, assessment, functional_limitations=progress.limitations, notes="",
                              overrides=[])
    assessment.created_at = when
    assessments.sign(trainer, assessment, client, signed_at=when + timedelta(hours=1))
    return assessment


def _plan(client: Client, trainer: User, progress: Progress, when: datetime, *, reason: str | None,
          extra: tuple[str, ...], previous: int | None = None):
    ids = dict(db.session.execute(select(Exercise.slug, Exercise.id).where(Exercise.practice_id == client.practice_id)).all())
    day = when.astimezone(client.practice.zone).date()
    form: dict[str, str] = {
        "starts_on": f"{day:%m/%d/%Y}", "review_on": f"{day + timedelta(weeks=4):%m/%d/%Y}",
        "frequency_per_week": "2", "duration_weeks": str(max(g[5] for g in progress.goals)),
    }
    if reason:
        form["reason"] = reason
    for n, (description, target, side, direction, value, week) in enumerate(progress.goals):
        form |= {f"goals-{n}-description": description, f"goals-{n}-target": target, f"goals-{n}-side": side,
                 f"goals-{n}-direction": direction, f"goals-{n}-target_value": f"{value:g}",
                 f"goals-{n}-by_week": str(week)}
    rows = list(progress.exercises) + [(slug, 2, 8, None, None) for slug in extra]
    for n, (slug, sets, reps, seconds, kg) in enumerate(rows):
        form |= {f"exercises-{n}-exercise_id": str(ids[slug]), f"exercises-{n}-sets": str(sets),
                 f"exercises-{n}-reps": str(reps or ""), f"exercises-{n}-seconds": str(seconds or ""),
                 f"exercises-{n}-load": f"{kg:g}" if kg else "", f"exercises-{n}-load_unit": "kg" if kg else "",
                 f"exercises-{n}-intensity_kind": "rpe", f"exercises-{n}-intensity_value": "5",
                 f"exercises-{n}-rest_seconds": "60",
                 f"exercises-{n}-progression": "Add 2 reps, then a set, when the last set feels RPE 6 or easier"}
    parsed = plan_rules.parse_plan(form, exercises=plans.exercise_infos(client.practice_id), today=day,
                                   previous_version=previous)
    assert parsed.ok, (client.last_name, parsed.errors)
    return plans.save_version(trainer, client, parsed, based_on_version=previous, scope_overrides=[],
                              at=when + timedelta(hours=2))

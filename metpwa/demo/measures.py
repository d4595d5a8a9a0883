"""The demo practice's outcome measure results: each client tested at the baseline and every two
weeks since, so trends, plan goal statuses and the chart cards tell the same story as their notes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..models import Client, User, utcnow
from ..services import measures
from ..standards.measures import M_PER_FT
from ..standards.questionnaires import QUESTIONNAIRES

EVERY = timedelta(weeks=2)
# The practice's hallway, measured in feet as US practices do: 100 ft turn to turn.
LAP_FT = 100


@dataclass(frozen=True)
class Tested:
    """A client's results by measure: one value per test day (baseline, week 2, week 4, ...); None
    where that test was not run. Only the days already past are recorded."""

    series: dict[str, tuple]
    aid: str = "none"
    # What the trainer saw in the first Timed Up and Go; each later test shows one fewer.
    tug_seen: tuple[str, ...] = ()
    gait_course_m: int = 4


TESTED: dict[str, Tested] = {
    # Right knee replacement: the TUG the brief follows, about 20 s toward 14 s over eight weeks.
    "Ellison": Tested({
        "tug": (20.2, 18.6, 16.9, 15.3, 14.0),
        "chair_stand_30s": (6, 7, 8, 9, 10),
        "gait_speed": (0.62, 0.70, 0.78, 0.85, 0.91),
        "nprs": (5, 4, 4, 3, 2),
    }, aid="cane", tug_seen=("Slow, tentative pace", "Short strides", "Steadying self on walls")),
    # Two falls: balance and the TUG improve, still short of the fall-risk cut-offs' safe side.
    "Brooks": Tested({
        "tug": (16.8, 15.1, 13.9, 12.9),
        "chair_stand_30s": (7, 8, 9, 10),
        "balance_4stage": ((2, 4.0), (2, 6.5), (2, 9.0), (3, 2.5)),
        "berg": (41, 43, 46, 48),
        "grip": ((26.0, 24.0), None, (28.5, 26.0)),
    }, aid="cane", tug_seen=("Loss of balance", "Turning en bloc", "Steadying self on walls")),
    "Castillo": Tested({
        "nprs": (6, 5, 4, 3),
        "chair_stand_30s": (10, 11, 12, 13),
    }),
    # Parkinson disease: faster, longer steps; turning still slow.
    "Nguyen": Tested({
        "gait_speed": (0.78, 0.83, 0.88, 0.94, 0.98),
        "tug": (13.2, 12.6, 12.0, 11.6, 11.2),
        "berg": (44, None, 47, None, 49),
    }, tug_seen=("Shuffling", "Turning en bloc", "Short strides", "Little or no arm swing")),
    # Osteoporosis and a walker: the left hand's grip is the goal.
    "Park": Tested({
        "grip": ((16.0, 13.5), (16.8, 15.0), (17.5, 16.2)),
        "chair_stand_30s": (6, 7, 8),
        "tug": (22.4, 20.9, 19.6),
        "balance_4stage": ((1, 6.0), None, (2, 3.0)),
    }, aid="walker", tug_seen=("Slow, tentative pace", "Short strides")),
    # After a stroke: walking endurance toward nine holes of golf, on a 10 m gait course.
    "O'Connor": Tested({
        "six_minute_walk": (285, 305, 330),
        "gait_speed": (0.72, 0.79, 0.86),
        "tug": (15.2, 14.1, 13.0),
    }, aid="cane", tug_seen=("Short strides", "Walking aid not used properly"), gait_course_m=10),
    # COPD: the 6-minute walk passes the 300 m goal at week 8.
    "Washington": Tested({
        "six_minute_walk": (210, 236, 259, 281, 302, 318),
        "chair_stand_30s": (8, 9, 9, 10, 11, 11),
    }),
    "Feldman": Tested({
        "nprs": (3, 2),
        "grip": ((38.0, 40.5), (40.0, 41.0)),
    }),
    "Kowalski": Tested({
        "lefs": (38, 42, 47, 51),
        "nprs": (6, 5, 5, 4),
        "chair_stand_30s": (9, 10, 11, 12),
    }),
    "Kim": Tested({
        "lefs": (56, 63),
        "nprs": (2, 1),
    }),
}


def seed_results(client: Client, trainer: User, joined: datetime, weeks: int) -> None:
    """Every test day from the day after joining, two weeks apart, up to today."""
    tested = TESTED.get(client.last_name)
    if tested is None:
        return
    first = joined + timedelta(days=1, minutes=30)
    now = utcnow()
    for key, values in tested.series.items():
        for day, value in enumerate(values):
            performed_at = first + day * EVERY
            if value is None or performed_at > now:
                continue
            seen = tested.tug_seen[:len(tested.tug_seen) - day] if key == "tug" else ()
            measures.record(
                trainer, client, key, _raw(key, value, tested), idempotency_key=str(uuid.uuid4()),
                performed_at=performed_at, entered_at=performed_at + timedelta(minutes=2),
                walking_aid=tested.aid, observations=seen,
            )


def _raw(key: str, value, tested: Tested) -> dict[str, object]:
    """What the trainer would have entered for a result of this value."""
    if key == "tug":
        # Three trials around the value, whose mean is the value.
        return {"trials": [round(value + spread, 2) for spread in (0.4, -0.3, -0.1)]}
    if key == "gait_speed":
        seconds = round(tested.gait_course_m / value, 2)
        return {"course_m": tested.gait_course_m, "trials": [round(seconds + 0.12, 2), round(seconds - 0.12, 2)]}
    if key == "chair_stand_30s":
        return {"count": value, "arms_used": False}
    if key == "balance_4stage":
        held_full, next_stance = value
        return {"stage_seconds": [10.0] * held_full + [next_stance]}
    if key == "grip":
        right, left = value
        return {"unit": "kg", "right": [right - 0.5, right + 0.5, right], "left": [left + 0.5, left - 0.5, left]}
    if key == "nprs":
        return {"rating": value}
    if key == "six_minute_walk":
        feet = value / M_PER_FT
        laps = int(feet // LAP_FT)
        return {"laps": laps, "length_unit": "ft", "lap_length": LAP_FT, "extra": round(feet - laps * LAP_FT, 1)}
    return {"items": _items(value, len(QUESTIONNAIRES[key].items))}


def _items(total: int, count: int) -> list[int]:
    """Item points (0-4) adding up to the total, the harder items scored lower."""
    base, extra = divmod(total, count)
    return [base + 1] * extra + [base] * (count - extra)

"""The one rule every cut-off, norm, goal and meaningful-change judgement goes through: a value is
rounded once, half up, to the precision it is shown at, and that shown value is compared with the
reference.

Why one rule (issue 16): a TUG of [11.95, 11.95, 11.94] s was rounded twice (to 11.95, then to
12.0 s) and judged at fall risk, while the plan judged the raw 11.95 s "goal met"; and a result
exactly at a goal was "reached" on the result and "not met" on the plan. A reader sees the shown
number, so the shown number is what is judged, the same way on the result, the chart, the plan and
the report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

# "below" and "above" are strict: a goal worded "below 12 s" is not met at 12.0 s.
Relation = Literal["below", "at_or_below", "above", "at_or_above"]

_PLACES = re.compile(r"\{:\.(\d+)f\}")


def places_of(value_format: str) -> int | None:
    """The decimals a format shows ("{:.1f} s" shows 1); None when it does not fix them."""
    found = _PLACES.search(value_format)
    return int(found.group(1)) if found else None


def as_shown(value: float | Decimal, places: int | None) -> float:
    """The value at the precision it is shown, rounded half up from its decimal digits: 11.95 shows
    as 12.0 and 9.25 as 9.3 (formatting the float would give 11.9 and 9.2)."""
    if places is None:
        return float(value)
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def mean_as_shown(values: Iterable[float], places: int | None) -> float:
    """The mean of readings, computed from their decimal digits and rounded once: [11.95, 11.95,
    11.94] is 11.9466..., shown and judged as 11.9 (rounding to hundredths first gave 12.0)."""
    readings = [Decimal(str(value)) for value in values]
    return as_shown(sum(readings, Decimal(0)) / len(readings), places)


def meets(value: float, relation: Relation, reference: float, *, places: int | None) -> bool:
    """Whether the value, as shown, stands in `relation` to the reference."""
    shown = as_shown(value, places)
    if relation == "below":
        return shown < reference
    if relation == "at_or_below":
        return shown <= reference
    if relation == "above":
        return shown > reference
    return shown >= reference

"""The 8-minute rule: units for a day's timed codes from their documented minutes, by the CMS
total-time method or per code ("substantial portion"), and one unit for each untimed code.

CMS (Claims Processing Manual 100-04 ch. 5 sec. 20.2): the day's total timed minutes give the total
units (8-22 minutes one unit, 23-37 two, ...). Each full 15 minutes of a code earns that code a
unit; the units left over go, one each, to the codes with the most minutes left over. A lone timed
service under 8 minutes is not billed. Per code: each code's minutes are counted on their own, a
unit once more than half of 15 minutes is reached.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from metpwa.standards.billing import MIDPOINT_MINUTES, UNIT_MINUTES, UnitMethod, procedure


class UnitInputError(ValueError):
    """Minutes that cannot be billed from: negative, or a code listed twice."""


@dataclass(frozen=True)
class CodeUnits:
    code: str
    minutes: int
    units: int
    timed: bool = True


@dataclass(frozen=True)
class UnitResult:
    method: UnitMethod
    # In the order the codes were given; a code with no units is kept (units 0) so a screen can say why.
    codes: tuple[CodeUnits, ...]
    total_timed_minutes: int

    @property
    def total_units(self) -> int:
        return sum(line.units for line in self.codes)

    @property
    def billed(self) -> tuple[CodeUnits, ...]:
        return tuple(line for line in self.codes if line.units > 0)

    @property
    def not_billed(self) -> tuple[CodeUnits, ...]:
        return tuple(line for line in self.codes if line.units == 0)

    def units_for(self, code: str) -> int:
        return sum(line.units for line in self.codes if line.code == code)


def units_for_minutes(minutes: int) -> int:
    """Units for a number of timed minutes: 0 below 8, then one more at every 15 (23, 38, 53...)."""
    if minutes < MIDPOINT_MINUTES:
        return 0
    return (minutes - MIDPOINT_MINUTES) // UNIT_MINUTES + 1


def _checked(minutes: Mapping[str, int] | Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    pairs = list(minutes.items()) if isinstance(minutes, Mapping) else list(minutes)
    seen: set[str] = set()
    for code, value in pairs:
        if code in seen:
            raise UnitInputError(f"{code} is listed twice: add its minutes together first")
        seen.add(code)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise UnitInputError(f"minutes for {code} must be a whole number of 0 or more")
    return pairs


def cms_total_time(minutes: Mapping[str, int] | Iterable[tuple[str, int]]) -> UnitResult:
    """Timed codes' units by the CMS method. Ties for a left-over unit go to the code with more
    minutes in all, then to the one listed first (CMS: either may be billed)."""
    pairs = _checked(minutes)
    total = sum(value for _, value in pairs)
    units = {code: value // UNIT_MINUTES for code, value in pairs}
    left_over = units_for_minutes(total) - sum(units.values())
    order = sorted(
        range(len(pairs)),
        key=lambda i: (-(pairs[i][1] % UNIT_MINUTES), -pairs[i][1], i),
    )
    for i in order[:left_over]:
        units[pairs[i][0]] += 1
    return UnitResult(
        method=UnitMethod.CMS_TOTAL_TIME,
        codes=tuple(CodeUnits(code, value, units[code]) for code, value in pairs),
        total_timed_minutes=total,
    )


def substantial_portion(minutes: Mapping[str, int] | Iterable[tuple[str, int]]) -> UnitResult:
    """Timed codes' units, each code on its own: a unit at 8 minutes, another at 23, 38, ..."""
    pairs = _checked(minutes)
    return UnitResult(
        method=UnitMethod.SUBSTANTIAL_PORTION,
        codes=tuple(CodeUnits(code, value, units_for_minutes(value)) for code, value in pairs),
        total_timed_minutes=sum(value for _, value in pairs),
    )


def timed_units(minutes: Mapping[str, int] | Iterable[tuple[str, int]], method: UnitMethod | str) -> UnitResult:
    method = UnitMethod(method)
    if method is UnitMethod.CMS_TOTAL_TIME:
        return cms_total_time(minutes)
    return substantial_portion(minutes)


def session_units(
    minutes: Mapping[str, int] | Iterable[tuple[str, int]],
    method: UnitMethod | str,
    untimed: Iterable[str] = (),
) -> UnitResult:
    """A day's codes and units: timed codes (those standards.billing marks timed) by the method,
    each untimed code one unit. Codes in `minutes` that are not timed are refused, so a caller
    never mixes the two by accident."""
    pairs = _checked(minutes)
    for code, _ in pairs:
        entry = procedure(code)
        if entry is None or not entry.timed:
            raise UnitInputError(f"{code} is not a timed code: pass it in `untimed`")
    result = timed_units(pairs, method)
    extra = []
    for code in untimed:
        entry = procedure(code)
        if entry is not None and entry.timed:
            raise UnitInputError(f"{code} is a timed code: pass its minutes instead")
        extra.append(CodeUnits(code, 0, 1, timed=False))
    return UnitResult(method=result.method, codes=result.codes + tuple(extra),
                      total_timed_minutes=result.total_timed_minutes)

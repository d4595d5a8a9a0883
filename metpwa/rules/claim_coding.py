"""Which codes and units a signed session goes out under: a payer setting, never a guess.

A session's documented minutes by activity type become timed codes (standards.billing.ACTIVITY_CODES)
with units by the payer's method (rules/units.py); an untimed code is one unit per session. Which of
those codes a line an MES performs may carry is decided by the route alone (standards.billing):

- a therapist who performs and renders: the timed codes from the minutes;
- route 1, a licensed provider who renders and supervises (supervision on record for the date): the
  timed codes from the minutes, rendered by the supervisor;
- route 2, a payer that accepts MES services: only the codes in the payer's list, timed ones from the
  minutes, else its first untimed code, one unit;
- route 3, self-pay with a superbill: an untimed exercise or coaching code (S9451 unless the payer's
  list names another), never a therapy code.

Traditional Medicare allows none of them for an MES (ch. 15 sec. 230.5) and the builder says so.
No route ever puts the GP modifier or a PT evaluation code (97161-97164) on a line an MES performs; GP goes
only on a therapist's own therapy lines for a payer that expects it (Medicare and Medicare Advantage).

Modifiers (standards.md "Modifiers"; standards.billing): `with_modifiers` adds the payer's distinct-service
modifier (59 or XE/XS/XP/XU, a payer setting) to the column 2 code of an NCCI pair verified in CMS's table
(standards.billing.NCCI_PAIRS; an unverified pair is only shown by the scrubber), and KX to the timed therapy lines past the year's therapy threshold where a
licensed provider renders them for a payer that applies it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from metpwa.rules.errors import InputError
from metpwa.rules.units import session_units
from metpwa.standards.billing import (
    ACTIVITY_CODES,
    DEFAULT_DISTINCT_SERVICE_MODIFIER,
    DISTINCT_SERVICE_PAIRS,
    GP_PAYER_KINDS,
    KX_PAYER_KINDS,
    MEDICARE_CLIENT_PAYS_PRIVATELY,
    PT_EVALUATION_CODES,
    ClaimRoute,
    PayerKind,
    PaymentRoute,
    UnitMethod,
    credential_label,
    kx_threshold,
    may_bill_therapy,
    procedure,
)

# The untimed code an MES's session goes out under on a superbill when the payer names none.
SUPERBILL_CODE = "S9451"


class ClaimCodingError(InputError):
    """No legitimate way to bill this session; `message` says why and what the client can do."""


@dataclass(frozen=True)
class CodingPayer:
    kind: PayerKind
    route: ClaimRoute
    unit_method: UnitMethod
    accepts_mes: bool
    allows_supervised_billing: bool
    mes_codes: tuple[str, ...]


@dataclass(frozen=True)
class CodedLine:
    code: str
    units: int
    # Documented minutes for a timed code; None for an untimed one.
    minutes: int | None
    modifiers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Coding:
    route: PaymentRoute | None
    lines: tuple[CodedLine, ...]
    # True when the supervising licensed provider renders the lines (route 1).
    supervisor_renders: bool = False


def code_session(payer: CodingPayer, *, credential: str | None, coaching_credential: bool,
                 activity_minutes: Mapping[str, int], supervised: bool, field: str = "session") -> Coding:
    """The lines for one signed session. Raises ClaimCodingError, with the reason, when no route allows it."""
    therapist = may_bill_therapy(credential)
    who = credential_label(credential)
    timed = {ACTIVITY_CODES[activity]: minutes for activity, minutes in activity_minutes.items()
             if activity in ACTIVITY_CODES and minutes > 0}
    if payer.kind is PayerKind.SELF_PAY or payer.route is ClaimRoute.SUPERBILL:
        return Coding(PaymentRoute.SELF_PAY, (_untimed(payer.mes_codes, coaching_credential, superbill=True),))
    if therapist:
        return Coding(None, _timed(timed, payer.unit_method, field))
    if payer.kind is PayerKind.MEDICARE:
        raise ClaimCodingError(field, MEDICARE_CLIENT_PAYS_PRIVATELY)
    if payer.accepts_mes and payer.mes_codes:
        allowed = {code: minutes for code, minutes in timed.items() if code in payer.mes_codes}
        lines = _timed(allowed, payer.unit_method, field, required=False) if allowed else ()
        if not lines:
            lines = (_untimed(payer.mes_codes, coaching_credential, superbill=False, field=field),)
        return Coding(PaymentRoute.PAYER_ACCEPTS_MES, lines)
    if payer.kind is PayerKind.MEDICARE_ADVANTAGE:
        raise ClaimCodingError(field, f"This Medicare Advantage plan is not set up as accepting MES services, so a "
                               f"session by a {who} cannot be billed to it; the client pays privately.")
    if payer.allows_supervised_billing:
        if not supervised:
            raise ClaimCodingError(field, "This payer pays a licensed provider who renders and supervises, and no "
                                   "supervision by a licensed provider is on record for this session's date.")
        return Coding(PaymentRoute.LICENSED_SUPERVISOR, _timed(timed, payer.unit_method, field),
                      supervisor_renders=True)
    raise ClaimCodingError(field, f"This payer neither accepts MES services nor pays a supervising licensed "
                           f"provider, so a session by a {who} cannot be billed to it; bill the client as self-pay.")


def _timed(minutes: Mapping[str, int], method: UnitMethod, field: str, required: bool = True) -> tuple[CodedLine, ...]:
    result = session_units(dict(minutes), method)
    lines = tuple(CodedLine(line.code, line.units, line.minutes) for line in result.billed)
    if not lines and required:
        total = sum(minutes.values())
        raise ClaimCodingError(field, f"The session documents {total} timed minutes: a timed service under 8 minutes "
                               "is not billed.")
    return lines


def _untimed(codes: tuple[str, ...], coaching_credential: bool, *, superbill: bool, field: str = "session") -> CodedLine:
    for code in codes:
        entry = procedure(code)
        if entry is None or entry.timed or entry.therapy or code in PT_EVALUATION_CODES:
            continue
        if entry.coaching_credential_required and not coaching_credential:
            continue
        return CodedLine(entry.code, 1, None)
    if superbill:
        return CodedLine(SUPERBILL_CODE, 1, None)
    raise ClaimCodingError(field, "The payer's MES codes include no code this session's minutes earn, and no "
                           "untimed code (such as S9451) the staff member may bill.")


# --- Modifiers ------------------------------------------------------------------------------------


def gp_may_apply(payer_kind: PayerKind | str, route: PaymentRoute | None) -> bool:
    """GP only on a therapist's own session (no route: the therapist performs and renders) for a payer
    that expects it. Never under route 1 (an MES performed the service, whoever renders it), route 2 or a
    superbill: GP says a physical therapist furnished it under a PT plan of care."""
    return payer_kind in GP_PAYER_KINDS and route is None


def gp_codes(lines: Sequence[CodedLine]) -> frozenset[str]:
    """The therapy codes on the claim (timed and untimed alike: Medicare wants GP on every therapy line)."""
    return frozenset(line.code for line in lines if (entry := procedure(line.code)) is not None and entry.therapy)


def kx_may_apply(payer_kind: PayerKind | str, route: PaymentRoute | None) -> bool:
    """KX only for a payer that applies the therapy threshold, and only on therapy a licensed provider
    renders: a therapist's own session (no route) or route 1. Never on an MES's line (route 2) or a
    superbill (route 3): KX says the therapy is medically necessary past the threshold, and an MES's
    service is never therapy (ch. 15 sec. 230.5)."""
    return payer_kind in KX_PAYER_KINDS and route in (None, PaymentRoute.LICENSED_SUPERVISOR)


def kx_codes(lines: Sequence[CodedLine], *, year: int, allowed_before: Decimal,
             allowed_per_unit: Mapping[str, Decimal]) -> frozenset[str]:
    """The timed therapy codes that carry KX: once the client's allowed therapy charges in the calendar
    year, counted up line by line, pass the year's threshold (standards.billing.KX_THRESHOLDS), the line
    that passes it and every one after. A year the table lacks adds none: its value is looked up, not guessed."""
    threshold = kx_threshold(year)
    if threshold is None:
        return frozenset()
    running = allowed_before
    found = set()
    for line in lines:
        entry = procedure(line.code)
        if entry is None or not (entry.timed and entry.therapy):
            continue
        running += allowed_per_unit.get(line.code, Decimal(0)) * line.units
        if running > threshold:
            found.add(line.code)
    return frozenset(found)


def distinct_service_codes(codes: Sequence[str], pairs: frozenset[tuple[str, str]] = DISTINCT_SERVICE_PAIRS
                           ) -> frozenset[str]:
    """The timed codes that need a distinct-service modifier: the column 2 code of every NCCI pair whose
    two codes are both on the claim (the modifier goes on column 2: CMS NCCI policy manual ch. I sec. E)."""
    present = set(codes)
    return frozenset(second for first, second in pairs if first in present and second in present
                     and all((entry := procedure(code)) is not None and entry.timed for code in (first, second)))


def with_modifiers(coding: Coding, *, payer_kind: PayerKind | str, year: int, allowed_before: Decimal = Decimal(0),
                   allowed_per_unit: Mapping[str, Decimal] | None = None,
                   pairs: frozenset[tuple[str, str]] = DISTINCT_SERVICE_PAIRS,
                   distinct_modifier: str = DEFAULT_DISTINCT_SERVICE_MODIFIER) -> Coding:
    """The coding with its modifiers: GP on a therapist's therapy lines where the payer expects it, then the
    distinct-service modifier, then KX (all informational to the payer; none changes a unit or a charge)."""
    gp = gp_codes(coding.lines) if gp_may_apply(payer_kind, coding.route) else frozenset()
    distinct = distinct_service_codes([line.code for line in coding.lines], pairs)
    kx = (kx_codes(coding.lines, year=year, allowed_before=allowed_before, allowed_per_unit=allowed_per_unit or {})
          if kx_may_apply(payer_kind, coding.route) else frozenset())
    if not gp and not distinct and not kx:
        return coding
    lines = tuple(replace(line, modifiers=line.modifiers + (("GP",) if line.code in gp else ())
                          + ((distinct_modifier,) if line.code in distinct else ())
                          + (("KX",) if line.code in kx else ())) for line in coding.lines)
    return replace(coding, lines=lines)

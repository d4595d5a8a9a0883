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
No route ever adds the GP modifier or a PT evaluation code (97161-97164).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from metpwa.rules.errors import InputError
from metpwa.rules.units import session_units
from metpwa.standards.billing import (
    ACTIVITY_CODES,
    MEDICARE_CLIENT_PAYS_PRIVATELY,
    PT_EVALUATION_CODES,
    ClaimRoute,
    PayerKind,
    PaymentRoute,
    UnitMethod,
    credential_label,
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

"""Staff credentials: expiry and its 60- and 30-day alerts, whether a person may sign sessions and
assessments, continuing-education hours against each credential's yearly requirement, and the
checks on a credential or a CE entry as typed (field name to message)."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from metpwa.rules.fixes import Target
from metpwa.rules.identifiers import IdentifierError, normalize_npi, normalize_state
from metpwa.standards.credentials import (
    ALERT_DAYS,
    CREDENTIALS,
    ContinuingEducation,
    CredentialKind,
    Profession,
    SigningRequirement,
)

NUMBER_MAX_CHARS = 40
ISSUER_MAX_CHARS = 120
CE_TITLE_MAX_CHARS = 200
CE_PROVIDER_MAX_CHARS = 160
# One certificate of more than this many hours is almost certainly a typo (a semester course is 45).
CE_MAX_HOURS_PER_ENTRY = Decimal(100)


def _day(value: date) -> str:
    return f"{value:%b} {value.day}, {value.year}"


def add_months(day: date, months: int) -> date:
    """The same day so many months on (or back), the month's last day when it is shorter."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


# --- Expiry -------------------------------------------------------------------------------------


class ExpiryStatus(StrEnum):
    CURRENT = "current"
    LAPSING_60 = "lapsing_60"
    LAPSING_30 = "lapsing_30"
    LAPSED = "lapsed"
    NO_EXPIRY = "no_expiry"


@dataclass(frozen=True)
class Expiry:
    status: ExpiryStatus
    expires_on: date | None
    days_left: int | None
    text: str

    @property
    def alert(self) -> bool:
        """Shown on the owner's and the person's home screen."""
        return self.status in (ExpiryStatus.LAPSING_60, ExpiryStatus.LAPSING_30, ExpiryStatus.LAPSED)

    @property
    def valid(self) -> bool:
        return self.status is not ExpiryStatus.LAPSED


def expiry(expires_on: date | None, today: date, *, alert_days: tuple[int, int] = ALERT_DAYS) -> Expiry:
    """A credential is valid through its expiry date and lapsed the day after."""
    if expires_on is None:
        return Expiry(ExpiryStatus.NO_EXPIRY, None, None, "Does not expire")
    days_left = (expires_on - today).days
    first, second = sorted(alert_days, reverse=True)
    if days_left < 0:
        return Expiry(ExpiryStatus.LAPSED, expires_on, days_left, f"Lapsed on {_day(expires_on)}")
    when = "today" if days_left == 0 else ("tomorrow" if days_left == 1 else f"in {days_left} days")
    text = f"Expires {when} ({_day(expires_on)})"
    if days_left <= second:
        return Expiry(ExpiryStatus.LAPSING_30, expires_on, days_left, text)
    if days_left <= first:
        return Expiry(ExpiryStatus.LAPSING_60, expires_on, days_left, text)
    return Expiry(ExpiryStatus.CURRENT, expires_on, days_left, f"Current until {_day(expires_on)}")


# --- Signing --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeldCredential:
    """A credential on file for a person (the current one of its kind: a renewal replaces it)."""

    kind: CredentialKind | str
    expires_on: date | None
    ref: int | None = None
    # How the person's list shows it, e.g. "PT licence, IL"; the kind's label when empty.
    label: str = ""

    @property
    def name(self) -> str:
        return self.label or CREDENTIALS[CredentialKind(self.kind)].label

    def valid_on(self, today: date) -> bool:
        """Valid through its expiry date. A kind that expires but has no date on file is not taken on trust."""
        if CREDENTIALS[CredentialKind(self.kind)].expires and self.expires_on is None:
            return False
        return self.expires_on is None or today <= self.expires_on


@dataclass(frozen=True)
class SigningProblem:
    requirement: SigningRequirement
    # What is on file for the requirement but not valid; empty when nothing was ever recorded.
    lapsed: tuple[HeldCredential, ...]
    text: str


@dataclass(frozen=True)
class SigningCheck:
    allowed: bool
    # False when the practice does not require credentials to sign: problems are then warnings.
    enforced: bool
    problems: tuple[SigningProblem, ...]
    message: str
    fix: Target | None


def _problem_text(requirement: SigningRequirement, lapsed: tuple[HeldCredential, ...]) -> str:
    if not lapsed:
        return f"no {requirement.label} on file"
    return "; ".join(
        f"the {held.name} on file lapsed on {_day(held.expires_on)}" if held.expires_on is not None
        else f"the {held.name} on file has no expiry date" for held in lapsed
    )


def may_sign(*, person: str, person_ref: int | None, held: Sequence[HeldCredential],
             requirements: Sequence[SigningRequirement], enforced: bool, today: date) -> SigningCheck:
    """Whether a person may sign a session or an assessment today. Each requirement is met by one
    valid credential of any of its kinds; the message names what lapsed and where it is fixed."""
    problems = []
    for requirement in requirements:
        mine = [credential for credential in held if CredentialKind(credential.kind) in requirement.any_of]
        if any(credential.valid_on(today) for credential in mine):
            continue
        lapsed = tuple(sorted(mine, key=lambda c: (c.expires_on or date.min), reverse=True))
        problems.append(SigningProblem(requirement, lapsed, _problem_text(requirement, lapsed)))
    if not problems:
        return SigningCheck(True, enforced, (), "", None)
    where = f"Staff > {person} > Credentials"
    what = "; ".join(problem.text for problem in problems)
    fix: Target = ("staff.credentials", person_ref)
    if enforced:
        message = (f"{person} cannot sign until the credentials the practice requires are current: {what}. "
                   f"Record the current card or certificate under {where}.")
        return SigningCheck(False, True, tuple(problems), message, fix)
    message = f"{person}'s credentials need attention: {what}. Record the current card or certificate under {where}."
    return SigningCheck(True, False, tuple(problems), message, fix)


# --- Continuing education -------------------------------------------------------------------------


@dataclass(frozen=True)
class CeEntry:
    completed_on: date
    hours: Decimal
    # The credential kinds the course counts toward (one course may count for several).
    counts_toward: frozenset[str] = frozenset()
    ref: int | None = None


@dataclass(frozen=True)
class CeYear:
    """One year of a credential's cycle: the twelve months ending on an anniversary of its expiry."""

    start: date
    end: date
    hours: Decimal
    required: Decimal
    # Held for the whole year; a year the credential was issued part-way through asks for nothing.
    counted: bool

    @property
    def met(self) -> bool:
        return self.hours >= self.required


@dataclass(frozen=True)
class CeStatus:
    kind: CredentialKind
    cycle_start: date
    cycle_end: date
    hours: Decimal
    required: Decimal
    years: tuple[CeYear, ...]
    current_year: CeYear | None
    # Behind when the whole years already over had fewer hours between them than their requirement.
    on_track: bool

    @property
    def met(self) -> bool:
        return self.hours >= self.required

    @property
    def short_by(self) -> Decimal:
        return max(Decimal(0), self.required - self.hours)


def ce_status(kind: CredentialKind | str, entries: Iterable[CeEntry], *, issued_on: date | None,
              expires_on: date, today: date, requirement: ContinuingEducation | None = None) -> CeStatus | None:
    """CE hours in the cycle that ends on the credential's expiry, year by year (years end on the
    expiry's anniversaries, so a BOC period ending December 31 has calendar years). A year the
    credential was first issued part-way through is shown but asks for no hours, which gives the
    BOC's 25 CEUs for an AT certified in a period's first year. None when the kind asks for no CE."""
    kind = CredentialKind(kind)
    requirement = requirement or CREDENTIALS[kind].continuing_education
    if requirement is None:
        return None
    yearly = requirement.yearly_hours
    cycle_years = max(1, round(requirement.per_months / 12))
    mine = [entry for entry in entries if kind in {CredentialKind(k) for k in entry.counts_toward}]
    years = []
    for back in range(cycle_years - 1, -1, -1):
        end = add_months(expires_on, -12 * back)
        start = add_months(expires_on, -12 * (back + 1)) + timedelta(days=1)
        if issued_on is not None and end < issued_on:
            continue
        counted = issued_on is None or issued_on <= start
        first_day = start if counted else issued_on
        hours = sum((entry.hours for entry in mine if first_day <= entry.completed_on <= end), Decimal(0))
        years.append(CeYear(first_day, end, hours, yearly if counted else Decimal(0), counted))
    cycle_start = years[0].start if years else (issued_on or expires_on)
    total = sum((year.hours for year in years), Decimal(0))
    required = min(requirement.hours, sum((year.required for year in years), Decimal(0)))
    current = next((year for year in years if year.start <= today <= year.end), None)
    over = [year for year in years if year.end < today]
    on_track = sum((y.hours for y in over), Decimal(0)) >= sum((y.required for y in over), Decimal(0))
    return CeStatus(kind, cycle_start, expires_on, total, required, tuple(years), current, on_track)


# --- What is typed at the field -------------------------------------------------------------------


@dataclass(frozen=True)
class CredentialInput:
    kind: str
    number: str = ""
    issuer: str = ""
    issued_on: date | None = None
    expires_on: date | None = None
    state: str = ""
    profession: str = ""


@dataclass(frozen=True)
class CredentialCheck:
    """Field name to message for what was refused; the tidied values when nothing was."""

    errors: dict[str, str]
    number: str | None = None
    state: str | None = None
    profession: str | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def check_credential(entered: CredentialInput, *, today: date) -> CredentialCheck:
    errors: dict[str, str] = {}
    try:
        kind = CredentialKind(entered.kind)
    except ValueError:
        return CredentialCheck({"kind": "Choose what kind of credential this is."})
    standard = CREDENTIALS[kind]
    number = " ".join((entered.number or "").split()) or None
    if kind is CredentialKind.NPI:
        try:
            number = normalize_npi(entered.number or "", "number")
        except IdentifierError as error:
            errors["number"] = error.message
    elif standard.needs_number and not number:
        errors["number"] = f"Enter the {standard.short} number as printed on the card or certificate."
    elif number and len(number) > NUMBER_MAX_CHARS:
        errors["number"] = f"A credential number is at most {NUMBER_MAX_CHARS} characters."
    if len(entered.issuer or "") > ISSUER_MAX_CHARS:
        errors["issuer"] = f"The issuer is at most {ISSUER_MAX_CHARS} characters."
    if entered.issued_on is not None and entered.issued_on > today:
        errors["issued_on"] = "The issue date is in the future: check the date on the card."
    if standard.expires and entered.expires_on is None:
        errors["expires_on"] = "Enter the expiry date printed on the card or certificate."
    elif not standard.expires and entered.expires_on is not None:
        errors["expires_on"] = f"An {standard.short} does not expire: leave the expiry date empty."
    elif (entered.expires_on is not None and entered.issued_on is not None
          and entered.expires_on <= entered.issued_on):
        errors["expires_on"] = "The expiry date is on or before the issue date: check both dates on the card."
    state = profession = None
    if standard.needs_state:
        try:
            state = normalize_state(entered.state or "", "state")
        except IdentifierError as error:
            errors["state"] = "Enter the state that issued the licence, like IL." if not entered.state else error.message
        try:
            profession = Profession(entered.profession).value
        except ValueError:
            errors["profession"] = "Choose the profession the licence is for."
    if errors:
        return CredentialCheck(errors)
    return CredentialCheck({}, number, state, profession)


@dataclass(frozen=True)
class CeInput:
    title: str
    provider: str
    hours: str | Decimal
    completed_on: date | None
    counts_toward: tuple[str, ...] = ()


@dataclass(frozen=True)
class CeCheck:
    errors: dict[str, str]
    hours: Decimal | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def _hours(value: str | Decimal) -> Decimal | None:
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    text = (value or "").strip().replace("\u2212", "-")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def check_ce_entry(entered: CeInput, *, today: date) -> CeCheck:
    errors: dict[str, str] = {}
    if not (entered.title or "").strip():
        errors["title"] = "Enter the course or activity as the certificate names it."
    elif len(entered.title) > CE_TITLE_MAX_CHARS:
        errors["title"] = f"The title is at most {CE_TITLE_MAX_CHARS} characters."
    if not (entered.provider or "").strip():
        errors["provider"] = "Enter who provided the course."
    elif len(entered.provider) > CE_PROVIDER_MAX_CHARS:
        errors["provider"] = f"The provider is at most {CE_PROVIDER_MAX_CHARS} characters."
    hours = _hours(entered.hours)
    if hours is None:
        errors["hours"] = "Enter the hours as a number, like 1.5."
    elif hours < 0:
        errors["hours"] = "Hours cannot be negative."
    elif hours == 0:
        errors["hours"] = "Enter the hours on the certificate: more than 0."
    elif hours > CE_MAX_HOURS_PER_ENTRY:
        errors["hours"] = f"More than {CE_MAX_HOURS_PER_ENTRY} hours on one certificate: check for a typo."
    elif hours != hours.quantize(Decimal("0.01")):
        errors["hours"] = "Hours go to two decimal places at most, like 1.25."
    if entered.completed_on is None:
        errors["completed_on"] = "Enter the date on the certificate."
    elif entered.completed_on > today:
        errors["completed_on"] = "The completion date is in the future: enter it once the course is done."
    for kind in entered.counts_toward:
        try:
            CredentialKind(kind)
        except ValueError:
            errors["counts_toward"] = "Choose the credentials this course counts toward from the list."
            break
    if errors:
        return CeCheck(errors)
    return CeCheck({}, hours)

"""The referral network in numbers: conversion per source, progress reports sent on time or late,
sources gone quiet, follow-ups due, referrals by month, what MET achieved for the clients a
source sent (as aggregates with every group under five clients hidden), and the checks on a
source or an activity as typed."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from metpwa.rules.fixes import Target
from metpwa.rules.identifiers import IdentifierError, normalize_npi, normalize_us_phone
from metpwa.rules.outcomes import Change
from metpwa.rules.reports import attendance_rate, report_due_on
from metpwa.standards.referral_network import (
    FOLLOW_UP_HORIZON_DAYS,
    MIN_CELL_CLIENTS,
    QUIET_AFTER_DAYS,
    REPORT_SEND_WITHIN_DAYS,
    ActivityKind,
    ReportDelivery,
    SourceKind,
)


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


# --- Conversion ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferralJourney:
    """One referral and how far the client it brought has come."""

    source_ref: int
    referred_on: date
    intake_done: bool
    first_session_on: date | None
    discharged_on: date | None = None
    goals_met: bool = False
    client_ref: int | None = None


@dataclass(frozen=True)
class Conversion:
    source_ref: int | None
    referred: int
    intake_done: int
    first_session: int
    discharged_goals_met: int

    @property
    def intake_rate(self) -> int | None:
        return _percent(self.intake_done, self.referred)

    @property
    def first_session_rate(self) -> int | None:
        return _percent(self.first_session, self.referred)

    @property
    def goals_met_rate(self) -> int | None:
        return _percent(self.discharged_goals_met, self.referred)


def _tally(source_ref: int | None, journeys: Sequence[ReferralJourney]) -> Conversion:
    return Conversion(
        source_ref, len(journeys), sum(j.intake_done for j in journeys),
        sum(j.first_session_on is not None for j in journeys),
        sum(j.discharged_on is not None and j.goals_met for j in journeys),
    )


def conversion(journeys: Iterable[ReferralJourney], *, since: date | None = None,
               until: date | None = None) -> dict[int, Conversion]:
    """Per source, of the referrals received in the period: how many finished intake, came to a
    first session, and were discharged with their goals met. For the owner's eyes: not suppressed."""
    by_source: dict[int, list[ReferralJourney]] = defaultdict(list)
    for journey in journeys:
        if (since is None or journey.referred_on >= since) and (until is None or journey.referred_on <= until):
            by_source[journey.source_ref].append(journey)
    return {source: _tally(source, items) for source, items in by_source.items()}


def conversion_total(per_source: Mapping[int, Conversion]) -> Conversion:
    rows = per_source.values()
    return Conversion(None, sum(r.referred for r in rows), sum(r.intake_done for r in rows),
                      sum(r.first_session for r in rows), sum(r.discharged_goals_met for r in rows))


# --- Progress reports on time --------------------------------------------------------------------


class Timeliness(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    # Due, not sent, and past the days allowed to send it.
    OVERDUE = "overdue"
    # Due, not sent, still within the days allowed.
    DUE = "due"


@dataclass(frozen=True)
class SentReport:
    """A finalised progress report or discharge summary: the end of its period and when it went out
    to the source (None when it was finalised but never sent)."""

    period_end: date
    sent_on: date | None


@dataclass(frozen=True)
class ReportTiming:
    due_on: date
    sent_on: date | None
    state: Timeliness
    # Days past the allowance when sent late or still overdue; 0 otherwise.
    days_late: int = 0


def _timing(due_on: date, sent_on: date | None, today: date, within: int) -> ReportTiming:
    deadline = due_on + timedelta(days=within)
    if sent_on is not None:
        if sent_on <= deadline:
            return ReportTiming(due_on, sent_on, Timeliness.ON_TIME)
        return ReportTiming(due_on, sent_on, Timeliness.LATE, (sent_on - deadline).days)
    if today > deadline:
        return ReportTiming(due_on, None, Timeliness.OVERDUE, (today - deadline).days)
    return ReportTiming(due_on, None, Timeliness.DUE)


def report_timings(*, first_session_on: date | None, visit_dates: Iterable[date], reports: Sequence[SentReport],
                   every_visits: int, every_days: int, today: date,
                   send_within_days: int = REPORT_SEND_WITHIN_DAYS) -> list[ReportTiming]:
    """One client's reports against the due dates rules/reports.py sets (the practice's every-N-visits
    or every-N-days): each report answers the due date before it; the one after the last report is
    listed too once it has fallen due."""
    visits = sorted(visit_dates)
    timings = []
    last_end: date | None = None
    for report in sorted(reports, key=lambda r: r.period_end):
        due_on = report_due_on(last_report_on=last_end, first_session_on=first_session_on, visit_dates=visits,
                               every_visits=every_visits, every_days=every_days)
        if due_on is not None:
            # A report sent before its due date is on time: it answers this due date early.
            timings.append(_timing(due_on, report.sent_on, today, send_within_days))
        last_end = report.period_end
    due_on = report_due_on(last_report_on=last_end, first_session_on=first_session_on, visit_dates=visits,
                           every_visits=every_visits, every_days=every_days)
    if due_on is not None and due_on <= today:
        timings.append(_timing(due_on, None, today, send_within_days))
    return timings


@dataclass(frozen=True)
class ReportTally:
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    due: int = 0

    @property
    def sent(self) -> int:
        return self.on_time + self.late

    @property
    def on_time_rate(self) -> int | None:
        return _percent(self.on_time, self.sent)


def reports_by_source(timings: Iterable[tuple[int, ReportTiming]]) -> dict[int, ReportTally]:
    """(source, timing) pairs, each client's timings under the source of the referral they answer."""
    counts: dict[int, dict[Timeliness, int]] = defaultdict(lambda: defaultdict(int))
    for source, timing in timings:
        counts[source][timing.state] += 1
    return {source: ReportTally(c[Timeliness.ON_TIME], c[Timeliness.LATE], c[Timeliness.OVERDUE], c[Timeliness.DUE])
            for source, c in counts.items()}


# --- Relationship activities ---------------------------------------------------------------------


@dataclass(frozen=True)
class Activity:
    ref: int
    kind: str
    held_on: date
    source_refs: frozenset[int]
    follow_up_on: date | None = None
    follow_up_done: bool = False


@dataclass(frozen=True)
class Source:
    ref: int
    name: str
    added_on: date
    retired: bool = False


def last_contacts(activities: Iterable[Activity], *, today: date) -> dict[int, date]:
    """Each source's latest activity that has happened (a planned event later on is not contact yet)."""
    latest: dict[int, date] = {}
    for activity in activities:
        if activity.held_on > today:
            continue
        for source in activity.source_refs:
            if source not in latest or activity.held_on > latest[source]:
                latest[source] = activity.held_on
    return latest


@dataclass(frozen=True)
class QuietSource:
    ref: int
    name: str
    last_contact_on: date | None
    days_quiet: int
    fix: Target


def quiet_sources(sources: Iterable[Source], activities: Iterable[Activity], *, today: date,
                  after_days: int = QUIET_AFTER_DAYS) -> list[QuietSource]:
    """Active sources with no contact in `after_days` days, counted from the last activity or, for a
    source never contacted, from when it was added; the longest quiet first."""
    contacts = last_contacts(activities, today=today)
    quiet = []
    for source in sources:
        if source.retired:
            continue
        last = contacts.get(source.ref)
        days = (today - (last or source.added_on)).days
        if days >= after_days:
            quiet.append(QuietSource(source.ref, source.name, last, days, ("referral_network.source", source.ref)))
    return sorted(quiet, key=lambda q: (-q.days_quiet, q.name))


@dataclass(frozen=True)
class FollowUp:
    activity_ref: int
    follow_up_on: date
    source_refs: frozenset[int]
    overdue: bool
    # Negative when overdue: days until the follow-up.
    days_left: int
    fix: Target


def follow_ups_due(activities: Iterable[Activity], *, today: date,
                   within_days: int = FOLLOW_UP_HORIZON_DAYS) -> list[FollowUp]:
    """Follow-ups not done and due within `within_days` (or overdue), the earliest first."""
    due = []
    for activity in activities:
        if activity.follow_up_on is None or activity.follow_up_done:
            continue
        days_left = (activity.follow_up_on - today).days
        if days_left <= within_days:
            due.append(FollowUp(activity.ref, activity.follow_up_on, activity.source_refs, days_left < 0,
                                days_left, ("referral_network.activity", activity.ref)))
    return sorted(due, key=lambda f: (f.follow_up_on, f.activity_ref))


# --- Referrals by month ---------------------------------------------------------------------------


def _month(day: date) -> date:
    return day.replace(day=1)


def referrals_by_month(referred_on: Iterable[date], *, first_month: date, last_month: date) -> list[tuple[date, int]]:
    """Referrals per calendar month from first_month to last_month, months with none included, for
    a chart; each month is named by its first day."""
    counts: dict[date, int] = defaultdict(int)
    for day in referred_on:
        counts[_month(day)] += 1
    series = []
    month = _month(first_month)
    end = _month(last_month)
    while month <= end:
        series.append((month, counts[month]))
        month = (month + timedelta(days=32)).replace(day=1)
    return series


# --- What MET achieved: aggregates with small cells hidden ---------------------------------------


def reached_meaningful_change(changes: Iterable[Change]) -> bool:
    """The app's own judgement (rules.outcomes.interpret's changes against the baseline): an
    improvement at least as large as the measure's meaningful-change value. For grip, either hand."""
    return any(change.meaningful and change.direction == "improved" for change in changes)


@dataclass(frozen=True)
class DischargedClient:
    """One discharged client, as facts only: nothing here names or dates the person."""

    source_ref: int | None
    # Per measure repeated since the baseline: whether it reached meaningful change (see above).
    measures: Mapping[str, bool] = field(default_factory=dict)
    goals_met: bool = False
    # Signed visits from the first session to the one where the plan's goals were all met.
    visits_to_goal: int | None = None
    attended: int = 0
    planned: int = 0


@dataclass(frozen=True)
class Cell:
    """A figure about `clients` clients. Both are None when the group is too small to show: the
    count is as telling as the figure ("3 clients, 100%")."""

    clients: int | None
    value: int | float | None

    @property
    def suppressed(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Effectiveness:
    discharged: Cell
    # Per measure: the percentage of clients with a repeat of that measure who reached meaningful change.
    measures: dict[str, Cell]
    goals_met: Cell
    median_visits_to_goal: Cell
    attendance: Cell


def _cell(clients: int, value: float | None, minimum: int) -> Cell:
    if clients < minimum or value is None:
        return Cell(None, None)
    return Cell(clients, value)


def effectiveness(clients: Iterable[DischargedClient], *, min_cell: int = MIN_CELL_CLIENTS) -> Effectiveness:
    """Practice-wide or one source's figures. Every cell stands for at least `min_cell` clients or shows
    nothing (its count included), so a report to a source never lets anyone pick out a person."""
    group = list(clients)
    measures: dict[str, list[bool]] = defaultdict(list)
    for client in group:
        for key, reached in client.measures.items():
            measures[key].append(reached)
    met = [c for c in group if c.goals_met]
    to_goal = [c.visits_to_goal for c in met if c.visits_to_goal is not None]
    with_plan = [c for c in group if c.planned > 0]
    return Effectiveness(
        discharged=_cell(len(group), len(group), min_cell),
        measures={key: _cell(len(values), _percent(sum(values), len(values)), min_cell)
                  for key, values in sorted(measures.items())},
        goals_met=_cell(len(group), _percent(len(met), len(group)), min_cell),
        median_visits_to_goal=_cell(len(to_goal), statistics.median(to_goal) if to_goal else None, min_cell),
        attendance=_cell(len(with_plan), attendance_rate(sum(c.attended for c in with_plan),
                                                         sum(c.planned for c in with_plan)), min_cell),
    )


def effectiveness_by_source(clients: Iterable[DischargedClient], *,
                            min_cell: int = MIN_CELL_CLIENTS) -> dict[int, Effectiveness]:
    by_source: dict[int, list[DischargedClient]] = defaultdict(list)
    for client in clients:
        if client.source_ref is not None:
            by_source[client.source_ref].append(client)
    return {source: effectiveness(group, min_cell=min_cell) for source, group in by_source.items()}


# --- What is typed at the field -------------------------------------------------------------------


@dataclass(frozen=True)
class SourceInput:
    kind: str
    npi: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    preferred_delivery: str = ""


@dataclass(frozen=True)
class SourceCheck:
    """Field name to message; the tidied NPI, phone and fax when nothing was refused."""

    errors: dict[str, str]
    npi: str | None = None
    phone: str | None = None
    fax: str | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def check_source(entered: SourceInput) -> SourceCheck:
    """A referral source as typed: a known kind, an NPI that passes its check digit, US phone and fax
    numbers, and a way to send reports the source can actually receive."""
    errors: dict[str, str] = {}
    if entered.kind not in set(SourceKind):
        errors["kind"] = "Choose what kind of provider this is."
    npi = phone = fax = None
    for field_name, value in (("npi", entered.npi), ("phone", entered.phone), ("fax", entered.fax)):
        if not (value or "").strip():
            continue
        try:
            if field_name == "npi":
                npi = normalize_npi(value, "npi")
            elif field_name == "phone":
                phone = normalize_us_phone(value, "phone")
            else:
                fax = normalize_us_phone(value, "fax")
        except IdentifierError as error:
            errors[field_name] = error.message
    delivery = entered.preferred_delivery or ""
    if delivery and delivery not in set(ReportDelivery):
        errors["preferred_delivery"] = "Choose how this provider wants reports."
    elif delivery == ReportDelivery.FAX and not (entered.fax or "").strip():
        errors["preferred_delivery"] = "Reports by fax need the provider's fax number."
    elif delivery == ReportDelivery.SECURE_EMAIL and not (entered.email or "").strip():
        errors["preferred_delivery"] = "Reports by secure email need the provider's email address."
    if errors:
        return SourceCheck(errors)
    return SourceCheck({}, npi, phone, fax)


@dataclass(frozen=True)
class ActivityInput:
    kind: str
    held_on: date | None
    source_refs: frozenset[int]
    follow_up_on: date | None = None


# An activity is logged when it happens, or planned up to a year ahead (a quarterly lunch-and-learn).
PLAN_AHEAD_DAYS = 366


def check_activity(entered: ActivityInput, *, today: date) -> dict[str, str]:
    errors = {}
    if entered.kind not in set(ActivityKind):
        errors["kind"] = "Choose what kind of activity this was."
    if entered.held_on is None:
        errors["held_on"] = "Enter the date."
    elif entered.held_on > today + timedelta(days=PLAN_AHEAD_DAYS):
        errors["held_on"] = "That is more than a year ahead: check the year."
    if not entered.source_refs:
        errors["source_refs"] = "Choose at least one referral source it reached."
    if entered.follow_up_on is not None and entered.held_on is not None and entered.follow_up_on < entered.held_on:
        errors["follow_up_on"] = "The follow-up is before the activity: check the date."
    return errors

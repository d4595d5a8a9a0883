"""The referral network: conversion per source, reports on time or late, quiet sources, follow-ups,
referrals by month, and effectiveness aggregates that never show a group under five clients."""

from datetime import date, timedelta

from metpwa.rules.outcomes import Change
from metpwa.rules.referral_network import (
    Activity,
    ActivityInput,
    DischargedClient,
    ReferralJourney,
    SentReport,
    Source,
    SourceInput,
    Timeliness,
    check_activity,
    check_source,
    conversion,
    conversion_total,
    effectiveness,
    effectiveness_by_source,
    follow_ups_due,
    last_contacts,
    quiet_sources,
    reached_meaningful_change,
    referrals_by_month,
    report_timings,
    reports_by_source,
)
from metpwa.rules.reports import report_due, report_due_on

TODAY = date(2027, 3, 1)


# --- Conversion ---


def test_conversion_counts_each_stage_per_source():
    journeys = [
        ReferralJourney(1, date(2027, 1, 5), True, date(2027, 1, 12), date(2027, 2, 20), goals_met=True),
        ReferralJourney(1, date(2027, 1, 9), True, date(2027, 1, 20)),
        ReferralJourney(1, date(2027, 2, 1), True, None),
        ReferralJourney(1, date(2027, 2, 3), False, None),
        ReferralJourney(2, date(2027, 2, 3), True, date(2027, 2, 10), date(2027, 2, 27), goals_met=False),
    ]
    per_source = conversion(journeys)
    first = per_source[1]
    assert (first.referred, first.intake_done, first.first_session, first.discharged_goals_met) == (4, 3, 2, 1)
    assert (first.intake_rate, first.first_session_rate, first.goals_met_rate) == (75, 50, 25)
    assert per_source[2].discharged_goals_met == 0
    total = conversion_total(per_source)
    assert (total.referred, total.first_session) == (5, 3)


def test_conversion_keeps_to_the_period_asked_for():
    journeys = [ReferralJourney(1, date(2026, 12, 31), True, None), ReferralJourney(1, date(2027, 1, 1), True, None)]
    assert conversion(journeys, since=date(2027, 1, 1))[1].referred == 1
    assert conversion(journeys, until=date(2026, 12, 31))[1].referred == 1
    assert conversion([], since=date(2027, 1, 1)) == {}


# --- Reports on time ---


def test_report_due_on_agrees_with_report_due():
    start = date(2027, 1, 4)
    visits = [start + timedelta(days=3 * n) for n in range(12)]
    due_on = report_due_on(last_report_on=None, first_session_on=start, visit_dates=visits, every_visits=10,
                           every_days=30)
    assert due_on == visits[9]
    day_before = due_on - timedelta(days=1)
    counted = [v for v in visits if v <= day_before]
    assert report_due(last_report_on=None, first_session_on=start, visits_since=len(counted), today=day_before,
                      every_visits=10, every_days=30) is None
    assert report_due(last_report_on=None, first_session_on=start, visits_since=10, today=due_on,
                      every_visits=10, every_days=30) is not None
    # Few visits: the days rule decides; after a report, visits count from the day after its period.
    assert report_due_on(last_report_on=date(2027, 2, 1), first_session_on=start, visit_dates=visits,
                         every_visits=10, every_days=30) == date(2027, 3, 3)
    assert report_due_on(last_report_on=None, first_session_on=None, visit_dates=[], every_visits=10,
                         every_days=30) is None


def test_reports_are_on_time_within_the_allowance_and_late_after_it():
    start = date(2026, 10, 1)
    timings = report_timings(first_session_on=start, visit_dates=[start], every_visits=10, every_days=30,
                             reports=[SentReport(date(2026, 10, 31), date(2026, 11, 4)),
                                      SentReport(date(2026, 11, 30), date(2026, 12, 20))],
                             today=TODAY)
    assert [(t.due_on, t.state, t.days_late) for t in timings[:2]] == [
        (date(2026, 10, 31), Timeliness.ON_TIME, 0), (date(2026, 11, 30), Timeliness.LATE, 13)]
    # The report after the last one fell due Dec 30 and never went out.
    assert timings[2].state is Timeliness.OVERDUE and timings[2].due_on == date(2026, 12, 30)


def test_a_report_just_due_is_due_not_overdue_and_a_finalised_unsent_one_counts_against_the_source():
    start = date(2027, 1, 20)
    timings = report_timings(first_session_on=start, visit_dates=[start], every_visits=10, every_days=40,
                             reports=[], today=TODAY)
    assert [t.state for t in timings] == [Timeliness.DUE]
    unsent = report_timings(first_session_on=date(2026, 12, 1), visit_dates=[date(2026, 12, 1)], every_visits=10,
                            every_days=30, reports=[SentReport(date(2026, 12, 31), None)], today=TODAY)
    assert unsent[0].state is Timeliness.OVERDUE


def test_reports_tally_by_source():
    start = date(2026, 10, 1)
    on_time = report_timings(first_session_on=start, visit_dates=[start], every_visits=10, every_days=30,
                             reports=[SentReport(date(2026, 10, 31), date(2026, 10, 31))], today=date(2026, 11, 2))
    late = report_timings(first_session_on=start, visit_dates=[start], every_visits=10, every_days=30,
                          reports=[SentReport(date(2026, 10, 31), date(2026, 11, 30))], today=date(2026, 11, 30))
    tally = reports_by_source([(7, t) for t in on_time] + [(8, t) for t in late])
    assert (tally[7].on_time, tally[7].on_time_rate) == (1, 100)
    assert (tally[8].late, tally[8].sent, tally[8].on_time_rate) == (1, 1, 0)


# --- Relationship activities ---


def activity(ref, held_on, sources, follow_up_on=None, done=False):
    return Activity(ref, "visit", held_on, frozenset(sources), follow_up_on, done)


def test_a_source_not_contacted_in_90_days_is_listed_and_a_recent_one_is_not():
    sources = [Source(1, "Dr Quiet", date(2025, 1, 1)), Source(2, "Dr Busy", date(2025, 1, 1)),
               Source(3, "Dr New", date(2027, 2, 1)), Source(4, "Dr Never", date(2026, 6, 1)),
               Source(5, "Dr Retired", date(2025, 1, 1), retired=True)]
    activities = [activity(1, date(2026, 11, 30), [1]), activity(2, date(2026, 12, 2), [2]),
                  activity(3, date(2027, 2, 1), [2]), activity(4, date(2027, 4, 1), [1])]
    quiet = quiet_sources(sources, activities, today=TODAY)
    assert [(q.name, q.last_contact_on, q.days_quiet) for q in quiet] == [
        ("Dr Never", None, 273), ("Dr Quiet", date(2026, 11, 30), 91)]
    assert quiet[1].fix == ("referral_network.source", 1)
    # A lunch-and-learn planned for April is not contact yet.
    assert last_contacts(activities, today=TODAY)[1] == date(2026, 11, 30)


def test_follow_ups_due_soon_or_overdue_are_listed_earliest_first():
    activities = [activity(1, date(2027, 2, 1), [1], date(2027, 2, 20)),
                  activity(2, date(2027, 2, 1), [2], date(2027, 3, 5)),
                  activity(3, date(2027, 2, 1), [3], date(2027, 3, 20)),
                  activity(4, date(2027, 2, 1), [4], date(2027, 2, 10), done=True),
                  activity(5, date(2027, 2, 1), [5])]
    due = follow_ups_due(activities, today=TODAY)
    assert [(f.activity_ref, f.overdue, f.days_left) for f in due] == [(1, True, -9), (2, False, 4)]


def test_referrals_by_month_fill_the_months_without_any():
    days = [date(2026, 11, 3), date(2026, 11, 28), date(2027, 1, 15)]
    assert referrals_by_month(days, first_month=date(2026, 10, 20), last_month=date(2027, 2, 1)) == [
        (date(2026, 10, 1), 0), (date(2026, 11, 1), 2), (date(2026, 12, 1), 0), (date(2027, 1, 1), 1),
        (date(2027, 2, 1), 0)]


# --- Effectiveness ---


def change(direction, meaningful):
    return Change("TUG", 14.0, 11.0, -3.0, direction, None, meaningful, None)


def test_meaningful_change_is_the_apps_own_judgement_and_only_an_improvement_counts():
    assert reached_meaningful_change([change("improved", True)])
    assert not reached_meaningful_change([change("declined", True)])
    assert not reached_meaningful_change([change("improved", False)])
    assert reached_meaningful_change([change("improved", False), change("improved", True)])  # grip: either hand


def discharged(source, tug=None, goals=True, visits=None, attended=10, planned=12):
    measures = {} if tug is None else {"tug": tug}
    return DischargedClient(source, measures, goals, visits, attended, planned)


def test_effectiveness_shows_figures_for_five_clients_or_more():
    group = [discharged(1, True, visits=12), discharged(1, True, visits=16), discharged(1, False, goals=False),
             discharged(1, True, visits=10), discharged(1, True, visits=20), discharged(1, True, visits=14)]
    result = effectiveness(group)
    assert result.discharged.value == 6
    assert (result.measures["tug"].clients, result.measures["tug"].value) == (6, 83)
    assert result.goals_met.value == 83
    assert (result.median_visits_to_goal.clients, result.median_visits_to_goal.value) == (5, 14)
    assert (result.attendance.clients, result.attendance.value) == (6, 83)


def test_no_cell_under_five_clients_is_shown_not_even_its_count():
    group = [discharged(2, True, visits=8), discharged(2, True, visits=9), discharged(2, None),
             discharged(2, True, visits=9), discharged(2, False, goals=False)]
    result = effectiveness(group)
    assert result.discharged.value == 5 and result.attendance.value == 83
    assert result.measures["tug"].suppressed and result.measures["tug"].clients is None
    assert result.median_visits_to_goal.suppressed
    small = effectiveness(group[:4])
    assert all(cell.suppressed for cell in (small.discharged, small.goals_met, small.attendance,
                                             small.median_visits_to_goal, *small.measures.values()))


def test_effectiveness_by_source_keeps_each_source_apart():
    group = [discharged(1, True)] * 5 + [discharged(2, True)] * 2 + [discharged(None, True)]
    by_source = effectiveness_by_source(group)
    assert set(by_source) == {1, 2}
    assert by_source[1].discharged.value == 5 and by_source[2].discharged.suppressed


# --- At the field ---


def test_a_source_as_typed_is_tidied():
    check = check_source(SourceInput("physician", npi="1234 567 893", phone="312.555.0142", fax="312-555-0143",
                                     preferred_delivery="fax"))
    assert check.ok and (check.npi, check.phone, check.fax) == ("1234567893", "(312) 555-0142", "(312) 555-0143")


def test_a_source_npi_that_fails_its_check_digit_is_refused_at_the_field():
    check = check_source(SourceInput("chiropractor", npi="1234567890"))
    assert check.errors == {"npi": "That NPI's check digit is wrong: check for a typo."}


def test_a_delivery_the_source_cannot_receive_is_refused():
    assert check_source(SourceInput("physician", preferred_delivery="fax")).errors == {
        "preferred_delivery": "Reports by fax need the provider's fax number."}
    assert "preferred_delivery" in check_source(SourceInput("physician", preferred_delivery="secure_email")).errors
    assert check_source(SourceInput("physician", email="dr@clinic.example", preferred_delivery="secure_email")).ok
    assert set(check_source(SourceInput("shaman", preferred_delivery="pigeon")).errors) == {"kind", "preferred_delivery"}


def test_an_activity_needs_a_source_a_sane_date_and_a_follow_up_after_it():
    assert check_activity(ActivityInput("educational_session", date(2027, 6, 10), frozenset({1}), date(2027, 7, 1)),
                          today=TODAY) == {}
    errors = check_activity(ActivityInput("party", date(2029, 1, 1), frozenset(), date(2028, 1, 1)), today=TODAY)
    assert set(errors) == {"kind", "held_on", "source_refs", "follow_up_on"}

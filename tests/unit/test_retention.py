from datetime import date

from metpwa.rules.retention import add_years, retention


def test_records_are_kept_for_the_full_period_after_the_last_activity():
    kept = retention(last_activity=date(2019, 3, 1), archived=True, years=7, today=date(2026, 3, 1))
    assert not kept.eligible and kept.keep_until == date(2026, 3, 1)
    assert retention(last_activity=date(2019, 3, 1), archived=True, years=7, today=date(2026, 3, 2)).eligible


def test_an_active_client_is_never_eligible_however_old_the_records():
    assert not retention(last_activity=date(2001, 1, 1), archived=False, years=7, today=date(2026, 1, 1)).eligible


def test_a_leap_day_keeps_to_the_end_of_february():
    assert add_years(date(2024, 2, 29), 7) == date(2031, 2, 28)

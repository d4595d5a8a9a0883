from datetime import date

from metpwa.rules.retention import add_years, basis, retention
from metpwa.standards.retention import FEDERAL_RULES


def test_records_are_kept_for_the_full_period_after_the_last_activity():
    kept = retention(last_activity=date(2019, 3, 1), archived=True, years=7, today=date(2026, 3, 1))
    assert not kept.eligible and kept.keep_until == date(2026, 3, 1)
    assert retention(last_activity=date(2019, 3, 1), archived=True, years=7, today=date(2026, 3, 2)).eligible


def test_an_active_client_is_never_eligible_however_old_the_records():
    assert not retention(last_activity=date(2001, 1, 1), archived=False, years=7, today=date(2026, 1, 1)).eligible


def test_a_leap_day_keeps_to_the_end_of_february():
    assert add_years(date(2024, 2, 29), 7) == date(2031, 2, 28)


def test_the_retention_basis_says_the_years_are_the_practices_setting_and_does_not_overstate():
    """Issue 16: HIPAA's six years (45 CFR 164.530(j)) cover HIPAA documentation, not medical records,
    which state law governs; 42 CFR 424.516(f) covers some Medicare ordering documentation, not all
    records ("CMS expects 7 years" overstated it); Medicare Advantage contracts ask for 10 (422.504(d))."""
    text = "\n".join(basis(7))

    assert "RETENTION_YEARS, the practice's setting" in text and "set by state law" in text
    assert "6 years: HIPAA documentation" in text and "not the medical record itself" in text
    assert "(45 CFR 164.530(j)(2)" in text
    assert "7 years: ordering and certifying documentation" in text and "not all Medicare records" in text
    assert "(42 CFR 424.516(f))" in text
    assert "10 years: records of Medicare Advantage" in text and "(42 CFR 422.504(d))" in text
    assert "ask for more than the setting: 42 CFR 422.504(d), 10 years." in text
    for overstated in ("HIPAA requires", "CMS expects", "must keep medical records"):
        assert overstated not in text


def test_the_basis_follows_the_setting():
    assert "ask for more than the setting" not in "\n".join(basis(10))
    assert basis(10)[0].startswith("Records are kept 10 years after a client's last activity")


def test_every_federal_rule_names_its_source_and_what_it_covers():
    assert [rule.years for rule in FEDERAL_RULES] == [6, 7, 10]
    assert all(rule.source.startswith(("45 CFR", "42 CFR")) and rule.covers for rule in FEDERAL_RULES)


def test_a_minor_is_kept_until_majority_plus_the_retention_years():
    """Issue 16 ("Minors and majority"): retention keeps a minor's records at least until the age of
    majority plus the practice's retention years (Code of Alabama § 26-1-1: majority at 19)."""
    born = date(2012, 5, 10)
    seen_last = date(2024, 6, 1)  # at 12
    kept = retention(last_activity=seen_last, archived=True, years=7, today=date(2033, 1, 1), born_on=born,
                     majority_age=19)
    assert kept.keep_until == date(2038, 5, 10) and not kept.eligible
    assert "seen as a minor: majority at 19 plus 7 years" in kept.reason
    assert retention(last_activity=seen_last, archived=True, years=7, today=date(2038, 5, 11), born_on=born,
                     majority_age=19).eligible
    adult = retention(last_activity=date(2024, 6, 1), archived=True, years=7, today=date(2031, 6, 2),
                      born_on=date(1950, 1, 1), majority_age=19)
    assert adult.eligible and adult.keep_until == date(2031, 6, 1) and "minor" not in adult.reason


def test_the_basis_names_the_minors_rule():
    assert any("minor is kept at least until the age of majority" in line for line in basis(7))

"""Staff credentials: expiry alerts at 60 and 30 days, the signing block, CE totals by cycle year, and
what is refused at the field (expiry before issue, negative hours, an NPI with a wrong check digit)."""

from datetime import date
from decimal import Decimal

import pytest

from metpwa.rules.credentials import (
    CeEntry,
    CeInput,
    CredentialInput,
    ExpiryStatus,
    HeldCredential,
    add_months,
    ce_status,
    check_ce_entry,
    check_credential,
    expiry,
    may_sign,
)
from metpwa.standards.credentials import (
    CREDENTIALS,
    DEFAULT_REQUIRED_TO_SIGN,
    CredentialKind,
    required_to_sign,
)

TODAY = date(2027, 3, 1)
TRAINER = DEFAULT_REQUIRED_TO_SIGN["trainer"]


# --- Expiry ---


@pytest.mark.parametrize(("expires_on", "status"), [
    (date(2027, 6, 1), ExpiryStatus.CURRENT),
    (date(2027, 4, 30), ExpiryStatus.LAPSING_60),  # 60 days
    (date(2027, 3, 31), ExpiryStatus.LAPSING_30),  # 30 days
    (date(2027, 3, 1), ExpiryStatus.LAPSING_30),  # valid through its expiry date
    (date(2027, 2, 28), ExpiryStatus.LAPSED),
    (None, ExpiryStatus.NO_EXPIRY),
])
def test_expiry_alerts_open_60_and_30_days_before_and_lapse_the_day_after(expires_on, status):
    assert expiry(expires_on, TODAY).status is status


def test_a_credential_61_days_out_raises_no_alert_and_one_lapsed_says_when():
    assert not expiry(date(2027, 5, 1), TODAY).alert
    lapsed = expiry(date(2027, 2, 10), TODAY)
    assert lapsed.alert and not lapsed.valid
    assert lapsed.text == "Lapsed on Feb 10, 2027"
    assert expiry(date(2027, 3, 21), TODAY).text == "Expires in 20 days (Mar 21, 2027)"


def test_add_months_keeps_to_the_end_of_a_shorter_month():
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2027, 3, 31), -13) == date(2026, 2, 28)


# --- Signing ---


def test_a_trainer_with_a_current_mes_and_cpr_may_sign():
    held = [HeldCredential(CredentialKind.MES, date(2028, 1, 1)), HeldCredential("cpr_aed", date(2027, 3, 20))]
    check = may_sign(person="Dana Reyes", person_ref=4, held=held, requirements=TRAINER, enforced=True, today=TODAY)
    assert check.allowed and not check.problems and check.message == ""


def test_a_lapsed_cpr_card_blocks_signing_and_says_what_lapsed_and_where_to_fix_it():
    held = [HeldCredential(CredentialKind.MES, date(2028, 1, 1)), HeldCredential("cpr_aed", date(2027, 2, 10))]
    check = may_sign(person="Dana Reyes", person_ref=4, held=held, requirements=TRAINER, enforced=True, today=TODAY)
    assert not check.allowed
    assert "the CPR/AED on file lapsed on Feb 10, 2027" in check.message
    assert "Staff > Dana Reyes > Credentials" in check.message
    assert check.fix == ("staff.credentials", 4)


def test_nothing_on_file_is_named_as_missing():
    check = may_sign(person="Sam Lee", person_ref=5, held=[HeldCredential("cpr_aed", date(2028, 1, 1))],
                     requirements=TRAINER, enforced=True, today=TODAY)
    assert not check.allowed
    assert check.message == (
        "Sam Lee cannot sign until the credentials the practice requires are current: no MES or AMES "
        "certification, state licence or BOC certification on file. Record the current card or certificate under "
        "Staff > Sam Lee > Credentials.")
    assert check.problems[0].lapsed == ()


def test_a_current_pt_licence_meets_the_exercise_qualification_though_the_mes_lapsed():
    held = [HeldCredential("mes", date(2026, 1, 1)), HeldCredential("state_licence", date(2028, 1, 31)),
            HeldCredential("cpr_aed", date(2028, 1, 1))]
    assert may_sign(person="P", person_ref=1, held=held, requirements=TRAINER, enforced=True, today=TODAY).allowed


def test_when_the_practice_does_not_enforce_the_same_problem_is_a_warning():
    held = [HeldCredential("mes", date(2026, 1, 1)), HeldCredential("cpr_aed", date(2028, 1, 1))]
    check = may_sign(person="Dana", person_ref=4, held=held, requirements=TRAINER, enforced=False, today=TODAY)
    assert check.allowed and not check.enforced and check.problems
    assert "lapsed on Jan 1, 2026" in check.message


def test_an_expiring_kind_without_an_expiry_date_is_not_taken_on_trust():
    assert not HeldCredential("cpr_aed", None).valid_on(TODAY)
    assert HeldCredential("npi", None).valid_on(TODAY)


def test_front_desk_and_billing_need_nothing_to_sign_and_the_practice_may_set_its_own():
    assert required_to_sign("front_desk", None) == ()
    own = required_to_sign("trainer", {"trainer": [["ames"], ["cpr_aed"]]})
    assert [r.any_of for r in own] == [frozenset({CredentialKind.AMES}), frozenset({CredentialKind.CPR_AED})]
    assert required_to_sign("owner", {"trainer": [["ames"]]}) == DEFAULT_REQUIRED_TO_SIGN["owner"]


# --- Continuing education ---


def ce(day: date, hours: str, *kinds: str) -> CeEntry:
    return CeEntry(day, Decimal(hours), frozenset(kinds))


def test_nbhwc_hours_are_totalled_by_cycle_year_against_twelve_a_year():
    entries = [ce(date(2025, 5, 1), "10", "nbhwc"), ce(date(2026, 5, 1), "12", "nbhwc", "mes"),
               ce(date(2026, 6, 1), "4", "mes"), ce(date(2027, 1, 1), "3", "nbhwc")]
    status = ce_status("nbhwc", entries, issued_on=date(2024, 6, 30), expires_on=date(2027, 6, 30), today=TODAY)
    assert [(y.start, y.end) for y in status.years] == [
        (date(2024, 7, 1), date(2025, 6, 30)), (date(2025, 7, 1), date(2026, 6, 30)),
        (date(2026, 7, 1), date(2027, 6, 30))]
    assert [y.hours for y in status.years] == [Decimal(10), Decimal(12), Decimal(3)]
    assert [y.required for y in status.years] == [Decimal(12)] * 3
    assert status.hours == Decimal(25) and status.required == Decimal(36) and status.short_by == Decimal(11)
    assert status.current_year.hours == Decimal(3)
    # The two years already over hold 22 hours against 24.
    assert not status.on_track and not status.met


def test_an_mes_meets_its_five_hours_and_is_on_track():
    entries = [ce(date(2025, 9, 1), "3", "mes"), ce(date(2026, 9, 1), "2.5", "mes")]
    status = ce_status("mes", entries, issued_on=date(2025, 7, 15), expires_on=date(2027, 7, 15), today=TODAY)
    assert status.met and status.on_track and status.required == Decimal(5)


def test_a_boc_at_certified_in_the_periods_first_year_owes_25_ceus():
    status = ce_status("boc_at", [], issued_on=date(2026, 6, 1), expires_on=date(2027, 12, 31), today=TODAY)
    assert status.required == Decimal(25)
    assert [y.counted for y in status.years] == [False, True]


def test_a_credential_with_no_ce_requirement_has_no_status():
    assert ce_status("cpr_aed", [], issued_on=None, expires_on=date(2028, 1, 1), today=TODAY) is None


# --- At the field ---


def test_a_well_formed_credential_is_accepted_and_tidied():
    check = check_credential(CredentialInput("state_licence", number=" PT 12345 ", issued_on=date(2025, 1, 1),
                                             expires_on=date(2027, 1, 31), state="Illinois", profession="pt"),
                             today=TODAY)
    assert check.ok and check.number == "PT 12345" and check.state == "IL" and check.profession == "pt"


def test_an_expiry_before_the_issue_date_is_refused_at_the_field():
    check = check_credential(CredentialInput("mes", issued_on=date(2026, 5, 1), expires_on=date(2026, 4, 30)),
                             today=TODAY)
    assert check.errors == {"expires_on": "The expiry date is on or before the issue date: check both dates on the card."}


def test_an_npi_that_fails_its_check_digit_is_refused_at_the_field():
    assert check_credential(CredentialInput("npi", number="1234567893"), today=TODAY).ok
    check = check_credential(CredentialInput("npi", number="1234567890"), today=TODAY)
    assert check.errors == {"number": "That NPI's check digit is wrong: check for a typo."}


def test_an_npi_has_no_expiry_and_a_card_that_expires_needs_one():
    assert "expires_on" in check_credential(CredentialInput("npi", number="1234567893", expires_on=date(2030, 1, 1)),
                                            today=TODAY).errors
    assert "expires_on" in check_credential(CredentialInput("cpr_aed"), today=TODAY).errors


def test_a_licence_needs_its_state_profession_and_number_and_an_issue_date_cannot_be_ahead():
    check = check_credential(CredentialInput("state_licence", issued_on=date(2027, 4, 1), expires_on=date(2029, 1, 1)),
                             today=TODAY)
    assert set(check.errors) == {"number", "state", "profession", "issued_on"}
    assert check_credential(CredentialInput("diploma"), today=TODAY).errors == {
        "kind": "Choose what kind of credential this is."}


def test_ce_hours_are_accepted_as_typed():
    check = check_ce_entry(CeInput("Shoulder after rehab", "METI", "1.5", date(2027, 2, 1), ("mes",)), today=TODAY)
    assert check.ok and check.hours == Decimal("1.5")


@pytest.mark.parametrize(("hours", "message"), [
    ("-2", "Hours cannot be negative."),
    ("\u22122", "Hours cannot be negative."),
    ("0", "Enter the hours on the certificate: more than 0."),
    ("two", "Enter the hours as a number, like 1.5."),
    ("NaN", "Enter the hours as a number, like 1.5."),
    ("1.333", "Hours go to two decimal places at most, like 1.25."),
    ("150", "More than 100 hours on one certificate: check for a typo."),
])
def test_negative_and_implausible_ce_hours_are_refused_at_the_field(hours, message):
    check = check_ce_entry(CeInput("Course", "METI", hours, date(2027, 2, 1)), today=TODAY)
    assert check.errors == {"hours": message}


def test_a_ce_entry_needs_a_provider_a_past_date_and_known_credentials():
    check = check_ce_entry(CeInput("Course", " ", "1", date(2027, 3, 2), ("diploma",)), today=TODAY)
    assert set(check.errors) == {"provider", "completed_on", "counts_toward"}


def test_every_kind_names_its_source_and_unverified_ones_say_so():
    for standard in CREDENTIALS.values():
        assert standard.source
        if not standard.verified:
            assert "UNVERIFIED" in standard.source

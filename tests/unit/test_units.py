"""The 8-minute rule end to end: the CMS table, unit assignment across codes, the per-code method,
untimed codes, and properties that hold for any minutes."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from metpwa.rules.units import (
    UnitInputError,
    cms_total_time,
    session_units,
    substantial_portion,
    timed_units,
    units_for_minutes,
)
from metpwa.standards.billing import CMS_UNIT_TABLE, UnitMethod


@pytest.mark.parametrize(("units", "low", "high"), CMS_UNIT_TABLE)
def test_every_row_of_the_cms_table(units, low, high):
    assert units_for_minutes(low) == units
    assert units_for_minutes(high) == units
    assert units_for_minutes(low - 1) == units - 1
    assert units_for_minutes(high + 1) == units + 1


@pytest.mark.parametrize("minutes", range(8))
def test_under_8_minutes_is_no_unit(minutes):
    assert units_for_minutes(minutes) == 0


def test_the_table_goes_on_in_15_minute_steps():
    assert [units_for_minutes(m) for m in (128, 142, 143, 157, 158)] == [9, 9, 10, 10, 11]


def test_issue_example_33_minutes_97110_and_7_minutes_97530_cms():
    result = cms_total_time({"97110": 33, "97530": 7})
    assert result.total_timed_minutes == 40
    assert result.total_units == 3
    assert result.units_for("97110") == 2
    assert result.units_for("97530") == 1


def test_issue_example_under_the_substantial_portion_method():
    # Each code counted on its own: 33 minutes earn 2 units; 7 minutes of 97530 earn none.
    result = substantial_portion({"97110": 33, "97530": 7})
    assert [(line.code, line.units) for line in result.codes] == [("97110", 2), ("97530", 0)]
    assert result.total_units == 2
    assert [line.code for line in result.not_billed] == ["97530"]


def test_cms_left_over_unit_goes_to_the_code_with_most_minutes_left():
    # CMS example: 24 minutes of 97112 and 23 of 97110 are 47 minutes, 3 units; one full unit each,
    # 9 and 8 minutes left over: the third unit is 97112's.
    result = cms_total_time({"97110": 23, "97112": 24})
    assert (result.units_for("97112"), result.units_for("97110")) == (2, 1)


def test_cms_three_codes_of_7_minutes_make_one_unit():
    result = cms_total_time([("97110", 7), ("97112", 7), ("97530", 7)])
    assert result.total_units == 1
    assert result.units_for("97110") == 1  # a tie: the first listed


def test_cms_equal_minutes_tie_is_decided_and_the_total_holds():
    result = cms_total_time({"97110": 20, "97116": 20})
    assert result.total_units == 3
    assert sorted(line.units for line in result.codes) == [1, 2]


def test_cms_a_lone_service_under_8_minutes_is_not_billed():
    result = cms_total_time({"97110": 7})
    assert result.total_units == 0
    assert result.not_billed[0].code == "97110"


def test_cms_small_minutes_combine_while_per_code_bills_none():
    assert cms_total_time({"97110": 5, "97530": 5}).total_units == 1
    assert substantial_portion({"97110": 5, "97530": 5}).total_units == 0


def test_cms_full_units_before_left_overs():
    # 45 minutes of 97110 earn 3 full units; 8 minutes of 97112 make 53 in all, 4 units.
    result = cms_total_time({"97110": 45, "97112": 8})
    assert (result.units_for("97110"), result.units_for("97112")) == (3, 1)
    # 52 minutes in all is 3 units: 97110's three full units take them all.
    result = cms_total_time({"97110": 45, "97112": 7})
    assert (result.units_for("97110"), result.units_for("97112")) == (3, 0)


def test_substantial_portion_per_code():
    result = substantial_portion({"97110": 23, "97112": 8, "97116": 22, "97530": 38})
    assert [line.units for line in result.codes] == [2, 1, 1, 3]


def test_method_is_picked_by_the_payer_setting():
    assert timed_units({"97110": 33, "97530": 7}, "cms_total_time").total_units == 3
    assert timed_units({"97110": 33, "97530": 7}, UnitMethod.SUBSTANTIAL_PORTION).total_units == 2


def test_untimed_codes_are_one_unit_per_session():
    result = session_units({"97110": 30}, UnitMethod.CMS_TOTAL_TIME, untimed=["S9451"])
    assert [(line.code, line.units, line.timed) for line in result.codes] == [
        ("97110", 2, True), ("S9451", 1, False)]
    assert result.total_timed_minutes == 30


def test_session_units_refuses_mixing_timed_and_untimed():
    with pytest.raises(UnitInputError, match="not a timed code"):
        session_units({"S9451": 60}, UnitMethod.CMS_TOTAL_TIME)
    with pytest.raises(UnitInputError, match="is a timed code"):
        session_units({}, UnitMethod.CMS_TOTAL_TIME, untimed=["97110"])


@pytest.mark.parametrize("bad", [-1, 2.5, True, "10"])
def test_negative_or_non_whole_minutes_are_refused(bad):
    with pytest.raises(UnitInputError):
        cms_total_time({"97110": bad})


def test_a_code_listed_twice_is_refused():
    with pytest.raises(UnitInputError, match="twice"):
        cms_total_time([("97110", 10), ("97110", 10)])


def test_no_minutes_no_units():
    assert cms_total_time({}).total_units == 0
    assert substantial_portion({}).total_units == 0


minutes_by_code = st.dictionaries(st.sampled_from(["97110", "97112", "97116", "97530", "97750"]),
                                  st.integers(min_value=0, max_value=180), max_size=5)


@given(minutes_by_code)
def test_cms_total_always_follows_the_table(minutes):
    result = cms_total_time(minutes)
    assert result.total_units == units_for_minutes(sum(minutes.values()))


@given(minutes_by_code)
def test_cms_every_code_keeps_its_full_units_and_gets_at_most_one_more(minutes):
    result = cms_total_time(minutes)
    for line in result.codes:
        assert line.minutes // 15 <= line.units <= line.minutes // 15 + 1


@given(minutes_by_code)
def test_cms_left_over_units_never_skip_a_code_with_more_minutes_left(minutes):
    result = cms_total_time(minutes)
    extra = [line for line in result.codes if line.units > line.minutes // 15]
    passed_over = [line for line in result.codes if line.units == line.minutes // 15]
    for got in extra:
        for other in passed_over:
            assert got.minutes % 15 >= other.minutes % 15


@given(minutes_by_code)
def test_per_code_units_never_depend_on_the_other_codes(minutes):
    result = substantial_portion(minutes)
    for line in result.codes:
        assert line.units == units_for_minutes(line.minutes)

"""The shared parsers (rules/parse.py) every reader and rule reads typed values with."""

from datetime import date
from decimal import Decimal

import pytest

from metpwa.rules import parse


@pytest.mark.parametrize(("typed", "value"), [("12", 12), (" 7 ", 7), ("-3", -3), ("−3", -3), ("0", 0)])
def test_whole_numbers_are_ascii_digits_with_at_most_a_minus(typed, value):
    assert parse.whole_number(typed) == value


@pytest.mark.parametrize("typed", ["", "+5", "--5", "5-", "1e3", "12.0", "٣", "１２", "1_000", "1 2", "9" * 10])
def test_anything_else_is_no_whole_number(typed):
    assert parse.whole_number(typed) is None


def test_a_whole_number_outside_its_limits_is_none():
    assert parse.whole_number("8", 0, 7) is None and parse.whole_number("7", 0, 7) == 7


@pytest.mark.parametrize(("typed", "value"), [("2.5", Decimal("2.5")), (".5", Decimal("0.5")), ("5.", Decimal(5)),
                                              ("−2.5", Decimal("-2.5"))])
def test_decimals_are_read_exactly(typed, value):
    assert parse.decimal(typed) == value


@pytest.mark.parametrize("typed", ["", "nan", "inf", "1e3", "1_0", "+1", "1.2345678", "١"])
def test_anything_else_is_no_decimal(typed):
    assert parse.decimal(typed) is None


def test_text_loses_control_characters_and_keeps_line_breaks_only_in_blocks():
    assert parse.clean_text(" a\x00b\r\n c\t d ", multiline=False) == "ab c d"
    assert parse.clean_text(" a\x1bb\r\nc ", multiline=True) == "ab\nc"


@pytest.mark.parametrize("typed", ["3/14/1952", "03-14-1952", "1952-03-14", "03141952"])
def test_us_dates_in_each_way_the_keypad_or_a_date_input_sends_them(typed):
    assert parse.us_date(typed) == date(1952, 3, 14)


def test_where_the_year_is_asked_in_full_a_dash_or_a_short_year_is_no_date():
    assert parse.us_date("12-03-2025", formats=parse.FULL_DATE_FORMATS) is None
    assert parse.us_date("12/3/25", formats=parse.FULL_DATE_FORMATS) is None
    assert parse.us_date("12/3/2025", formats=parse.FULL_DATE_FORMATS) == date(2025, 12, 3)


def test_a_two_digit_year_is_never_after_today_when_today_is_given():
    assert parse.us_date("3/14/52", today=date(2026, 1, 1)) == date(1952, 3, 14)
    assert parse.us_date("3/14/25", today=date(2026, 1, 1)) == date(2025, 3, 14)


@pytest.mark.parametrize("typed", ["12/31/9999", "01/01/0001", "1/1/1899", "1/1/2101", "02/30/2026", "3/ 4/2026", "tomorrow", ""])
def test_far_off_years_and_impossible_days_are_no_date(typed):
    assert parse.us_date(typed) is None

"""Unit tests for the identifiers the front desk types: NPI check digits, Medicare and other member IDs, phones, states, ZIPs."""

import pytest

from metpwa.rules.identifiers import (
    IdentifierError,
    normalize_member_id,
    normalize_npi,
    normalize_state,
    normalize_us_phone,
    normalize_zip,
)


def luhn_sum(digits: str) -> int:
    """The Luhn sum, written out here so the tests do not trust the module's own arithmetic."""
    doubled = [int(c) * 2 if i % 2 else int(c) for i, c in enumerate(reversed(digits))]
    return sum(d - 9 if d > 9 else d for d in doubled)


def npi_with_check_digit(first_nine: str) -> str:
    """CMS rule: the check digit makes the Luhn sum of 80840 + the 10 digits a multiple of 10."""
    return first_nine + str(-luhn_sum("80840" + first_nine + "0") % 10)


def refused(call, *args, **kwargs) -> IdentifierError:
    with pytest.raises(IdentifierError) as caught:
        call(*args, **kwargs)
    return caught.value


# --- NPI ---


def test_cms_example_npi_is_valid():
    assert npi_with_check_digit("123456789") == "1234567893"
    assert normalize_npi("1234567893") == "1234567893"


@pytest.mark.parametrize("first_nine", ["155859879", "104567890", "299999999", "100000000", "187654321"])
def test_npis_with_a_computed_check_digit_are_valid(first_nine):
    npi = npi_with_check_digit(first_nine)
    assert normalize_npi(npi) == npi


def test_spaces_are_stripped():
    assert normalize_npi(" 1234 567 893 ") == "1234567893"


@pytest.mark.parametrize("wrong_digit", [d for d in "0123456789" if d != "3"])
def test_every_other_check_digit_is_refused(wrong_digit):
    error = refused(normalize_npi, "123456789" + wrong_digit, field="referring_npi")
    assert error.field == "referring_npi"
    assert error.message == "That NPI's check digit is wrong: check for a typo."


def test_swapped_neighbouring_digits_are_caught():
    assert refused(normalize_npi, "1234567983").message.startswith("That NPI's check digit is wrong")


def test_the_80840_prefix_matters():
    """A number that passes plain Luhn without the prefix is not an NPI (the prefix adds 24 to the sum)."""
    plain_luhn_valid = "1234567897"
    assert luhn_sum(plain_luhn_valid) % 10 == 0
    assert refused(normalize_npi, plain_luhn_valid).message.startswith("That NPI's check digit is wrong")


@pytest.mark.parametrize("value", ["123456789", "12345678931", "12345-67893", "123456789A", "１２３４５６７８９３"])
def test_wrong_length_or_characters_are_refused(value):
    error = refused(normalize_npi, value)
    assert error.field == "npi"
    assert error.message == "An NPI is 10 digits."


def test_empty_npi_asks_for_one():
    assert "NPI" in refused(normalize_npi, "   ").message


# --- Medicare (MBI) ---


@pytest.mark.parametrize("value", ["1EG4-TE5-MK73", "1EG4TE5MK73", "1eg4-te5-mk73", " 1EG4 TE5 MK73 ", "9A00A00AA00"])
def test_valid_mbis_come_back_upper_case_without_dashes(value):
    expected = "9A00A00AA00" if value == "9A00A00AA00" else "1EG4TE5MK73"
    assert normalize_member_id(value, "medicare") == expected


def test_payer_kind_is_not_case_sensitive():
    assert normalize_member_id("1eg4-te5-mk73", "Medicare") == "1EG4TE5MK73"


@pytest.mark.parametrize("letter", list("SLOIBZ"))
@pytest.mark.parametrize("position", [1, 4, 7, 8])  # 0-based: positions 2, 5, 8, 9 are always letters
def test_each_excluded_letter_is_refused_where_a_letter_belongs(letter, position):
    mbi = list("1EG4TE5MK73")
    mbi[position] = letter
    error = refused(normalize_member_id, "".join(mbi), "medicare")
    assert error.field == "member_id"
    assert "S, L, O, I, B or Z" in error.message
    assert letter in error.message


@pytest.mark.parametrize("value", ["1EG4TE5MK7", "1EG4TE5MK733", "1EG4", ""])
def test_wrong_length_mbi_is_refused(value):
    message = refused(normalize_member_id, value, "medicare").message
    assert "11 letters and numbers" in message or "Enter the member ID" in message


@pytest.mark.parametrize(
    ("mbi", "position_word", "kind_word"),
    [
        ("0EG4TE5MK73", "1st", "a number from 1 to 9"),
        ("AEG4TE5MK73", "1st", "a number from 1 to 9"),
        ("11G4TE5MK73", "2nd", "a letter"),
        ("1EGATE5MK73", "4th", "a number"),
        ("1EG43E5MK73", "5th", "a letter"),
        ("1EG4TEAMK73", "7th", "a number"),
        ("1EG4TE51K73", "8th", "a letter"),
        ("1EG4TE5M173", "9th", "a letter"),
        ("1EG4TE5MKA3", "10th", "a number"),
        ("1EG4TE5MK7A", "11th", "a number"),
    ],
)
def test_wrong_character_type_names_the_position(mbi, position_word, kind_word):
    message = refused(normalize_member_id, mbi, "medicare").message
    assert f"The {position_word} character of a Medicare number is always {kind_word}," in message


@pytest.mark.parametrize("value", ["1E04TE5MK73", "1EA4T95MK73"])
def test_positions_3_and_6_take_letters_or_numbers(value):
    assert normalize_member_id(value, "medicare") == value


def test_old_ssn_based_medicare_number_asks_for_the_new_card():
    message = refused(normalize_member_id, "123-45-6789A", "medicare").message
    assert "old Medicare number" in message
    assert "1EG4-TE5-MK73" in message


def test_punctuation_in_an_mbi_is_refused():
    assert "11 letters and numbers" in refused(normalize_member_id, "1EG4/TE5/MK73", "medicare").message


# --- Other payers ---


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("xyz123456789", "XYZ123456789"),
        ("W 123 456 789", "W123456789"),
        ("ABC-12345-01", "ABC-12345-01"),
        ("12", "12"),
        ("A" * 24 + "1", "A" * 24 + "1"),
    ],
)
def test_other_member_ids_are_upper_cased_without_spaces(value, expected):
    assert normalize_member_id(value, "commercial") == expected


@pytest.mark.parametrize(
    "value", ["1", "A" * 25 + "1", "ABC--123", "-ABC123", "ABC123-", "ABC_123", "ABC/123", "ÄBC123", "ABC.123"]
)
def test_malformed_member_ids_are_refused_with_the_card_hint(value):
    error = refused(normalize_member_id, value, "medicare_advantage", field="coverage-0-member_id")
    assert error.field == "coverage-0-member_id"
    assert error.message == "A member ID is 2 to 25 letters and digits, as printed on the card."


def test_member_id_without_a_digit_is_refused():
    assert "at least one digit" in refused(normalize_member_id, "BLUECROSS", "commercial").message


def test_empty_member_id_asks_for_the_card():
    assert "insurance card" in refused(normalize_member_id, "  ", "commercial").message


# --- Phones ---


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("(312) 555-0142", "(312) 555-0142"),
        ("312.555.0142", "(312) 555-0142"),
        ("+1 312 555 0142", "(312) 555-0142"),
        ("1-312-555-0142", "(312) 555-0142"),
        ("3125550142", "(312) 555-0142"),
        ("(312) 555-0142 x12", "(312) 555-0142 x12"),
        ("312-555-0142 ext. 12", "(312) 555-0142 x12"),
        ("312 555 0142 Ext 4567", "(312) 555-0142 x4567"),
        ("3125550142x9", "(312) 555-0142 x9"),
        ("312-555-0142, extension 3", "(312) 555-0142 x3"),
    ],
)
def test_good_phone_numbers_are_formatted(value, expected):
    assert normalize_us_phone(value) == expected


@pytest.mark.parametrize(
    "value", ["555-0142", "312555014", "312555014222", "23125550142", "1-800-FLOWERS", "312*555*0142"]
)
def test_wrong_digit_counts_and_letters_are_refused(value):
    error = refused(normalize_us_phone, value, field="mobile")
    assert error.field == "mobile"
    assert "10 digits" in error.message


def test_foreign_numbers_are_refused_as_not_us():
    assert "Only US phone numbers" in refused(normalize_us_phone, "+44 20 7946 0958").message


@pytest.mark.parametrize("value", ["(012) 555-0142", "(112) 555-0142"])
def test_area_code_starting_with_0_or_1_is_refused(value):
    assert "area code never starts with 0 or 1" in refused(normalize_us_phone, value).message


@pytest.mark.parametrize("value", ["(312) 055-0142", "(312) 155-0142"])
def test_exchange_starting_with_0_or_1_is_refused(value):
    assert "never start with 0 or 1" in refused(normalize_us_phone, value).message


def test_n11_service_code_is_not_an_area_code():
    assert "service number" in refused(normalize_us_phone, "(911) 555-0142").message


@pytest.mark.parametrize("value", ["(312) 555-0142 x", "(312) 555-0142 x1234567"])
def test_bad_extensions_are_refused(value):
    with pytest.raises(IdentifierError):
        normalize_us_phone(value)


def test_empty_phone_asks_for_one():
    assert "Enter a phone number" in refused(normalize_us_phone, "").message


# --- States and ZIPs ---


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("IL", "IL"),
        ("il", "IL"),
        (" Illinois ", "IL"),
        ("new  york", "NY"),
        ("DC", "DC"),
        ("D.C.", "DC"),
        ("District of Columbia", "DC"),
        ("Washington, D.C.", "DC"),
        ("Washington", "WA"),
        ("pr", "PR"),
        ("Puerto Rico", "PR"),
        ("GU", "GU"),
        ("U.S. Virgin Islands", "VI"),
        ("AS", "AS"),
        ("Northern Mariana Islands", "MP"),
    ],
)
def test_states_and_territories(value, expected):
    assert normalize_state(value) == expected


@pytest.mark.parametrize("value", ["XX", "Ill", "Chicago", "I L L", ""])
def test_unknown_states_are_refused(value):
    error = refused(normalize_state, value)
    assert error.field == "state"
    assert "like IL" in error.message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("60607", "60607"),
        (" 60607 ", "60607"),
        ("60607-1234", "60607-1234"),
        ("606071234", "60607-1234"),
        ("00501", "00501"),
    ],
)
def test_zip_codes(value, expected):
    assert normalize_zip(value) == expected


@pytest.mark.parametrize("value", ["6060", "606071", "60607-12", "6060A", "60607-12345", "00000", "", "６０６０７"])
def test_bad_zip_codes_are_refused(value):
    error = refused(normalize_zip, value)
    assert error.field == "zip"
    assert "ZIP" in error.message


@pytest.mark.parametrize("first_nine", ["012345678", "000000001", "099999999"])
def test_an_npi_starting_with_0_is_refused_even_with_a_valid_check_digit_69_fr_3434(first_nine):
    """NPI Final Rule (69 FR 3434): NPIs are issued with a first digit of 1 or 2, never 0 (issue 16)."""
    npi = npi_with_check_digit(first_nine)
    assert refused(normalize_npi, npi).message == "An NPI never starts with 0: check for a typo."

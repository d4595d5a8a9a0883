"""Checks and tidies the identifiers a front desk types: provider NPIs, insurance member IDs, US phone numbers, states and ZIP codes."""

import re

from metpwa.rules.errors import InputError


class IdentifierError(InputError):
    """A typed identifier was refused; `message` is written for the front desk, `field` names the form field."""


def _compact(value: str) -> str:
    """The value without any whitespace, so "1234 567 893" and a pasted tab or newline do not matter."""
    return "".join((value or "").split())


# --- NPI ---------------------------------------------------------------------------------------

# CMS, "Requirements for NPI Check Digit" (NPI Final Rule, 69 FR 3434): the check digit is the Luhn
# mod-10 "double-add-double" digit computed as if the card-issuer prefix 80840 (80 = health,
# 840 = USA) were present, so we run the plain Luhn check over "80840" + the 10 digits.
_NPI_PREFIX = "80840"
# The same rule: NPIs are issued with a first digit of 1 or 2 (for now), so an NPI never starts with
# 0; a leading 0 is a slip (a spreadsheet padding, a digit dropped), even when the check digit fits.
_NPI_NEVER_STARTS_WITH = "0"


def _luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def normalize_npi(value: str, field: str = "npi") -> str:
    """The 10-digit NPI, or IdentifierError when it is not 10 digits or its check digit is wrong."""
    npi = _compact(value)
    if not npi:
        raise IdentifierError(field, "Enter the provider's NPI: 10 digits.")
    if len(npi) != 10 or not npi.isascii() or not npi.isdigit():
        raise IdentifierError(field, "An NPI is 10 digits.")
    if npi.startswith(_NPI_NEVER_STARTS_WITH):
        raise IdentifierError(field, "An NPI never starts with 0: check for a typo.")
    if not _luhn_ok(_NPI_PREFIX + npi):
        raise IdentifierError(field, "That NPI's check digit is wrong: check for a typo.")
    return npi


# --- Member IDs --------------------------------------------------------------------------------

# CMS, "Understanding the Medicare Beneficiary Identifier (MBI) Format": 11 characters,
# positions C A AN N A AN N A A N N, where C = 1-9, N = 0-9, A = A-Z without S, L, O, I, B, Z
# (they look like 5, 1, 0, 1, 8, 2), AN = either. Dashes are printed on the card only.
_MBI_LETTERS = "ACDEFGHJKMNPQRTUVWXY"
_MBI_CLASSES = {
    "C": "123456789",
    "N": "0123456789",
    "A": _MBI_LETTERS,
    "AN": "0123456789" + _MBI_LETTERS,
}
_MBI_FORMAT = ("C", "A", "AN", "N", "A", "AN", "N", "A", "A", "N", "N")
_MBI_KIND_WORDS = {
    "C": "a number from 1 to 9",
    "N": "a number",
    "A": "a letter",
    "AN": "a letter or a number",
}
_MBI_EXCLUDED = frozenset("SLOIBZ")
_MBI_EXAMPLE = "1EG4-TE5-MK73"
_ORDINALS = ("1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "10th", "11th")
# Old SSN-based Medicare numbers (HICN: 9 digits and a letter code) stopped being accepted on claims
# in 2020; spotting one lets us tell the front desk to ask for the new card instead of "wrong format".
_HICN = re.compile(r"\d{9}[A-Z][A-Z0-9]?")
_MEMBER_ID = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)*")


def _normalize_mbi(member_id: str, field: str) -> str:
    mbi = member_id.replace("-", "")
    if _HICN.fullmatch(mbi):
        raise IdentifierError(
            field,
            "That looks like an old Medicare number based on a Social Security number. "
            f"Ask for the current red-white-and-blue card: its Medicare number looks like {_MBI_EXAMPLE}.",
        )
    if len(mbi) != 11 or not mbi.isascii() or not mbi.isalnum():
        raise IdentifierError(field, f"A Medicare number (MBI) is 11 letters and numbers, like {_MBI_EXAMPLE}.")
    excluded = sorted(set(mbi) & _MBI_EXCLUDED)
    if excluded:
        raise IdentifierError(
            field,
            f"A Medicare number never uses the letters S, L, O, I, B or Z (found {', '.join(excluded)}): "
            "check for a 5, 1, 0, 1, 8 or 2 instead.",
        )
    for position, (char, kind) in enumerate(zip(mbi, _MBI_FORMAT, strict=True)):
        if char not in _MBI_CLASSES[kind]:
            raise IdentifierError(
                field,
                f"The {_ORDINALS[position]} character of a Medicare number is always {_MBI_KIND_WORDS[kind]}, "
                f"like {_MBI_EXAMPLE}: check the card.",
            )
    return mbi


def normalize_member_id(value: str, payer_kind: str, field: str = "member_id") -> str:
    """The member ID in upper case without spaces; for traditional Medicare the 11-character MBI without dashes.

    Medicare Advantage plans print their own member IDs, so they come with a payer_kind other than "medicare".
    """
    member_id = _compact(value).upper()
    if not member_id:
        raise IdentifierError(field, "Enter the member ID exactly as printed on the insurance card.")
    if (payer_kind or "").strip().lower() == "medicare":
        return _normalize_mbi(member_id, field)
    if not (2 <= len(member_id) <= 25) or not member_id.isascii() or not _MEMBER_ID.fullmatch(member_id):
        raise IdentifierError(field, "A member ID is 2 to 25 letters and digits, as printed on the card.")
    if not any(char.isdigit() for char in member_id):
        raise IdentifierError(field, "A member ID has at least one digit: copy it from the card, not the plan name.")
    return member_id


# --- Phone numbers -----------------------------------------------------------------------------

_EXTENSION = re.compile(r"(?:x|ext\.?|extension)\s*(\d{1,6})\s*$", re.IGNORECASE)
_PHONE_CHARS = re.compile(r"[0-9()+.\-\s]*")
_PHONE_EXAMPLE = "(312) 555-0142"


def normalize_us_phone(value: str, field: str = "phone") -> str:
    """A US (NANP) number as "(312) 555-0142", with " x12" when an extension was given."""
    text = (value or "").strip()
    if not text:
        raise IdentifierError(field, f"Enter a phone number, like {_PHONE_EXAMPLE}.")
    extension = ""
    match = _EXTENSION.search(text)
    if match:
        extension = match.group(1)
        text = text[: match.start()].rstrip(" ,;")
    # Letters (vanity numbers) and other punctuation are refused rather than guessed at.
    if not _PHONE_CHARS.fullmatch(text):
        raise IdentifierError(field, f"A phone number is 10 digits, like {_PHONE_EXAMPLE}.")
    digits = re.sub(r"\D", "", text)
    if text.startswith("+") and not digits.startswith("1"):
        raise IdentifierError(field, "Only US phone numbers can be stored: 10 digits, like (312) 555-0142.")
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10:
        raise IdentifierError(field, f"A phone number is 10 digits, like {_PHONE_EXAMPLE}.")
    area, exchange, line = digits[:3], digits[3:6], digits[6:]
    # NANP numbering plan: area codes and exchanges are NXX (N = 2-9); N11 codes (211, 311, 911...)
    # are service codes and never area codes.
    if area[0] in "01":
        raise IdentifierError(field, "An area code never starts with 0 or 1: check the first digit.")
    if area[1:] == "11":
        raise IdentifierError(field, f"{area} is a service number, not an area code: check the first 3 digits.")
    if exchange[0] in "01":
        raise IdentifierError(field, "The 3 digits after the area code never start with 0 or 1: check for a typo.")
    formatted = f"({area}) {exchange}-{line}"
    return f"{formatted} x{extension}" if extension else formatted


# --- Addresses ---------------------------------------------------------------------------------

# USPS two-letter codes: the 50 states, DC, and the inhabited territories.
_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa",
    "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
    "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri",
    "MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
    "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio",
    "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    "DC": "District of Columbia", "PR": "Puerto Rico", "GU": "Guam", "VI": "Virgin Islands",
    "AS": "American Samoa", "MP": "Northern Mariana Islands",
}
_STATE_NAMES = {name.lower(): code for code, name in _STATES.items()} | {
    "washington dc": "DC",
    "us virgin islands": "VI",
    "united states virgin islands": "VI",
    "commonwealth of the northern mariana islands": "MP",
    "commonwealth of puerto rico": "PR",
}


def normalize_state(value: str, field: str = "state") -> str:
    """The USPS two-letter code for a state, DC or territory, given the code or the full name."""
    # Dots go and commas separate, so "D.C.", "Washington, D.C." and "U.S. Virgin Islands" match.
    words = (value or "").replace(".", "").replace(",", " ").split()
    if not words:
        raise IdentifierError(field, "Enter the state, like IL.")
    joined = "".join(words).upper()
    if joined in _STATES:
        return joined
    code = _STATE_NAMES.get(" ".join(words).lower())
    if code is None:
        raise IdentifierError(field, "Use the 2-letter state code, like IL, or the state's full name.")
    return code


def normalize_zip(value: str, field: str = "zip") -> str:
    """The ZIP code as "60607" or "60607-1234"."""
    text = _compact(value)
    if not text:
        raise IdentifierError(field, "Enter the ZIP code, like 60607.")
    match = re.fullmatch(r"(\d{5})(?:-?(\d{4}))?", text) if text.isascii() else None
    if match is None:
        raise IdentifierError(field, "A ZIP code is 5 digits, or 5 + 4 like 60607-1234.")
    zip5, plus4 = match.groups()
    if zip5 == "00000":
        raise IdentifierError(field, "00000 is not a ZIP code: check the address.")
    return f"{zip5}-{plus4}" if plus4 else zip5

"""The small parsers every form reader and rule shares: a whole number, a decimal, a line or block
of text, a US date. Each takes what was typed and returns the value, or None when it cannot be
read; the caller says what is wrong in its own words, since the limits differ by field."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal

# ASCII digits and at most a minus sign: int(), float() and Decimal() would also take "+5", "nan",
# "1e3", "1_000" or "٣". The length caps keep a pasted thousand-digit number cheap and are far above
# any range the app keeps.
_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,9}", re.ASCII)
_DECIMAL = re.compile(r"-?(?:[0-9]{1,9}(?:\.[0-9]{0,6})?|\.[0-9]{1,6})", re.ASCII)
# iPad keyboards and pasted text may give a typographic minus (an extension lag, a temperature).
_MINUS_SIGNS = str.maketrans({"−": "-", "–": "-"})

# 3/14/1952, 03-14-1952, 1952-03-14 (a date input), 3/14/52 and 03141952 (the numeric keypad).
US_DATE_FORMATS = ("%m/%d/%Y", "%m-%d-%Y", "%Y-%m-%d", "%m/%d/%y", "%m%d%Y")
# Where the page asks for the year in full and a dash could be read day first (the plan builder).
FULL_DATE_FORMATS = ("%m/%d/%Y", "%Y-%m-%d")
# Dates the practice keeps: births, referrals, plans, appointments. A year outside is a typing slip,
# and one near the calendar's ends overflows when the day is turned into a time (a server error).
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


def whole_number(text: str | None, low: int | None = None, high: int | None = None) -> int | None:
    """A whole number within [low, high] when given; None when blank, unreadable or outside."""
    text = (text or "").strip().translate(_MINUS_SIGNS)
    if not _WHOLE_NUMBER.fullmatch(text):
        return None
    number = int(text)
    if (low is not None and number < low) or (high is not None and number > high):
        return None
    return number


def decimal(text: str | None) -> Decimal | None:
    """A decimal number as typed (up to six places), or None when blank or unreadable."""
    text = (text or "").strip().translate(_MINUS_SIGNS)
    return Decimal(text) if _DECIMAL.fullmatch(text) else None


def clean_text(value: str, *, multiline: bool) -> str:
    """What was typed, without control characters (a pasted NUL, a stray escape), which cannot be
    shown or stored everywhere; line breaks stay only where the box has room for them."""
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    value = "".join(
        ch for ch in unicodedata.normalize("NFC", value) if ch == "\n" or unicodedata.category(ch) != "Cc"
    )
    return value.strip() if multiline else " ".join(value.split())


def us_date(text: str | None, *, today: date | None = None,
            formats: tuple[str, ...] = US_DATE_FORMATS) -> date | None:
    """A date typed in one of `formats`, from EARLIEST_YEAR to LATEST_YEAR, else None. With `today`,
    a two-digit year goes back a century when it would be after today (a birth year of 52 is 1952,
    never 2052)."""
    text = (text or "").strip()
    if any(ch.isspace() for ch in text):
        return None  # strptime would take "3/ 4/2026"; nobody types that
    for pattern in formats:
        try:
            parsed = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        if today is not None and pattern.endswith("%y") and parsed > today:
            parsed = parsed.replace(year=parsed.year - 100)
        return parsed if EARLIEST_YEAR <= parsed.year <= LATEST_YEAR else None
    return None

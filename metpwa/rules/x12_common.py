"""What the X12 writers share: delimiters, the envelope, and element values in X12's own formats
(text in the basic character set, CCYYMMDD dates, decimal numbers without trailing zeros)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

ELEMENT = "*"
COMPONENT = ":"
REPETITION = "^"
SEGMENT = "~"
_DELIMITERS = re.compile(r"[*:~^\x00-\x1f\x7f]")
_SPACES = re.compile(r"\s+")


class X12WriteError(ValueError):
    """The values cannot make a valid transaction; `message` says which and why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Envelope:
    """The interchange (ISA/IEA) and functional group (GS/GE) around the transactions.

    Control numbers come from the caller, who keeps them unique per trading partner.
    """

    sender_id: str
    receiver_id: str
    interchange_control_number: int
    group_control_number: int
    # The practice's local time when the file is made.
    created_at: datetime
    sender_qualifier: str = "ZZ"
    receiver_qualifier: str = "ZZ"
    production: bool = False
    acknowledgement_requested: bool = False


def text(value: str | None, max_length: int | None = None) -> str:
    """Upper-case ASCII without delimiters or control characters, spaces collapsed, cut to length."""
    plain = unicodedata.normalize("NFKD", value or "").encode("ascii", "ignore").decode("ascii")
    plain = _SPACES.sub(" ", _DELIMITERS.sub(" ", plain)).strip().upper()
    return plain[:max_length].rstrip() if max_length else plain


def identifier(value: str | None) -> str:
    """An identifier with every space, dash and delimiter removed ("12-3456789" -> "123456789")."""
    return re.sub(r"[^A-Za-z0-9]", "", value or "").upper()


def digits(value: str | None) -> str:
    return re.sub(r"\D", "", value or "")


def ccyymmdd(day: date) -> str:
    return day.strftime("%Y%m%d")


def amount(value: Decimal) -> str:
    """An X12 decimal (R): cents at most, no trailing zeros, no exponent ("85.50" -> "85.5", "100.00" -> "100")."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise X12WriteError(f"money must be a finite Decimal, not {value!r}")
    cents = value.quantize(Decimal("0.01"))
    if cents != value:
        raise X12WriteError(f"{value} has more than two decimal places")
    formatted = f"{cents:f}"
    if "." in formatted:
        formatted = formatted.rstrip("0").rstrip(".")
    return "0" if formatted in ("", "-0") else formatted


def quantity(value: int | Decimal) -> str:
    if isinstance(value, bool):
        raise X12WriteError("a quantity must be a number")
    if isinstance(value, int):
        return str(value)
    return amount(value)


def segment(tag: str, *elements: str) -> str:
    """A segment with trailing empty elements dropped, as X12 requires."""
    values = list(elements)
    while values and values[-1] == "":
        values.pop()
    return ELEMENT.join([tag, *values]) + SEGMENT


def composite(*components: str) -> str:
    values = list(components)
    while values and values[-1] == "":
        values.pop()
    return COMPONENT.join(values)


def isa(envelope: Envelope) -> str:
    if not 1 <= envelope.interchange_control_number <= 999_999_999:
        raise X12WriteError("the interchange control number must be 1 to 999999999")
    sender = text(envelope.sender_id, 15)
    receiver = text(envelope.receiver_id, 15)
    if not sender or not receiver:
        raise X12WriteError("the submitter and receiver IDs are needed for the interchange header")
    return segment(
        "ISA", "00", " " * 10, "00", " " * 10,
        envelope.sender_qualifier, f"{sender:<15}", envelope.receiver_qualifier, f"{receiver:<15}",
        envelope.created_at.strftime("%y%m%d"), envelope.created_at.strftime("%H%M"),
        REPETITION, "00501", f"{envelope.interchange_control_number:09d}",
        "1" if envelope.acknowledgement_requested else "0", "P" if envelope.production else "T", COMPONENT,
    )


def gs(envelope: Envelope, functional_code: str, version: str) -> str:
    if not 1 <= envelope.group_control_number <= 999_999_999:
        raise X12WriteError("the group control number must be 1 to 999999999")
    return segment(
        "GS", functional_code, text(envelope.sender_id, 15), text(envelope.receiver_id, 15),
        ccyymmdd(envelope.created_at.date()), envelope.created_at.strftime("%H%M"),
        str(envelope.group_control_number), "X", version,
    )


def trailer(envelope: Envelope, transaction_count: int) -> list[str]:
    return [
        segment("GE", str(transaction_count), str(envelope.group_control_number)),
        segment("IEA", "1", f"{envelope.interchange_control_number:09d}"),
    ]


def join(segments: list[str], line_breaks: bool) -> str:
    return ("\n".join(segments) + "\n") if line_breaks else "".join(segments)


def split_segments(document: str) -> tuple[list[list[str]], str, str]:
    """The segments of an X12 text as lists of elements, with its component and repetition
    separators, read from the ISA header (positions fixed by the standard)."""
    start = document.find("ISA")
    if start < 0 or len(document) < start + 106:
        raise ValueError("not an X12 interchange: no ISA header")
    header = document[start:start + 106]
    element, repetition, component, terminator = header[3], header[82], header[104], header[105]
    segments = []
    for raw in document[start:].split(terminator):
        raw = raw.strip("\r\n\t ")
        if raw:
            segments.append(raw.split(element))
    return segments, component, repetition

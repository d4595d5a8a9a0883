"""Checks the identifiers a claim carries besides NPIs and member IDs (rules/identifiers.py has
those): the billing provider's tax ID, the electronic payer ID and a provider taxonomy code."""

from __future__ import annotations

import re

from metpwa.rules.identifiers import IdentifierError

# IRS, "How EINs are assigned and valid EIN prefixes": the two-digit campus prefixes in use.
_EIN_PREFIXES = frozenset(
    [f"{n:02d}" for n in (*range(1, 7), *range(10, 17), *range(20, 28), *range(30, 49), *range(50, 69),
                          *range(71, 78), *range(80, 89), *range(90, 96), 98, 99)]
)
_PAYER_ID = re.compile(r"[A-Z0-9]{2,15}")
# NUCC Health Care Provider Taxonomy: 10 characters, three digits first, X last ("225100000X").
_TAXONOMY = re.compile(r"\d{3}[0-9A-Z]{6}X")


def normalize_tax_id(value: str, kind: str = "EI", field: str = "tax_id") -> str:
    """The 9 digits of an employer identification number ("EI") or a social security number ("SY")."""
    digits = re.sub(r"[\s-]", "", value or "")
    if not digits:
        raise IdentifierError(field, "Enter the federal tax ID: the EIN, like 36-1234567.")
    if len(digits) != 9 or not digits.isascii() or not digits.isdigit():
        raise IdentifierError(field, "A tax ID is 9 digits, like 36-1234567.")
    if kind == "SY":
        if digits[:3] in ("000", "666") or digits[0] == "9" or digits[3:5] == "00" or digits[5:] == "0000":
            raise IdentifierError(field, "That is not a valid social security number: check it.")
        return digits
    if digits[:2] not in _EIN_PREFIXES:
        raise IdentifierError(field, f"No EIN starts with {digits[:2]}: check the first two digits.")
    return digits


def normalize_payer_id(value: str, field: str = "payer_id") -> str:
    """The electronic payer ID as the clearinghouse lists it: 2 to 15 letters and digits."""
    payer_id = re.sub(r"\s", "", value or "").upper()
    if not payer_id:
        raise IdentifierError(field, "Enter the payer ID from the clearinghouse's payer list, like 60054.")
    if not payer_id.isascii() or not _PAYER_ID.fullmatch(payer_id):
        raise IdentifierError(field, "A payer ID is 2 to 15 letters and digits, like 60054.")
    return payer_id


def normalize_taxonomy(value: str, field: str = "taxonomy") -> str:
    taxonomy = re.sub(r"\s", "", value or "").upper()
    if not _TAXONOMY.fullmatch(taxonomy):
        raise IdentifierError(field, "A taxonomy code is 10 characters ending in X, like 225100000X.")
    return taxonomy

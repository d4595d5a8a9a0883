"""Claims as plain values for the billing rules' tests: a valid claim by default, any part replaced
with dataclasses.replace; NPIs with a computed check digit; pyx12 run through its Python API."""

from __future__ import annotations

import io
import json
import logging
import os
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from metpwa.rules.claim_document import (
    Address,
    BillingProvider,
    ClaimDocument,
    Payer,
    Person,
    Provider,
    ServiceLine,
    Subscriber,
)
from metpwa.rules.x12_837p import Submitter
from metpwa.rules.x12_common import Envelope
from metpwa.standards.billing import CredentialKind, PayerKind

ROOT = Path(__file__).resolve().parents[2]


def samples_dir() -> Path:
    """The public X12 samples, read in place: METPWA_X12_SAMPLES, else ../shared/reference/x12-samples
    beside the repository (a worktree one level deeper finds it one more level up)."""
    configured = os.environ.get("METPWA_X12_SAMPLES")
    if configured:
        return Path(configured)
    for base in (ROOT, *ROOT.parents):
        candidate = base / "shared" / "reference" / "x12-samples"
        if candidate.is_dir():
            return candidate
    return ROOT.parent / "shared" / "reference" / "x12-samples"


def npi(first_nine: str) -> str:
    """An NPI whose check digit passes the Luhn check over 80840 + the 10 digits."""
    body = "80840" + first_nine
    total = 0
    for position, char in enumerate(reversed(body + "0")):
        digit = int(char)
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit * 2 > 9 else digit * 2
        total += digit
    return first_nine + str(-total % 10)


BILLING_NPI = npi("145678901")
PT_NPI = npi("167890123")
MES_NPI = npi("178901234")
REFERRING_NPI = npi("189012345")

OFFICE = Address("120 W Madison St", "Chicago", "IL", "606021234", line2="Suite 400")

BILLING = BillingProvider(name="Lakeshore Medical Exercise LLC", npi=BILLING_NPI, tax_id="36-1234567",
                          address=OFFICE, taxonomy="225100000X", phone="3125550142", ref=1)
PT = Provider("Okafor", "Grace", npi=PT_NPI, taxonomy="225100000X", credential=CredentialKind.PT,
              licence_number="070.012345", licence_expires_on=date(2027, 9, 30), ref=11)
MES = Provider("Lindqvist", "Jonas", npi=MES_NPI, credential=CredentialKind.MES, ref=12)
REFERRING = Provider("Reyes", "Ana", npi=REFERRING_NPI, ref=21)
CLIENT = Person("Whitfield", "Margaret", date(1951, 3, 14), "F",
                address=Address("88 N Lake Shore Dr", "Chicago", "IL", "60611"))
COMMERCIAL = Payer("Prairie Health Plan", PayerKind.COMMERCIAL, payer_id="PHP01", ref=31)

SUBMITTER = Submitter(name="Lakeshore Medical Exercise LLC", contact_name="Dana Billing", phone="(312) 555-0142",
                      receiver_name="Example Clearinghouse")


def envelope(**changes) -> Envelope:
    values = {"sender_id": "LAKESHOREMET", "receiver_id": "CLEARHOUSE", "interchange_control_number": 1,
                  "group_control_number": 1, "created_at": datetime(2026, 3, 2, 9, 30)}
    values.update(changes)
    return Envelope(**values)


def line(code: str = "97110", units: int = 2, charge: str = "90.00", *, day: date = date(2026, 2, 16),
         number: str = "L1", **changes) -> ServiceLine:
    values = {"line_control_number": number, "service_date": day, "code": code, "charge": Decimal(charge), "units": units,
                  "diagnosis_pointers": (1,), "rendering": PT, "performed_by": MES, "session_id": 501}
    values.update(changes)
    return ServiceLine(**values)


def claim(**changes) -> ClaimDocument:
    values = {
        "patient_control_number": "C1001",
        "billing_provider": BILLING,
        "subscriber": Subscriber(CLIENT, member_id="XQP123456789", group_number="GRP7781"),
        "payer": COMMERCIAL,
        "lines": (line(),),
        "diagnoses": ("M17.11", "R26.89"),
        "referring": REFERRING,
        "rendering": PT,
        "ref": 1001,
        "client_ref": 7,
    }
    values.update(changes)
    return ClaimDocument(**values)


def with_lines(document: ClaimDocument, *lines: ServiceLine) -> ClaimDocument:
    return replace(document, lines=tuple(lines))


def pyx12_check(x12_text: str) -> tuple[bool, list[str]]:
    """pyx12's verdict through its Python API, and its error list (x12-samples/README.md: no BOM,
    fd_xmldoc=None so unknown segments give False instead of an AttributeError, exceptions caught)."""
    import pyx12.params
    import pyx12.x12n_document

    logging.getLogger("pyx12").addHandler(logging.NullHandler())
    logging.getLogger("pyx12").propagate = False
    errors: list[str] = []
    out = io.StringIO()
    try:
        ok = pyx12.x12n_document.x12n_document(pyx12.params.params(), io.StringIO(x12_text), out, None, None,
                                               fd_json=(json_out := io.StringIO()))
    except Exception as error:  # noqa: BLE001 - pyx12 raises on some bad input instead of answering False
        return False, [f"{type(error).__name__}: {error}"]
    raw = json_out.getvalue().strip()
    if raw:
        try:
            _flatten(json.loads(raw), errors)
        except ValueError:
            errors = raw.splitlines()
    return bool(ok), errors


def _flatten(node, errors: list[str], where: str = "") -> None:
    if isinstance(node, list):
        for item in node:
            _flatten(item, errors, where)
    elif isinstance(node, dict):
        here = f"line {node.get('cur_line')} {node.get('seg_id')}" if "seg_id" in node else where
        for error in node.get("errors") or []:
            if isinstance(error, dict) and "err_str" in error:
                errors.append(f"{here}: [{error.get('err_cde')}] {error.get('err_str')}")
        for key, value in node.items():
            if key != "errors" and isinstance(value, list | dict):
                _flatten(value, errors, here)

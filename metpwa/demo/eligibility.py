"""The demo's eligibility checks: the front desk and the biller have verified the insured clients'
plans by phone, the payer's website and the 270/271 exchange, with one authorisation that has run out
and one plan with nearly all its visits used. Runs after the billing set-up; with no payers set up or
no insured clients it does nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from ..clock import practice_today
from ..extensions import db
from ..models import Coverage, Payer, Practice, User
from ..services import eligibility
from ..services.eligibility import AuthorisationValues, VerificationValues

# Per plan, in turn: how it was checked, copay, coinsurance %, deductible left, visits allowed and used.
CHECKS = (
    ("phone", Decimal("30.00"), None, Decimal("250.00"), 24, 9),
    ("portal", Decimal("25.00"), Decimal(20), Decimal("0.00"), 30, 11),
    ("x12", None, Decimal(20), Decimal("412.75"), 20, 18),
    ("portal", Decimal("40.00"), None, Decimal("1250.00"), None, None),
)
NOTES = {
    "phone": "Spoke with the payer's provider line; benefits for exercise services confirmed for this plan year.",
    "portal": "Checked on the payer's provider website; printout scanned to the client's documents.",
    "x12": "Electronic check through the clearinghouse.",
}


def seed_eligibility(practice: Practice, people: dict[str, User]) -> None:
    if db.session.scalar(select(Payer.id).where(Payer.practice_id == practice.id).limit(1)) is None:
        return
    coverages = db.session.scalars(
        select(Coverage).where(Coverage.practice_id == practice.id, Coverage.ended_at.is_(None),
                               Coverage.payer_kind.in_(("commercial", "medicare_advantage")))
        .order_by(Coverage.client_id, Coverage.priority)).all()
    if not coverages:
        return
    desk, biller = people["tom"], people["ellen"]
    today = practice_today(practice)
    for n, coverage in enumerate(coverages):
        method, copay, coinsurance, deductible, allowed, used = CHECKS[n % len(CHECKS)]
        who = desk if method == "phone" else biller
        number = f"PA{coverage.id:04d}{n:02d}" if allowed else None
        # The first plan's authorisation ran out two weeks ago: its page says to ask for a new one.
        expires = today - timedelta(days=14) if n == 0 else today + timedelta(days=60 + 7 * n) if number else None
        eligibility.record_verification(who, coverage, VerificationValues(
            verified_on=today - timedelta(days=3 + 5 * n), method=method, active=True, visits_allowed=allowed,
            visits_used=used, copay=copay, coinsurance_percent=coinsurance, deductible_remaining=deductible,
            authorisation_number=number, authorisation_expires_on=expires,
            reference=f"REF{coverage.id:03d}{n:02d}" if method != "x12" else None, note=NOTES[method]))
        if number:
            eligibility.add_authorisation(biller, coverage, AuthorisationValues(
                number=number, starts_on=(expires or today) - timedelta(days=90), ends_on=expires,
                visits_authorised=allowed))

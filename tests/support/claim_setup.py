"""A practice's billing set-up and a signed session, made straight from the models, for the claim
tests, the hostile suite's world and the bench: each call returns the ids it made."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from metpwa.extensions import db
from metpwa.models import (
    BillingProvider,
    Coverage,
    EligibilityVerification,
    FeeScheduleEntry,
    Payer,
    PlanSignature,
    PlanVersion,
    Referral,
    ReferralDiagnosis,
    ReferringProvider,
    RenderingProvider,
    SessionLog,
    Supervision,
)
from support.claims import BILLING_NPI, MES_NPI, PT_NPI, REFERRING_NPI

FEES = {"97110": "45.00", "97112": "48.00", "97116": "44.00", "97530": "50.00", "S9451": "65.00", "0592T": "70.00"}
SERVICE_DAY = date(2026, 2, 16)


@dataclass
class Setup:
    payer_id: int
    coverage_id: int | None
    rendering_id: int
    supervisor_id: int
    referral_id: int


def set_up(practice_id: int, trainer_id: int, client_id: int, *, kind: str = "commercial", route: str = "837p",
           accepts_mes: bool = True, mes_codes: tuple[str, ...] = ("97110", "97530", "S9451"),
           supervised: bool = False, unit_method: str = "cms_total_time", credential: str = "mes",
           self_pay: bool = False, name: str = "Prairie Health Plan", payer_id: str | None = "PHP01") -> Setup:
    """Inside an app context: billing provider, the trainer as a rendering provider, a PT who may
    supervise, the payer and (unless self-pay) a coverage linked to it, a referral with billable codes,
    an eligibility check and the fee schedule."""
    db.session.add(BillingProvider(practice_id=practice_id, name="Lakeshore Medical Exercise LLC", npi=BILLING_NPI,
                                   tax_id="36-1234567", taxonomy="225400000X", address_line1="120 W Madison St",
                                   city="Chicago", state="IL", postal_code="60602-1234", phone="(312) 555-0142"))
    mes = RenderingProvider(practice_id=practice_id, user_id=trainer_id, first_name="Jonas", last_name="Lindqvist",
                            credential=credential, npi=MES_NPI)
    pt = RenderingProvider(practice_id=practice_id, first_name="Grace", last_name="Okafor", credential="pt",
                           npi=PT_NPI, licence_number="070.012345", licence_state="IL", taxonomy="225100000X")
    payer = Payer(practice_id=practice_id, name=name, payer_id=None if self_pay else payer_id,
                  kind="self_pay" if self_pay else kind, claim_route="superbill" if self_pay else route,
                  unit_method=unit_method, accepts_mes=accepts_mes and kind != "medicare",
                  mes_codes=list(mes_codes), allows_supervised_billing=supervised)
    db.session.add_all([mes, pt, payer])
    db.session.flush()
    coverage = None
    if not self_pay:
        coverage = Coverage(practice_id=practice_id, client_id=client_id, payer_name=name, payer_id=payer_id,
                            payer_kind=kind, payer_record_id=payer.id, member_id="XQP123456789" if kind != "medicare"
                            else "1EG4TE5MK73", effective_on=date(2026, 1, 1))
        db.session.add(coverage)
        db.session.flush()
        db.session.add(EligibilityVerification(practice_id=practice_id, client_id=client_id, coverage_id=coverage.id,
                                               verified_on=date(2026, 1, 10), method="portal", active=True))
    else:
        from metpwa.models import Client

        db.session.get(Client, client_id).self_pay = True
    provider = ReferringProvider(practice_id=practice_id, first_name="Ana", last_name="Reyes", npi=REFERRING_NPI)
    db.session.add(provider)
    db.session.flush()
    referral = Referral(practice_id=practice_id, client_id=client_id, provider_id=provider.id,
                        referred_on=date(2026, 1, 5), reason="Knee osteoarthritis; strengthening", authorized_visits=24)
    db.session.add(referral)
    db.session.flush()
    for position, (code, words) in enumerate((("M17.11", "Primary osteoarthritis, right knee"),
                                              ("R26.89", "Other abnormalities of gait")), start=1):
        db.session.add(ReferralDiagnosis(practice_id=practice_id, referral_id=referral.id, position=position,
                                         code=code, as_written=code, description=words, code_set="ICD-10-CM"))
    # The scrubber bills only under a signed current Plan of Exercise (issue 16).
    plan = PlanVersion(practice_id=practice_id, client_id=client_id, version=1, reason="Initial plan",
                       created_by_id=trainer_id, starts_on=date(2026, 1, 6), review_on=date(2026, 4, 6),
                       frequency_per_week=2, duration_weeks=12)
    db.session.add(plan)
    db.session.flush()
    db.session.add(PlanSignature(practice_id=practice_id, plan_id=plan.id, signed_by_id=trainer_id,
                                 signed_at=datetime(2026, 1, 6, 16, tzinfo=UTC), attestation="Signed for the tests"))
    for code, fee in FEES.items():
        db.session.add(FeeScheduleEntry(practice_id=practice_id, code=code, charge=Decimal(fee),
                                        effective_on=date(2026, 1, 1)))
    db.session.commit()
    return Setup(payer.id, coverage.id if coverage else None, mes.id, pt.id, referral.id)


def signed_session(practice_id: int, client_id: int, trainer_id: int, *, day: date = SERVICE_DAY,
                   minutes: dict[str, int] | None = None, supervisor_id: int | None = None) -> int:
    """A signed session on `day` (3 PM UTC) with these activity minutes (33 of exercise, 7 functional)."""
    minutes = minutes if minutes is not None else {"therapeutic_exercise": 33, "functional_activities": 7}
    started = datetime(day.year, day.month, day.day, 15, tzinfo=UTC)
    session = SessionLog(practice_id=practice_id, client_id=client_id, trainer_id=trainer_id, started_at=started,
                         ended_at=started + timedelta(minutes=45), note_performance="Completed the plan",
                         scope_overrides=[], signed_at=started + timedelta(minutes=50), signed_by_id=trainer_id,
                         **{f"minutes_{activity}": value for activity, value in minutes.items()})
    db.session.add(session)
    db.session.flush()
    if supervisor_id is not None:
        db.session.add(Supervision(practice_id=practice_id, supervisor_id=supervisor_id, session_id=session.id,
                                   supervised_on=day, recorded_by_id=trainer_id))
    db.session.commit()
    return session.id


def set_up_medicare_pt_past_threshold(practice_id: int, trainer_id: int, client_id: int) -> Setup:
    """Inside an app context: a PT billing traditional Medicare, whose contracted 97110 at $1,200 a unit
    passes the year's therapy threshold (standards.md "Modifiers") within a session or two."""
    from decimal import Decimal

    from metpwa.extensions import db
    from metpwa.models import ContractedRate

    setup = set_up(practice_id, trainer_id, client_id, kind="medicare", name="Medicare Part B", payer_id="00952",
                   credential="pt")
    db.session.add(ContractedRate(practice_id=practice_id, payer_id=setup.payer_id, code="97110",
                                  allowed=Decimal("1200.00"), effective_on=SERVICE_DAY.replace(day=1)))
    db.session.commit()
    return setup

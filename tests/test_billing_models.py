"""Billing set-up and claim records on the real engine: money stays Decimal, the tax ID and files are
sealed at rest, and the database refuses what must never be stored (units of 0, Medicare set up for
MES routes, an override with no reason, an edited status history)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import exc, select, text, update
from support.claims import BILLING_NPI, MES_NPI, PT_NPI

from metpwa.models import (
    BillingProvider,
    Claim,
    ClaimDiagnosis,
    ClaimLine,
    ClaimOverride,
    ClaimStatusChange,
    Coverage,
    EligibilityVerification,
    FeeScheduleEntry,
    Payer,
    RenderingProvider,
    SessionLog,
    Supervision,
)


@pytest.fixture
def billing(app, db, make):
    practice_id = make.practice()
    owner = make.user(practice_id, "owner")
    client_id = make.client_record(practice_id)
    with app.app_context():
        coverage = Coverage(practice_id=practice_id, client_id=client_id, payer_name="Prairie Health Plan",
                            payer_id="PHP01", member_id="XQP123456789")
        payer = Payer(practice_id=practice_id, name="Prairie Health Plan", payer_id="PHP01", accepts_mes=True,
                      mes_codes=["97110", "S9451"])
        provider = BillingProvider(practice_id=practice_id, name="Lakeshore Medical Exercise LLC", npi=BILLING_NPI,
                                   tax_id="361234567", address_line1="120 W Madison St", city="Chicago", state="IL",
                                   postal_code="60602-1234")
        mes = RenderingProvider(practice_id=practice_id, first_name="Jonas", last_name="Lindqvist", credential="mes",
                                npi=MES_NPI)
        pt = RenderingProvider(practice_id=practice_id, first_name="Grace", last_name="Okafor", credential="pt",
                               npi=PT_NPI, licence_number="070.012345", licence_state="IL")
        session = SessionLog(practice_id=practice_id, client_id=client_id, trainer_id=owner.id,
                             started_at=datetime(2026, 2, 16, 15, tzinfo=UTC), minutes_therapeutic_exercise=33,
                             minutes_functional_activities=7)
        db.session.add_all([coverage, payer, provider, mes, pt, session])
        db.session.flush()
        claim = Claim(practice_id=practice_id, client_id=client_id, payer_id=payer.id, coverage_id=coverage.id,
                      billing_provider_id=provider.id, patient_control_number="C1001", payment_route="payer_accepts_mes",
                      claim_route="837p", total_charge=Decimal("135.00"), created_by_id=owner.id)
        claim.diagnoses = [ClaimDiagnosis(practice_id=practice_id, position=1, code="M17.11")]
        claim.lines = [
            ClaimLine(practice_id=practice_id, position=1, line_control_number="L0001", service_date=date(2026, 2, 16),
                      code="97110", modifiers=[], units=2, charge=Decimal("90.00"), diagnosis_pointers=[1], minutes=33,
                      session_id=session.id, performed_by_id=mes.id, rendering_provider_id=mes.id),
            ClaimLine(practice_id=practice_id, position=2, line_control_number="L0002", service_date=date(2026, 2, 16),
                      code="97530", modifiers=["59"], units=1, charge=Decimal("45.00"), diagnosis_pointers=[1],
                      minutes=7, session_id=session.id, performed_by_id=mes.id, rendering_provider_id=mes.id),
        ]
        db.session.add(claim)
        db.session.add(ClaimStatusChange(practice_id=practice_id, claim=claim, to_status="draft",
                                         changed_by_id=owner.id))
        db.session.add(Supervision(practice_id=practice_id, supervisor_id=pt.id, session_id=session.id,
                                   supervised_on=date(2026, 2, 16), recorded_by_id=owner.id))
        db.session.add(EligibilityVerification(practice_id=practice_id, client_id=client_id, coverage_id=coverage.id,
                                               verified_on=date(2026, 1, 22), method="x12", active=True,
                                               copay=Decimal("10.00"), coinsurance_percent=Decimal("20.00"),
                                               response_x12="ISA*CANARY-271~"))
        db.session.add(FeeScheduleEntry(practice_id=practice_id, code="97110", charge=Decimal("45.00"),
                                        effective_on=date(2026, 1, 1)))
        db.session.commit()
        yield {"practice_id": practice_id, "owner": owner.id, "claim": claim.id, "payer": payer.id}


def test_a_claim_keeps_its_lines_money_and_history(app, db, billing):
    with app.app_context():
        claim = db.session.get(Claim, billing["claim"])
        db.session.expire_all()
        claim = db.session.get(Claim, billing["claim"])
        assert claim.status == "draft" and claim.frequency_code == "1"
        assert claim.total_charge == Decimal("135.00") and isinstance(claim.total_charge, Decimal)
        assert [(line.code, line.units, line.charge, line.modifiers) for line in claim.lines] == [
            ("97110", 2, Decimal("90.00"), []), ("97530", 1, Decimal("45.00"), ["59"])]
        assert sum(line.charge for line in claim.lines) == claim.total_charge
        assert [d.code for d in claim.diagnoses] == ["M17.11"]
        assert [h.to_status for h in claim.history] == ["draft"]
        assert claim.lines[0].performed_by.credential == "mes"


def test_tax_id_and_the_271_are_sealed_at_rest(app, db, billing):
    with app.app_context():
        raw_tax = db.session.execute(text("SELECT tax_id FROM billing_provider")).scalars().all()
        raw_271 = db.session.execute(text("SELECT response_x12 FROM eligibility_verification")).scalars().all()
        assert raw_tax and all("361234567" not in value for value in raw_tax)
        assert raw_271 and all("CANARY" not in value for value in raw_271)
        # Sealed values open only on their own row: load the row, not the column alone.
        assert db.session.scalars(select(BillingProvider)).all()[-1].tax_id == "361234567"


def _refused(db, statement_or_row):
    with pytest.raises(exc.IntegrityError), db.session.begin_nested():
        if isinstance(statement_or_row, db.Model):
            db.session.add(statement_or_row)
            db.session.flush()
        else:
            db.session.execute(statement_or_row)


def test_the_database_refuses_what_must_never_be_stored(app, db, billing):
    with app.app_context():
        _refused(db, update(ClaimLine).values(units=0))
        _refused(db, update(ClaimLine).values(charge=Decimal("-1.00")))
        _refused(db, update(Claim).values(status="lost"))
        _refused(db, update(Claim).values(frequency_code="7"))  # a replacement names its original
        _refused(db, update(Payer).where(Payer.id == billing["payer"]).values(kind="medicare"))
        _refused(db, ClaimOverride(practice_id=billing["practice_id"], claim_id=billing["claim"],
                                   finding_key="eligibility.unverified", finding_message="x", reason="  ",
                                   overridden_by_id=billing["owner"]))
        _refused(db, ClaimLine(practice_id=billing["practice_id"], claim_id=billing["claim"], position=3,
                               line_control_number="L0001", service_date=date(2026, 2, 16), code="97110",
                               units=1, charge=Decimal("45.00")))


def test_status_history_and_overrides_are_never_edited(app, db, billing):
    with app.app_context():
        db.session.add(ClaimOverride(practice_id=billing["practice_id"], claim_id=billing["claim"],
                                     finding_key="eligibility.unverified", finding_message="Not verified",
                                     reason="Payer confirmed by phone, ref 8812", overridden_by_id=billing["owner"]))
        db.session.flush()
        for statement in (update(ClaimStatusChange).values(to_status="paid"), text("DELETE FROM claim_status_change"),
                          update(ClaimOverride).values(reason="changed"), text("DELETE FROM claim_override")):
            with pytest.raises(exc.IntegrityError, match="signed records cannot change"), db.session.begin_nested():
                db.session.execute(statement)

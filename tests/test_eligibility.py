"""Eligibility screens: a check recorded by hand (bad numbers refused at the field, nothing lost), prior
authorisations, a 270 request downloaded for a coverage (audited as an export, valid by
linuxforhealth-x12), a 271 answer read back into a check, and malformed answers said plainly."""

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from support import lfh_x12
from support.claims import BILLING_NPI, samples_dir

from metpwa.extensions import db
from metpwa.models import (
    AuditEvent,
    BillingProvider,
    Client,
    Coverage,
    EligibilityVerification,
    Payer,
    PriorAuthorisation,
)
from metpwa.services import eligibility

RICH_271 = f"""ISA*00*          *00*          *ZZ*PHP01          *ZZ*LAKESHOREMET   *260302*0931*^*00501*000000901*0*T*:~
GS*HB*PHP01*LAKESHOREMET*20260302*0931*9*X*005010X279A1~
ST*271*0001*005010X279A1~
BHT*0022*11*10001*20260302*0931~
HL*1**20*1~
NM1*PR*2*PRAIRIE HEALTH PLAN*****PI*PHP01~
HL*2*1*21*1~
NM1*1P*2*LAKESHORE MEDICAL EXERCISE LLC*****XX*{BILLING_NPI}~
HL*3*2*22*0~
TRN*2*{{trace}}*1361234567~
NM1*IL*1*WHITFIELD*MARGARET****MI*XQP123456789~
DMG*D8*19510314*F~
EB*1*IND*30^PT**PRAIRIE PPO~
EB*B*IND*PT***27*25~
EB*A*IND*PT***27**0.2****Y~
EB*C*IND*30***29*350.5~
EB*F*IND*PT***23~
HSD*VS*20~
EB*F*IND*PT***29*****Y~
HSD*VS*14~
REF*G1*PA-7731~
SE*20*0001~
GE*1*9~
IEA*1*000000901~
"""


def _set_up(app, practice_id: int, client_id: int, **coverage) -> int:
    with app.app_context():
        db.session.add_all([
            BillingProvider(practice_id=practice_id, name="Lakeside Medical Exercise LLC", npi=BILLING_NPI,
                            tax_id="361234567", address_line1="120 W Madison St", city="Chicago", state="IL",
                            postal_code="60602-1234"),
            payer := Payer(practice_id=practice_id, name="Prairie Health Plan", payer_id="PHP01", accepts_mes=True,
                           mes_codes=["S9451"])])
        db.session.flush()
        plan = Coverage(practice_id=practice_id, client_id=client_id, payer_name="Prairie Health",
                        payer_record_id=payer.id, member_id="XQP123456789", group_number="GRP7781",
                        **coverage)
        db.session.add(plan)
        db.session.commit()
        return plan.id


def _check_form(**extra):
    return {"verified_on": "12/01/2026", "method": "phone", "active": "yes", "visits_allowed": "20",
            "visits_used": "6", "copay": "25.00", "coinsurance_percent": "20", "deductible_remaining": "350.50",
            "authorisation_number": "pa-7731", "authorisation_expires_on": "03/15/2027", "reference": "CALL-88",
            **extra}


def test_front_desk_records_a_check_and_bad_numbers_stay_at_the_field(app, agent, personas, make):
    client_id = make.client_record(personas.practice_id)
    coverage_id = _set_up(app, personas.practice_id, client_id)
    agent.login(personas.front_desk)
    page = agent.get(f"/eligibility/clients/{client_id}").get_data(as_text=True)
    assert "not verified yet" in page
    for change, field in (({"visits_used": "-1"}, "visits_used"), ({"copay": "25.005"}, "copay"),
                          ({"visits_used": "21"}, "visits_used"), ({"verified_on": "02/30/2026"}, "verified_on"),
                          ({"coinsurance_percent": "120"}, "coinsurance_percent")):
        response = agent.post(f"/eligibility/coverage/{coverage_id}", data=_check_form(**change))
        body = response.get_data(as_text=True)
        assert response.status_code == 422, change
        assert f'id="{field}-error"' in body and 'value="CALL-88"' in body, change
    # A coinsurance is a percent, and is answered as one (not in dollars and cents); "20%" is read as 20.
    twenty = agent.post(f"/eligibility/coverage/{coverage_id}", data=_check_form(coinsurance_percent="twenty"))
    assert "Type the percent as a number" in twenty.get_data(as_text=True)
    assert agent.post(f"/eligibility/coverage/{coverage_id}", data=_check_form(coinsurance_percent="20%")).status_code == 303
    with app.app_context():
        check = db.session.scalar(select(EligibilityVerification))
        assert (check.active, check.visits_allowed, check.visits_used, check.copay, check.coinsurance_percent,
                check.deductible_remaining, check.authorisation_number, check.verified_on) == (
            True, 20, 6, Decimal("25.00"), Decimal("20.00"), Decimal("350.50"), "PA-7731", date(2026, 12, 1))
        facts = eligibility.facts(db.session.get(Coverage, coverage_id))
        assert (facts.verified_on, facts.active, facts.ref) == (date(2026, 12, 1), True, coverage_id)
    assert "checked Dec 1, 2026: active" in agent.get(f"/eligibility/clients/{client_id}").get_data(as_text=True)
    # The chart says so too, through the readiness rule the dashboard and the scrubber share.
    assert "Insurance eligibility verified: Verified on Dec 1, 2026." in " ".join(
        agent.get(f"/clients/{client_id}").get_data(as_text=True).split())


def test_prior_authorisations_and_warnings(app, agent, personas, make):
    client_id = make.client_record(personas.practice_id)
    coverage_id = _set_up(app, personas.practice_id, client_id)
    agent.login(personas.biller)
    url = f"/eligibility/coverage/{coverage_id}/authorisations"
    backwards = agent.post(url, data={"number": "A-1", "starts_on": "03/01/2026", "ends_on": "01/01/2026"})
    assert backwards.status_code == 422 and 'id="ends_on-error"' in backwards.get_data(as_text=True)
    assert agent.post(url, data={"number": "a-1", "starts_on": "01/01/2026", "ends_on": "03/01/2026",
                                 "visits_authorised": "12"}).status_code == 303
    again = agent.post(url, data={"number": "A-1"})
    assert again.status_code == 422 and "already on file" in again.get_data(as_text=True)
    agent.post(f"/eligibility/coverage/{coverage_id}", data=_check_form(visits_used="19"))
    page = agent.get(f"/eligibility/coverage/{coverage_id}").get_data(as_text=True)
    assert "Prior authorisation A-1 ended on Mar 1, 2026" in page and "1 of 20 visits left" in page
    with app.app_context():
        assert db.session.scalar(select(PriorAuthorisation.visits_authorised)) == 12


def test_a_270_request_is_downloaded_audited_and_valid(app, agent, personas, make, tmp_path):
    client_id = make.client_record(personas.practice_id)
    coverage_id = _set_up(app, personas.practice_id, client_id)
    agent.login(personas.biller)
    response = agent.post(f"/eligibility/coverage/{coverage_id}/270", data={"service_date": "12/01/2026"})
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    document = response.get_data(as_text=True)
    assert "ST*270*" in document and "MI*XQP123456789" in document and "PI*PHP01" in document
    path = tmp_path / "request.x12"
    path.write_text(document)
    verdict = lfh_x12.check(path)[0]
    assert verdict["ok"], verdict["error"]
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export"))
        assert (event.object_type, event.client_id) == ("Coverage", client_id)
    bad = agent.post(f"/eligibility/coverage/{coverage_id}/270", data={"service_date": "13/45/2026"})
    assert bad.status_code == 422 and 'id="service_date-error"' in bad.get_data(as_text=True)


def test_a_271_answer_becomes_a_check_and_malformed_files_are_said_plainly(app, agent, personas, make):
    client_id = make.client_record(personas.practice_id)
    coverage_id = _set_up(app, personas.practice_id, client_id)
    agent.login(personas.biller)
    url = f"/eligibility/coverage/{coverage_id}/271"
    for text, words in (("", "Paste the 271"), ("hello, this is not X12", "not an eligibility answer"),
                        (RICH_271.replace("ST*271", "ST*270"), "no ST*271")):
        response = agent.post(url, data={"response": text})
        assert response.status_code == 422 and words in response.get_data(as_text=True), words
    error_sample = (samples_dir() / "271_linuxforhealth__subscriber-health-benefit-check-error.271").read_text()
    refused = agent.post(url, data={"response": error_sample})
    assert refused.status_code == 422 and "was refused" in refused.get_data(as_text=True)
    trace = eligibility.trace_number(type("C", (), {"id": coverage_id})(), date(2026, 12, 1))
    assert agent.post(url, data={"response": RICH_271.replace("{trace}", trace)}).status_code == 303
    with app.app_context():
        check = db.session.scalar(select(EligibilityVerification))
        assert (check.method, check.active, check.copay, check.coinsurance_percent, check.deductible_remaining,
                check.visits_allowed, check.visits_used, check.authorisation_number) == (
            "x12", True, Decimal("25.00"), Decimal("20.00"), Decimal("350.50"), 20, 6, "PA-7731")
        assert "ST*271" in check.response_x12
    # The page says how in words, not the stored key.
    page = agent.get(f"/eligibility/coverage/{coverage_id}").get_data(as_text=True)
    assert "<td>Electronic check (270/271)</td>" in page and "<td>x12</td>" not in page


def test_a_271_about_another_person_is_refused_not_recorded_on_this_plan(app, agent, personas, make):
    """A lone answer whose member ID and trace number are not this plan's (another client's 271, the
    wrong file chosen) is about someone else: it is said at the field and nothing is kept."""
    client_id = make.client_record(personas.practice_id)
    coverage_id = _set_up(app, personas.practice_id, client_id)
    agent.login(personas.biller)
    someone_else = RICH_271.replace("{trace}", f"MET{coverage_id + 1}T20261201093100").replace(
        "XQP123456789", "ZZZ987654321").replace("WHITFIELD*MARGARET", "KIM*JUNE")
    refused = agent.post(f"/eligibility/coverage/{coverage_id}/271", data={"response": someone_else})
    assert refused.status_code == 422 and "about someone else" in refused.get_data(as_text=True)
    portal_trace = RICH_271.replace("{trace}", "PORTAL-5521").replace("XQP123456789", "ZZZ987654321")
    assert agent.post(f"/eligibility/coverage/{coverage_id}/271", data={"response": portal_trace}).status_code == 422
    with app.app_context():
        assert db.session.scalar(select(EligibilityVerification)) is None
    # The same answer with this plan's member ID is this client's, whoever traced it.
    ours = RICH_271.replace("{trace}", "PORTAL-5521")
    assert agent.post(f"/eligibility/coverage/{coverage_id}/271", data={"response": ours}).status_code == 303


def test_other_practices_coverage_and_trainers_are_refused(app, agent, personas, make):
    other_client = make.client_record(personas.other_practice_id)
    other_coverage = _set_up(app, personas.other_practice_id, other_client)
    agent.login(personas.biller)
    assert agent.get(f"/eligibility/coverage/{other_coverage}").status_code == 404
    assert agent.get(f"/eligibility/clients/{other_client}").status_code == 404
    agent.login(personas.colleague)
    own_client = make.client_record(personas.practice_id)
    assert agent.get(f"/eligibility/clients/{own_client}").status_code == 403
    with app.app_context():
        assert db.session.get(Client, own_client) is not None


def test_the_demo_checks_plans_once_payers_are_set_up(demo_app):
    """The demo's billing set-up comes first (demo/billing.py), then its eligibility checks: one
    authorisation run out and one plan nearly used up."""
    from metpwa.clock import practice_today
    from metpwa.models import Practice

    with demo_app.app_context():
        practice = db.session.scalar(select(Practice).where(Practice.name == "Riverside Medical Exercise"))
        checks = db.session.scalars(select(EligibilityVerification)).all()
        assert len(checks) >= 4 and all(c.active for c in checks)
        today = practice_today(practice)
        pages = [eligibility.expired_or_nearly_used(c.coverage, today) for c in checks]
        assert any("expired" in " ".join(w) for w in pages)
        assert any("2 of 20 visits left" in " ".join(w) for w in pages)

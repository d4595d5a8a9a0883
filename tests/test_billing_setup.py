"""Billing set-up screens: the billing provider, payers (Medicare's limits at the field, never a 500),
rendering providers, the fee schedule with contracted amounts, supervision; a coverage linked to its
payer with the Medicare sentence; who may open them."""

from datetime import UTC, date, datetime
from decimal import Decimal

from markupsafe import escape
from sqlalchemy import select
from support.claims import BILLING_NPI, PT_NPI

from metpwa.extensions import db
from metpwa.models import (
    AuditEvent,
    BillingProvider,
    Client,
    ContractedRate,
    Coverage,
    FeeScheduleEntry,
    Payer,
    RenderingProvider,
    SessionLog,
    Supervision,
)
from metpwa.standards.billing import MEDICARE_CLIENT_PAYS_PRIVATELY

BAD_NPI = BILLING_NPI[:-1] + str((int(BILLING_NPI[-1]) + 1) % 10)


def _payer_form(**extra):
    return {"name": "Prairie Health Plan", "kind": "commercial", "payer_id": "php01", "claim_route": "837p",
            "unit_method": "cms_total_time", "accepts_mes": "y", "mes_codes": ["97110", "S9451"],
            "timely_filing_days": "90", "active": "y", **extra}


def _provider_form(**extra):
    return {"name": "Lakeside Medical Exercise LLC", "npi": BILLING_NPI, "tax_id_kind": "EI", "tax_id": "36-1234567",
            "taxonomy": "225100000x", "address_line1": "120 W Madison St", "city": "Chicago", "state": "il",
            "postal_code": "60602-1234", **extra}


def _message_at(page: str, field: str) -> str:
    start = page.index(f'id="{field}-error"')
    return page[start:page.index("</p>", start)]


def test_a_biller_sets_up_the_billing_provider_with_checked_identifiers(app, agent, personas):
    agent.login(personas.biller)
    bad = agent.post("/billing/setup/provider", data=_provider_form(npi=BAD_NPI, tax_id="07-1234567"))
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "check" in _message_at(page, "npi").lower() and "No EIN starts with 07" in page
    assert 'value="Lakeside Medical Exercise LLC"' in page and 'value="120 W Madison St"' in page
    assert agent.post("/billing/setup/provider", data=_provider_form()).status_code == 303
    assert agent.post("/billing/setup/provider", data=_provider_form(name="Lakeside MET")).status_code == 303
    with app.app_context():
        providers = db.session.scalars(select(BillingProvider).where(
            BillingProvider.practice_id == personas.practice_id)).all()
        assert [(p.name, p.npi, p.tax_id, p.taxonomy, p.state) for p in providers] == [
            ("Lakeside MET", BILLING_NPI, "361234567", "225100000X", "IL")]
        events = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "BillingProvider")).all()
        assert events == ["create", "update"]
    assert "Lakeside MET" in agent.get("/billing/setup").get_data(as_text=True)


def test_medicare_limits_and_bad_numbers_show_at_the_field_with_everything_kept(app, agent, personas):
    agent.login(personas.owner)
    medicare = agent.post("/billing/setup/payers/new", data=_payer_form(
        name="Medicare Part B Illinois", kind="medicare", payer_id="00952", mes_codes=["97110"],
        allows_supervised_billing="y"))
    page = medicare.get_data(as_text=True)
    assert medicare.status_code == 422
    assert "Traditional Medicare" in page and "230.5" in page
    assert 'value="Medicare Part B Illinois"' in page and 'value="00952"' in page
    for days in ("0", "-5", "ninety", "99999999999"):
        response = agent.post("/billing/setup/payers/new", data=_payer_form(timely_filing_days=days))
        assert response.status_code == 422, days
        assert "timely_filing_days-error" in response.get_data(as_text=True)
    for days in ("12.5", "1e5"):
        page = agent.post("/billing/setup/payers/new", data=_payer_form(timely_filing_days=days)).get_data(as_text=True)
        assert "Type a whole number" in _message_at(page, "timely_filing_days"), days
    for route in ("837p", "cms1500"):
        cash = agent.post("/billing/setup/payers/new", data=_payer_form(
            name="Cash clients", kind="self_pay", payer_id="", claim_route=route, accepts_mes="", mes_codes=[]))
        assert cash.status_code == 422 and "superbill" in _message_at(cash.get_data(as_text=True), "claim_route")
    evaluation = agent.post("/billing/setup/payers/new", data=_payer_form(mes_codes=["97110", "97161"]))
    # PT evaluations are not even offered for an MES's services; a forged post is refused at the field.
    assert evaluation.status_code == 422 and "97161" in _message_at(evaluation.get_data(as_text=True), "mes_codes")
    with app.app_context():
        assert db.session.scalar(select(Payer).where(Payer.practice_id == personas.practice_id)) is None
    made = agent.post("/billing/setup/payers/new", data=_payer_form())
    assert made.status_code == 303
    with app.app_context():
        payer = db.session.scalar(select(Payer).where(Payer.practice_id == personas.practice_id))
        assert (payer.payer_id, payer.mes_codes, payer.timely_filing_days, payer.accepts_mes) == (
            "PHP01", ["97110", "S9451"], 90, True)
    changed = agent.post(f"/billing/setup/payers/{payer.id}", data=_payer_form(timely_filing_days="180"))
    assert changed.status_code == 303
    assert 'value="180"' in agent.get(changed.headers["Location"]).get_data(as_text=True)


def test_rendering_providers_and_supervision_on_record(app, agent, personas, make):
    agent.login(personas.biller)
    unlicensed = agent.post("/billing/setup/providers/new", data={
        "first_name": "Grace", "last_name": "Okafor", "credential": "pt", "npi": PT_NPI, "user_id": "", "active": "y"})
    assert unlicensed.status_code == 422 and "licence number" in unlicensed.get_data(as_text=True)
    assert agent.post("/billing/setup/providers/new", data={
        "first_name": "Grace", "last_name": "Okafor", "credential": "pt", "npi": PT_NPI, "user_id": "",
        "licence_number": "070.012345", "licence_state": "IL", "active": "y"}).status_code == 303
    # One NPI is one person: a second provider under Grace's NPI is refused at the field.
    twin = agent.post("/billing/setup/providers/new", data={
        "first_name": "Ana", "last_name": "Lopez", "credential": "pt", "npi": PT_NPI, "user_id": "",
        "licence_number": "070.054321", "licence_state": "IL", "active": "y"})
    assert twin.status_code == 422 and "Grace Okafor" in _message_at(twin.get_data(as_text=True), "npi")
    assert agent.post("/billing/setup/providers/new", data={
        "first_name": "Carl", "last_name": "Colleague", "credential": "mes", "user_id": str(personas.colleague.id),
        "active": "y"}).status_code == 303
    client_id = make.client_record(personas.practice_id)
    with app.app_context():
        session = SessionLog(practice_id=personas.practice_id, client_id=client_id, trainer_id=personas.colleague.id,
                             started_at=datetime(2026, 12, 1, 15, tzinfo=UTC),
                             signed_at=datetime(2026, 12, 1, 16, tzinfo=UTC))
        db.session.add(session)
        db.session.commit()
        session_id = session.id
        pt, mes = (db.session.scalar(select(RenderingProvider.id).where(RenderingProvider.credential == kind))
                   for kind in ("pt", "mes"))
    page = agent.get("/billing/setup/supervision").get_data(as_text=True)
    assert "Grace Okafor" in page and "Carl Colleague (Medical" not in page
    refused = agent.post("/billing/setup/supervision", data={"session_id": str(session_id), "supervisor_id": str(mes)})
    assert refused.status_code == 422
    for _ in range(2):
        assert agent.post("/billing/setup/supervision", data={
            "session_id": str(session_id), "supervisor_id": str(pt)}).status_code == 303
    with app.app_context():
        records = db.session.scalars(select(Supervision)).all()
        assert [(r.supervisor_id, r.supervised_on) for r in records] == [(pt, date(2026, 12, 1))]
        client_name = db.session.get(Client, client_id).display_name
    # The record says whose session it was, not the session's number in the database.
    listed = agent.get("/billing/setup/supervision").get_data(as_text=True)
    assert f"{client_name}'s session of" in listed and "Session " + str(session_id) not in listed


def test_fee_schedule_takes_dollars_and_cents_only(app, agent, personas):
    agent.login(personas.biller)
    agent.post("/billing/setup/payers/new", data=_payer_form())
    with app.app_context():
        payer_id = db.session.scalar(select(Payer.id))
    for charge, message in (("-45", "negative"), ("45.005", "two places"), ("forty", "dollars and cents"),
                            ("0", "bills nothing"), ("99999999.99", "typo"), ("1e5", "dollars and cents")):
        response = agent.post("/billing/setup/fees", data={"code": "97110", "charge": charge,
                                                           "effective_on": "01/01/2026"})
        assert response.status_code == 422 and message in response.get_data(as_text=True), charge
    bad_rate = agent.post("/billing/setup/fees", data={"code": "97110", "charge": "45.00", "effective_on": "01/01/2026",
                                                       f"contracted_{payer_id}": "-1"})
    assert bad_rate.status_code == 422 and 'value="45.00"' in bad_rate.get_data(as_text=True)
    huge_rate = agent.post("/billing/setup/fees", data={"code": "97110", "charge": "45.00", "effective_on": "01/01/2026",
                                                        f"contracted_{payer_id}": "99999999.99"})
    assert huge_rate.status_code == 422 and "typo" in _message_at(huge_rate.get_data(as_text=True),
                                                                  f"contracted_{payer_id}")
    assert agent.post("/billing/setup/fees", data={"code": "97110", "charge": "$45.00", "effective_on": "01/01/2026",
                                                   f"contracted_{payer_id}": "38.50"}).status_code == 303
    with app.app_context():
        entry = db.session.scalar(select(FeeScheduleEntry))
        rate = db.session.scalar(select(ContractedRate))
        assert (entry.code, entry.charge, rate.allowed, rate.payer_id) == ("97110", Decimal("45.00"),
                                                                           Decimal("38.50"), payer_id)


def test_a_coverage_is_linked_to_its_payer_and_medicare_says_the_client_pays(app, agent, personas, make):
    client_id = make.client_record(personas.practice_id)
    agent.login(personas.owner)
    agent.post("/billing/setup/payers/new", data=_payer_form())
    with app.app_context():
        payer_id = db.session.scalar(select(Payer.id))
    assert "Prairie Health Plan" in agent.get(f"/clients/{client_id}/coverage").get_data(as_text=True)
    assert agent.post(f"/clients/{client_id}/coverage", data={
        "priority": "1", "payer_kind": "commercial", "payer_name": "Prairie Health", "payer_record_id": str(payer_id),
        "member_id": "XQP123456789", "subscriber_relationship": "self"}).status_code == 303
    assert agent.post(f"/clients/{client_id}/coverage", data={
        "priority": "2", "payer_kind": "medicare", "payer_name": "Medicare", "payer_record_id": "",
        "member_id": "1EG4-TE5-MK73", "subscriber_relationship": "self"}).status_code == 303
    chart = agent.get(f"/clients/{client_id}").get_data(as_text=True)
    assert "Bills under Prairie Health Plan" in chart
    assert str(escape(MEDICARE_CLIENT_PAYS_PRIVATELY)) in chart
    with app.app_context():
        assert db.session.scalar(select(Coverage.payer_record_id).where(Coverage.priority == 1)) == payer_id


def test_only_owner_and_biller_reach_the_set_up(agent, personas):
    for persona in (personas.colleague, personas.front_desk):
        agent.login(persona)
        assert agent.get("/billing/setup").status_code == 403
        assert agent.post("/billing/setup/payers/new", data=_payer_form()).status_code == 403


def test_a_payer_says_which_distinct_service_modifier_it_wants(app, agent, personas):
    agent.login(personas.biller)
    form = agent.get("/billing/setup/payers/new").get_data(as_text=True)
    assert 'name="distinct_service_modifier"' in form and "XS: a separate structure" in form
    refused = agent.post("/billing/setup/payers/new", data=_payer_form(distinct_service_modifier="ZZ"))
    assert refused.status_code == 422 and "distinct_service_modifier-error" in refused.get_data(as_text=True)
    assert agent.post("/billing/setup/payers/new", data=_payer_form(distinct_service_modifier="XS")).status_code == 303
    # A payer saved without the field keeps 59, which every payer reads.
    assert agent.post("/billing/setup/payers/new", data=_payer_form(name="Other Plan")).status_code == 303
    with app.app_context():
        chosen = dict(db.session.execute(select(Payer.name, Payer.distinct_service_modifier)
                                         .where(Payer.practice_id == personas.practice_id)).all())
        assert chosen == {"Prairie Health Plan": "XS", "Other Plan": "59"}
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "Payer")
                                   .order_by(AuditEvent.id)).first()
        assert event.detail_data["distinct_service_modifier"] == "XS"

"""The referral network pages and the readiness dashboard: sources (quiet ones first), a source's page,
its details with the NPI checked at the field, activities and follow-ups, what MET achieved (small groups
hidden; each PDF recorded as an export), and the owner's twelve elements on the demo practice."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from metpwa.models import AuditEvent, ReferringProvider, RelationshipActivity, User


def _scalar(app, stmt):
    from metpwa.extensions import db

    with app.app_context():
        return db.session.scalar(stmt)


@pytest.fixture
def demo_owner(demo_app):
    """The demo's owner signed in, on a copy of the run's one seeded demo."""
    from conftest import Agent, Persona
    from metpwa import demo

    app, agent = demo_app, Agent(demo_app.test_client())
    dana_id = _scalar(app, select(User.id).where(User.email == "dana@riverside.example"))
    dana = Persona(dana_id, 0, "dana@riverside.example", "owner", "Dana Whitfield", demo.DEMO_PASSWORD,
                   totp_secret=demo.DEMO_TOTP_SECRET)
    assert agent.login(dana).status_code == 303
    return agent


def _provider_id(app, last: str) -> int:
    return _scalar(app, select(ReferringProvider.id).where(ReferringProvider.last_name == last))


def test_the_demo_practice_network_effectiveness_and_readiness(demo_app, demo_owner):
    """One test on one copy of the seeded demo."""
    app, agent = demo_app, demo_owner
    listing = agent.get("/referral-sources")
    body = listing.get_data(as_text=True)
    assert listing.status_code == 200, body
    # Dr Chen's last visit was 210 days ago: quiet, and listed first.
    names = re.findall(r'data-source="(\d+)"', body)
    assert names[0] == str(_provider_id(app, "Chen"))
    assert "Quiet: last contact 210 days ago" in body and body.count("Quiet:") == 1
    ortiz = _provider_id(app, "Ortiz")
    page = agent.get(f"/referral-sources/{ortiz}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200, text
    assert "Discharged with goals met" in text and "Referrals by month" in text
    assert "Margaret Lindqvist" in text and "on time" in text
    effect = agent.get(f"/referral-sources/{ortiz}/effectiveness").get_data(as_text=True)
    assert "of 5 clients" in effect and "Timed Up and Go" in effect
    brooks = _provider_id(app, "Brooks")
    small = agent.get(f"/referral-sources/{brooks}/effectiveness").get_data(as_text=True)
    assert "fewer than 5 clients" in small and "of 2 clients" not in small
    practice_wide = agent.get("/referral-network/effectiveness").get_data(as_text=True)
    assert "of 7 clients" in practice_wide
    _the_effectiveness_pdf_is_posted_and_recorded_as_an_export(app, agent)
    _readiness_dashboard_lists_twelve_elements_and_clients_not_ready(app, agent)


def _the_effectiveness_pdf_is_posted_and_recorded_as_an_export(app, demo_owner):
    ortiz = _provider_id(app, "Ortiz")
    assert demo_owner.get(f"/referral-sources/{ortiz}/effectiveness.pdf").status_code == 405
    response = demo_owner.post(f"/referral-sources/{ortiz}/effectiveness.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) == 1 and "What medical exercise achieved" in text and "of 5 clients" in text
    # Aggregates only: no client is named, and the chair stand (no change threshold on file) is left out.
    assert "Lindqvist" not in text and "Okafor" not in text and "chair stand" not in text.lower()
    exports = _scalar(app, select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "export", AuditEvent.object_type == "ReferringProvider",
        AuditEvent.object_id == str(ortiz)))
    assert exports == 1


def _readiness_dashboard_lists_twelve_elements_and_clients_not_ready(app, demo_owner):
    page = demo_owner.get("/readiness")
    body = page.get_data(as_text=True)
    assert page.status_code == 200, body
    assert len(re.findall(r'data-element="', body)) == 12
    assert 'data-item="audit_verified" data-state="missing"' in body.replace("\n    ", " ")
    assert "Clients whose records would not survive an audit" in body
    # Checking the seals on the audit page turns the item green.
    assert demo_owner.get("/audit/verify", htmx=True).status_code == 200
    after = demo_owner.get("/readiness").get_data(as_text=True).replace("\n    ", " ")
    assert 'data-item="audit_verified" data-state="done"' in after


def _referral(app, client_id: int, provider_id: int, referred_on: date) -> None:
    from metpwa.extensions import db
    from metpwa.models import Referral

    with app.app_context():
        db.session.add(Referral(practice_id=db.session.get(ReferringProvider, provider_id).practice_id,
                                client_id=client_id, provider_id=provider_id, referred_on=referred_on,
                                reason="Knee pain"))
        db.session.commit()


def test_a_source_is_edited_with_the_npi_checked_at_the_field_and_nothing_typed_lost(app, agent, personas, make):
    provider_id = make.provider(personas.practice_id)
    agent.login(personas.front_desk)
    page = agent.get(f"/referral-sources/{provider_id}/edit")
    assert page.status_code == 200
    typed = {"first_name": "Elena", "last_name": "Ortiz", "kind": "physician", "specialty": "Orthopaedic surgery",
             "npi": "1234567890", "phone": "(312) 555-0410", "fax": "", "preferred_delivery": "fax",
             "organization": "Riverside Orthopedics"}
    refused = agent.post(f"/referral-sources/{provider_id}/edit", data=typed)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "check digit" in body.lower() or "not a valid npi" in body.lower(), body
    assert "fax number" in body  # reports by fax need one
    assert "Orthopaedic surgery" in body and "Riverside Orthopedics" in body
    saved = agent.post(f"/referral-sources/{provider_id}/edit",
                       data={**typed, "npi": "1234567893", "fax": "312-555-0411"})
    assert saved.status_code == 303
    provider = _scalar(app, select(ReferringProvider).where(ReferringProvider.id == provider_id))
    assert (provider.npi, provider.specialty, provider.preferred_delivery) == ("1234567893", "Orthopaedic surgery", "fax")
    assert provider.fax and "555" in provider.fax


def test_activities_are_recorded_refused_at_the_field_and_their_follow_ups_done(app, agent, personas, make):
    ortiz = make.provider(personas.practice_id)
    greene = make.provider(personas.practice_id, last="Greene", npi=None)
    agent.login(personas.owner)
    bad = agent.post(f"/referral-sources/{ortiz}/activities", data={
        "kind": "educational_session", "held_on": "03/10/2026", "follow_up_on": "03/01/2026",
        "staff_id": str(personas.owner.id), "source_ids": [str(ortiz)], "notes": "Lunch-and-learn on knee programs"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "The follow-up is before the activity" in text
    assert "Lunch-and-learn on knee programs" in text
    outsider_provider = make.provider(personas.other_practice_id, last="Elsewhere")
    foreign = agent.post(f"/referral-sources/{ortiz}/activities", data={
        "kind": "visit", "held_on": "03/10/2026", "staff_id": str(personas.owner.id),
        "source_ids": [str(ortiz), str(outsider_provider)]})
    assert foreign.status_code == 422 and "Choose referral sources from the list" in foreign.get_data(as_text=True)
    from metpwa.clock import practice_today

    with app.app_context():
        from metpwa.extensions import db
        from metpwa.models import Practice

        today = practice_today(db.session.get(Practice, personas.practice_id))
    ok = agent.post(f"/referral-sources/{ortiz}/activities", data={
        "kind": "educational_session", "held_on": (today - timedelta(days=20)).strftime("%m/%d/%Y"),
        "follow_up_on": (today - timedelta(days=2)).strftime("%m/%d/%Y"), "staff_id": str(personas.owner.id),
        "source_ids": [str(ortiz), str(greene)], "notes": "Lunch-and-learn"})
    assert ok.status_code == 303
    activity_id = _scalar(app, select(RelationshipActivity.id).where(
        RelationshipActivity.practice_id == personas.practice_id))
    listing = agent.get("/referral-network/follow-ups").get_data(as_text=True)
    assert "2 days overdue" in listing and "Greene" in listing
    # Reached both sources: neither is quiet now.
    assert "Quiet" not in agent.get("/referral-sources").get_data(as_text=True)
    assert agent.post(f"/referral-network/activities/{activity_id}/done").status_code == 303
    assert "No follow-ups due" in agent.get("/referral-network/follow-ups").get_data(as_text=True)
    again = agent.post(f"/referral-network/activities/{activity_id}/done")
    assert again.status_code == 409


def test_conversion_counts_and_who_sees_the_network(app, agent, personas, make):
    provider_id = make.provider(personas.practice_id)
    for n in range(3):
        _referral(app, make.client_record(personas.practice_id, last=f"Referred{n}"), provider_id, date(2026, 1, 5 + n))
    agent.login(personas.front_desk)
    page = agent.get(f"/referral-sources/{provider_id}").get_data(as_text=True)
    assert re.search(r"<th>Referred</th><td>3</td>", page)
    assert re.search(r"<th>Intake done</th><td>0</td>", page)
    assert "Referred0" in page and "intake not done" in page
    effect = agent.get(f"/referral-sources/{provider_id}/effectiveness").get_data(as_text=True)
    assert "fewer than 5 clients" in effect
    agent.login(personas.biller)
    assert agent.get("/referral-sources").status_code == 403
    assert agent.get("/readiness").status_code == 403
    agent.login(personas.colleague)
    assert agent.get("/readiness").status_code == 403


def test_readiness_for_a_small_practice_links_every_red_item_to_a_page(app, agent, personas, make):
    nora = make.client_record(personas.practice_id, first="Nora", last="Gaps")
    agent.login(personas.owner)
    page = agent.get("/readiness")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Nora Gaps" in body and "Not reimbursement-ready yet" in body
    missing = re.findall(r'data-state="missing">(.*?)</li>', body, re.S)
    assert missing and all('data-fix="' in item for item in missing), [m for m in missing if 'data-fix="' not in m]
    for href in set(re.findall(r'href="([^"]+)" data-fix=', body)):
        answer = agent.get(href.replace("&amp;", "&"))
        assert answer.status_code == 200, href
    listed = agent.get("/readiness/clients?check=plan").get_data(as_text=True)
    assert "Nora Gaps" in listed and "No Plan of Exercise." in listed
    # The chart shows the same checks, for those who see clinical records.
    chart = agent.get(f"/clients/{nora}").get_data(as_text=True)
    assert "The record as an audit reads it" in chart and f'href="/clients/{nora}/plan/edit" data-fix="plan"' in chart
    agent.login(personas.front_desk)
    assert "The record as an audit reads it" not in agent.get(f"/clients/{nora}").get_data(as_text=True)


def test_every_fix_target_has_a_page_or_says_where_it_is_fixed(app):
    """rules/fixes.py names every place a finding is fixed; each resolves to a page of the app, or
    (billing set-up, not built yet) to nothing, never to a broken link."""
    from metpwa.fixlinks import PLACES, fix_url
    from metpwa.rules.fixes import FIX_TARGETS

    assert set(PLACES) == set(FIX_TARGETS)
    with app.test_request_context("/"):
        for name in FIX_TARGETS:
            url = fix_url((name, 7))
            if url is None:
                assert name.startswith("billing."), name
            else:
                assert url.startswith("/"), (name, url)
        assert fix_url(("staff.credentials", None)) == "/staff" or fix_url(("staff.credentials", None)).startswith("/")
        assert fix_url(("readiness.clients", "plan")) == "/readiness/clients?check=plan"
        assert fix_url(("audit.verify", None)) == "/audit#verify-status"
        assert fix_url(None) is None

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
def demo_owner(app, db, agent):
    from conftest import Persona
    from metpwa import demo

    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    dana_id = _scalar(app, select(User.id).where(User.email == "dana@riverside.example"))
    dana = Persona(dana_id, 0, "dana@riverside.example", "owner", "Dana Whitfield", demo.DEMO_PASSWORD,
                   totp_secret=demo.DEMO_TOTP_SECRET)
    assert agent.login(dana).status_code == 303
    return agent


def _provider_id(app, last: str) -> int:
    return _scalar(app, select(ReferringProvider.id).where(ReferringProvider.last_name == last))


def test_the_demo_practice_network_effectiveness_and_readiness(app, demo_owner):
    """One test on one seeded demo (loading it takes the better part of a minute)."""
    agent = demo_owner
    listing = agent.get("/referral-sources")
    body = listing.get_data(as_text=True)
    assert listing.status_code == 200, body
    # Dr Chen's last visit was 210 days ago: quiet, and listed first.
    names = re.findall(r'data-source="(\d+)"', body)
    assert names[0] == str(_provider_id(app, "Chen"))
    assert "Quiet: last contact 210 days ago" in body
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

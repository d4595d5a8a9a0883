"""The client chart in sections (issue 21): the next step first, then Overview, Sessions, Measures,
Documents and Billing, each with status chips; each role sees only its sections, and every anchor
the fix links use is still on the page."""

import re

ANCHORS = ("readiness", "contacts", "insurance", "referral", "intake", "consents", "documents")
CLINICAL_ANCHORS = ("sessions", "plan", "assessment", "measures", "reports")


def _sections(page: str) -> list[str]:
    return re.findall(r'<section class="chart-section" id="section-([a-z]+)"', page)


def _next_step(page: str) -> str:
    found = re.search(r'<section class="card next-step".*?</section>', page, re.S)
    return found.group(0) if found else ""


def test_a_trainer_sees_start_a_session_first_and_the_clinical_sections(agent, personas, make):
    client_id = make.ready_client(personas.practice_id, personas.colleague.id)
    agent.login(personas.colleague)
    page = agent.get(f"/clients/{client_id}").get_data(as_text=True)
    assert _sections(page) == ["overview", "sessions", "measures", "documents"]
    assert "Start a session" in _next_step(page)
    # One Start button on the page: the next step, not a second one in the sessions card.
    assert page.count("Start a session") == 1
    assert "All on file" in page and re.search(r"Plan (signed|not signed)", page)
    for anchor in ANCHORS + CLINICAL_ANCHORS:
        assert f'id="{anchor}"' in page, anchor
    # The next step comes before the first section.
    assert page.index('id="next-step"') < page.index('id="section-overview"')


def test_a_client_not_ready_names_the_first_missing_item_as_the_next_step(agent, personas, make):
    client_id = make.client_record(personas.practice_id)
    agent.login(personas.colleague)
    page = agent.get(f"/clients/{client_id}").get_data(as_text=True)
    step = _next_step(page)
    assert "Before the first session" in step and "data-fix=" in step
    assert "to do before the first session" in page
    # Sessions wait for a complete chart: starting one is offered, but not as the primary action.
    assert "Start a session" not in step and "Start a session" in page


def test_front_desk_sees_no_clinical_or_billing_section(agent, personas, make):
    client_id = make.ready_client(personas.practice_id, personas.colleague.id)
    agent.login(personas.front_desk)
    page = agent.get(f"/clients/{client_id}").get_data(as_text=True)
    assert _sections(page) == ["overview", "documents"]
    for anchor in ANCHORS:
        assert f'id="{anchor}"' in page, anchor
    assert 'id="sessions"' not in page and 'id="billing"' not in page


def test_the_biller_sees_the_billing_section_with_its_chips(agent, personas, make):
    client_id = make.ready_client(personas.practice_id, personas.colleague.id)
    agent.login(personas.biller)
    response = agent.get(f"/clients/{client_id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert _sections(page) == ["overview", "documents", "billing"]
    # The ready client is self-pay: the eligibility chip says so; no clinical evidence card for billing.
    assert "Self-pay" in page and 'id="evidence"' not in page
    assert 'id="billing"' in page


def test_the_owner_sees_every_section(agent, personas, make):
    client_id = make.ready_client(personas.practice_id, personas.colleague.id)
    agent.login(personas.owner)
    page = agent.get(f"/clients/{client_id}").get_data(as_text=True)
    assert _sections(page) == ["overview", "sessions", "measures", "documents", "billing"]

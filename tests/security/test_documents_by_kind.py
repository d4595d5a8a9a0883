"""A document's kind decides who may open it: a medical clearance letter and a plan signed by the referring
provider are clinical (trainers and the owner); the referral order behind a claim is for every role."""

from __future__ import annotations

import pytest

from metpwa.extensions import db
from metpwa.models import Client, User
from metpwa.permissions import DOCUMENT_CAPABILITIES, can
from metpwa.services import documents

from .conftest import _order_pdf

ROLES = ("owner", "colleague", "front_desk", "biller")


@pytest.fixture
def clinical_documents(app, world, personas) -> dict[str, int]:
    with app.test_request_context("/"):
        client = db.session.get(Client, world.home["client_id"])
        author = db.session.get(User, personas.colleague.id)
        made = {kind: documents.store(client, kind=kind, title=f"A {kind}", data=_order_pdf(f"{kind} text"),
                                      content_type="application/pdf", filename=f"{kind}.pdf", by=author).id
                for kind in ("clearance", "plan_acknowledgement")}
        db.session.commit()
    return {**made, "referral_order": world.home["document_id"]}


def test_a_documents_kind_decides_who_opens_it(app, world, personas, new_agent, clinical_documents):
    client_id = world.home["client_id"]
    for persona in ROLES:
        agent = new_agent()
        agent.login(getattr(personas, persona))
        chart = agent.get(f"/clients/{client_id}").get_data(as_text=True)
        for kind, document_id in clinical_documents.items():
            url = f"/clients/{client_id}/documents/{document_id}"
            allowed = can(getattr(personas, persona).role, DOCUMENT_CAPABILITIES[kind])
            status = agent.get(url).status_code
            assert status == (200 if allowed else 403), f"{persona} opening a {kind}: {status}"
            # The chart offers Open only where it works.
            assert (f'href="{url}"' in chart) == allowed, f"{persona}'s chart and a {kind}"
    assert not can("biller", DOCUMENT_CAPABILITIES["clearance"]) and can("biller", DOCUMENT_CAPABILITIES["referral_order"])

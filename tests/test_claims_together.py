"""Several signed sessions on one claim (same client, payer and route; each line keeps its date and its
own row for payments), the payer's distinct-service modifier through to an 837P pyx12 accepts, KX
counted across one claim's sessions, and a traditional Medicare client's MES sessions moved to the
client's superbill in one tap, with the reason, never a Medicare claim."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from support.claim_setup import SERVICE_DAY, set_up, set_up_medicare_pt_past_threshold, signed_session
from support.claims import pyx12_check

from metpwa.extensions import db
from metpwa.models import AuditEvent, Claim, ClaimLine, ClaimStatusChange, Payer
from metpwa.services import claims
from metpwa.standards import billing as billing_standards
from metpwa.standards.billing import NcciPair


@pytest.fixture
def biller(personas, new_agent):
    agent = new_agent()
    assert agent.login(personas.biller).status_code == 303
    return agent


def _client(make, personas, last="Whitfield") -> int:
    return make.client_record(personas.practice_id, first="Margaret", last=last, trainer_id=personas.colleague.id)


def _claim_id(response) -> int:
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    return int(re.search(r"/claims/(\d+)$", response.headers["Location"]).group(1))


def _ready(app, biller, claim_id: int) -> None:
    with app.app_context():
        blocking = claims.blockers(db.session.get(Claim, claim_id))
    for finding in blocking:
        assert finding.overridable, finding
        assert biller.post(f"/claims/{claim_id}/override", data={
            "finding_key": finding.key, "reason": "Checked with the payer's portal today"}).status_code == 303
    assert biller.post(f"/claims/{claim_id}/status", data={"status": "ready"}).status_code == 303


def _sessions(app, personas, client_id, days=(0, 2, 4, 7)) -> list[int]:
    with app.app_context():
        return [signed_session(personas.practice_id, client_id, personas.colleague.id,
                               day=SERVICE_DAY + timedelta(days=offset)) for offset in days]


def test_a_biller_ticks_sessions_and_gets_one_claim_with_each_lines_own_date(app, personas, make, biller):
    client_id = _client(make, personas)
    with app.app_context():
        set_up(personas.practice_id, personas.colleague.id, client_id)
    ids = _sessions(app, personas, client_id)
    queue = biller.get("/claims").get_data(as_text=True)
    assert 'form="bill-together"' in queue and "Bill ticked sessions on one claim" in queue
    # Each row says whom it is billed to: sessions of one payer are the ones to tick together.
    assert queue.count("Prairie Health Plan · ") == len(ids)
    claim_id = _claim_id(biller.post("/claims/sessions", data={"session_id": [str(i) for i in ids]}))
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        days = [SERVICE_DAY + timedelta(days=offset) for offset in (0, 2, 4, 7)]
        # 33 + 7 minutes a session: 97110 x2 and 97530 x1 each, dated by its own session.
        assert [(ln.position, ln.service_date, ln.code, ln.units, ln.session_id) for ln in claim.lines] == [
            (2 * i + n + 1, day, code, units, session)
            for i, (day, session) in enumerate(zip(days, ids, strict=True))
            for n, (code, units) in enumerate((("97110", 2), ("97530", 1)))]
        assert all(isinstance(ln.charge, Decimal) for ln in claim.lines)
        assert claim.total_charge == Decimal("560.00")
        # Each line is its own row with its own control number, for payments to post against.
        assert len({ln.line_control_number for ln in claim.lines}) == 8
        created = db.session.scalar(select(AuditEvent).where(AuditEvent.object_type == "Claim",
                                                             AuditEvent.action == "create"))
        assert created.detail_data["sessions"] == ids
        history = db.session.scalar(select(ClaimStatusChange.reason).where(ClaimStatusChange.claim_id == claim_id))
        assert "02/16/2026, 02/18/2026, 02/20/2026, 02/23/2026" in history
        assert not [f for f in claims.findings(claim) if f.code.startswith(("units.", "session.", "route."))]
    assert "Rebuild from the sessions</button>" in biller.get(f"/claims/{claim_id}").get_data(as_text=True)
    # The sessions left the queue.
    queue = biller.get("/claims").get_data(as_text=True)
    assert not any(f'value="{i}"' in queue for i in ids)
    # Eight lines print as two CMS-1500 forms (six lines a form).
    words = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(
        biller.get(f"/claims/{claim_id}/cms1500.pdf").data)).pages)
    assert "1 of 2" in words and "2 of 2" in words
    _ready(app, biller, claim_id)
    x12 = biller.post("/claims/export", data={"period_from": "02/01/2026", "period_to": "02/28/2026"}).get_data(
        as_text=True)
    ok, errors = pyx12_check(x12)
    assert ok, errors
    assert x12.count("CLM*") == 1 and x12.count("SV1*") == 8 and f"CLM*C{claim_id:07d}*560*" in x12
    for day in ("20260216", "20260218", "20260220", "20260223"):
        assert x12.count(f"DTP*472*D8*{day}") == 2


def test_sessions_that_do_not_belong_on_one_claim_are_refused_at_the_queue(app, personas, make, biller, new_agent):
    first_client = _client(make, personas)
    second_client = _client(make, personas, last="Okonkwo")
    with app.app_context():
        set_up(personas.practice_id, personas.colleague.id, first_client)
        mine = signed_session(personas.practice_id, first_client, personas.colleague.id)
        theirs = signed_session(personas.practice_id, second_client, personas.colleague.id)
    one = biller.post("/claims/sessions", data={"session_id": [str(mine)]})
    assert one.status_code == 422 and "Tick two or more" in one.get_data(as_text=True)
    two_clients = biller.post("/claims/sessions", data={"session_id": [str(mine), str(theirs)]})
    assert two_clients.status_code == 422 and "one client" in two_clients.get_data(as_text=True)
    # What was ticked stays ticked.
    assert re.search(rf'value="{mine}" form="bill-together" checked', two_clients.get_data(as_text=True))
    junk = biller.post("/claims/sessions", data={"session_id": ["x", "-1", str(mine)]})
    assert junk.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(Claim)) is None
    # Another practice's session is not found.
    outsider = new_agent()
    outsider.login(personas.outsider)
    assert outsider.post("/claims/sessions", data={"session_id": [str(mine), str(theirs)]}).status_code in (403, 404)


def test_a_multi_session_claim_is_corrected_from_all_its_sessions(app, personas, make, biller):
    client_id = _client(make, personas)
    with app.app_context():
        set_up(personas.practice_id, personas.colleague.id, client_id)
    ids = _sessions(app, personas, client_id, days=(0, 3))
    claim_id = _claim_id(biller.post("/claims/sessions", data={"session_id": [str(i) for i in ids]}))
    _ready(app, biller, claim_id)
    biller.post("/claims/export", data={"period_from": "02/01/2026", "period_to": "02/28/2026"})
    assert biller.post(f"/claims/{claim_id}/status", data={"status": "accepted",
                                                           "payer_claim_number": "PHP-77"}).status_code == 303
    replacement_id = _claim_id(biller.post(f"/claims/{claim_id}/correct"))
    with app.app_context():
        replacement = db.session.get(Claim, replacement_id)
        assert replacement.frequency_code == "7" and replacement.original_reference == "PHP-77"
        assert sorted({ln.session_id for ln in replacement.lines}) == sorted(ids)
        assert len(replacement.lines) == 4


def test_the_payers_xs_goes_on_a_verified_pair_and_pyx12_accepts_it(app, personas, make, biller, monkeypatch):
    """A pair stands in for one verified in CMS's table (none is, yet): the builder puts the payer's
    XS on its column 2 code and the scrubber is satisfied."""
    pair = NcciPair("97530", "97110", "1", verified=True, version="test quarter", source="test")
    monkeypatch.setattr(billing_standards, "NCCI_PAIRS", (pair,))
    monkeypatch.setattr(billing_standards, "DISTINCT_SERVICE_PAIRS", frozenset({("97530", "97110")}))
    client_id = _client(make, personas)
    with app.app_context():
        setup = set_up(personas.practice_id, personas.colleague.id, client_id)
        db.session.get(Payer, setup.payer_id).distinct_service_modifier = "XS"
        db.session.commit()
    ids = _sessions(app, personas, client_id, days=(0, 1))
    claim_id = _claim_id(biller.post("/claims/sessions", data={"session_id": [str(i) for i in ids]}))
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        assert [(ln.code, ln.modifiers) for ln in claim.lines] == [("97110", ["XS"]), ("97530", [])] * 2
        assert not [f for f in claims.findings(claim) if f.code.startswith("code.")]
    _ready(app, biller, claim_id)
    x12 = biller.post("/claims/export", data={"period_from": "02/01/2026", "period_to": "02/28/2026"}).get_data(
        as_text=True)
    ok, errors = pyx12_check(x12)
    assert ok, errors
    assert x12.count("SV1*HC:97110:XS*") == 2 and "SV1*HC:97530*" in x12


def test_kx_counts_the_earlier_sessions_of_the_same_claim(app, personas, make, biller):
    client_id = _client(make, personas)
    with app.app_context():
        set_up_medicare_pt_past_threshold(personas.practice_id, personas.colleague.id, client_id)
    ids = _sessions(app, personas, client_id, days=(0, 2))
    claim_id = _claim_id(biller.post("/claims/sessions", data={"session_id": [str(i) for i in ids]}))
    with app.app_context():
        lines = db.session.get(Claim, claim_id).lines
        # $2,450 of allowed therapy in the first session stays under $2,480; the second passes it.
        assert [(ln.service_date.day, ln.code, ln.modifiers) for ln in lines] == [
            (16, "97110", ["GP"]), (16, "97530", ["GP"]), (18, "97110", ["GP", "KX"]), (18, "97530", ["GP", "KX"])]


def test_a_medicare_clients_mes_session_goes_to_the_clients_superbill_in_one_tap(app, personas, make, biller):
    client_id = _client(make, personas)
    other_id = _client(make, personas, last="Okonkwo")
    with app.app_context():
        set_up(personas.practice_id, personas.colleague.id, client_id, kind="medicare", name="Medicare Part B",
               payer_id="00952")
        db.session.add(Payer(practice_id=personas.practice_id, name="Self-pay", kind="self_pay",
                             claim_route="superbill", mes_codes=[]))
        db.session.commit()
        session_id = signed_session(personas.practice_id, client_id, personas.colleague.id)
        other_session = signed_session(personas.practice_id, other_id, personas.colleague.id)
    queue = biller.get("/claims").get_data(as_text=True)
    row = queue[queue.index(f'id="session-{session_id}"'):]
    row = row[:row.index("</li>")]
    # The reason is shown before the tap, and the only button is the superbill.
    assert "230.5" in row and "Bill the client (superbill)" in row and "Make claim" not in row
    assert f'data-bill-client="{other_session}"' not in queue
    claim_id = _claim_id(biller.post(f"/claims/sessions/{session_id}/self-pay"))
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        assert (claim.payment_route, claim.claim_route, claim.coverage_id) == ("self_pay", "superbill", None)
        assert claim.payer.kind == "self_pay"
        assert [(ln.code, ln.units) for ln in claim.lines] == [("S9451", 1)]
        history = db.session.scalar(select(ClaimStatusChange.reason).where(ClaimStatusChange.claim_id == claim_id))
        assert "230.5" in history
        assert db.session.scalar(select(Claim).join(Payer).where(Payer.kind == "medicare")) is None
        # The client is still a Medicare client: a therapist's session would still bill Medicare.
        from metpwa.models import Client

        assert not db.session.get(Client, client_id).self_pay
    assert f'id="session-{session_id}"' not in biller.get("/claims").get_data(as_text=True)
    # A session of a client who is not on traditional Medicare is not moved here.
    refused = biller.post(f"/claims/sessions/{other_session}/self-pay")
    assert refused.status_code == 422 and "Only a traditional Medicare client" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(ClaimLine).where(ClaimLine.session_id == other_session)) is None

"""Claims from signed sessions, through the pages a biller uses: the builder's codes, units and
diagnoses, the route rule refused in the builder, the scrubber's findings and overrides, the life
cycle to an 837P that pyx12 accepts, lines frozen by the database once exported, a replacement and a
void, the CLI export, and the CMS-1500 and superbill PDFs' text."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import exc, select, text
from support.claim_setup import SERVICE_DAY, set_up, set_up_medicare_pt_past_threshold, signed_session
from support.claims import pyx12_check

from metpwa.extensions import db
from metpwa.models import AuditEvent, Claim
from metpwa.services import claims


@pytest.fixture
def biller(personas, new_agent):
    agent = new_agent()
    assert agent.login(personas.biller).status_code == 303
    return agent


def _client(make, personas) -> int:
    return make.client_record(personas.practice_id, first="Margaret", last="Whitfield",
                              trainer_id=personas.colleague.id)


def _make(app, biller, session_id: int):
    return biller.post(f"/claims/sessions/{session_id}")


def _claim(app, claim_id: int) -> Claim:
    return db.session.get(Claim, claim_id)


def _pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _made_claim_id(response) -> int:
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return int(re.search(r"/claims/(\d+)$", response.headers["Location"]).group(1))


def test_a_signed_session_becomes_a_claim_without_retyping(app, personas, make, biller):
    client_id = _client(make, personas)
    with app.app_context():
        set_up(personas.practice_id, personas.colleague.id, client_id, mes_codes=("97110", "97530"))
        session_id = signed_session(personas.practice_id, client_id, personas.colleague.id)
    queue = biller.get("/claims").get_data(as_text=True)
    assert "Make claim" in queue and "Whitfield" in queue
    claim_id = _made_claim_id(_make(app, biller, session_id))
    with app.app_context():
        claim = _claim(app, claim_id)
        # 33 minutes of 97110 and 7 of 97530: 40 timed minutes, 3 units, 2 and 1 (CMS total time).
        assert [(ln.code, ln.units, ln.minutes, ln.charge) for ln in claim.lines] == [
            ("97110", 2, 33, Decimal("90.00")), ("97530", 1, 7, Decimal("50.00"))]
        assert [d.code for d in claim.diagnoses] == ["M17.11", "R26.89"]
        assert all(ln.diagnosis_pointers == [1, 2] for ln in claim.lines)
        assert claim.total_charge == Decimal("140.00")
        assert claim.payment_route == "payer_accepts_mes" and claim.status == "draft"
        assert not any("GP" in ln.modifiers for ln in claim.lines)
        assert claim.patient_control_number == f"C{claim.id:07d}"
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.object_type == "Claim",
                                                          AuditEvent.action == "create")) is not None
    page = biller.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert "97110" in page and "What the scrubber found" in page
    # The session left the queue; making it twice is refused.
    assert f"/claims/sessions/{session_id}" not in biller.get("/claims").get_data(as_text=True)
    assert _make(app, biller, session_id).status_code == 409


def test_per_code_method_gives_each_code_its_own_units(app, personas, make, biller):
    client_id = _client(make, personas)
    with app.app_context():
        set_up(personas.practice_id, personas.colleague.id, client_id, mes_codes=("97110", "97530"),
               unit_method="substantial_portion")
        session_id = signed_session(personas.practice_id, client_id, personas.colleague.id)
    claim_id = _made_claim_id(_make(app, biller, session_id))
    with app.app_context():
        assert [(ln.code, ln.units) for ln in _claim(app, claim_id).lines] == [("97110", 2)]


def test_traditional_medicare_refuses_an_mes_session_with_the_reason(app, personas, make, biller):
    client_id = _client(make, personas)
    with app.app_context():
        set_up(personas.practice_id, personas.colleague.id, client_id, kind="medicare", name="Medicare Part B",
               payer_id="00952")
        session_id = signed_session(personas.practice_id, client_id, personas.colleague.id)
    response = _make(app, biller, session_id)
    assert response.status_code == 422
    assert "230.5" in response.get_data(as_text=True) and "pays privately" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Claim)) is None


def test_route_one_renders_under_the_supervising_pt_only_with_supervision_on_record(app, personas, make, biller):
    client_id = _client(make, personas)
    with app.app_context():
        setup = set_up(personas.practice_id, personas.colleague.id, client_id, accepts_mes=False, supervised=True)
        unsupervised = signed_session(personas.practice_id, client_id, personas.colleague.id)
        supervised = signed_session(personas.practice_id, client_id, personas.colleague.id,
                                    supervisor_id=setup.supervisor_id)
    refused = _make(app, biller, unsupervised)
    assert refused.status_code == 422 and "no supervision" in refused.get_data(as_text=True)
    claim_id = _made_claim_id(_make(app, biller, supervised))
    with app.app_context():
        claim = _claim(app, claim_id)
        assert claim.payment_route == "licensed_supervisor"
        assert {ln.rendering_provider_id for ln in claim.lines} == {setup.supervisor_id}
        assert {ln.performed_by_id for ln in claim.lines} == {setup.rendering_id}
        assert not [f for f in claims.findings(claim) if f.code.startswith("route.")]


def test_a_payer_with_no_route_for_an_mes_is_refused(app, personas, make, biller):
    client_id = _client(make, personas)
    with app.app_context():
        set_up(personas.practice_id, personas.colleague.id, client_id, accepts_mes=False, supervised=False)
        session_id = signed_session(personas.practice_id, client_id, personas.colleague.id)
    response = _make(app, biller, session_id)
    assert response.status_code == 422 and "self-pay" in response.get_data(as_text=True)


def test_a_gp_modifier_or_pt_evaluation_is_a_finding_no_override_lets_through(app, personas, make, biller):
    client_id = _client(make, personas)
    with app.app_context():
        set_up(personas.practice_id, personas.colleague.id, client_id)
        session_id = signed_session(personas.practice_id, client_id, personas.colleague.id)
    claim_id = _made_claim_id(_make(app, biller, session_id))
    with app.app_context():
        claim = _claim(app, claim_id)
        claim.lines[0].modifiers = ["GP"]
        db.session.commit()
        keys = [f.key for f in claims.findings(claim) if f.code == "route.gp_modifier"]
        assert keys
    response = biller.post(f"/claims/{claim_id}/override", data={"finding_key": keys[0],
                                                                 "reason": "The payer told us on the phone"})
    assert response.status_code == 422 and "cannot be overridden" in response.get_data(as_text=True)


def _ready(app, biller, claim_id: int) -> None:
    """Override every finding that stops export, with a reason, then mark the claim ready."""
    refused = biller.post(f"/claims/{claim_id}/status", data={"status": "ready"})
    with app.app_context():
        blocking = claims.blockers(_claim(app, claim_id))
    if blocking:
        assert refused.status_code == 422 and "finding" in refused.get_data(as_text=True)
    for finding in blocking:
        assert finding.overridable, finding
        assert biller.post(f"/claims/{claim_id}/override", data={
            "finding_key": finding.key, "reason": "Checked with the payer's portal today"}).status_code == 303
    assert biller.post(f"/claims/{claim_id}/status", data={"status": "ready"}).status_code == 303


def test_life_cycle_to_an_837p_pyx12_accepts_then_accepted_corrected_and_voided(app, personas, make, biller):
    client_id = _client(make, personas)
    with app.app_context():
        set_up(personas.practice_id, personas.colleague.id, client_id)
        session_id = signed_session(personas.practice_id, client_id, personas.colleague.id)
    claim_id = _made_claim_id(_make(app, biller, session_id))
    # An override needs a real reason.
    with app.app_context():
        key = claims.blockers(_claim(app, claim_id))[0].key
    short = biller.post(f"/claims/{claim_id}/override", data={"finding_key": key, "reason": "ok"})
    assert short.status_code == 422 and "at least 10" in short.get_data(as_text=True)
    _ready(app, biller, claim_id)
    # The export's period reaches back to the ready claim's session, so the count on the button is what goes.
    assert 'value="02/16/2026"' in biller.get("/claims").get_data(as_text=True)
    bad = biller.post("/claims/export", data={"period_from": "02/30/2026", "period_to": "02/28/2026"})
    assert bad.status_code == 422 and "MM/DD/YYYY" in bad.get_data(as_text=True)
    exported = biller.post("/claims/export", data={"period_from": "02/01/2026", "period_to": "02/28/2026"})
    assert exported.status_code == 200 and "attachment" in exported.headers["Content-Disposition"]
    x12 = exported.get_data(as_text=True)
    ok, errors = pyx12_check(x12)
    assert ok, errors
    assert f"CLM*C{claim_id:07d}*140" in x12 and "GP" not in x12.split("SV1")[1]
    with app.app_context():
        claim = _claim(app, claim_id)
        assert claim.status == "exported" and claim.batch_id is not None
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export",
                                                          AuditEvent.object_type == "ClaimBatch")) is not None
        line_id = claim.lines[0].id
        # The database itself refuses to change an exported claim's lines.
        with pytest.raises(exc.DatabaseError):
            db.session.execute(text("UPDATE claim_line SET units = 4 WHERE id = :id"), {"id": line_id})
            db.session.flush()
        db.session.rollback()
    # The payer answers: a rejection needs its reason.
    assert biller.post(f"/claims/{claim_id}/status", data={"status": "rejected"}).status_code == 422
    assert biller.post(f"/claims/{claim_id}/status", data={"status": "accepted",
                                                           "payer_claim_number": "PHP2026-0042"}).status_code == 303
    replacement = biller.post(f"/claims/{claim_id}/correct")
    replacement_id = _made_claim_id(replacement)
    with app.app_context():
        new = _claim(app, replacement_id)
        assert (new.frequency_code, new.original_claim_id, new.original_reference) == ("7", claim_id, "PHP2026-0042")
        assert _claim(app, claim_id).status == "corrected"
    _ready(app, biller, replacement_id)
    x12 = biller.post("/claims/export", data={"period_from": "02/01/2026", "period_to": "02/28/2026"}).get_data(
        as_text=True)
    assert pyx12_check(x12)[0] and "REF*F8*PHP20260042" in x12 and ":B:7*" in x12
    assert biller.post(f"/claims/{replacement_id}/status", data={"status": "accepted",
                                                                 "payer_claim_number": "PHP2026-0043"}).status_code == 303
    short_void = biller.post(f"/claims/{replacement_id}/void", data={"reason": "no"})
    assert short_void.status_code == 422
    void = biller.post(f"/claims/{replacement_id}/void", data={"reason": "Client was seen under another plan"})
    void_id = _made_claim_id(void)
    with app.app_context():
        copy = _claim(app, void_id)
        assert copy.frequency_code == "8" and copy.original_reference == "PHP2026-0043"
        assert _claim(app, replacement_id).status == "voided"
        statuses = {c.status for c in db.session.scalars(select(Claim))}
        assert statuses == {"corrected", "voided", "draft"}


def _exported_claim(app, personas, make, biller) -> int:
    """A signed session's claim, made ready and exported in a batch: the payer's to answer."""
    client_id = _client(make, personas)
    with app.app_context():
        set_up(personas.practice_id, personas.colleague.id, client_id)
        session_id = signed_session(personas.practice_id, client_id, personas.colleague.id)
    claim_id = _made_claim_id(_make(app, biller, session_id))
    _ready(app, biller, claim_id)
    assert biller.post("/claims/export", data={"period_from": "02/01/2026", "period_to": "02/28/2026"}).status_code == 200
    return claim_id


def test_a_rejected_claim_is_corrected_as_a_new_claim_and_voided_without_a_void_claim(app, personas, make, biller):
    """The payer never took a rejected claim in: a replacement (7) or a void (8) naming it would be
    rejected in turn, so its correction goes as a new claim (1) and voiding it sends nothing."""
    claim_id = _exported_claim(app, personas, make, biller)
    assert biller.post(f"/claims/{claim_id}/status", data={
        "status": "rejected", "reason": "A3:21 missing subscriber ID"}).status_code == 303
    assert "sent again as a new claim" in biller.get(f"/claims/{claim_id}").get_data(as_text=True)
    corrected_id = _made_claim_id(biller.post(f"/claims/{claim_id}/correct"))
    with app.app_context():
        new = _claim(app, corrected_id)
        assert (new.frequency_code, new.original_claim_id) == ("1", claim_id)
    _ready(app, biller, corrected_id)
    x12 = biller.post("/claims/export", data={"period_from": "02/01/2026", "period_to": "02/28/2026"}).get_data(
        as_text=True)
    assert pyx12_check(x12)[0] and f"CLM*C{corrected_id:07d}*140***11:B:1*" in x12 and "REF*F8" not in x12
    assert "Corrected and sent again as" in biller.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert biller.post(f"/claims/{corrected_id}/status", data={
        "status": "rejected", "reason": "A7:562 invalid NPI"}).status_code == 303
    voided = biller.post(f"/claims/{corrected_id}/void", data={"reason": "Client will pay for this session"})
    assert _made_claim_id(voided) == corrected_id
    with app.app_context():
        assert _claim(app, corrected_id).status == "voided"
        assert not db.session.scalar(select(Claim).where(Claim.frequency_code == "8"))


def test_a_replacement_or_void_asks_for_the_payers_claim_number_it_must_name(app, personas, make, biller):
    """Accepted without the payer's number recorded: a replacement (7) or void (8) naming our own number
    would be rejected, so the correction and the void ask for it at their field and keep the claim as it was."""
    claim_id = _exported_claim(app, personas, make, biller)
    assert biller.post(f"/claims/{claim_id}/status", data={"status": "accepted"}).status_code == 303
    page = biller.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert 'id="correct_payer_claim_number"' in page and 'id="void_payer_claim_number"' in page
    refused = biller.post(f"/claims/{claim_id}/correct")
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert 'id="correct_payer_claim_number-error"' in body and "payer finds the claim" in body
    bad = biller.post(f"/claims/{claim_id}/void", data={"reason": "Client was seen under another plan",
                                                        "payer_claim_number": "PHP 42; DROP"})
    assert bad.status_code == 422 and "Letters, digits and dashes only" in bad.get_data(as_text=True)
    assert 'value="Client was seen under another plan"' in bad.get_data(as_text=True)
    with app.app_context():
        assert _claim(app, claim_id).status == "accepted" and _claim(app, claim_id).payer_claim_number is None
    void_id = _made_claim_id(biller.post(f"/claims/{claim_id}/void", data={
        "reason": "Client was seen under another plan", "payer_claim_number": "PHP2026-0077"}))
    with app.app_context():
        copy = _claim(app, void_id)
        assert (copy.frequency_code, copy.original_reference) == ("8", "PHP2026-0077")
        assert _claim(app, claim_id).payer_claim_number == "PHP2026-0077"
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "update",
                                                          AuditEvent.object_id == str(claim_id),
                                                          AuditEvent.object_type == "Claim")) is not None


def test_kx_once_the_years_allowed_therapy_charges_pass_the_threshold(app, personas, make, biller):
    """Standards.md "Modifiers": KX past $2,480 in 2026, here for a PT billing traditional Medicare; the
    allowed amount is the payer's contracted one where it has one (97110 at $1,200 a unit, to get there)."""
    from datetime import timedelta

    client_id = _client(make, personas)
    with app.app_context():
        set_up_medicare_pt_past_threshold(personas.practice_id, personas.colleague.id, client_id)
        first = signed_session(personas.practice_id, client_id, personas.colleague.id)
        second = signed_session(personas.practice_id, client_id, personas.colleague.id,
                                day=SERVICE_DAY + timedelta(days=2))
    first_id = _made_claim_id(_make(app, biller, first))
    second_id = _made_claim_id(_make(app, biller, second))
    with app.app_context():
        # 2 x $1,200 + $50 = $2,450: not past the threshold yet.
        # The PT's own Medicare lines carry GP (100-04 ch. 5 sec. 20.1).
        assert [ln.modifiers for ln in _claim(app, first_id).lines] == [["GP"], ["GP"]]
        # $2,450 + $2,400 passes it: every therapy line of the second session carries KX.
        assert [(ln.code, ln.modifiers) for ln in _claim(app, second_id).lines] == [
            ("97110", ["GP", "KX"]), ("97530", ["GP", "KX"])]
        assert not [f for f in claims.findings(_claim(app, second_id)) if f.code.startswith(("route.", "code."))]
    _ready(app, biller, second_id)
    x12 = biller.post("/claims/export", data={"period_from": "02/01/2026", "period_to": "02/28/2026"}).get_data(
        as_text=True)
    ok, errors = pyx12_check(x12)
    assert ok, errors
    assert "SV1*HC:97110:GP:KX*" in x12 and "SV1*HC:97530:GP:KX*" in x12


def test_cms1500_pdf_and_printing_a_paper_claim(app, personas, make, biller):
    client_id = _client(make, personas)
    with app.app_context():
        set_up(personas.practice_id, personas.colleague.id, client_id, route="cms1500")
        session_id = signed_session(personas.practice_id, client_id, personas.colleague.id)
    claim_id = _made_claim_id(_make(app, biller, session_id))
    preview = biller.get(f"/claims/{claim_id}/cms1500.pdf")
    assert preview.status_code == 200
    words = _pdf_text(preview.data)
    assert "CMS-1500" in words and "97110" in words and "M1711" in words and "WHITFIELD" in words
    _ready(app, biller, claim_id)
    # A ready paper claim is not counted in the 837P export; the queue says it is printed instead.
    queue = " ".join(biller.get("/claims").get_data(as_text=True).split())
    assert "Export 0 ready (837P)" in queue and "1 ready claim goes on paper" in queue
    sent = biller.post(f"/claims/{claim_id}/send")
    assert sent.status_code == 200 and sent.mimetype == "application/pdf"
    with app.app_context():
        assert _claim(app, claim_id).status == "exported"


def test_self_pay_superbill_and_letter(app, personas, make, biller):
    client_id = _client(make, personas)
    with app.app_context():
        set_up(personas.practice_id, personas.colleague.id, client_id, self_pay=True, name="Self-pay",
               mes_codes=())
        session_id = signed_session(personas.practice_id, client_id, personas.colleague.id)
    claim_id = _made_claim_id(_make(app, biller, session_id))
    with app.app_context():
        claim = _claim(app, claim_id)
        assert [(ln.code, ln.units, ln.charge) for ln in claim.lines] == [("S9451", 1, Decimal("65.00"))]
        assert claim.payment_route == "self_pay" and claim.coverage_id is None
    with app.app_context():
        # The set-up form keeps the tax ID's nine digits; the superbill writes it the way people read it.
        from metpwa.models import BillingProvider

        db.session.scalar(select(BillingProvider)).tax_id = "361234567"
        db.session.commit()
    words = _pdf_text(biller.get(f"/claims/{claim_id}/superbill.pdf").data)
    assert "Superbill" in words and "S9451" in words and "M17.11" in words and "65.00" in words
    assert "Tax ID 36-1234567" in words
    letter = biller.post(f"/claims/{claim_id}/medical-necessity.pdf")
    assert letter.status_code == 200 and "Medical Necessity" in _pdf_text(letter.data)
    # Handed to the client, a superbill is paid by the client: no payer accepts or rejects it.
    _ready(app, biller, claim_id)
    assert biller.post(f"/claims/{claim_id}/send").mimetype == "application/pdf"
    page = biller.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert 'value="paid"' in page and 'value="accepted"' not in page and "Payer's claim number" not in page
    assert biller.post(f"/claims/{claim_id}/status", data={"status": "accepted"}).status_code == 422
    assert biller.post(f"/claims/{claim_id}/status", data={"status": "paid"}).status_code == 303
    with app.app_context():
        assert _claim(app, claim_id).status == "paid"


def test_a_clients_clean_claims_fix_opens_that_clients_claims(app, personas, make, biller):
    """The readiness item "Clean claims" links to /claims?client_id=N: it lists that client's claims in
    every state (a denied one included), not the practice's drafts."""
    from metpwa.fixlinks import fix_url

    client_id = _client(make, personas)
    other_id = make.client_record(personas.practice_id, first="Otto", last="Other", trainer_id=personas.colleague.id)
    with app.app_context():
        set_up(personas.practice_id, personas.colleague.id, client_id)
        session_id = signed_session(personas.practice_id, client_id, personas.colleague.id)
    claim_id = _made_claim_id(_make(app, biller, session_id))
    _ready(app, biller, claim_id)
    with app.test_request_context("/"):
        url = fix_url(("claims.client", client_id))
    page = biller.get(url).get_data(as_text=True)
    assert "Whitfield's claims, in every state" in page and f"C{claim_id:07d}" in page and "Ready" in page
    assert "has no claims" in biller.get(url.replace(str(client_id), str(other_id))).get_data(as_text=True)


def test_cli_exports_every_ready_claim_in_the_period(app, personas, make, biller, tmp_path):
    client_id = _client(make, personas)
    with app.app_context():
        set_up(personas.practice_id, personas.colleague.id, client_id)
        first = signed_session(personas.practice_id, client_id, personas.colleague.id)
        second = signed_session(personas.practice_id, client_id, personas.colleague.id,
                                day=SERVICE_DAY.replace(day=19))
    ids = [_made_claim_id(_make(app, biller, s)) for s in (first, second)]
    for claim_id in ids:
        _ready(app, biller, claim_id)
    out = tmp_path / "batch.x12"
    result = app.test_cli_runner().invoke(args=["claims", "export-837", "--from", "02/01/2026", "--to",
                                                "02/28/2026", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 claims" in result.output
    assert pyx12_check(out.read_text())[0]
    again = app.test_cli_runner().invoke(args=["claims", "export-837", "--from", "02/01/2026", "--to",
                                               "02/28/2026", "-o", str(out)])
    assert again.exit_code != 0 and "No ready" in again.output


def test_only_owner_and_biller_reach_claims(personas, new_agent):
    for persona, allowed in ((personas.colleague, False), (personas.front_desk, False), (personas.owner, True)):
        agent = new_agent()
        agent.login(persona)
        assert (agent.get("/claims").status_code == 200) is allowed


def test_a_draft_is_rebuilt_after_the_fee_schedule_is_fixed(app, personas, make, biller):
    from metpwa.models import FeeScheduleEntry

    client_id = _client(make, personas)
    with app.app_context():
        set_up(personas.practice_id, personas.colleague.id, client_id, accepts_mes=True, mes_codes=("97116",))
        session_id = signed_session(personas.practice_id, client_id, personas.colleague.id,
                                    minutes={"gait": 30})
    claim_id = _made_claim_id(_make(app, biller, session_id))
    page = biller.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert "Set the fee for the code" not in page  # 97116 has a fee in the test schedule
    with app.app_context():
        entry = db.session.scalar(select(FeeScheduleEntry).where(FeeScheduleEntry.code == "97116"))
        entry.charge = Decimal("52.00")
        db.session.commit()
    rebuilt_id = _made_claim_id(biller.post(f"/claims/{claim_id}/rebuild"))
    with app.app_context():
        assert _claim(app, claim_id).status == "voided"
        rebuilt = _claim(app, rebuilt_id)
        assert [(ln.code, ln.units, ln.charge) for ln in rebuilt.lines] == [("97116", 2, Decimal("104.00"))]


def test_the_demo_has_claims_in_every_state_and_refuses_medicare_with_the_reason(demo_app):
    from conftest import Agent
    from metpwa.models import Client, Payer, SessionLog
    from metpwa.standards.billing import ClaimStatus

    app = demo_app
    with app.app_context():
        statuses = set(db.session.scalars(select(Claim.status)))
        assert statuses == {status.value for status in ClaimStatus}
        assert set(db.session.scalars(select(Claim.frequency_code))) == {"1", "7"}
        assert {p.kind for p in db.session.scalars(select(Payer))} >= {"commercial", "medicare", "self_pay"}
        assert set(db.session.scalars(select(Claim.payment_route))) == {
            "payer_accepts_mes", "licensed_supervisor", "self_pay", "therapist"}
        # A PT's own Medicare visits past the year's therapy threshold: KX in the export (item 6).
        from metpwa.models import ClaimBatch, ClaimLine
        from metpwa.standards.billing import kx_threshold

        kx_lines = db.session.scalars(select(ClaimLine).join(Claim).join(Payer).where(
            Payer.kind == "medicare")).all()
        assert kx_lines and all(ln.rendering_provider.credential == "pt" for ln in kx_lines)
        if kx_threshold(max(ln.service_date for ln in kx_lines).year) is not None:
            assert any("KX" in ln.modifiers for ln in kx_lines)
            assert any("SV1*HC:97110:GP:KX*" in (batch.content or "") for batch in db.session.scalars(select(ClaimBatch)))
        # No Medicare claim bills an MES's session.
        assert not [ln for ln in kx_lines if ln.performed_by.credential != "pt"]
        park = db.session.scalar(select(SessionLog.id).join(Client, Client.id == SessionLog.client_id).where(
            Client.last_name == "Park", SessionLog.signed_at.is_not(None)).limit(1))
    from metpwa import demo
    from metpwa.rules import totp

    agent = Agent(app.test_client())
    agent.refresh_token("/login")
    response = agent.client.post("/login", data={"email": "ellen@riverside.example", "password": demo.DEMO_PASSWORD,
                                                 "csrf_token": agent.token})
    agent.refresh_token(response.headers["Location"])
    import time

    agent.client.post("/login/code", data={"code": totp.code_for(demo.DEMO_TOTP_SECRET, totp.step_at(time.time())),
                                           "csrf_token": agent.token})
    agent.refresh_token("/me")
    refused = agent.post(f"/claims/sessions/{park}")
    assert refused.status_code == 422 and "230.5" in refused.get_data(as_text=True)


def test_every_place_a_scrubber_finding_names_links_to_a_page_the_app_has(app):
    """A finding's "fix it here" link is the point of the scrubber: each place the rules name maps
    to a registered page (the set-up, eligibility and plan screens included)."""
    import re
    from pathlib import Path

    from metpwa.fixlinks import PLACES, claim_fix_url

    source = Path("metpwa/rules/claim_scrubber.py").read_text()
    # Targets are ("area.place", ref); findings' own keys ("plan.unsigned") name no area with pages.
    areas = {"clients", "referrals", "sessions", "claims", "plans", "billing"}
    named = {name for name in re.findall(r'\("([a-z_]+\.[a-z_]+)", ', source) if name.split(".")[0] in areas}
    assert named <= set(PLACES), named - set(PLACES)
    with app.test_request_context("/"):
        for name in named:
            assert PLACES[name][0][0] in app.view_functions, name
            assert (claim_fix_url((name, 1), claim_id=1, client_id=1) or "").startswith("/"), name


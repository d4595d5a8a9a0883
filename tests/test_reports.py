"""Progress reports: the client's real numbers in a PDF with vector charts, finalising locks the
report with the PDF's SHA-256, deliveries are recorded, due reminders, the CLI, and a renderer
that fetches nothing a user typed."""

import hashlib
import io
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from pypdf import PdfReader
from sqlalchemy import exc, func, select, text

from conftest import lone_practice, post_at_once, try_writing_elsewhere
from metpwa.extensions import db as _db
from metpwa.models import Disclosure, ProgressReport
from support.history import signed_sessions, tug_results


def pdf_text(data: bytes) -> tuple[str, int, PdfReader]:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(page.extract_text() for page in reader.pages), len(reader.pages), reader


@pytest.fixture
def history(app, make, personas):
    client_id = make.ready_client(personas.practice_id, personas.colleague.id, first="Opal", last="Whitaker")
    signed_sessions(app, client_id, personas.colleague.id, count=6, start_days_ago=20, pains=[6, 6, 5, 4, 4, 3])
    tug_results(app, client_id, personas.colleague.id, [20.0, 17.2, 14.0], start_days_ago=21)
    return client_id


def _period(app, personas):
    from metpwa.clock import practice_today
    from metpwa.models import Practice

    with app.app_context():
        today = practice_today(_db.session.get(Practice, personas.practice_id))
    return today - timedelta(days=25), today


def new_report(agent, client_id, start, end, kind="progress"):
    response = agent.post(f"/clients/{client_id}/reports", data={
        "kind": kind, "period_start": f"{start:%m/%d/%Y}", "period_end": f"{end:%m/%d/%Y}", "recipient_id": ""})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rsplit("/", 1)[-1])


def test_the_preview_counts_one_no_show_and_one_cancellation_in_the_singular(app, agent, personas, history):
    from metpwa.models import Appointment, utcnow

    with app.app_context():
        for days_ago, status in ((5, "no_show"), (8, "cancelled")):
            _db.session.add(Appointment(practice_id=personas.practice_id, client_id=history, trainer_id=personas.colleague.id,
                                        starts_at=utcnow() - timedelta(days=days_ago), duration_minutes=60, status=status))
        _db.session.commit()
    agent.login(personas.colleague)
    start, end = _period(app, personas)
    preview = agent.get(f"/clients/{history}/reports/{new_report(agent, history, start, end)}").get_data(as_text=True)
    assert "1 no-show, 1 cancellation." in preview


def test_recommendations_past_two_pages_are_refused_at_their_box_and_kept(app, agent, personas, history):
    agent.login(personas.colleague)
    start, end = _period(app, personas)
    report_id = new_report(agent, history, start, end)
    pasted = "Continue twice weekly; progress to single-leg balance. " * 100
    refused = agent.post(f"/clients/{history}/reports/{report_id}/draft", data={"recommendations": pasted, "then": "finalize"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Keep the recommendations to 4,000 characters or fewer" in body
    assert pasted.strip() in body
    with app.app_context():
        report = _db.session.get(ProgressReport, report_id)
        assert report.recommendations is None and report.finalized_at is None


def test_preview_finalise_and_the_pdf_carry_the_clients_real_numbers(app, agent, personas, history):
    agent.login(personas.colleague)
    start, end = _period(app, personas)
    report_id = new_report(agent, history, start, end)
    preview = agent.get(f"/clients/{history}/reports/{report_id}").get_data(as_text=True)
    assert "6 sessions attended" in preview and "<svg" in preview
    assert "TUG improved from 20.0 s to 14.0 s" in preview
    response = agent.post(f"/clients/{history}/reports/{report_id}/draft", data={
        "recommendations": "Continue twice weekly; progress to single-leg balance.", "then": "finalize"})
    assert response.status_code == 303
    pdf = agent.post(f"/clients/{history}/reports/{report_id}.pdf").get_data()
    words, pages, reader = pdf_text(pdf)
    assert "Opal Whitaker" in words and "6 sessions attended" in words
    assert "TUG improved from 20.0 s to 14.0 s" in words and "larger than the 1.1 s minimal detectable change" in words
    assert "Right knee flexion above 115° by week 8" in words
    assert "Continue twice weekly; progress to single-leg balance." in words
    assert f"Page 1 of {pages}" in words and pages >= 2
    assert "Carl Colleague" in words and "DRAFT" not in words
    images = [image for page in reader.pages for image in page.images]
    assert images == [] or all(image.image.size[0] < 300 for image in images)  # charts are vectors, only the logo is raster
    with app.app_context():
        report = _db.session.get(ProgressReport, report_id)
        assert report.pdf_sha256 == hashlib.sha256(pdf).hexdigest() == hashlib.sha256(report.pdf).hexdigest()


def test_a_final_report_is_locked_and_a_correction_is_a_new_report(app, db, agent, personas, history):
    agent.login(personas.colleague)
    start, end = _period(app, personas)
    report_id = new_report(agent, history, start, end)
    agent.post(f"/clients/{history}/reports/{report_id}/draft", data={"recommendations": "Continue.", "then": "finalize"})
    assert agent.post(f"/clients/{history}/reports/{report_id}/draft", data={"recommendations": "x"}).status_code == 409
    with app.app_context():
        with pytest.raises(exc.IntegrityError, match="signed records cannot change"):
            db.session.execute(text("UPDATE progress_report SET recommendations = 'rewritten'"))
        db.session.rollback()
    corrected = agent.post(f"/clients/{history}/reports/{report_id}/correct")
    new_id = int(corrected.headers["Location"].rsplit("/", 1)[-1])
    assert new_id != report_id
    page = agent.get(f"/clients/{history}/reports").get_data(as_text=True)
    assert "replaces an earlier report" in page


def test_recommendations_are_scope_checked(app, agent, personas, history):
    agent.login(personas.colleague)
    start, end = _period(app, personas)
    report_id = new_report(agent, history, start, end)
    response = agent.post(f"/clients/{history}/reports/{report_id}/draft",
                          data={"recommendations": "Treat the tendinitis with ibuprofen 400 mg", "then": "save"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "“tendinitis”" in body and "Treat the tendinitis" in body


def test_deliveries_are_recorded_for_the_accounting_of_disclosures(app, agent, personas, history):
    agent.login(personas.colleague)
    start, end = _period(app, personas)
    report_id = new_report(agent, history, start, end)
    not_final = agent.post(f"/clients/{history}/reports/{report_id}/deliveries",
                           data={"method": "fax", "recipient": "Dr. Ortiz", "purpose": "treatment"})
    assert not_final.status_code == 422
    agent.post(f"/clients/{history}/reports/{report_id}/draft", data={"recommendations": "Continue.", "then": "finalize"})
    bad = agent.post(f"/clients/{history}/reports/{report_id}/deliveries", data={"method": "pigeon", "recipient": ""})
    assert bad.status_code == 422 and "Say who received it." in bad.get_data(as_text=True)
    ok = agent.post(f"/clients/{history}/reports/{report_id}/deliveries", data={
        "method": "fax", "recipient": "Elena Ortiz, MD", "recipient_address": "(312) 555-0411", "purpose": "treatment"})
    assert ok.status_code == 303
    agent.post(f"/clients/{history}/reports/{report_id}.pdf")
    with app.app_context():
        rows = _db.session.scalars(select(Disclosure).where(Disclosure.client_id == history)).all()
    assert {(r.method, r.purpose) for r in rows} == {("fax", "treatment"), ("download", "operations")}
    assert any(r.recipient == "Elena Ortiz, MD" and r.disclosed_by_id == personas.colleague.id for r in rows)


def test_a_report_is_due_after_ten_visits_or_thirty_days(app, agent, personas, make):
    client_id = make.ready_client(personas.practice_id, personas.colleague.id, first="Due", last="Soon")
    signed_sessions(app, client_id, personas.colleague.id, count=3, start_days_ago=12)
    agent.login(personas.colleague)
    assert "report is due" not in agent.get(f"/clients/{client_id}/reports").get_data(as_text=True)
    signed_sessions(app, client_id, personas.colleague.id, count=7, start_days_ago=11)
    page = agent.get(f"/clients/{client_id}/reports").get_data(as_text=True)
    assert "A progress report is due: 10 visits since the first session" in page
    assert "Report due" in agent.get(f"/clients/{client_id}").get_data(as_text=True)


def test_letter_of_medical_necessity_and_the_cli(app, agent, personas, history, tmp_path):
    agent.login(personas.colleague)
    letter = agent.post(f"/clients/{history}/medical-necessity.pdf")
    words, _, _ = pdf_text(letter.get_data())
    assert "Letter of Medical Necessity" in words and "R53.81" in words and "213(d)" in words
    output = tmp_path / "report.pdf"
    result = app.test_cli_runner().invoke(args=["report", "pdf", "--client", str(history), "-o", str(output)])
    assert result.exit_code == 0, result.output
    words, pages, _ = pdf_text(output.read_bytes())
    assert "Opal Whitaker" in words and "TUG improved" in words and pages >= 2


def test_a_letter_for_a_referral_without_diagnoses_leaves_a_line_to_write_one(app, agent, personas, history):
    from metpwa.models import Referral, ReferralDiagnosis

    with app.app_context():
        referral_ids = select(Referral.id).where(Referral.client_id == history)
        for row in _db.session.scalars(select(ReferralDiagnosis).where(ReferralDiagnosis.referral_id.in_(referral_ids))):
            _db.session.delete(row)
        _db.session.commit()
    agent.login(personas.colleague)
    words, _, _ = pdf_text(agent.post(f"/clients/{history}/medical-necessity.pdf").get_data())
    assert "as diagnosed by me: ______" in " ".join(words.split()) and "R53.81" not in words


def test_outsiders_get_404_and_front_desk_403(new_agent, personas, history):
    outsider = new_agent()
    outsider.login(personas.outsider)
    assert outsider.get(f"/clients/{history}/reports").status_code == 404
    desk = new_agent()
    desk.login(personas.front_desk)
    assert desk.get(f"/clients/{history}/reports").status_code == 403


class _Canary(BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self):  # noqa: N802 (the http.server API)
        type(self).hits += 1
        self.send_response(302)
        self.send_header("Location", "file:///etc/passwd")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_nothing_typed_into_a_report_is_ever_fetched(app, agent, personas, history):
    server = HTTPServer(("127.0.0.1", 0), _Canary)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/x"
    payloads = [f'<img src="{url}">', f'<link rel=stylesheet href="{url}">', "<img src=file:///etc/passwd>",
                f"<style>@import url({url});</style>", f'<object data="{url}"></object>', f'<embed src="{url}">',
                f'<svg><image href="{url}"/></svg>', f'<iframe src="{url}"></iframe>']
    try:
        text = " ".join(payloads)
        with app.app_context():
            # Every other free-text field the report prints, written by staff or copied from an order.

            from metpwa.models import Client, Referral, ReferringProvider, User
            from metpwa.rules import plan as plan_rules
            from metpwa.services import plans

            client = _db.session.get(Client, history)
            client.middle_name = payloads[0][:80]
            referral = _db.session.scalar(select(Referral).where(Referral.client_id == history))
            referral.reason = text
            provider = _db.session.get(ReferringProvider, referral.provider_id)
            provider.organization = payloads[1][:160]
            current = plans.current(history)
            form = {"starts_on": f"{current.starts_on:%m/%d/%Y}", "review_on": f"{current.review_on:%m/%d/%Y}",
                    "frequency_per_week": "2", "duration_weeks": "8", "reason": text[:900],
                    "goals-0-description": text[:480], "goals-0-target": "measure:tug", "goals-0-side": "na",
                    "goals-0-direction": "below", "goals-0-target_value": "12", "goals-0-by_week": "8",
                    "exercises-0-exercise_id": str(current.exercises[0].exercise_id), "exercises-0-sets": "2",
                    "exercises-0-reps": "10", "exercises-0-progression": text[:480]}
            parsed = plan_rules.parse_plan(form, exercises=plans.exercise_infos(client.practice_id),
                                           today=current.starts_on, previous_version=current.version)
            assert parsed.ok, parsed.errors
            plans.save_version(_db.session.get(User, personas.colleague.id), client, parsed,
                               based_on_version=current.version, scope_overrides=[])
            _db.session.commit()
            recipient = provider.id
        agent.login(personas.colleague)
        start, end = _period(app, personas)
        response = agent.post(f"/clients/{history}/reports", data={
            "kind": "progress", "period_start": f"{start:%m/%d/%Y}", "period_end": f"{end:%m/%d/%Y}",
            "recipient_id": str(recipient)})
        report_id = int(response.headers["Location"].rsplit("/", 1)[-1])
        agent.post(f"/clients/{history}/reports/{report_id}/draft",
                   data={"recommendations": text, "then": "finalize"})
        with app.app_context():
            words, _, _ = pdf_text(_db.session.get(ProgressReport, report_id).pdf)
        assert _Canary.hits == 0
        assert "root:x:0:0" not in words
        assert "<img src=" in words and "<iframe" in words  # shown as the text it is
        print(f"\nreport fetch test: {len(payloads)} payloads in 7 free-text fields, canary requests {_Canary.hits}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_double_tapped_new_report_makes_one_draft(app, agent, personas, history):
    agent.login(personas.colleague)
    start, end = _period(app, personas)
    first = new_report(agent, history, start, end)
    again = new_report(agent, history, start, end)
    other_kind = new_report(agent, history, start, end, kind="discharge")
    assert again == first and other_kind != first
    with app.app_context():
        drafts = _db.session.scalars(select(ProgressReport.id).where(ProgressReport.client_id == history)).all()
    assert sorted(drafts) == sorted({first, other_kind})


@pytest.fixture
def lone():
    """Its own database: these tests need real locks, which the shared test transaction would hold."""
    with lone_practice("Lock Test Practice") as practice:
        yield practice


def _dates(app):
    from metpwa.clock import practice_today
    from metpwa.models import Practice

    with app.app_context():
        today = practice_today(_db.session.scalars(select(Practice)).first())
    return today - timedelta(days=25), today


def test_finalising_draws_the_pdf_without_holding_the_write_lock(lone, monkeypatch):
    from metpwa.services import printing

    app, agent, client_id = lone.app, lone.agent, lone.client_id
    start, end = _dates(app)
    report_id = new_report(agent, client_id, start, end)
    seen = []
    draw = printing.document_pdf

    def drawing(*args, **kwargs):
        seen.append(try_writing_elsewhere("progress_report", report_id))
        return draw(*args, **kwargs)

    monkeypatch.setattr(printing, "document_pdf", drawing)
    response = agent.post(f"/clients/{client_id}/reports/{report_id}/draft",
                          data={"recommendations": "Continue twice weekly.", "then": "finalize"})
    assert response.status_code == 303
    assert seen == ["free"]
    with app.app_context():
        assert _db.session.get(ProgressReport, report_id).final


def test_two_finalisations_at_once_sign_once_and_the_other_is_told_why(lone):
    app, agent, client_id = lone.app, lone.agent, lone.client_id
    start, end = _dates(app)
    report_id = new_report(agent, client_id, start, end)
    responses = post_at_once(lone, f"/clients/{client_id}/reports/{report_id}/draft",
                             [{"recommendations": f"Plan {n}.", "then": "finalize"} for n in range(2)])
    assert sorted(response.status_code for response in responses) == [303, 409]
    refused = next(response for response in responses if response.status_code == 409)
    assert "has been finalised" in refused.get_data(as_text=True)
    with app.app_context():
        report = _db.session.get(ProgressReport, report_id)
        words, _, _ = pdf_text(report.pdf)
        # The PDF says what the row says, whichever tap won.
        assert report.recommendations in words and report.pdf_sha256 == hashlib.sha256(report.pdf).hexdigest()


def test_new_report_tapped_twice_at_once_makes_one_draft(lone):
    start, end = _dates(lone.app)
    form = {"kind": "progress", "period_start": f"{start:%m/%d/%Y}", "period_end": f"{end:%m/%d/%Y}", "recipient_id": ""}
    responses = post_at_once(lone, f"/clients/{lone.client_id}/reports", [form] * 3)
    assert {response.status_code for response in responses} == {303}
    assert len({response.headers["Location"] for response in responses}) == 1
    with lone.app.app_context():
        drafts = _db.session.scalar(select(func.count()).select_from(ProgressReport)
                                    .where(ProgressReport.client_id == lone.client_id))
    assert drafts == 1


def test_a_report_for_a_chosen_recipient_is_not_the_draft_without_one(app, agent, personas, history, make):
    agent.login(personas.colleague)
    start, end = _period(app, personas)
    provider = make.provider(personas.practice_id, last="Ng", npi=None)
    unaddressed = new_report(agent, history, start, end)
    response = agent.post(f"/clients/{history}/reports", data={
        "kind": "progress", "period_start": f"{start:%m/%d/%Y}", "period_end": f"{end:%m/%d/%Y}",
        "recipient_id": str(provider)})
    addressed = int(response.headers["Location"].rsplit("/", 1)[-1])
    assert addressed != unaddressed
    with app.app_context():
        assert _db.session.get(ProgressReport, addressed).recipient_id == provider


def test_a_below_average_chair_stand_is_reported_as_a_fall_risk_finding(app, agent, personas, history):
    """CDC STEADI reads a below-average 30-second chair stand as a fall risk: the report says so, as it
    does for TUG (issue 16)."""
    import uuid

    from metpwa.models import Client, User
    from metpwa.models import utcnow as now
    from metpwa.services import measures

    with app.app_context():
        client, trainer = _db.session.get(Client, history), _db.session.get(User, personas.colleague.id)
        measures.record(trainer, client, "chair_stand_30s", {"count": 8}, idempotency_key=str(uuid.uuid4()),
                        performed_at=now() - timedelta(days=3))
    agent.login(personas.colleague)
    start, end = _period(app, personas)
    report_id = new_report(agent, history, start, end)
    finding = "Chair stand 8 stands; at fall risk by the CDC STEADI cut-off (at risk: under 10 stands, below average"
    assert finding in agent.get(f"/clients/{history}/reports/{report_id}").get_data(as_text=True)
    words, _, _ = pdf_text(agent.post(f"/clients/{history}/reports/{report_id}.pdf").get_data())
    assert "at fall risk by the CDC STEADI cut-off" in " ".join(words.split())


def test_a_boosted_delivery_lands_at_the_deliveries_list(app, agent, personas, history):
    # XHR follows the 303 itself and drops its #deliveries, so the anchor rides as ?at= and comes
    # back as the URL htmx pushes, which core.js scrolls to (issue 21).
    agent.login(personas.colleague)
    start, end = _period(app, personas)
    report_id = new_report(agent, history, start, end)
    agent.post(f"/clients/{history}/reports/{report_id}/draft", data={"recommendations": "Continue.", "then": "finalize"})
    delivery = {"method": "fax", "recipient": "Elena Ortiz, MD", "purpose": "treatment"}
    boosted = agent.post(f"/clients/{history}/reports/{report_id}/deliveries", data=delivery, htmx=True,
                         headers={"HX-Boosted": "true"})
    assert boosted.status_code == 303
    assert boosted.headers["Location"] == f"/clients/{history}/reports/{report_id}?at=deliveries#deliveries"
    landed = agent.get(boosted.headers["Location"], htmx=True, headers={"HX-Boosted": "true"})
    assert landed.status_code == 200
    assert landed.headers["HX-Push-Url"] == f"/clients/{history}/reports/{report_id}#deliveries"
    # Without htmx the browser keeps the fragment itself: the redirect and the page are as before.
    plain = agent.post(f"/clients/{history}/reports/{report_id}/deliveries", data=delivery)
    assert plain.headers["Location"] == f"/clients/{history}/reports/{report_id}#deliveries"
    assert "HX-Push-Url" not in agent.get(f"/clients/{history}/reports/{report_id}?at=deliveries").headers

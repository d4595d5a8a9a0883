"""Referring providers and referrals: codes exactly as written, checked against ICD-10-CM; the order document."""

import io
import re

from sqlalchemy import select

from metpwa.models import AuditEvent, Document, Referral
from metpwa.rules import pdfs
from support.images import MINIMAL_PDF


def _referral_form(provider_id, codes="M17.11\nz96651", order=True, **extra):
    data = {"provider_id": str(provider_id), "referred_on": "10/02/2026", "reason": "Right knee weakness after TKA",
            "codes": codes, "authorized_visits": "12", "expires_on": "01/31/2027", **extra}
    if order:
        data["order_document"] = (io.BytesIO(MINIMAL_PDF), "order from dr ortiz.pdf")
    return data


def test_referral_with_codes_as_written_and_the_order(app, agent, personas, make):
    client_id = make.client_record(personas.practice_id)
    provider_id = make.provider(personas.practice_id)
    agent.login(personas.front_desk)
    response = agent.post(f"/clients/{client_id}/referrals/new", data=_referral_form(provider_id),
                          content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)
    chart = agent.get(f"/clients/{client_id}").get_data(as_text=True)
    assert "Unilateral primary osteoarthritis, right knee" in chart
    assert "Presence of right artificial knee joint" in chart and "(written “z96651”)" in chart
    assert "12 visits authorized" in chart and "Open the order" in chart
    with app.app_context():
        from metpwa.extensions import db

        referral = db.session.scalar(select(Referral).where(Referral.client_id == client_id))
        assert [(d.position, d.code, d.as_written) for d in referral.diagnoses] == [
            (1, "M17.11", "M17.11"), (2, "Z96.651", "z96651")]
        assert referral.diagnoses[0].code_set.startswith("ICD-10-CM")
        order = db.session.get(Document, referral.order_document_id)
        assert (order.content_type, order.filename, order.kind) == ("application/pdf", "order from dr ortiz.pdf",
                                                                     "referral_order")


def test_invalid_or_heading_codes_are_refused_with_the_reason(agent, personas, make):
    client_id = make.client_record(personas.practice_id)
    provider_id = make.provider(personas.practice_id)
    agent.login(personas.front_desk)
    response = agent.post(f"/clients/{client_id}/referrals/new",
                          data=_referral_form(provider_id, codes="M17.1\nZ99.999"), content_type="multipart/form-data")
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "M17.11" in body and "Z99.999 is not an ICD-10-CM code" in body
    assert "Right knee weakness after TKA" in body  # what was typed stays


def test_an_order_that_is_not_a_pdf_or_image_is_refused(agent, personas, make):
    client_id = make.client_record(personas.practice_id)
    provider_id = make.provider(personas.practice_id)
    agent.login(personas.front_desk)
    data = _referral_form(provider_id, order=False)
    data["order_document"] = (io.BytesIO(b"<html><script>alert(1)</script></html>"), "order.pdf")
    response = agent.post(f"/clients/{client_id}/referrals/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Upload a PDF, JPEG or PNG" in response.get_data(as_text=True)


def test_referral_without_order_is_not_ready_until_the_order_is_attached(app, agent, personas, make):
    client_id = make.client_record(personas.practice_id)
    provider_id = make.provider(personas.practice_id)
    agent.login(personas.front_desk)
    agent.post(f"/clients/{client_id}/referrals/new", data=_referral_form(provider_id, order=False),
               content_type="multipart/form-data")
    chart = agent.get(f"/clients/{client_id}").get_data(as_text=True)
    assert "The order or prescription document is not on file." in chart
    with app.app_context():
        from metpwa.extensions import db

        referral_id = db.session.scalar(select(Referral.id).where(Referral.client_id == client_id))
    response = agent.post(f"/clients/{client_id}/referrals/{referral_id}/order",
                          data={"order_document": (io.BytesIO(MINIMAL_PDF), "scan.pdf")},
                          content_type="multipart/form-data")
    assert response.status_code == 303
    assert "The order or prescription document is not on file." not in agent.get(f"/clients/{client_id}").get_data(
        as_text=True)


def test_the_order_opens_only_in_its_practice_and_the_read_is_audited(app, new_agent, personas, make):
    client_id = make.client_record(personas.practice_id)
    provider_id = make.provider(personas.practice_id)
    desk = new_agent()
    desk.login(personas.front_desk)
    desk.post(f"/clients/{client_id}/referrals/new", data=_referral_form(provider_id),
              content_type="multipart/form-data")
    with app.app_context():
        from metpwa.extensions import db

        document_id = db.session.scalar(select(Document.id).where(Document.client_id == client_id))
    opened = desk.get(f"/clients/{client_id}/documents/{document_id}")
    # What was kept is the upload rewritten to its pages (rules/pdfs.py), the same bytes each time.
    assert opened.status_code == 200 and opened.get_data() == pdfs.clean(MINIMAL_PDF)
    assert "sandbox" in opened.headers["Content-Security-Policy"]
    outsider = new_agent()
    outsider.login(personas.outsider)
    assert outsider.get(f"/clients/{client_id}/documents/{document_id}").status_code == 404
    with app.app_context():
        from metpwa.extensions import db

        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export",
                                                          AuditEvent.object_id == str(document_id))) is not None


def test_provider_npi_check_digit(agent, personas):
    agent.login(personas.front_desk)
    bad = agent.post("/providers", data={"first_name": "Ann", "last_name": "Lee", "kind": "physician",
                                         "npi": "1234567890"})
    assert bad.status_code == 422 and "check digit" in bad.get_data(as_text=True)
    good = agent.post("/providers", data={"first_name": "Ann", "last_name": "Lee", "kind": "physician",
                                          "npi": "1234567893", "credentials": "DPT"})
    assert good.status_code == 303
    assert "Ann Lee, DPT" in agent.get("/providers").get_data(as_text=True)


def test_trainers_cannot_choose_a_provider_from_another_practice(agent, personas, make):
    client_id = make.client_record(personas.practice_id)
    foreign = make.provider(personas.other_practice_id, last="Elsewhere")
    agent.login(personas.colleague)
    response = agent.post(f"/clients/{client_id}/referrals/new", data=_referral_form(foreign),
                          content_type="multipart/form-data")
    assert response.status_code == 404


def test_an_order_on_file_is_never_replaced_silently(app, agent, personas, make):
    """Found in review: any post to the order route (a stale tab, a file picked for another client)
    replaced the order the referral rests on."""
    client_id = make.client_record(personas.practice_id)
    provider_id = make.provider(personas.practice_id)
    agent.login(personas.front_desk)
    agent.post(f"/clients/{client_id}/referrals/new", data=_referral_form(provider_id),
               content_type="multipart/form-data")
    with app.app_context():
        from metpwa.extensions import db

        referral = db.session.scalars(select(Referral).where(Referral.client_id == client_id)).one()
        referral_id, order_id = referral.id, referral.order_document_id
    response = agent.post(f"/clients/{client_id}/referrals/{referral_id}/order",
                          data={"order_document": (io.BytesIO(MINIMAL_PDF), "another scan.pdf")},
                          content_type="multipart/form-data")
    assert response.status_code == 409 and "already has its order on file" in response.get_data(as_text=True)
    with app.app_context():
        from metpwa.extensions import db

        assert db.session.get(Referral, referral_id).order_document_id == order_id


def test_a_date_in_the_practices_future_is_refused_whatever_the_servers_date(app, agent, make):
    """Found in review: dates were checked against the server's (UTC) calendar, so a practice
    behind UTC could enter tomorrow's date in its evening. American Samoa is 11 hours behind."""
    from datetime import timedelta

    from conftest import Role
    from metpwa.clock import practice_today
    from metpwa.extensions import db
    from metpwa.models import Practice

    practice_id = make.practice("Pago Pago Exercise", timezone="Pacific/Pago_Pago")
    desk = make.user(practice_id, Role.FRONT_DESK)
    client_id = make.client_record(practice_id)
    provider_id = make.provider(practice_id)
    with app.app_context():
        tomorrow = practice_today(db.session.get(Practice, practice_id)) + timedelta(days=1)
    agent.login(desk)
    response = agent.post(f"/clients/{client_id}/referrals/new",
                          data=_referral_form(provider_id, referred_on=f"{tomorrow:%m/%d/%Y}"),
                          content_type="multipart/form-data")
    assert response.status_code == 422 and "in the future" in response.get_data(as_text=True)


def test_ending_a_plan_twice_keeps_the_order_of_the_others(app, agent, personas, make):
    """Found in review: a double tap on End moved every later plan up twice (two primaries)."""
    from metpwa.extensions import db
    from metpwa.models import Coverage

    client_id = make.client_record(personas.practice_id)
    agent.login(personas.front_desk)
    for priority, (payer, member) in enumerate((("Aetna", "W123456781"), ("Cigna", "U987654321"),
                                                 ("Humana", "H555666777")), start=1):
        response = agent.post(f"/clients/{client_id}/coverage", data={
            "priority": str(priority), "payer_kind": "commercial", "payer_name": payer, "member_id": member,
            "subscriber_relationship": "self"})
        assert response.status_code == 303, response.get_data(as_text=True)[-3000:]
    with app.app_context():
        first = db.session.scalar(select(Coverage.id).where(Coverage.client_id == client_id, Coverage.priority == 1))
    for _ in range(2):
        agent.post(f"/clients/{client_id}/coverage/{first}/end")
    with app.app_context():
        live = db.session.execute(select(Coverage.priority, Coverage.payer_name).where(
            Coverage.client_id == client_id, Coverage.ended_at.is_(None)).order_by(Coverage.priority)).all()
    assert [tuple(row) for row in live] == [(1, "Cigna"), (2, "Humana")]


def test_a_provider_added_from_the_referral_form_is_chosen_on_it(agent, personas, make):
    """Issue 21: back on the referral form, the newly added referring physician was not selected."""
    client_id = make.client_record(personas.practice_id)
    foreign = make.provider(personas.other_practice_id, last="Elsewhere")
    agent.login(personas.colleague)
    back = f"/clients/{client_id}/referrals/new"
    added = agent.post(f"/providers?back={back}", data={"first_name": "Ann", "last_name": "Lee", "kind": "physician",
                                                        "npi": "1234567893", "credentials": "MD"})
    assert added.status_code == 303 and added.headers["Location"].startswith(back + "?provider_id=")
    form = agent.get(added.headers["Location"]).get_data(as_text=True)
    assert re.search(r'<option selected value="\d+">Ann Lee, MD</option>|<option value="\d+" selected>Ann Lee, MD',
                     form), form[form.find("<select"):][:900]
    # Another practice's provider is never chosen, whatever the address says.
    other = agent.get(f"{back}?provider_id={foreign}").get_data(as_text=True)
    assert not re.search(r'<option selected value="\d', other)

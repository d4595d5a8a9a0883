"""The front desk's day on the iPad, where only a browser shows what goes wrong: a scan too big to
send is answered at its field before anything typed is lost."""

import pytest
from sqlalchemy import select

from .conftest import sign_in

pytestmark = pytest.mark.browser


def test_a_scan_over_the_limit_is_refused_at_its_field_and_the_referral_typed_stays(ipad, live_server):
    """Found walking the front desk's day: an 11 MB photo of the order was sent with the referral, the
    server refused the whole body (413, "That file is too large", Back to Today) and the date, reason
    and codes typed were gone. The choice is now undone at the field, before anything is sent."""
    with live_server.app.app_context():
        from metpwa.extensions import db
        from metpwa.models import Client

        client_id = db.session.scalar(select(Client.id).where(Client.last_name == "Kowalski"))
    sign_in(ipad, "tom@riverside.example")
    ipad.goto(f"{ipad.base}/clients/{client_id}/referrals/new")
    ipad.tap("#reason")
    ipad.keyboard.type("Knee osteoarthritis, deconditioning")
    posts = []
    ipad.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    limit = live_server.app.config["MAX_CONTENT_LENGTH"]
    ipad.set_input_files("#order_document", {"name": "order.jpg", "mimeType": "image/jpeg",
                                             "buffer": b"\xff\xd8\xff" + bytes(limit + 1024)})
    message = ipad.locator("#order_document-error")
    assert message.inner_text() == "That file is over 10 MB. Scan at a lower resolution or as a PDF."
    assert ipad.eval_on_selector("#order_document", "el => el.files.length") == 0
    assert ipad.get_attribute("#order_document", "aria-invalid") == "true"
    assert ipad.input_value("#reason") == "Knee osteoarthritis, deconditioning" and posts == []
    ipad.set_input_files("#order_document", {"name": "order.pdf", "mimeType": "application/pdf",
                                             "buffer": b"%PDF-1.4\n%%EOF\n"})
    assert message.count() == 0 and ipad.get_attribute("#order_document", "aria-invalid") is None

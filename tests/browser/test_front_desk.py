"""The front desk's day on the iPad, where only a browser shows what goes wrong: a scan too big to
send is answered at its field before anything typed is lost."""

import pytest
from sqlalchemy import select

from .conftest import sign_in, until
from .test_intake_flow import draw_signature_by_touch

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


def test_a_signature_refused_for_a_missing_name_is_kept_and_the_message_is_in_view(ipad, live_server):
    """Found walking the front desk's day: a client drew their signature, left the name empty and
    tapped "I agree and sign"; the page came back at the top of the consent's text, the message far
    below out of sight, and the pad empty. It opens at the message with the signature still on the pad,
    and signing again needs only the name."""
    from datetime import date

    with live_server.app.app_context():
        from metpwa.extensions import db
        from metpwa.models import User
        from metpwa.services import clients

        desk = db.session.scalar(select(User).where(User.email == "tom@riverside.example"))
        client_id = clients.register(desk, {"first_name": "Opal", "last_name": "Whitcombe", "sex": "F",
                                            "date_of_birth": date(1948, 5, 2), "phone": "(312) 555-0188"},
                                     {"name": "Ray Whitcombe", "relationship_to_client": "Husband",
                                      "phone": "(773) 555-0188"}).id
    sign_in(ipad, "tom@riverside.example")
    ipad.goto(f"{ipad.base}/clients/{client_id}")
    ipad.tap("button:has-text('Hand to client')")
    ipad.wait_for_url("**/handoff")
    ipad.locator("a.task:not(:has-text('Health history'))").first.tap()
    ipad.wait_for_selector("[data-signature-pad]")
    ipad.fill("input[name=signer_name]", "")
    draw_signature_by_touch(ipad)
    ipad.tap("button:has-text('I agree and sign')")
    ipad.wait_for_selector("#signer_name-error")
    assert ipad.locator("#signer_name-error").is_visible() and ipad.evaluate("window.scrollY") > 0
    box = ipad.locator("#signer_name").bounding_box()
    assert 0 <= box["y"] <= ipad.viewport_size["height"] - box["height"]
    until(ipad, INKED)
    ipad.tap("#signer_name")
    ipad.keyboard.type("Opal Whitcombe")
    ipad.tap("button:has-text('I agree and sign')")
    ipad.wait_for_url("**/handoff")


# How many pixels of the signature pad carry ink.
INKED = """(() => { const c = document.querySelector('[data-signature-pad]');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n > 500; })()"""



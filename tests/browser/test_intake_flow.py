"""A trainer registers a client on the iPad, hands it over for the health history and the
consents (signed by finger), takes it back with the PIN pad, and opens the signed PDF."""

import io
import math

import pytest
from pypdf import PdfReader

from metpwa import demo

from .conftest import sign_in

pytestmark = pytest.mark.browser


def type_into(page, selector: str, text: str) -> None:
    page.tap(selector)
    page.keyboard.type(text)


def draw_signature_by_touch(page) -> None:
    """Real touch events (Chrome DevTools protocol), so signature_pad sees a finger, not a mouse."""
    pad = page.locator("[data-signature-pad]")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    cdp = page.context.new_cdp_session(page)
    left, middle = box["x"] + 40, box["y"] + box["height"] / 2
    points = [(left + step * 6, middle + 45 * math.sin(step / 5)) for step in range(90)]
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": points[0][0], "y": points[0][1]}]})
    for x, y in points[1:]:
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()
    # Chromium's gesture detector swallows a tap that follows a touch sequence within the
    # double-tap window; a person lifts the finger and then reaches for the button.
    page.wait_for_timeout(600)


def tap_choice(page, question: str, label: str) -> None:
    page.locator(f"#q-{question} label.choice", has_text=label).first.tap()


def test_register_hand_off_intake_signatures_and_pdf(ipad, live_server):
    sign_in(ipad, "marcus@riverside.example")
    ipad.tap(".tab >> text=Clients")
    ipad.tap("text=Register a client")
    for selector, text in (("#first_name", "Henrietta"), ("#last_name", "Lacks-Moore"), ("#date_of_birth", "08011950"),
                           ("#phone", "3125550166"), ("#contact_name", "Paul Moore"),
                           ("#contact_relationship", "Husband"), ("#contact_phone", "7735550190")):
        type_into(ipad, selector, text)
    ipad.select_option("#sex", "F")
    ipad.tap("button:has-text('Register client')")
    ipad.wait_for_url("**/clients/*")
    assert "Not ready" in ipad.locator(".chart-head").inner_text()

    ipad.tap("button:has-text('Hand to client')")
    ipad.wait_for_url("**/handoff")
    assert ipad.locator(".tabbar").count() == 0
    ipad.tap("a.task:has-text('Health history')")

    tap_choice(ipad, "conditions", "Arthritis")
    ipad.tap("text=Save and continue")
    tap_choice(ipad, "had_surgery", "No")
    ipad.tap("text=Save and continue")
    tap_choice(ipad, "takes_medications", "Yes")
    type_into(ipad, "input[name='medications-0-name']", "Lisinopril")
    type_into(ipad, "input[name='medications-0-dose']", "10 mg daily")
    ipad.tap("text=Save and continue")
    tap_choice(ipad, "has_pain", "Yes")
    ipad.tap("ellipse[data-region='right_knee']")
    assert ipad.locator("input[value='right_knee']").is_checked()
    ipad.locator("label.scale-point", has_text="4").first.tap()
    ipad.tap("text=Save and continue")
    tap_choice(ipad, "activity_level", "errands")
    type_into(ipad, "#q-active_days-input", "2")
    tap_choice(ipad, "fell_past_year", "No")
    tap_choice(ipad, "walking_aids", "No, nothing")
    tap_choice(ipad, "feels_unsteady", "No")
    tap_choice(ipad, "worried_about_falling", "No")
    ipad.tap("text=Save and continue")
    tap_choice(ipad, "goals", "Climb stairs")
    ipad.tap("text=Save and continue")
    for question in ("readiness_heart", "readiness_chest_pain", "readiness_dizziness", "readiness_other_condition",
                     "readiness_medication", "readiness_bone_joint", "readiness_supervision"):
        tap_choice(ipad, question, "No")
    ipad.tap("text=Save and finish")
    ipad.wait_for_url("**/handoff")
    assert "Health history" not in ipad.locator(".task-list").inner_text()

    while ipad.locator("a.task").count():
        ipad.locator("a.task").first.tap()
        ipad.wait_for_selector("[data-signature-pad]")
        ipad.tap("button:has-text('I agree and sign')")  # unsigned: refused with a message
        ipad.wait_for_selector("#signature-error")
        draw_signature_by_touch(ipad)
        ipad.tap("button:has-text('I agree and sign')")
        ipad.wait_for_url("**/handoff")
    assert "All done" in ipad.locator("h1").inner_text()

    ipad.tap(".handoff-staff")
    for digit in demo.DEMO_PIN:
        ipad.tap(f".pin-key[data-digit='{digit}']")
    ipad.tap(".pin-go")
    ipad.wait_for_url("**/clients/*")
    assert "Ready for sessions" not in ipad.locator(".chart-head").inner_text()  # referral and insurance still missing
    consents_text = ipad.locator("#consents").inner_text()
    assert "Informed Consent" in consents_text and "Henrietta" in consents_text

    href = ipad.locator("#consents a:has-text('PDF')").first.get_attribute("href")
    response = ipad.context.request.get(live_server.url + href)
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Henrietta Lacks-Moore" in text and "Riverside Medical Exercise" in text and "Marcus Lee" in text
    images = [image for page in reader.pages for image in page.images]
    assert any(image.image.size[0] > 400 for image in images)  # the drawn signature, beside the small logo

"""A trainer records a range-of-motion assessment by taps, signs it, then builds a Plan of
Exercise with two goals and four exercises from the library."""

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.browser


def client_id(live_server, last_name):
    with live_server.app.app_context():
        from sqlalchemy import select

        from metpwa.extensions import db
        from metpwa.models import Client

        return db.session.scalar(select(Client.id).where(Client.last_name == last_name))


def test_rom_assessment_by_taps_then_a_plan_with_two_goals_and_four_exercises(ipad, live_server):
    frank = client_id(live_server, "DiMarco")
    sign_in(ipad, "dana@riverside.example")
    ipad.goto(f"{ipad.base}/clients/{frank}")
    ipad.tap("#assessment >> text=Open")
    ipad.tap("text=New assessment today")
    ipad.wait_for_selector("#rom-section")

    ipad.select_option("#rom-motion", "shoulder.flexion")
    ipad.locator("#rom-section label.choice", has_text="Left").tap()
    ipad.tap("#rom-degrees")
    ipad.keyboard.type("120")
    ipad.tap("#rom-section button:has-text('Add reading')")
    ipad.wait_for_selector("#rom-section td:has-text('120°')")
    assert "67%" in ipad.locator("#rom-section").inner_text()

    ipad.select_option("#rom-motion", "knee.flexion")
    ipad.locator("#rom-section label.choice", has_text="Right").tap()
    ipad.tap("#rom-degrees")
    ipad.keyboard.type("400")
    ipad.tap("#rom-section button:has-text('Add reading')")
    ipad.wait_for_selector("#rom-degrees-error")
    assert ipad.input_value("#rom-degrees") == "400"  # what was typed stays
    ipad.fill("#rom-degrees", "")
    ipad.tap("#rom-degrees")
    ipad.keyboard.type("130")
    ipad.tap("#rom-section button:has-text('Add reading')")
    ipad.wait_for_selector("#rom-section td:has-text('130°')")

    ipad.tap("button:has-text('Sign assessment')")
    ipad.wait_for_selector("text=locked")
    assert ipad.locator("#rom-section form.add-row").count() == 0

    ipad.goto(f"{ipad.base}/clients/{frank}/plan")
    ipad.tap("text=Build the plan")
    ipad.wait_for_selector("#plan-goals")
    goals = ipad.locator("#plan-goals .goal-row")
    # Issue 21: the builder opens with one blank goal row; a second is one tap on "Add a goal".
    assert goals.count() == 1
    ipad.tap("button:has-text('Add a goal')")
    goals.nth(1).wait_for()
    first, second = goals.nth(0), goals.nth(1)
    first.locator("textarea").tap()
    ipad.keyboard.type("Lift a 20 lb box from the floor to a shelf at work")
    first.locator("select[name$='-target']").select_option("measure:tug")
    first.locator("select[name$='-direction']").select_option("below")
    first.locator("input[name$='-target_value']").tap()
    ipad.keyboard.type("10")
    first.locator("input[name$='-by_week']").tap()
    ipad.keyboard.type("8")
    second.locator("textarea").tap()
    ipad.keyboard.type("Reach overhead to stock the top shelf with the left arm")
    second.locator("select[name$='-target']").select_option("rom:shoulder.flexion")
    second.locator("select[name$='-side']").select_option("left")
    second.locator("select[name$='-direction']").select_option("above")
    second.locator("input[name$='-target_value']").tap()
    ipad.keyboard.type("160")
    second.locator("input[name$='-by_week']").tap()
    ipad.keyboard.type("8")

    for search, name in (("band row", "Band row"), ("sit to stand", "Sit-to-stand"),
                         ("wall slide", "Wall slide"), ("farmer", "Farmer")):
        ipad.fill("#pick-q", "")
        ipad.tap("#pick-q")
        ipad.keyboard.type(search)
        button = ipad.locator("#pick-results li", has_text=name).first.locator("button")
        button.wait_for()
        count = ipad.locator("#plan-exercises .exercise-row").count()
        button.tap()
        ipad.locator("#plan-exercises .exercise-row").nth(count).wait_for()
    assert ipad.locator("#plan-exercises .exercise-row").count() == 4
    ipad.tap("button:has-text('Save the plan')")
    ipad.wait_for_url(f"**/clients/{frank}/plan")
    page = ipad.locator("main").inner_text()
    assert "Version 1" in page
    assert "Timed Up and Go below 10 s by week 8" in page
    assert "Left shoulder flexion above 160° by week 8" in page and "Baseline 120°" in page
    assert ipad.locator("table.data-table tbody tr").count() == 4

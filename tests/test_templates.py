"""The templates' shared pieces (templates/_macros/) and the rules every template keeps: one macro for
the message under a field, whatever shape the route's errors have."""

from __future__ import annotations

import pytest


@pytest.fixture
def forms(app):
    with app.test_request_context():
        yield app.jinja_env.get_template("_macros/forms.html").module


def test_a_field_message_from_a_dict_of_errors_sits_under_its_field(forms):
    errors = {"day": "Enter the date as MM/DD/YYYY.", "time": ""}
    assert str(forms.field_error(errors, "day", "book-day")) == \
        '<p class="field-error" id="book-day-error">Enter the date as MM/DD/YYYY.</p>'
    assert str(forms.error_attrs(errors, "day", "book-day")) == ' aria-describedby="book-day-error" aria-invalid="true"'
    assert str(forms.field_error(errors, "time", "book-time")) == "" == str(forms.error_attrs(errors, "time"))
    assert str(forms.field_error({}, "day")) == ""


def test_a_field_message_from_a_wtforms_list_or_one_message(forms):
    assert str(forms.field_error(["Too long.", "Not a date."], id="withdrawn_on")) == \
        '<p class="field-error" id="withdrawn_on-error">Too long. Not a date.</p>'
    assert str(forms.field_error([], id="withdrawn_on")) == ""
    assert str(forms.field_error("pick one", inline=True)) == '<span class="field-error">Pick one</span>'
    assert str(forms.field_error(None)) == ""


def test_a_live_message_is_always_there_for_the_page_script_to_fill(forms):
    assert str(forms.field_error({}, "rating", live=True)) == \
        '<p class="field-error" id="rating-error" data-error-for="rating"></p>'
    assert str(forms.field_error({"rating": "pain rating must be 0 to 10"}, "rating", live=True)) == \
        '<p class="field-error" id="rating-error" data-error-for="rating">Pain rating must be 0 to 10</p>'
    assert str(forms.error_attrs({}, "rating", live=True)) == ' aria-describedby="rating-error"'


def test_a_message_is_text_never_markup(forms):
    out = str(forms.field_error({"note": "<script>alert(1)</script>"}, "note"))
    assert "<script>" not in out and "&lt;script&gt;" in out

"""The templates' shared pieces (templates/_macros/) and the rules every template keeps: one macro for
the message under a field, whatever shape the route's errors have."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parent.parent / "metpwa" / "templates"


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


def test_post_form_carries_the_token_and_any_attribute(app, forms):
    with app.test_request_context():
        module = app.jinja_env.from_string(
            '{% from "_macros/forms.html" import post_form %}'
            '{% call post_form("/sessions/1/sets", hx=true, class_="logger", hx_target="#sets-" ~ 2, data_idempotent=true,'
            ' hx_boost=false, novalidate=none) %}<button>Done</button>{% endcall %}')
        out = module.render()
    assert out.startswith('<form method="post" action="/sessions/1/sets" hx-post="/sessions/1/sets" class="logger" '
                          'hx-target="#sets-2" data-idempotent><input type="hidden" name="csrf_token" value="')
    assert out.endswith('"><button>Done</button></form>')


def test_html_attrs_escape_their_values():
    from metpwa.templating import html_attrs

    assert str(html_attrs({"hx_vals": '{"field": "<x>"}', "class_": "a b"})) == \
        ' hx-vals="{&#34;field&#34;: &#34;&lt;x&gt;&#34;}" class="a b"'


def test_every_form_that_posts_opens_with_post_form():
    """The CSRF token is written in one place: a <form method="post"> or a csrf_token() anywhere else
    is a form that could forget it (the shell's hx-headers carry it for htmx requests)."""
    written = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        if path.relative_to(TEMPLATES).as_posix() == "_macros/forms.html":
            continue
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<form\b[^>]*>", text, re.DOTALL):
            if re.search(r'method="post"', match.group(0), re.IGNORECASE):
                written.append(f"{path.relative_to(TEMPLATES)}: {match.group(0)[:80]}")
        for line in text.splitlines():
            if "csrf_token()" in line and "hx-headers" not in line:
                written.append(f"{path.relative_to(TEMPLATES)}: {line.strip()[:80]}")
            if "hidden_tag()" in line:
                written.append(f"{path.relative_to(TEMPLATES)}: {line.strip()[:80]}")
    assert not written, "\n".join(written)


def test_set_summary_says_a_set_as_the_trainer_does():
    from decimal import Decimal
    from types import SimpleNamespace

    from metpwa.templating import set_summary

    def logged(reps=None, seconds=None, load=None, unit="kg", rpe=None):
        return SimpleNamespace(reps=reps, seconds=seconds, load=load, load_unit=unit, rpe=rpe)

    assert set_summary(logged(10, load=Decimal("4.0"), rpe=Decimal("6.0"))) == "10 reps @ 4 kg RPE 6"
    assert set_summary(logged(seconds=30, load=Decimal("2.5"), unit="lb", rpe=Decimal("7.5"))) == "30 s @ 2.5 lb RPE 7.5"
    assert set_summary(logged(0, load=Decimal(0))) == "0 reps @ 0 kg"
    # Last time's numbers, as a session keeps them (text), without the effort.
    kept = {"reps": 12, "seconds": None, "load": "12.5", "load_unit": "kg", "rpe": "8.0"}
    assert set_summary(kept, rpe=False) == "12 reps @ 12.5 kg"
    assert set_summary(kept) == "12 reps @ 12.5 kg RPE 8"


def test_the_addendum_form_is_written_once_for_sessions_and_assessments():
    holding = [path.relative_to(TEMPLATES).as_posix() for path in TEMPLATES.rglob("*.html")
               if "Why an addendum" in path.read_text(encoding="utf-8")]
    assert holding == ["_macros/addenda.html"]
    for page in ("sessions/signed.html", "assessments/edit.html"):
        assert "addenda_card(" in (TEMPLATES / page).read_text(encoding="utf-8")


def test_no_template_line_is_longer_than_160_characters():
    """A line a reader can see whole, in a review or beside another file."""
    long = [f"{path.relative_to(TEMPLATES)}:{number}: {len(line)} characters"
            for path in sorted(p for p in TEMPLATES.rglob("*") if p.is_file())
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if len(line) > 160]
    assert not long, "\n".join(long)

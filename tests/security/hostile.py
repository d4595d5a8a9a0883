"""Hostile values for form fields, shared by the bad-input tests: unicode of every kind, huge strings,
numbers written as text, and the classic odd inputs people paste."""

from __future__ import annotations

import re
from html.parser import HTMLParser
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

# Hypothesis keeps caches in ./.hypothesis by default: the checkout stays clean with them in the temp folder.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "metpwa-hypothesis")
SETTINGS = settings(
    max_examples=60, deadline=None, derandomize=True, database=None,  # the same examples in every CI run
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example,
                           HealthCheck.function_scoped_fixture],
)
# Every character UTF-8 can carry, NUL and the other control characters included.
_CHARS = st.characters(codec="utf-8")
ODD = ["  ", "\t\n", "0", "-1", "1e309", "99999999999999999999", "NaN", "None", "null", "true", "[]", "{}",
       "'; DROP TABLE client; --", "%s%s%n", "../../etc/passwd", "12/31/9999", "02/30/2020", "00/00/0000",
       "1952-03-14", "03141952", "+1 (312) 555-0142 ext. 12", "ＩＬ", "６０６０１", "٣١٢٥٥٥٠١٤٢", "ǅ", "ﬃ",
       "Lee\x00Smith", "\x1b[31mred", "evil\u202etxt.exe", "\ufeffAnn", "İ" * 40, "ß" * 40,
       "-0", "0x10", "1_000", "٣", "½", "Infinity", "-99999999999999999999", "2147483648", "9" * 400]


def hostile() -> st.SearchStrategy[str]:
    return st.one_of(
        st.just(""),
        st.text(_CHARS, max_size=100),
        st.integers().map(str),
        st.floats().map(str),
        st.sampled_from(ODD),
        # Huge: over every Length() limit, and past the form parser's memory limit.
        st.builds(lambda ch, n: ch * n, st.sampled_from(["a", "é", "漢", "😀", "<", "&", "9"]),
                  st.sampled_from([81, 255, 2_001, 100_000])),
    )


@st.composite
def form_values(draw, valid: dict) -> tuple[dict, list[str]]:
    """The form's values with one to three fields made hostile, so that many examples get through to the
    database (the writing path is where partial writes and over-long values hide)."""
    changed = draw(st.lists(st.sampled_from(sorted(valid)), min_size=1, max_size=3, unique=True))
    return {**valid, **{name: draw(hostile()) for name in changed}}, changed


_ERROR = re.compile(r'<p class="field-error" id="([^"]+)-error">')


def errors_sit_at_their_fields(body: str) -> list[str]:
    """Every field message is tied to its control (aria-describedby, aria-invalid); returns what is not."""
    ids = _ERROR.findall(body)
    if not ids:
        return ["a refusal with no message at any field"]
    problems = []
    for ident in ids:
        control = re.search(rf'<(?:input|select|textarea)\b[^>]*\bid="{re.escape(ident)}"[^>]*>', body)
        tag = control.group(0) if control else ""
        if f"{ident}-error" not in tag or 'aria-invalid="true"' not in tag:
            problems.append(f"the message for {ident} is not tied to its field")
    return problems


class _Messages(HTMLParser):
    """The text of every error message on a page: .field-error, .form-error and role="alert" elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.messages: list[str] = []
        self._open: list[tuple[str, bool]] = []  # (tag, is a message)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        message = "field-error" in classes or "form-error" in classes or a.get("role") == "alert"
        if tag not in ("input", "br", "img", "meta", "link"):
            self._open.append((tag, message))
            if message:
                self.messages.append("")

    def handle_endtag(self, tag):
        while self._open:
            open_tag, _ = self._open.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if any(message for _, message in self._open):
            self.messages[-1] += data


def says_what_is_wrong(body: str) -> bool:
    """A refusal shows at least one error message with words in it."""
    parser = _Messages()
    parser.feed(body)
    parser.close()
    return any(message.strip() for message in parser.messages)

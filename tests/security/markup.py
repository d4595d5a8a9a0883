"""Reading pages as a browser would: the forms on a page, and any markup that an XSS payload made live."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Classic payloads; the {{7*7}} one is fenced so a rendered "49" can be told from any other 49.
PAYLOADS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "zq{{7*7}}zq",
    "</textarea><svg/onload=alert(1)>",
)
# What each payload would look like had it escaped its text: raw markup or an evaluated template.
_LIVE = ("<script>alert(1)", "<img src=x onerror=alert(1)", "<svg/onload=alert(1)", "zq49zq")
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "poster", "hx-get",
                             "hx-post", "background", "srcdoc"})
TEXT_TYPES = frozenset({"", "text", "search", "email", "tel", "url", "number", "date", "month", "time",
                        "datetime-local", "week"})


class _Live(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") and "alert(1)" in value:
                self.found.append(f"<{tag} {name}={value!r}>: an injected event handler")
            if name in _URL_ATTRIBUTES and value.startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value!r}>: a javascript: URL")
        self._script = tag == "script"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self._script = False

    def handle_endtag(self, tag):
        self._script = False

    def handle_data(self, data):
        if self._script and "alert(1)" in data.lower():
            self.found.append(f"<script>{data[:40]}: an injected script")


def live_payloads(body: str) -> list[str]:
    """Every place a payload runs (or would run) in this page, by raw text and by parsed markup."""
    lowered = body.lower()
    found = [f"raw {marker!r}" for marker in _LIVE if marker in lowered]
    parser = _Live()
    parser.feed(body)
    parser.close()
    return found + parser.found


@dataclass
class Form:
    method: str
    action: str
    enctype: str
    fields: list[dict] = field(default_factory=list)  # {"tag", "type", "name", "value", "checked", "options"}
    htmx: bool = False  # the page's script posts it (hx-post) and swaps in the answer

    @property
    def text_fields(self) -> list[str]:
        return [f["name"] for f in self.fields if f["name"] and (
            f["tag"] == "textarea" or (f["tag"] == "input" and f["type"] in TEXT_TYPES))]

    def fill(self, text: str | None, password: str) -> dict[str, str | list[str]]:
        """Every text field gets the text (None: what the page shows in it); everything else keeps what
        the page would send."""
        data: dict[str, list[str]] = {}
        radios_done = set()
        for f in self.fields:
            name, kind = f["name"], f["type"]
            if not name:
                continue
            if f["tag"] == "textarea" or (f["tag"] == "input" and kind in TEXT_TYPES):
                value = f["value"] if text is None else text
            elif kind == "password":
                value = password
            elif kind == "hidden":
                value = f["value"]
            elif kind == "checkbox":
                if not f["checked"]:
                    continue
                value = f["value"] or "y"
            elif kind == "radio":
                if name in radios_done:
                    continue
                radios_done.add(name)
                value = f["value"]
            elif f["tag"] == "select":
                options = f["options"]
                chosen = [v for v, selected in options if selected] or [v for v, _ in options if v] or [""]
                value = chosen[0]
            else:  # file, submit, button, reset, image
                continue
            data.setdefault(name, []).append(value)
        return {k: v[0] if len(v) == 1 else v for k, v in data.items()}


class _Forms(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: dict | None = None
        self._select: dict | None = None
        self._option: list | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            method = (a.get("method") or ("post" if "hx-post" in a else "get")).lower()
            self._form = Form(method, a.get("action") or a.get("hx-post") or self.page_url,
                              a.get("enctype", "application/x-www-form-urlencoded"), htmx="hx-post" in a)
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            self._form.fields.append({"tag": "input", "type": a.get("type", "text").lower(), "name": a.get("name"),
                                      "value": a.get("value", ""), "checked": "checked" in a, "options": []})
        elif tag == "textarea":
            self._textarea = {"tag": "textarea", "type": "textarea", "name": a.get("name"), "value": "",
                              "checked": False, "options": []}
            self._form.fields.append(self._textarea)
        elif tag == "select":
            self._select = {"tag": "select", "type": "select", "name": a.get("name"), "value": "", "checked": False,
                            "options": []}
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, ""]
            self._select["options"].append(self._option)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data
        if self._option is not None:
            self._option[2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            if self._select is not None:
                self._select["options"] = [(o[0] if o[0] is not None else o[2].strip(), o[1])
                                           for o in self._select["options"]]
            self._select = None
        elif tag == "option":
            self._option = None


def forms_on(body: str, page_url: str) -> list[Form]:
    parser = _Forms(page_url)
    parser.feed(body)
    parser.close()
    return parser.forms


def location_id(location: str, pattern: str) -> int:
    match = re.search(pattern, location)
    assert match, f"no id in {location!r}"
    return int(match.group(1))

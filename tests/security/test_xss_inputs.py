"""XSS and template injection: classic payloads typed into every text field of the main forms (with
valid values elsewhere, so they are stored) and into every text field of every form found on any
page (so newer forms are covered as they appear); then every page is read back and the payloads
must appear only as text."""

from __future__ import annotations

import io
import uuid

from markupsafe import escape

from support.images import MINIMAL_PDF, signature_data_url
from support.intake import step_posts

from .markup import PAYLOADS, forms_on, live_payloads, location_id
from .walker import discover_forms, routes, url_for_route

# Forms that take secrets (sign-in, unlock, PIN, password, the way back from hand-off) are left to the
# session tests: nothing typed there is ever shown back, and wrong secrets count toward ending the sign-in.
SECRET_FORMS = {"auth.login", "auth.unlock", "auth.logout", "auth.lock_now", "account.set_pin",
                "account.change_password", "handoff.finish", "handoff.start"}
STAFF_PASSWORD = "correct horse battery staple"
SUMMARY = ("xss: {inputs} inputs tried ({payloads} payloads in the main forms and in {forms} forms found on pages), "
           "{pages} pages read back, {live} live payloads, {errors} server errors")


class Tally:
    def __init__(self):
        self.inputs = 0
        self.pages = 0
        self.problems: list[str] = []
        self.shown_escaped: set[str] = set()

    def read(self, where: str, response) -> None:
        if response.mimetype != "text/html":
            return
        body = response.get_data(as_text=True)
        self.pages += 1
        if response.status_code >= 500:
            self.problems.append(f"{where}: server error {response.status_code}")
        for live in live_payloads(body):
            self.problems.append(f"{where}: {live}")
        for payload in PAYLOADS:
            if str(escape(payload)) in body:
                self.shown_escaped.add(payload)


def _submit(agent, tally: Tally, where: str, url: str, data: dict, fields: list[str], payload: str,
            multipart: bool = False, expect: int | None = 303):
    values = {**data, **{name: payload for name in fields}}
    response = agent.post(url, data=values, content_type="multipart/form-data" if multipart else None)
    tally.inputs += len(fields)
    tally.read(f"{where} ({payload!r}) -> {response.status_code}", response)
    if expect is not None and response.status_code != expect:
        tally.problems.append(f"{where} ({payload!r}): expected {expect} (stored), got {response.status_code}")
    return response


def _main_forms(agent, handoff_agent, personas, world, tally: Tally, payload: str, make) -> list[str]:
    """The main forms with the payload in every free-text field and valid values elsewhere; returns
    the extra pages that show what was stored."""
    home = world.home
    client = home["client_id"]
    pages = []
    registered = _submit(agent, tally, "register", "/clients/new", {
        "date_of_birth": "03/14/1952", "sex": "F", "phone": "(312) 555-0142", "state": "IL", "postal_code": "60601",
        "contact_phone": "(312) 555-0143", "primary_trainer_id": "", "different_person": "y"},
        ["first_name", "middle_name", "last_name", "preferred_name", "address_line1", "address_line2", "city",
         "contact_name", "contact_relationship"], payload)
    new_client = location_id(registered.headers.get("Location", ""), r"/clients/(\d+)")
    pages += [f"/clients/{new_client}", f"/clients/{new_client}/details", f"/clients/{new_client}/contacts",
              f"/clients?q={payload}"]
    _submit(agent, tally, "contact", f"/clients/{client}/contacts", {"phone": "(312) 555-0144"},
            ["name", "relationship_to_client"], payload)
    _submit(agent, tally, "coverage", f"/clients/{client}/coverage", {
        "priority": "1", "payer_kind": "commercial", "member_id": "XQ12345", "subscriber_relationship": "spouse"},
        ["payer_name", "plan_name", "group_number", "subscriber_first_name", "subscriber_last_name"], payload)
    _submit(agent, tally, "provider", "/providers", {"kind": "physician"},
            ["first_name", "last_name", "credentials", "organization"], payload)
    _submit(agent, tally, "referral", f"/clients/{client}/referrals/new", {
        "provider_id": str(home["provider_id"]), "referred_on": "01/05/2026", "codes": "M17.11"},
        ["reason"], payload, multipart=True)
    _submit(agent, tally, "clearance", f"/clients/{client}/clearance/new", {
        "provider_id": str(home["provider_id"]), "cleared_on": "01/20/2026",
        "document": (io.BytesIO(MINIMAL_PDF), "clearance.pdf")}, ["restrictions"], payload, multipart=True)
    # The text of a form is at least 40 characters: the payload leads it.
    body = f"{payload}\n\nWe explain each exercise and its risks before we start."
    _submit(agent, tally, "consent form", "/consents", {"required": "y", "body": body}, ["title"],
            f"{payload} {uuid.uuid4().hex[:6]}")
    _submit(agent, tally, "consent version", f"/consents/{home['key']}/edit", {"body": body}, ["title"], payload)
    tally.inputs += 2  # the two bodies
    _submit(agent, tally, "staff", "/staff", {
        "email": f"x{uuid.uuid4().hex[:8]}@example.test", "role": "trainer", "password": STAFF_PASSWORD, "npi": ""},
        ["full_name", "credentials"], payload)

    # The health history's own words, typed by staff with the client, then signed for on the iPad.
    person = make.client_record(personas.practice_id, first="Ivy", last=f"Xss{uuid.uuid4().hex[:6]}")
    texts = {"surgeries-0-what", "medications-0-name", "medications-0-dose", "medications-0-reason",
             "pain_worse_with", "goals_own_words"}
    posts = step_posts()
    for key in list(posts)[:-1]:  # leave the last step open: a draft shows its answers so far
        typed = [name for name in posts[key] if name in texts]
        _submit(agent, tally, f"intake {key}", f"/clients/{person}/intake/steps/{key}",
                {k: v for k, v in posts[key].items() if k not in typed}, typed, payload)
    pages += [f"/clients/{person}/intake", f"/clients/{person}"]
    assert handoff_agent.post(f"/handoff/start/{person}").status_code == 303
    sign_url = f"/handoff/sign/{world.home['template_id']}"
    page = handoff_agent.get(sign_url).get_data(as_text=True)
    form = next(f for f in forms_on(page, sign_url) if f.action == sign_url)
    data = {**form.fill("", ""), "signature": signature_data_url(), "signer_relationship": "self"}
    _submit(handoff_agent, tally, "hand-off signature", sign_url, data, ["signer_name"], payload)
    pages.append(f"/handoff/intake/{list(posts)[-1]}")
    for name, url in (("hand-off home", "/handoff"), ("hand-off intake", pages.pop())):
        tally.read(name, handoff_agent.get(url))
    assert handoff_agent.post("/handoff/done", data={"secret": "1357"}).status_code == 303
    return pages


def _every_get_page(app, world, probe, agent, tally: Tally, extra: list[str]) -> None:
    for route in routes(app):
        if route.method == "GET" and not route.public:
            url = url_for_route(app, route, world.home, world.unavailable)
            outcome = probe.send(agent, route, url)
            tally.read(f"GET {url}", _AsResponse(outcome))
    for url in extra:
        outcome = probe.send(agent, "GET", url)
        tally.read(f"GET {url}", _AsResponse(outcome))
        fragment = probe.send(agent, "GET", url, htmx=True, headers={"HX-Target": "client-results"})
        tally.read(f"GET {url} (htmx)", _AsResponse(fragment))


class _AsResponse:
    """An Outcome read like a response (the probe has already rolled the request back)."""

    def __init__(self, outcome):
        self.status_code = outcome.status
        self.mimetype = outcome.headers.get("Content-Type", "").split(";")[0]
        self._body = outcome.body

    def get_data(self, as_text=True):
        return self._body


def _discovered_forms(app, world, probe, agent) -> list[tuple[str, object]]:
    """Every POST form with a text field on every page the owner can open."""
    return discover_forms(app, world, probe, agent,
                          lambda endpoint, form: bool(form.text_fields) and endpoint not in SECRET_FORMS)


def test_xss_payloads_are_shown_as_text_everywhere(app, world, personas, new_agent, probe, make, calm_sessions,
                                                   figures):
    owner = new_agent()
    owner.login(personas.owner)
    trainer = new_agent()
    trainer.login(personas.colleague)
    tally = Tally()
    discovered = _discovered_forms(app, world, probe, owner)
    for payload in PAYLOADS:
        pages = _main_forms(owner, trainer, personas, world, tally, payload, make)
        # Every form found on any page, the payload in every text field; whatever it answers must be safe.
        for page, form in discovered:
            data = form.fill(payload, STAFF_PASSWORD)
            response = owner.post(form.action, data=data,
                                  content_type="multipart/form-data" if "multipart" in form.enctype else None)
            tally.inputs += len(form.text_fields)
            tally.read(f"form on {page} -> POST {form.action} ({payload!r}) -> {response.status_code}", response)
        # The pages that show what this payload stored (a chart shows only the latest referral).
        for url in (*pages, f"/clients/{world.home['client_id']}", f"/clients/{world.home['client_id']}/intake",
                    "/providers", "/consents", "/staff"):
            tally.read(f"GET {url}", owner.get(url))
    # Then every page the owner can open, with all five payloads stored.
    _every_get_page(app, world, probe, owner, tally, pages)
    figures.update(inputs=tally.inputs, payloads=len(PAYLOADS), forms=len(discovered), pages=tally.pages,
                   live=sum(1 for p in tally.problems if "server error" not in p),
                   errors=sum(1 for p in tally.problems if "server error" in p))
    assert not tally.problems, "\n".join(tally.problems)
    # Each payload must come back (escaped) somewhere, or the check read pages that never showed it.
    assert tally.shown_escaped == set(PAYLOADS)


def test_the_checker_tells_live_markup_from_escaped_text():
    for payload in PAYLOADS:
        assert not live_payloads(f'<p>{escape(payload)}</p><input value="{escape(payload)}">'
                                 f'<textarea>{escape(payload)}</textarea>'), payload
    assert live_payloads("<p><script>alert(1)</script></p>")
    assert live_payloads('<input value=""><img src=x onerror=alert(1)>">')
    assert live_payloads('<a href=" JavaScript:alert(1)">x</a>')
    assert live_payloads("<textarea></textarea><svg/onload=alert(1)></textarea>")
    assert live_payloads("<p>zq49zq</p>")

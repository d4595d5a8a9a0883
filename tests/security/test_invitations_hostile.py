"""Adding staff, as an owner fishing for who signs in elsewhere and as someone holding an invitation link.

Found by an outside probe: the add-staff form refused an address that signed in to another practice
("Someone already signs in with that email"), so any owner could test addresses against every practice on
the server. Adding is now an e-mailed invitation; these probes check that

  * the owner's answer (status, headers, body with the address taken out, and the page after it) is the
    same for a free address, one taken in another practice and one taken in their own, and the work behind
    it (SQL statements, messages sent) is the same, so its timing is too;
  * a taken address is told so by mail, and no second account is made, even through a link;
  * a link works once, not after it expires, not after a resend or a cancel, and an accept needs its CSRF
    token; another practice's invitation id answers 404, exactly as a missing one.
"""

from __future__ import annotations

import re
import statistics
import time
from datetime import timedelta

from sqlalchemy import event, func, select, update

from metpwa import mail
from metpwa.extensions import db as _db
from metpwa.models import AuditEvent, StaffInvitation, User, utcnow

SUMMARY = ("invitations: {adds} adds compared (free, taken elsewhere, taken here), {differed} answered differently; "
           "{link_tries} link replays (used, expired, resent, cancelled, forged, no CSRF token), {opened} opened; "
           "{foreign} tries at another practice's invitation, {reached} reached it")

NEW_PASSWORD = "a passphrase of my own"


def _invite(owner, email: str, name: str = "Nina Patel"):
    return owner.post("/staff", data={"full_name": name, "email": email, "role": "trainer", "credentials": "",
                                      "npi": ""})


def _link(message: mail.Message) -> str | None:
    found = re.search(r"http://localhost(/welcome/\S+)", message.body)
    return found.group(1) if found else None


def _scrub(text: str, *addresses: str) -> str:
    for address in addresses:
        text = text.replace(address, "ADDRESS")
    # Ids, times and tokens differ from one request to the next whatever the address.
    text = re.sub(r'name="csrf_token" value="[^"]+"', "", text)
    text = re.sub(r"invitation(s/|-)\d+", r"invitation\1N", text)
    return re.sub(r"\d{1,2}:\d{2}\s*[AP]M|\b\d+\b", "#", text)


class _Statements:
    """Counts the SQL statements the app sends while one request runs."""

    def __init__(self, app):
        with app.app_context():
            self.engine = _db.engine
        self.count = 0

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._seen)

    def _seen(self, *args):
        self.count += 1


def test_adding_a_free_or_a_taken_address_answers_the_same(app, new_agent, personas, figures):
    owner = new_agent()
    owner.login(personas.owner)
    owner.get("/staff")
    cases = {"free": "nina.new@lakeside.example", "elsewhere": personas.outsider.email,
             "here": personas.colleague.email}
    answers, pages, statements, messages, timings = {}, {}, {}, {}, {kind: [] for kind in cases}
    for kind, address in cases.items():
        before = len(mail.sent(app))
        with _Statements(app) as counted:
            started = time.perf_counter()
            response = _invite(owner, address.upper())
            timings[kind].append(time.perf_counter() - started)
        figures["adds"] += 1
        answers[kind] = (response.status_code, response.headers.get("Location"),
                         sorted(k for k in response.headers.keys() if k != "Set-Cookie"),
                         _scrub(response.get_data(as_text=True), address, address.upper()))
        statements[kind] = counted.count
        messages[kind] = mail.sent(app)[before:]
        pages[kind] = _scrub(owner.get("/staff").get_data(as_text=True), address)
    differed = [kind for kind in cases if answers[kind] != answers["free"]]
    figures["differed"] += len(differed)
    assert not differed, {kind: answers[kind] for kind in differed}
    assert answers["free"][0] == 303
    # The page after it says the same (each case adds one more pending row, so compare the notice).
    notices = {kind: re.findall(r'<p class="notice" role="status">([^<]*)</p>', page) for kind, page in pages.items()}
    assert notices["free"] == notices["elsewhere"] == notices["here"] == ["Invitation sent to ADDRESS."]
    # The same work each time: the same statements and one message, so no timing to tell them apart.
    assert len(set(statements.values())) == 1, statements
    assert {kind: len(sent) for kind, sent in messages.items()} == {kind: 1 for kind in cases}
    # Only the message to the address differs: a link to a free one, a note to a taken one.
    assert _link(messages["free"][0]) is not None
    for kind in ("elsewhere", "here"):
        assert _link(messages[kind][0]) is None and "already signs in" in messages[kind][0].body
    # And a loose look at the clock: repeated adds take about as long either way.
    for round_ in range(4):
        for kind, address in cases.items():
            started = time.perf_counter()
            _invite(owner, address, name=f"Round {round_}")
            timings[kind].append(time.perf_counter() - started)
    medians = {kind: statistics.median(times) for kind, times in timings.items()}
    assert max(medians.values()) < 2.5 * min(medians.values()) + 0.05, medians
    with app.app_context():
        # No account was made for anyone, and the outsider's sign-in is untouched.
        assert _db.session.scalar(select(func.count()).select_from(User).where(
            User.email == personas.outsider.email)) == 1
        assert _db.session.scalar(select(func.count()).select_from(User).where(
            User.email == "nina.new@lakeside.example")) == 0
        invited = _db.session.scalars(select(AuditEvent).where(AuditEvent.action == "invite")).all()
        assert len(invited) == 15 and {event.practice_id for event in invited} == {personas.practice_id}


def test_a_link_works_once_and_never_makes_a_second_account(app, new_agent, personas, figures):
    owner = new_agent()
    owner.login(personas.owner)
    _invite(owner, "rae@lakeside.example", name="Rae Invited")
    link = _link(mail.sent(app)[-1])
    guest = new_agent()
    guest.refresh_token(link)
    page = guest.get(link)
    assert page.status_code == 200 and "Rae Invited" in page.get_data(as_text=True)
    # Without its CSRF token an accept is refused and changes nothing.
    refused = guest.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, csrf=False)
    figures["link_tries"] += 1
    figures["opened"] += refused.status_code != 400
    assert refused.status_code == 400
    # A password too short, or two that differ: said at the field, nothing made.
    short = guest.post(link, data={"password": "short", "confirm": "short", "pin": "1234"})
    body = short.get_data(as_text=True)
    assert short.status_code == 422 and "at least 12 characters" in body and "not a run or a repeat" in body
    assert guest.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
                                  "pin": "4826"}).status_code == 303
    # Used: the same link again, by anyone, answers 404 and makes nothing.
    again = new_agent().client.get(link)
    figures["link_tries"] += 1
    figures["opened"] += again.status_code != 404
    assert again.status_code == 404
    replay = guest.post(link, data={"password": "someone else's pass", "confirm": "someone else's pass"})
    figures["link_tries"] += 1
    figures["opened"] += replay.status_code != 404
    assert replay.status_code == 404
    with app.app_context():
        made = _db.session.scalars(select(User).where(User.email == "rae@lakeside.example")).all()
        assert len(made) == 1 and made[0].practice_id == personas.practice_id and made[0].pin_hash
        events = {event.action for event in _db.session.scalars(select(AuditEvent))}
        assert {"invite", "invite_accepted", "create"} <= events
    # A second practice invites the same address: the link is never sent, and nothing is made.
    outsider = new_agent()
    outsider.login(personas.outsider)
    assert _invite(outsider, "rae@lakeside.example").status_code == 303
    assert _link(mail.sent(app)[-1]) is None


def test_an_address_taken_after_the_invitation_was_sent_gets_no_second_account(app, new_agent, personas,
                                                                               figures):
    home, other = new_agent(), new_agent()
    home.login(personas.owner)
    other.login(personas.outsider)
    _invite(home, "sam@example.org", name="Sam Home")
    home_link = _link(mail.sent(app)[-1])
    _invite(other, "sam@example.org", name="Sam Other")
    other_link = _link(mail.sent(app)[-1])
    assert home_link and other_link  # neither address signed in yet
    first = new_agent()
    first.refresh_token(home_link)
    assert first.post(home_link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 303
    second = new_agent()
    second.refresh_token(other_link)
    refused = second.post(other_link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    figures["link_tries"] += 1
    figures["opened"] += refused.status_code != 409
    assert refused.status_code == 409 and "already signs in" in refused.get_data(as_text=True)
    with app.app_context():
        assert _db.session.scalar(select(func.count()).select_from(User).where(User.email == "sam@example.org")) == 1


def test_expired_resent_cancelled_and_forged_links_open_nothing(app, db, new_agent, personas, figures):
    owner = new_agent()
    owner.login(personas.owner)
    _invite(owner, "lee@lakeside.example", name="Lee Late")
    first_link = _link(mail.sent(app)[-1])
    with app.app_context():
        invitation_id = _db.session.scalar(select(StaffInvitation.id).where(
            StaffInvitation.email == "lee@lakeside.example"))
        stored = _db.session.get(StaffInvitation, invitation_id).token_hash
    # Stored hashed: the token in the link is nowhere in the database.
    assert first_link.rsplit("/", 1)[1] not in stored and len(stored) == 64
    # Expired.
    with app.app_context():
        _db.session.execute(update(StaffInvitation).where(StaffInvitation.id == invitation_id)
                            .values(expires_at=utcnow() - timedelta(minutes=1)))
        _db.session.commit()
    expired = new_agent().client.get(first_link)
    assert "Link expired" in owner.get("/staff").get_data(as_text=True)
    # Sent again: a new link works, the old one (even after the expiry is pushed back) does not.
    assert owner.post(f"/staff/invitations/{invitation_id}/resend").status_code == 303
    second_link = _link(mail.sent(app)[-1])
    assert second_link != first_link
    old = new_agent().client.get(first_link)
    assert new_agent().client.get(second_link).status_code == 200
    # Cancelled: the new link stops too, and the invitation can be neither resent nor cancelled again.
    assert owner.post(f"/staff/invitations/{invitation_id}/cancel").status_code == 303
    cancelled = new_agent().client.get(second_link)
    forged = new_agent().client.get("/welcome/" + "A" * 43)
    tries = {"expired": expired, "old after resend": old, "cancelled": cancelled, "forged": forged}
    figures["link_tries"] += len(tries)
    opened = {name: r.status_code for name, r in tries.items() if r.status_code != 404}
    figures["opened"] += len(opened)
    assert not opened, opened
    assert owner.post(f"/staff/invitations/{invitation_id}/resend").status_code == 404
    assert owner.post(f"/staff/invitations/{invitation_id}/cancel").status_code == 404
    with app.app_context():
        actions = [event.action for event in _db.session.scalars(
            select(AuditEvent).where(AuditEvent.object_type == "StaffInvitation").order_by(AuditEvent.id))]
        assert actions == ["invite", "invite_resent", "invite_cancelled"]


def test_another_practices_invitation_answers_as_a_missing_one(app, new_agent, personas, figures):
    outsider = new_agent()
    outsider.login(personas.outsider)
    _invite(outsider, "kim@hilltop.example", name="Kim Hilltop")
    with app.app_context():
        theirs = _db.session.scalar(select(StaffInvitation.id).where(StaffInvitation.email == "kim@hilltop.example"))
    owner = new_agent()
    owner.login(personas.owner)
    for action in ("resend", "cancel"):
        for htmx in (False, True):
            foreign = owner.post(f"/staff/invitations/{theirs}/{action}", htmx=htmx)
            missing = owner.post(f"/staff/invitations/987654321/{action}", htmx=htmx)
            figures["foreign"] += 1
            if foreign.status_code != 404 or foreign.status_code != missing.status_code:
                figures["reached"] += 1
            assert foreign.status_code == missing.status_code == 404
            assert "kim@hilltop.example" not in foreign.get_data(as_text=True)
    assert "kim@hilltop.example" not in owner.get("/staff").get_data(as_text=True)
    # Staff who do not manage staff cannot resend or cancel even their own practice's.
    _invite(owner, "pat@lakeside.example", name="Pat Pending")
    with app.app_context():
        ours = _db.session.scalar(select(StaffInvitation.id).where(StaffInvitation.email == "pat@lakeside.example"))
    trainer = new_agent()
    trainer.login(personas.colleague)
    assert trainer.post(f"/staff/invitations/{ours}/cancel").status_code == 403
    with app.app_context():
        assert _db.session.get(StaffInvitation, theirs).pending and _db.session.get(StaffInvitation, ours).pending

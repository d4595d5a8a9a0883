"""Error pages: full pages for navigation, fragments for htmx, never a stack trace."""

import pytest

from conftest import make_app
from metpwa.access import public
from metpwa.rules.errors import InputError, RecordLocked, RecordNotFound, StaleRecord


REFUSALS = {
    "locked": RecordLocked("This session is signed and locked. Reload the page; corrections are addenda."),
    "stale": StaleRecord("A session was held for this appointment. Reload the schedule."),
    "missing": RecordNotFound(),
    "input": InputError("reps", "Reps must be a whole number from 0 to 100."),
}


def _raiser(refusal):
    def view():
        raise refusal

    return view


@pytest.fixture(scope="module")
def error_app():
    app, drop = make_app(TESTING=False, MAX_CONTENT_LENGTH=1024)

    @public
    def boom():
        raise RuntimeError("secret internals: /srv/metpwa/db.py line 42")

    @public
    def upload():
        from flask import request

        return str(len(request.form))

    app.add_url_rule("/boom", "boom", boom)
    app.add_url_rule("/upload", "upload", upload, methods=["POST"])
    for name, refusal in REFUSALS.items():
        app.add_url_rule(f"/refused/{name}", f"refused_{name}", public(_raiser(refusal)))
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    yield app
    drop()


@pytest.mark.parametrize("status,path,method", [(404, "/no/such/page", "get"), (500, "/boom", "get"),
                                                (413, "/upload", "post")])
def test_errors_are_full_pages_or_fragments(error_app, status, path, method):
    client = error_app.test_client()
    kwargs = {"data": {"x": "y" * 5000}} if method == "post" else {}
    page = getattr(client, method)(path, **kwargs)
    assert page.status_code == status
    body = page.get_data(as_text=True)
    assert "<html" in body and f"Error {status}" in body
    assert "Traceback" not in body and "secret internals" not in body
    fragment = getattr(client, method)(path, headers={"HX-Request": "true"}, **kwargs)
    assert fragment.status_code == status
    assert "<html" not in fragment.get_data(as_text=True)
    assert fragment.headers["HX-Retarget"] == "#messages"
    assert "secret internals" not in fragment.get_data(as_text=True)


def test_400_403_422_429_pages(agent, personas):
    assert agent.post("/lock", csrf=False).status_code in (303, 400)  # anonymous: login first
    agent.login(personas.colleague)
    bad = agent.post("/lock", csrf=False)
    assert bad.status_code == 400 and "Error 400" in bad.get_data(as_text=True)
    forbidden = agent.get("/staff")
    assert forbidden.status_code == 403 and "Not available to your role" in forbidden.get_data(as_text=True)
    fragment = agent.get("/staff", htmx=True)
    assert fragment.status_code == 403 and "<html" not in fragment.get_data(as_text=True)
    invalid = agent.post("/me/pin", data={"pin-pin": "12", "pin-password": ""})
    assert invalid.status_code == 422 and "A PIN is 4 to 8 digits." in invalid.get_data(as_text=True)


def test_429_page(agent, personas):
    for n in range(20):
        agent.client.post("/login", data={"email": f"x{n}@example.test", "password": "no such password",
                                          "csrf_token": agent.refresh_token()})
    response = agent.login(personas.colleague)
    assert response.status_code == 429
    assert "<html" in response.get_data(as_text=True)


@pytest.mark.parametrize("name,status,title,message", [
    ("locked", 409, "This record is signed", "signed and locked"),
    ("stale", 409, "This page is out of date", "Reload the schedule"),
    ("missing", 404, "Not found", "belongs to another practice"),
    ("input", 422, "Some answers need a second look", "Reps must be a whole number"),
])
def test_a_refusal_raised_anywhere_is_answered_once_for_the_app(error_app, name, status, title, message):
    """A service raises; no route catches: the page, or the fragment for the message area, says why."""
    client = error_app.test_client()
    page = client.get(f"/refused/{name}")
    body = page.get_data(as_text=True)
    assert page.status_code == status and "<html" in body and title in body and message in body
    fragment = client.get(f"/refused/{name}", headers={"HX-Request": "true"})
    assert fragment.status_code == status and fragment.headers["HX-Retarget"] == "#messages"
    assert "<html" not in fragment.get_data(as_text=True) and message in fragment.get_data(as_text=True)

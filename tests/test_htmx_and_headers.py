"""htmx done right and the headers every response carries: CSRF on every change,
HX-Redirect for expired sign-ins, fragments vs full pages, Vary, no-store, a strict CSP."""

import re

import pytest

from metpwa.headers import CONTENT_SECURITY_POLICY


def test_posts_without_a_csrf_token_are_refused_htmx_or_not(agent, personas):
    agent.login(personas.colleague)
    for htmx in (False, True):
        response = agent.post("/lock", htmx=htmx, csrf=False)
        assert response.status_code == 400
        assert "This form expired" in response.get_data(as_text=True)
    assert agent.get("/").status_code == 200  # nothing was locked


def test_token_from_hx_headers_is_accepted(agent, personas):
    agent.login(personas.colleague)
    page = agent.get("/").get_data(as_text=True)
    token = re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', page).group(1)
    response = agent.client.post("/session/ping", headers={"X-CSRFToken": token, "HX-Request": "true"})
    assert response.status_code == 204


def test_expired_sign_in_answers_htmx_with_hx_redirect_to_login(agent):
    response = agent.get("/clients?q=ab", htmx=True,
                         headers={"HX-Target": "client-results", "HX-Current-URL": "http://localhost/clients?q=ab"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/login?next=/clients?q%3Dab"
    assert response.get_data() == b""


def test_search_returns_a_fragment_for_its_target_and_a_full_page_otherwise(agent, personas, make):
    make.client_record(personas.practice_id, first="Winifred", last="Ashe")
    agent.login(personas.front_desk)
    fragment = agent.get("/clients?q=Win", htmx=True, headers={"HX-Target": "client-results"})
    body = fragment.get_data(as_text=True)
    assert "Winifred" in body and "<html" not in body
    # The URL htmx pushed answers a plain GET (reload, new tab) with the whole page.
    full = agent.get("/clients?q=Win").get_data(as_text=True)
    assert "<html" in full and "Winifred" in full
    # Boosted navigation also sends HX-Request, and must get the whole page.
    boosted = agent.get("/clients?q=Win", htmx=True, headers={"HX-Boosted": "true"}).get_data(as_text=True)
    assert "<html" in boosted


@pytest.mark.parametrize("query,found", [("3/14/1952", True), ("1952-03-14", True), ("555-0142", True),
                                         ("0142", True), ("ellis", True), ("peg", True), ("margaret ell", True),
                                         ("%", False), ("_", False),
                                         # As the list and the schedule write a name (found walking the front desk's day).
                                         ("Ellison, Peggy", True), ("ellison,margaret", True)])
def test_search_finds_by_name_birth_date_or_phone(agent, personas, make, query, found):
    from datetime import date

    with make.app.app_context():
        from metpwa.extensions import db
        from metpwa.models import Client

        db.session.add(Client(practice_id=personas.practice_id, first_name="Margaret", last_name="Ellison",
                              preferred_name="Peggy", date_of_birth=date(1952, 3, 14), sex="F",
                              phone="(312) 555-0142"))
        db.session.commit()
    agent.login(personas.front_desk)
    body = agent.get("/clients", query_string={"q": query}, htmx=True,
                     headers={"HX-Target": "client-results"}).get_data(as_text=True)
    assert ("Ellison" in body) is found


def test_every_response_varies_on_hx_request_and_pages_are_not_stored(agent, personas):
    agent.login(personas.colleague)
    for path in ("/", "/clients", "/login", "/me"):
        response = agent.get(path)
        assert "HX-Request" in response.headers["Vary"]
        assert response.headers["Cache-Control"] == "no-store"


def test_strict_security_headers(agent):
    response = agent.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert csp == CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_scripts_styles_or_event_handlers(agent, personas):
    agent.login(personas.owner)
    for path in ("/", "/clients", "/staff", "/me", "/login", "/lock"):
        body = agent.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body), path
        assert "<style" not in body and " style=" not in body, path
        assert not re.search(r"\son[a-z]+=", body), path
        assert "hx-on" not in body, path


def test_htmx_is_configured_for_the_csp_and_keeps_no_history(agent):
    body = agent.get("/login").get_data(as_text=True)
    config = re.search(r'name="htmx-config" content=\'([^\']+)\'', body).group(1)
    import json

    settings = json.loads(config)
    assert settings["allowEval"] is False
    assert settings["includeIndicatorStyles"] is False
    assert settings["selfRequestsOnly"] is True
    assert settings["historyCacheSize"] == 0
    assert settings["historyRestoreAsHxRequest"] is False


def test_htmx_answers_leave_off_the_headers_only_a_document_reads(agent, personas):
    """A fragment is read by script into the page already open, whose own policy governs it; a
    navigation cannot send HX-Request, so nothing that becomes a document loses them (issue 21)."""
    agent.login(personas.colleague)
    page = agent.get("/clients")
    fragment = agent.get("/clients", htmx=True, headers={"HX-Target": "client-results"})
    for name in ("Content-Security-Policy", "X-Frame-Options", "Cross-Origin-Opener-Policy", "Permissions-Policy"):
        assert name in page.headers and name not in fragment.headers, name
    for response in (page, fragment):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "no-store"
        assert "HX-Request" in response.headers["Vary"]
    assert page.headers["Pragma"] == "no-cache" and "Pragma" not in fragment.headers


def test_a_boosted_redirects_anchor_keeps_the_query_and_names_no_other_site(app):
    from flask import redirect

    from metpwa.landing import carry_anchor

    boosted = {"HX-Request": "true", "HX-Boosted": "true"}
    with app.test_request_context("/sessions/4/sets", method="POST", headers=boosted):
        moved = carry_anchor(redirect("/sessions/4?open=9&at=old#ex-9", code=303))
        assert moved.location == "/sessions/4?open=9&at=ex-9#ex-9"
        elsewhere = carry_anchor(redirect("https://example.org/page#top", code=303))
        assert elsewhere.location == "https://example.org/page#top"
    with app.test_request_context("/sessions/4?open=9&at=ex-9", headers=boosted):
        from flask import Response

        assert carry_anchor(Response("page")).headers["HX-Push-Url"] == "/sessions/4?open=9#ex-9"

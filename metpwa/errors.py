"""Error pages for people: full pages for navigation, small fragments for htmx, no stack traces.

The refusals of metpwa.rules.errors are answered here, once for the whole app: a service raises
RecordLocked, StaleRecord or RecordNotFound and the route does nothing about it. A route catches an
InputError only to show the message at its field; one it lets through becomes a 422 page.
"""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from .extensions import db, htmx
from .rules.errors import InputError, RecordLocked, RecordNotFound, StaleRecord

MESSAGES = {
    400: ("Something in that request was not right", "Go back and try again. If it keeps happening, reload the page."),
    401: ("Please sign in", "Your sign-in has ended."),
    403: ("Not available to your role", "Ask the practice owner if you need this."),
    404: ("Not found", "That page or record does not exist, or it belongs to another practice."),
    405: ("Not allowed", "That action cannot be done from here."),
    409: ("This record is signed", "Signed records are locked; add an addendum instead."),
    413: ("That file is too large", "Choose a smaller file, then try again."),
    422: ("Some answers need a second look", "Check the highlighted fields."),
    429: ("Too many tries", "Wait a few minutes, then try again."),
    500: ("Something went wrong on our side", "Nothing you typed was saved twice. Try again in a moment; if it keeps happening, tell the practice owner."),
}


# A 409 for a record changed since the page was drawn, rather than one signed.
STALE_TITLE = "This page is out of date"


def render_error(status: int, detail: str | None = None, *, title: str | None = None):
    default_title, hint = MESSAGES.get(status, MESSAGES[500])
    context = {"status": status, "title": title or default_title, "hint": detail or hint}
    if htmx and not htmx.boosted:
        # The fragment goes to the page's message area, not into whatever the
        # request targeted (a table cell must not turn into an error page).
        return (
            render_template("errors/_error.html", **context),
            status,
            {"HX-Retarget": "#messages", "HX-Reswap": "innerHTML"},
        )
    return render_template("errors/error.html", **context), status


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(400, "This form expired or came from somewhere else. Reload the page and try again.")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        detail = error.description if getattr(error, "metpwa_detail", False) else None
        return render_error(error.code, detail)

    # Each refusal rolls back what the request began, so nothing half-made is committed later by
    # another write of the same request (the service that raised has rolled back already).
    @app.errorhandler(RecordLocked)
    def record_locked(error: RecordLocked):
        db.session.rollback()
        return render_error(409, error.message)

    @app.errorhandler(StaleRecord)
    def stale_record(error: StaleRecord):
        db.session.rollback()
        return render_error(409, error.message, title=STALE_TITLE)

    @app.errorhandler(RecordNotFound)
    def record_not_found(error: RecordNotFound):
        db.session.rollback()
        return render_error(404)

    @app.errorhandler(InputError)
    def input_error(error: InputError):
        db.session.rollback()
        return render_error(422, error.message)

    @app.errorhandler(InternalServerError)
    def server_error(error: InternalServerError):
        db.session.rollback()
        return render_error(500)

"""Prints the app's documents (consents, plans, reports) to PDF with the practice's letterhead."""

from __future__ import annotations

import logging

from flask import current_app, render_template

from .. import pdf

PRINT_STYLESHEETS = ("css/print.css",)


class _NoUrlsInLogs(logging.Filter):
    """WeasyPrint logs the URL of a resource it could not load; in our documents such a URL can
    only come from text a person typed (client data), so the record keeps the event, not the URL."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.msg, record.args = "WeasyPrint skipped a resource (refused or unreadable)", ()
        return True


logging.getLogger("weasyprint").addFilter(_NoUrlsInLogs())


def document_pdf(template_name: str, **context) -> bytes:
    """Render a template that extends pdf/base.html, then lay it out; only our static files are fetched."""
    html = render_template(template_name, **context)
    return pdf.render_pdf(html, static_folder=current_app.static_folder, stylesheets=PRINT_STYLESHEETS)

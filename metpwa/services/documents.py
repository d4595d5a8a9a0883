"""Files kept with a chart: checked by their bytes (not their names), PDFs rewritten to their pages, stored
with a hash, read with an audit record."""

from __future__ import annotations

import hashlib

from werkzeug.datastructures import FileStorage

from ..database import rolls_back_on_refusal
from ..extensions import db
from ..models import Client, Document, User
from ..rules import pdfs
from ..rules.errors import InputError
from ..rules.signature import safe_filename, sniff_document
from . import audit

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
ALLOWED = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}


class DocumentRefused(InputError):
    """The upload is not a file we keep; the message says why, for the person at the field."""

    def __init__(self, message: str) -> None:
        super().__init__("document", message)


def read_upload(upload: FileStorage | None) -> tuple[bytes, str, str] | None:
    """Bytes, content type and a safe file name of an upload, or None when nothing was chosen."""
    if upload is None or not upload.filename:
        return None
    data = upload.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentRefused("That file is over 10 MB. Scan at a lower resolution or as a PDF.")
    if not data:
        raise DocumentRefused("That file is empty.")
    if data.startswith(b"%PDF-"):
        # Refused when active or unreadable; otherwise kept as its pages only (rules/pdfs.py).
        try:
            data = pdfs.clean(data)
        except pdfs.PdfRefused as refused:
            raise DocumentRefused(str(refused)) from None
        content_type = "application/pdf"
    else:
        content_type = sniff_document(data)
    if content_type not in ALLOWED:
        raise DocumentRefused("Upload a PDF, JPEG or PNG: a scan or a photo of the page.")
    # The extension follows the bytes, never the name the browser sent ("order.html" that is a PDF
    # is kept as "order.pdf").
    stem = safe_filename(upload.filename, "document").rsplit(".", 1)[0] or "document"
    return data, content_type, stem[:100] + ALLOWED[content_type]


def store(client: Client, *, kind: str, title: str, data: bytes, content_type: str, filename: str,
          by: User | None) -> Document:
    document = Document(
        practice_id=client.practice_id, client_id=client.id, kind=kind, title=title[:160],
        filename=filename, content_type=content_type, size=len(data),
        sha256=hashlib.sha256(data).hexdigest(), data=data, uploaded_by_id=by.id if by else None,
    )
    db.session.add(document)
    db.session.flush()
    audit.record("create", document, user=by, detail={"kind": kind, "bytes": len(data)})
    return document


@rolls_back_on_refusal
def store_upload(client: Client, upload: FileStorage | None, *, kind: str, title: str, by: User) -> Document | None:
    read = read_upload(upload)
    if read is None:
        return None
    data, content_type, filename = read
    return store(client, kind=kind, title=title, data=data, content_type=content_type, filename=filename, by=by)


def open_for_download(document: Document, by: User) -> bytes:
    audit.record("export", document, user=by, detail={"kind": document.kind, "filename": document.filename})
    db.session.commit()
    return document.data

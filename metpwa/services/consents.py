"""Consent templates (versioned by the owner) and signatures (immutable, with the PDF made at signing)."""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import date, datetime

from sqlalchemy import func, select

from ..database import rolls_back_on_refusal, take_write_lock
from ..extensions import db
from ..models import Client, ConsentSignature, ConsentTemplate, ConsentWithdrawal, Practice, User, utcnow
from ..rules.errors import StaleRecord
from ..rules.readiness import ConsentFact
from ..standards.consent_texts import DEFAULT_CONSENTS
from . import audit, printing
from .fingerprints import check_pdf
from .requestinfo import client_ip, device

RELATIONSHIPS = {
    "self": "Self",
    "parent": "Parent",
    "legal_guardian": "Legal guardian",
    "healthcare_poa": "Health-care power of attorney",
    "other": "Other legal representative",
}


class ConsentChanged(StaleRecord):
    """The signer saw a version that is no longer current: they must read the new one."""

    def __init__(self) -> None:
        super().__init__("This form has changed since it was opened. Read the current version, then sign.")


def shown_text(template: ConsentTemplate) -> str:
    """Exactly what the signer reads, in one canonical string; its SHA-256 is kept with the signature."""
    return f"{template.title}\nVersion {template.version}\n\n{template.body.strip()}\n"


def text_sha256(template: ConsentTemplate) -> str:
    return hashlib.sha256(shown_text(template).encode("utf-8")).hexdigest()


def current_templates(practice_id: int) -> list[ConsentTemplate]:
    return list(db.session.scalars(
        select(ConsentTemplate).where(ConsentTemplate.practice_id == practice_id, ConsentTemplate.retired_at.is_(None))
        .order_by(ConsentTemplate.required.desc(), ConsentTemplate.title)
    ))


def versions(practice_id: int, key: str) -> list[ConsentTemplate]:
    return list(db.session.scalars(
        select(ConsentTemplate).where(ConsentTemplate.practice_id == practice_id, ConsentTemplate.key == key)
        .order_by(ConsentTemplate.version.desc())
    ))


def key_for_title(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")[:40] or "consent"


def publish(user: User | None, practice_id: int, *, key: str, title: str, body: str, required: bool) -> ConsentTemplate:
    """A new version of the form; the one it replaces is retired, never edited."""
    template = _new_version(user, practice_id, key=key, title=title, body=body, required=required)
    db.session.commit()
    return template


def _new_version(user: User | None, practice_id: int, *, key: str, title: str, body: str,
                 required: bool) -> ConsentTemplate:
    previous = db.session.scalar(
        select(ConsentTemplate).where(ConsentTemplate.practice_id == practice_id, ConsentTemplate.key == key,
                                      ConsentTemplate.retired_at.is_(None))
    )
    version = 1 + (db.session.scalar(
        select(func.max(ConsentTemplate.version)).where(ConsentTemplate.practice_id == practice_id,
                                                        ConsentTemplate.key == key)
    ) or 0)
    if previous is not None:
        previous.retired_at = utcnow()
    template = ConsentTemplate(practice_id=practice_id, key=key, version=version, title=title.strip(),
                               body=body.strip(), required=required, created_by_id=user.id if user else None)
    db.session.add(template)
    db.session.flush()
    audit.record("create", template, user=user, practice_id=practice_id, detail={"key": key, "version": version})
    return template


def retire(user: User, template: ConsentTemplate) -> None:
    template.retired_at = utcnow()
    audit.record("update", template, user=user, detail={"retired": True})
    db.session.commit()


def install_defaults(practice: Practice, user: User | None = None) -> list[ConsentTemplate]:
    """The practice's starting forms, from our plain-language texts (to be reviewed by its lawyer)."""
    return [
        _new_version(user, practice.id, key=text.key, title=text.title,
                     body=text.body.format(practice_name=practice.name), required=text.required)
        for text in DEFAULT_CONSENTS
    ]


def signatures(client_id: int) -> list[ConsentSignature]:
    return list(db.session.scalars(
        select(ConsentSignature).where(ConsentSignature.client_id == client_id)
        .order_by(ConsentSignature.signed_at.desc())
    ))


def withdrawn_ids(client_id: int) -> set[int]:
    return set(db.session.scalars(
        select(ConsentWithdrawal.signature_id).where(ConsentWithdrawal.client_id == client_id)
    ))


def facts(client: Client) -> list[ConsentFact]:
    """For each current required form: signed on this version, or only on an older one?"""
    withdrawn = withdrawn_ids(client.id)
    signed = [s for s in signatures(client.id) if s.id not in withdrawn]
    result = []
    for template in current_templates(client.practice_id):
        if not template.required:
            continue
        result.append(ConsentFact(
            key=template.key, title=template.title,
            signed_current=any(s.template_id == template.id for s in signed),
            signed_older_version=any(s.template.key == template.key for s in signed),
        ))
    return result


def needing_signature(client: Client) -> list[ConsentTemplate]:
    withdrawn = withdrawn_ids(client.id)
    signed_ids = {s.template_id for s in signatures(client.id) if s.id not in withdrawn}
    return [t for t in current_templates(client.practice_id) if t.required and t.id not in signed_ids]


@rolls_back_on_refusal
def sign(witness: User, client: Client, template: ConsentTemplate, *, seen_sha256: str, signature_png: bytes,
         signer_name: str, signer_relationship: str, signed_at: datetime | None = None,
         signed_on_device: str | None = None) -> ConsentSignature:
    """Record a signature on exactly the version the signer read.

    signed_at and signed_on_device are for bringing in consents signed before metpwa
    (and for the demo); a signature made on the iPad takes the request's own. The PDF is drawn
    before the write lock is taken (on SQLite that lock is the whole practice's, and drawing
    takes a good part of a second); the version is checked again once it is held.
    """
    if template.retired_at is not None or seen_sha256 != text_sha256(template):
        raise ConsentChanged()
    signature = ConsentSignature(
        practice_id=client.practice_id, client_id=client.id, template_id=template.id,
        text_sha256=text_sha256(template), signature_png=signature_png, signer_name=signer_name.strip(),
        signer_relationship=signer_relationship, signed_at=signed_at or utcnow(),
        device=signed_on_device or device(), ip=client_ip(), witness_id=witness.id,
    )
    # Not written until the lock is held: the drawing's own reads must not flush it early.
    with db.session.no_autoflush:
        signature.template = template
        signature.witness = witness
        signature.client = client
        signature.pdf = consent_pdf(signature)
    signature.pdf_sha256 = hashlib.sha256(signature.pdf).hexdigest()
    take_write_lock(db.session.connection())
    # Retired while the PDF was drawn? (A share lock on PostgreSQL holds it against retiring.)
    retired = db.session.scalar(select(ConsentTemplate.retired_at).where(ConsentTemplate.id == template.id)
                                .with_for_update(read=True))
    if retired is not None:
        raise ConsentChanged()
    db.session.add(signature)
    db.session.flush()
    audit.record("sign", signature, user=witness, client_id=client.id,
                 detail={"template": template.key, "version": template.version,
                         "relationship": signer_relationship})
    db.session.commit()
    return signature


def consent_pdf(signature: ConsentSignature) -> bytes:
    return printing.document_pdf(
        "pdf/consent.html", signature=signature, template=signature.template, client=signature.client,
        practice=signature.client.practice, relationships=RELATIONSHIPS,
        signature_data_uri="data:image/png;base64," + base64.b64encode(signature.signature_png).decode(),
        paragraphs=paragraphs(signature.template),
    )


def paragraphs(template: ConsentTemplate) -> list[str]:
    return [block.strip() for block in template.body.split("\n\n") if block.strip()]


def open_pdf(user: User, signature: ConsentSignature) -> bytes:
    """The signed PDF, only when it still matches the SHA-256 stored at signing; a mismatch is
    refused, written to the audit trail (owners see it) and to the server's log."""
    data = check_pdf(signature, signature.pdf, signature.pdf_sha256, user=user, what="signed consent")
    audit.record("print", signature, user=user, client_id=signature.client_id)
    db.session.commit()
    return data


def withdraw(user: User, signature: ConsentSignature, *, on: date, reason: str) -> ConsentWithdrawal:
    withdrawal = ConsentWithdrawal(practice_id=signature.practice_id, client_id=signature.client_id,
                                   signature_id=signature.id, withdrawn_on=on, reason=reason.strip(),
                                   recorded_by_id=user.id)
    db.session.add(withdrawal)
    db.session.flush()
    # The reason is clinical free text, sealed in the withdrawal; the audit trail says only that one was given.
    audit.record("withdraw", signature, user=user, client_id=signature.client_id, detail={"withdrawal": withdrawal.id})
    db.session.commit()
    return withdrawal

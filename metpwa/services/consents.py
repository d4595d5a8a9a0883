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
from ..standards.privacy_notice import ACKNOWLEDGEMENT_KEY, NOTICE_KEY, NOTICE_OF_PRIVACY_PRACTICES
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


def set_state(user: User, practice: Practice, state: str | None) -> None:
    """The practice's state, which sets the age of majority for who signs a client's forms."""
    before = practice.state
    practice.state = state or None
    audit.record("update", practice, user=user, detail={"state": practice.state, "was": before})
    db.session.commit()


def retire(user: User, template: ConsentTemplate) -> None:
    template.retired_at = utcnow()
    audit.record("update", template, user=user, detail={"retired": True})
    db.session.commit()


def install_defaults(practice: Practice, user: User | None = None) -> list[ConsentTemplate]:
    """The practice's starting forms and its Notice of Privacy Practices, from our plain-language
    texts (to be reviewed by its lawyer)."""
    return [
        _new_version(user, practice.id, key=text.key, title=text.title,
                     body=text.body.format(practice_name=practice.name), required=text.required)
        for text in (*DEFAULT_CONSENTS, NOTICE_OF_PRIVACY_PRACTICES)
    ]


def current_notice(practice_id: int) -> ConsentTemplate | None:
    """The Notice of Privacy Practices in force: shown to the client above the acknowledgement."""
    return db.session.scalar(
        select(ConsentTemplate).where(ConsentTemplate.practice_id == practice_id, ConsentTemplate.key == NOTICE_KEY,
                                      ConsentTemplate.retired_at.is_(None))
    )


def shows_notice(template: ConsentTemplate) -> bool:
    return template.key == ACKNOWLEDGEMENT_KEY


def is_notice(template: ConsentTemplate) -> bool:
    return template.key == NOTICE_KEY


def notice_shown_with(template: ConsentTemplate) -> int | None:
    """The id of the notice shown above this form (the acknowledgement's), for sign(seen_notice_id=...)."""
    notice = current_notice(template.practice_id) if shows_notice(template) else None
    return notice.id if notice else None


def publish_notice(user: User, practice: Practice) -> ConsentTemplate:
    """A practice set up before the notice shipped starts from the HHS model structure too."""
    if current_notice(practice.id) is not None:
        return current_notice(practice.id)
    text = NOTICE_OF_PRIVACY_PRACTICES
    return publish(user, practice.id, key=text.key, title=text.title, body=text.body.format(practice_name=practice.name),
                   required=False)


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
    return facts_for([client])[client.id]


def facts_for(clients: list[Client]) -> dict[int, list[ConsentFact]]:
    """facts() for many clients at once (the owner's readiness dashboard): three queries, not three a client."""
    ids = [c.id for c in clients]
    if not ids:
        return {}
    withdrawn = {(ref, signature_id) for ref, signature_id in db.session.execute(
        select(ConsentWithdrawal.client_id, ConsentWithdrawal.signature_id).where(ConsentWithdrawal.client_id.in_(ids)))}
    signed: dict[int, list[ConsentSignature]] = {ref: [] for ref in ids}
    for signature in db.session.scalars(select(ConsentSignature).where(ConsentSignature.client_id.in_(ids))
                                        .order_by(ConsentSignature.signed_at.desc())):
        if (signature.client_id, signature.id) not in withdrawn:
            signed[signature.client_id].append(signature)
    templates = {practice_id: current_templates(practice_id) for practice_id in {c.practice_id for c in clients}}
    result: dict[int, list[ConsentFact]] = {}
    for client in clients:
        mine = signed[client.id]
        result[client.id] = [ConsentFact(
            key=template.key, title=template.title,
            signed_current=any(s.template_id == template.id for s in mine),
            signed_older_version=any(s.template.key == template.key for s in mine),
        ) for template in templates[client.practice_id] if template.required]
    return result


def _unsigned(client: Client) -> list[ConsentTemplate]:
    withdrawn = withdrawn_ids(client.id)
    signed_ids = {s.template_id for s in signatures(client.id) if s.id not in withdrawn}
    return [t for t in current_templates(client.practice_id) if t.id not in signed_ids]


def is_signed(client: Client, template: ConsentTemplate) -> bool:
    """Whether the client's signature on this version stands (signed and not withdrawn)."""
    return template.id not in {t.id for t in _unsigned(client)} and template.retired_at is None


def needing_signature(client: Client) -> list[ConsentTemplate]:
    return [t for t in _unsigned(client) if t.required]


def offered(client: Client) -> list[ConsentTemplate]:
    """What hand-off offers: the required forms still to sign, then the acknowledgement of the
    Notice of Privacy Practices while unsigned (a client may decline it: 45 CFR 164.520(c)(2)(ii))."""
    unsigned = _unsigned(client)
    return [t for t in unsigned if t.required] + [t for t in unsigned if not t.required and shows_notice(t)]


@rolls_back_on_refusal
def sign(witness: User, client: Client, template: ConsentTemplate, *, seen_sha256: str, signature_png: bytes,
         signer_name: str, signer_relationship: str, signed_at: datetime | None = None,
         signed_on_device: str | None = None, seen_notice_id: int | None = None) -> ConsentSignature:
    """Record a signature on exactly the version the signer read.

    signed_at and signed_on_device are for bringing in consents signed before metpwa
    (and for the demo); a signature made on the iPad takes the request's own. The PDF is drawn
    before the write lock is taken (on SQLite that lock is the whole practice's, and drawing
    takes a good part of a second); the version is checked again once it is held.
    """
    if template.retired_at is not None or seen_sha256 != text_sha256(template):
        raise ConsentChanged()
    # The acknowledgement is of the notice the client just read: a newer one must be read first.
    notice = current_notice(client.practice_id) if shows_notice(template) else None
    if notice is not None and seen_notice_id != notice.id:
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
                         "relationship": signer_relationship,
                         **({"notice_version": notice.version} if notice is not None else {})})
    db.session.commit()
    return signature


def consent_pdf(signature: ConsentSignature) -> bytes:
    """The signed form as a PDF; an acknowledgement names the notice version the client read."""
    notice = current_notice(signature.practice_id) if shows_notice(signature.template) else None
    return printing.document_pdf(
        "pdf/consent.html", signature=signature, template=signature.template, client=signature.client,
        practice=signature.client.practice, relationships=RELATIONSHIPS, notice=notice,
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

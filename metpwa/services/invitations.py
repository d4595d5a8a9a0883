"""Adding a staff member by invitation: the owner types a name, an address and a role; the person sets
their own password (and PIN) from a single-use, expiring link e-mailed to that address.

The owner's answer never depends on the address. Whether it already signs in to metpwa (in this
practice or any other on this server) decides only what the message to that address says: a link to
set a password, or a note that the address has an account already and nothing was made. Both paths do
the same work (one look-up, one row, one message, one audit event), so neither the page nor its timing
tells the owner which it was. The same holds for a resend.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, has_request_context, request, url_for
from sqlalchemy import select, update

from .. import mail
from ..database import rolls_back_on_refusal
from ..extensions import db
from ..models import Practice, StaffInvitation, User, lower_email, utcnow
from ..permissions import ROLE_LABELS, Role
from ..rules.errors import InputError, Refused
from . import audit
from .staff import StaffRuleBroken, email_taken, password_hash_for, pin_hash_for


class InvitationRefused(Refused):
    """The link no longer works (used, cancelled, expired) or the invitation cannot be resent."""


class InvitationInputError(InputError):
    """A value on the invitation's form that cannot be taken; shown at its field."""


@dataclass(frozen=True)
class Sent:
    invitation: StaffInvitation
    # Only for tests and the demo: the link's token exists nowhere else once the message is sent.
    token: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, _digest(token)


def _link(token: str) -> str:
    base = current_app.config.get("PUBLIC_URL")
    path = url_for("auth.accept_invitation", token=token) if has_request_context() else f"/welcome/{token}"
    if base:
        return base.rstrip("/") + path
    if has_request_context():
        return request.host_url.rstrip("/") + path
    return "http://127.0.0.1:5000" + path


def _hours() -> int:
    return int(current_app.config.get("INVITATION_HOURS", 72))


def _send(invitation: StaffInvitation, token: str, practice: Practice, by: User | None) -> None:
    """The message for this address: a link, or (when it already signs in here) a note that it does."""
    inviter = by.full_name if by is not None else "The owner"
    role = ROLE_LABELS[Role(invitation.role)].lower()
    if email_taken(invitation.email):
        subject = f"{practice.name}: you already have a metpwa sign-in"
        body = (f"Hello {invitation.full_name},\n\n"
                f"{inviter} at {practice.name} tried to add this address to metpwa as {role}. This address "
                "already signs in to metpwa on this server, and one address can have only one sign-in, so no "
                "new account was made and there is nothing to set up.\n\n"
                f"If you are joining {practice.name}, ask them to invite you with another address. If you did "
                "not expect this message, you can ignore it.\n")
    else:
        subject = f"{practice.name} invites you to metpwa"
        body = (f"Hello {invitation.full_name},\n\n"
                f"{inviter} at {practice.name} has added you to metpwa as {role}. Open this link to set your "
                f"password (and a PIN for the iPad's lock screen):\n\n{_link(token)}\n\n"
                f"The link works once, for {_hours()} hours. If you did not expect this message, ignore it: "
                "nothing is made until the link is used.\n")
    mail.send(invitation.email, subject, body)


@rolls_back_on_refusal
def invite(practice: Practice, *, email: str, full_name: str, role: Role | str, credentials: str | None = None,
           npi: str | None = None, by: User | None) -> Sent:
    token, digest = _new_token()
    now = utcnow()
    invitation = StaffInvitation(
        practice_id=practice.id, email=lower_email(email), full_name=full_name.strip(), role=Role(role).value,
        credentials=(credentials or "").strip() or None, npi=(npi or "").strip() or None, token_hash=digest,
        created_by_id=by.id if by else None, created_at=now, sent_at=now, sent_count=1,
        expires_at=now + timedelta(hours=_hours()))
    db.session.add(invitation)
    db.session.flush()
    # The address is named in the event: the owner typed it, and the event is this practice's.
    audit.record("invite", invitation, user=by, practice_id=practice.id, detail={"role": invitation.role})
    _send(invitation, token, practice, by)
    db.session.commit()
    return Sent(invitation, token)


@rolls_back_on_refusal
def resend(invitation: StaffInvitation, *, by: User) -> Sent:
    """A new link (the old one stops working) with a new expiry, sent again."""
    if not invitation.pending:
        raise InvitationRefused("That invitation was already used or cancelled.")
    token, digest = _new_token()
    now = utcnow()
    invitation.token_hash = digest
    invitation.sent_at = now
    invitation.sent_count += 1
    invitation.expires_at = now + timedelta(hours=_hours())
    audit.record("invite_resent", invitation, user=by, detail={"sent": invitation.sent_count})
    _send(invitation, token, invitation_practice(invitation), by)
    db.session.commit()
    return Sent(invitation, token)


@rolls_back_on_refusal
def cancel(invitation: StaffInvitation, *, by: User) -> None:
    if not invitation.pending:
        raise InvitationRefused("That invitation was already used or cancelled.")
    invitation.cancelled_at = utcnow()
    audit.record("invite_cancelled", invitation, user=by)
    db.session.commit()


def invitation_practice(invitation: StaffInvitation) -> Practice:
    return db.session.get(Practice, invitation.practice_id)


def pending_for(practice_id: int) -> list[StaffInvitation]:
    """Invitations not yet used nor cancelled, newest first (expired ones too: the owner may resend)."""
    return list(db.session.scalars(
        select(StaffInvitation).where(StaffInvitation.practice_id == practice_id,
                                      StaffInvitation.accepted_at.is_(None), StaffInvitation.cancelled_at.is_(None))
        .order_by(StaffInvitation.created_at.desc(), StaffInvitation.id.desc())))


def usable(token: str, now: datetime | None = None) -> StaffInvitation | None:
    """The invitation this link opens, or None: an unknown, used, cancelled or expired link all look alike."""
    if not token or len(token) > 100:
        return None
    found = db.session.scalar(select(StaffInvitation).where(StaffInvitation.token_hash == _digest(token)))
    if found is None or not found.pending or found.expired(now or utcnow()):
        return None
    return found


@rolls_back_on_refusal
def accept(token: str, *, password_hash: str, pin_hash: str | None) -> User:
    """Makes the account (password and PIN hashed beforehand, outside the write turn) and closes the
    invitation; a link used twice, or raced by two taps, makes one account at most."""
    now = utcnow()
    invitation = usable(token, now)
    if invitation is None:
        raise InvitationRefused("This link has expired, was used already or was cancelled. Ask the practice's "
                                "owner to send a new invitation.")
    # Single use: only one request can turn this row from pending to accepted.
    claimed = db.session.execute(
        update(StaffInvitation)
        .where(StaffInvitation.id == invitation.id, StaffInvitation.token_hash == invitation.token_hash,
               StaffInvitation.accepted_at.is_(None), StaffInvitation.cancelled_at.is_(None))
        .values(accepted_at=now).execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        raise InvitationRefused("This link was used already.")
    if email_taken(invitation.email):
        # Taken since the invitation was sent (another practice's invitation, the command line): one
        # address, one sign-in. The invitation is used up; nothing is made.
        audit.record("invite_refused", invitation, user=None, detail={"why": "address signs in already"})
        db.session.commit()
        raise InvitationRefused("This address already signs in to metpwa, so no second account was made. "
                                "Sign in with it, or ask the practice to invite another address.")
    user = User(practice_id=invitation.practice_id, email=invitation.email, full_name=invitation.full_name,
                role=Role(invitation.role), credentials=invitation.credentials, npi=invitation.npi,
                password_hash=password_hash, pin_hash=pin_hash)
    db.session.add(user)
    db.session.flush()
    db.session.execute(update(StaffInvitation).where(StaffInvitation.id == invitation.id)
                       .values(user_id=user.id).execution_options(synchronize_session=False))
    audit.record("invite_accepted", invitation, user=user, practice_id=invitation.practice_id,
                 detail={"role": invitation.role})
    audit.record("create", user, user=user, practice_id=invitation.practice_id,
                 detail={"role": invitation.role, "by": "invitation"})
    db.session.commit()
    return user


def check_new_secrets(password: str, confirm: str, pin: str) -> tuple[str | None, str | None, dict[str, str]]:
    """The password (and PIN, when typed) checked and hashed before the write turn: (hashes, errors by field)."""
    errors: dict[str, str] = {}
    password_hash = pin_hash = None
    if password != confirm:
        errors["confirm"] = "The two passwords differ: type the same one twice."
    else:
        try:
            password_hash = password_hash_for(password)
        except StaffRuleBroken as broken:
            errors["password"] = broken.message
    if pin:
        try:
            pin_hash = pin_hash_for(pin)
        except StaffRuleBroken as broken:
            errors["pin"] = broken.message
    return password_hash, pin_hash, errors

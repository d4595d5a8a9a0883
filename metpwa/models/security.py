"""Sign-in state kept on the server: staff sessions and failed sign-in attempts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..permissions import ROLE_LABELS, Role
from .practice import User
from .types import UTCDateTime, utcnow


class StaffSession(db.Model):
    """One sign-in on one device.

    The cookie carries a random token; only its SHA-256 is stored, so a copy of
    the database cannot be replayed as a session. Ending the row ends the cookie.
    """

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 hex of the token
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pin_failures: Mapped[int] = mapped_column(default=0)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(40))
    # The key this sign-in's outbox is sealed with on the iPad (AES-GCM, base64 of 32 random bytes):
    # served to its pages, dropped at sign-out, so what is left waiting on a shared iPad cannot be
    # read or sent by the next person.
    outbox_key: Mapped[str | None] = mapped_column(String(64))
    # While set, the password was right but the second step is still owed: "code" (the
    # authenticator's code or a recovery code) or "enroll" (a role that must set one up first).
    # Such a half-signed session reaches only that step (access.guard) and lapses in minutes.
    second_step: Mapped[str | None] = mapped_column(String(10))
    # Set while the iPad is handed to this client: the session then reaches only their forms.
    handoff_client_id: Mapped[int | None] = mapped_column(ForeignKey("client.id"))
    ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(200))

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class LoginFailure(db.Model):
    """A failed sign-in, counted per account and per address for throttling."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    email: Mapped[str] = mapped_column(String(254))
    ip: Mapped[str] = mapped_column(String(45))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # A try counted before its password is checked (signin.sign_in, signin.confirm_password): it
    # counts against guesses sent beside it, and is taken back if the password was right. A right
    # password is judged by the failures already settled, not by tries still being checked.
    checking: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (
        Index("ix_login_failure_email_at", "email", "at"),
        Index("ix_login_failure_ip_at", "ip", "at"),
    )


class RecoveryCode(db.Model):
    """One of a staff member's one-time recovery codes, for a lost or broken phone.

    Only an HMAC-SHA-256 is kept, under a key derived from the keyring (outside the database) and
    bound to the staff member: a copy of the database cannot test guesses, and hashes copied onto
    another member's row do not open it. The codes are random (about 50 bits), so a slow hash
    would add nothing but ten argon2 checks per sign-in; the code itself is shown once. Codes made
    before migration 0013 were salted SHA-256; 0013 sealed those under the key as they were.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class StaffInvitation(db.Model):
    """An owner's invitation to a new staff member, e-mailed to the address typed (services/invitations.py).

    The link carries a random token; only its SHA-256 is stored, so a copy of the database opens no
    invitation. It works once (accepted_at), until expires_at, and not once cancelled; a resend makes a
    new token, so the old link stops working. An address that already signs in anywhere on this server
    gets a message saying so instead of a link, and the row looks the same to the practice."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    # Stored lower-cased, as User.email; not unique: two practices may invite the same address.
    email: Mapped[str] = mapped_column(String(254))
    full_name: Mapped[str] = mapped_column(String(120))
    # permissions.Role value, given to the account made when the invitation is accepted.
    role: Mapped[str] = mapped_column(String(20))
    credentials: Mapped[str | None] = mapped_column(String(120))
    npi: Mapped[str | None] = mapped_column(String(10))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_count: Mapped[int] = mapped_column(default=1)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_staff_invitation_practice_open", "practice_id", "accepted_at", "cancelled_at"),)

    @property
    def pending(self) -> bool:
        return self.accepted_at is None and self.cancelled_at is None

    def expired(self, now: datetime) -> bool:
        return self.expires_at <= now

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[Role(self.role)]

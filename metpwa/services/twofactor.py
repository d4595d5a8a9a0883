"""Two-step sign-in for staff: enrollment with an authenticator app, codes, recovery codes, resets.

Required for owners and billers (permissions.TWO_FACTOR_ROLES), open to everyone from the Me page.
It is asked after the password at sign-in and never at the idle lock: the quick PIN unlock on the
gym floor stays as it is. The throttles and the half-signed session live in signin.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import segno
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import delete, func, select

from ..database import rolls_back_on_refusal, take_write_lock
from ..extensions import db
from ..keys import keyring
from ..models import RecoveryCode, StaffSession, User, utcnow
from ..permissions import TWO_FACTOR_ROLES
from ..rules import totp
from ..rules.errors import InputError
from . import audit

CODE_STEP = "code"
ENROLL_STEP = "enroll"


class TwoFactorRefused(InputError):
    """A refusal to show at a form field; the message is for people."""


@dataclass(frozen=True)
class Enrollment:
    """What the enrollment screen shows: the QR code, and the same secret as text to type instead."""

    secret: str
    uri: str
    qr_svg: str

    @property
    def secret_groups(self) -> str:
        return " ".join(self.secret[i:i + 4] for i in range(0, len(self.secret), 4))


def required(user: User) -> bool:
    return user.role in TWO_FACTOR_ROLES


def second_step_for(user: User) -> str | None:
    """What a correct password still leaves to do: a code, an enrollment, or nothing."""
    if user.two_factor_on:
        return CODE_STEP
    if required(user):
        return ENROLL_STEP
    return None


def begin_enrollment(user: User) -> None:
    """Give the user a new secret to scan at each sign-in until one is confirmed: a QR code left
    on a screen (or photographed over a shoulder) from an unfinished try must not turn into the
    secret that later guards the account. The page asks them to replace an earlier entry."""
    if user.two_factor_on:
        return
    user.totp_secret = totp.new_secret()
    user.totp_last_step = None


def enrollment(user: User) -> Enrollment:
    """The waiting secret as an otpauth QR code, drawn on the server as inline SVG (no script)."""
    assert user.totp_secret is not None and not user.two_factor_on
    uri = totp.provisioning_uri(user.totp_secret, user.email, user.practice.name)
    qr = segno.make(uri, error="m")
    svg = qr.svg_inline(scale=4, border=4, dark="#10212b", light="#ffffff", svgclass="qr-code", omitsize=True,
                        title="QR code to scan with an authenticator app")
    return Enrollment(user.totp_secret, uri, svg)


def _hold(user: User) -> None:
    """Re-read the user's two-step state under a row lock until commit, so two requests carrying the
    same code (a double tap, a replay) cannot both spend it. PostgreSQL needs the lock; on SQLite a
    change already holds the database's write lock."""
    take_write_lock(db.session.connection())  # before the row lock, as every writer does
    db.session.refresh(user, attribute_names=["totp_secret", "totp_last_step", "totp_enabled_at"],
                       with_for_update=True)


def confirm_enrollment(user: User, typed: str, *, at: datetime | None = None) -> list[str]:
    """Turn two-step sign-in on once the first code from the app matches; returns the recovery
    codes, which are shown once and never again."""
    _hold(user)
    if user.totp_secret is None or user.two_factor_on:
        raise TwoFactorRefused("code", "Start again: there is no set-up waiting.")
    if not totp.looks_like_code(typed):
        raise TwoFactorRefused("code", "Type the 6-digit code your authenticator app shows.")
    step = totp.matching_step(user.totp_secret, typed, at or utcnow(), user.totp_last_step)
    if step is None:
        audit.record("login_2fa_failed", user, user=user, outcome="denied", detail={"during": "enrollment"})
        db.session.commit()
        raise TwoFactorRefused("code", "That code did not match. Check the phone's clock is set "
                                       "automatically, then type the code showing now.")
    user.totp_last_step = step
    user.totp_enabled_at = utcnow()
    codes = _new_recovery_codes(user)
    audit.record("2fa_enrolled", user, user=user)
    return codes


@rolls_back_on_refusal
def turn_on(user: User, typed: str, *, keep: StaffSession | None) -> list[str]:
    """Opt in from the Me page: the first code from the app turns it on (confirm_enrollment), and the
    person's other sign-ins, opened with the password alone, end; each needs the code from now on."""
    from .staff import end_sessions

    codes = confirm_enrollment(user, typed)
    end_sessions(user, "two-step sign-in turned on", keep=keep)
    db.session.commit()
    return codes


def check_code(user: User, typed: str, *, at: datetime | None = None) -> str | None:
    """"code" or "recovery" when what was typed lets the user in (and is now spent), else None."""
    _hold(user)
    if not user.two_factor_on or user.totp_secret is None:
        return None
    if totp.looks_like_code(typed):
        step = totp.matching_step(user.totp_secret, typed, at or utcnow(), user.totp_last_step)
        if step is None:
            return None
        user.totp_last_step = step
        return "code"
    for code in db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id,
                                                              RecoveryCode.used_at.is_(None))):
        if totp.recovery_code_matches(code.code_hash, typed, recovery_key, user.id):
            code.used_at = utcnow()
            audit.record("recovery_code_used", user, user=user, detail={"left": recovery_codes_left(user)})
            return "recovery"
    return None


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(RecoveryCode)
                             .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))


@rolls_back_on_refusal
def new_recovery_codes(user: User) -> list[str]:
    """A fresh set from the Me page (the old ones stop working), once the password has confirmed it
    is them (signin.confirm_password)."""
    if not user.two_factor_on:
        raise TwoFactorRefused("password", "Turn on two-step sign-in first.")
    codes = _new_recovery_codes(user)
    audit.record("update", user, user=user, detail={"recovery_codes": "replaced"})
    db.session.commit()
    return codes


@rolls_back_on_refusal
def start_from_account(user: User) -> None:
    """Opt in from the Me page, once the password is confirmed: a new secret to scan (any earlier
    unfinished one is replaced)."""
    if user.two_factor_on:
        raise TwoFactorRefused("password", "Two-step sign-in is already on.")
    user.totp_secret = totp.new_secret()
    user.totp_last_step = None
    audit.record("update", user, user=user, detail={"two_factor": "setup started"})
    db.session.commit()


def check_can_turn_off(user: User) -> None:
    """Refused for the roles that must keep it: asked before the password is (nothing to guess for)."""
    if required(user):
        raise TwoFactorRefused("password", f"Two-step sign-in is required for the {user.role.label.lower()} role.")


@rolls_back_on_refusal
def turn_off(user: User) -> None:
    """Opt out from the Me page, once the password is confirmed."""
    check_can_turn_off(user)
    _clear(user)
    audit.record("2fa_disabled", user, user=user)
    db.session.commit()


def reset(member: User, *, by: User) -> None:
    """An owner clears a colleague's two-step sign-in (a lost phone): their sign-ins end, and a role
    that requires it sets it up again at the next sign-in."""
    from .staff import end_sessions

    _clear(member)
    audit.record("2fa_disabled", member, user=by, detail={"reset_by": by.id})
    end_sessions(member, "two-step sign-in reset")
    db.session.commit()


def _clear(user: User) -> None:
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = totp.new_recovery_codes()
    version = keyring().current["data"]
    key = recovery_key(version)
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=totp.hash_recovery_code(code, key, version, user.id))
                       for code in codes)
    return codes


def recovery_key(version: int) -> bytes | None:
    """The recovery codes' HMAC key: derived from the keyring's data key of that version (HKDF), so
    the data key itself serves one purpose; None when the keyring lacks that version."""
    data_key = keyring().lookup("data", version)
    if data_key is None:
        return None
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"metpwa recovery codes").derive(data_key)


def enroll_unchecked(user: User, secret: str | None = None) -> list[str]:
    """For set-up scripts (the demo, the test factory): two-step sign-in on with a known secret."""
    user.totp_secret = secret or totp.new_secret()
    user.totp_enabled_at = utcnow()
    user.totp_last_step = None
    db.session.flush()
    return _new_recovery_codes(user)

"""Staff accounts: creating them, roles, PINs, passwords, and clearing sign-in locks."""

from __future__ import annotations

from sqlalchemy import delete, func, select, update

from ..database import rolls_back_on_refusal
from ..extensions import db
from ..models import LoginFailure, Practice, StaffSession, User, lower_email, utcnow
from ..permissions import Role
from ..rules.errors import InputError
from . import audit, library
from .passwords import hash_secret

MIN_PASSWORD_LENGTH = 12


class StaffRuleBroken(InputError):
    """A staff change that would leave the practice in a bad state; message is for people."""


def create_practice(name: str, timezone: str = "America/New_York") -> Practice:
    """A new practice starts with the seeded exercise library."""
    practice = Practice(name=name.strip(), timezone=timezone)
    db.session.add(practice)
    db.session.flush()
    library.install_defaults(practice)
    return practice


def email_taken(email: str) -> bool:
    return db.session.scalar(select(func.count()).select_from(User).where(User.email == lower_email(email))) > 0


@rolls_back_on_refusal
def create_user(
    practice: Practice,
    *,
    email: str,
    full_name: str,
    role: Role | str,
    password: str,
    credentials: str | None = None,
    npi: str | None = None,
    by: User | None = None,
) -> User:
    if email_taken(email):
        raise StaffRuleBroken("email", "Someone already signs in with that email.")
    check_password_rules(password)
    user = User(
        practice=practice,
        practice_id=practice.id,
        email=lower_email(email),
        full_name=full_name.strip(),
        role=Role(role),
        credentials=(credentials or "").strip() or None,
        npi=(npi or "").strip() or None,
        password_hash=hash_secret(password),
    )
    db.session.add(user)
    db.session.flush()
    audit.record("create", user, user=by, practice_id=practice.id, detail={"role": str(user.role)})
    db.session.commit()
    return user


def check_password_rules(password: str) -> None:
    # NIST SP 800-63B: length over composition rules.
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StaffRuleBroken("password", f"Use at least {MIN_PASSWORD_LENGTH} characters.")


@rolls_back_on_refusal
def change_role(user: User, role: Role | str, *, by: User) -> None:
    role = Role(role)
    if user.role == role:
        return
    if user.role == Role.OWNER and _active_owner_count(user.practice_id) <= 1:
        raise StaffRuleBroken("role", "The practice needs at least one owner.")
    old = user.role
    user.role = role
    audit.record("role_change", user, user=by, detail={"from": str(old), "to": str(role)})
    end_sessions(user, "role changed")
    db.session.commit()


@rolls_back_on_refusal
def set_active(user: User, active: bool, *, by: User) -> None:
    if not active and user.role == Role.OWNER and _active_owner_count(user.practice_id) <= 1:
        raise StaffRuleBroken("active", "The practice needs at least one active owner.")
    user.active = active
    audit.record("update", user, user=by, detail={"active": active})
    if not active:
        end_sessions(user, "deactivated")
    db.session.commit()


def clear_sign_in_lock(user: User, *, by: User) -> None:
    user.locked_until = None
    db.session.execute(delete(LoginFailure).where(LoginFailure.email == user.email))
    audit.record("unlock_account", user, user=by)
    db.session.commit()


def pin_hash_for(pin: str) -> str:
    """The new quick-unlock PIN checked against the rules and hashed (Argon2, 130-230 ms in
    production): done before the password check takes the write turn (signin.confirm_password)."""
    if not (pin.isdigit() and 4 <= len(pin) <= 8):
        raise StaffRuleBroken("pin", "A PIN is 4 to 8 digits.")
    if len(set(pin)) == 1 or pin in "0123456789" or pin in "9876543210":
        raise StaffRuleBroken("pin", "Pick a PIN that is not a run or a repeat such as 1234 or 1111.")
    return hash_secret(pin)


def set_pin(user: User, *, pin_hash: str) -> None:
    """Once the user's password is confirmed (signin.confirm_password), under the write turn it holds."""
    user.pin_hash = pin_hash
    audit.record("update", user, user=user, detail={"pin": "set"})
    db.session.commit()


def set_pin_unchecked(user: User, pin: str) -> None:
    """For set-up scripts (the demo): no password check, same hashing."""
    user.pin_hash = hash_secret(pin)


def password_hash_for(new: str, *, field: str = "password") -> str:
    """A new password checked against the rules and hashed, before the write turn (as pin_hash_for)."""
    try:
        check_password_rules(new)
    except StaffRuleBroken as broken:
        raise StaffRuleBroken(field, str(broken)) from None
    return hash_secret(new)


def change_password(user: User, *, password_hash: str, keep: StaffSession | None = None) -> None:
    """Once the current password is confirmed (signin.confirm_password). A new password ends the
    user's other sign-ins (a cookie copied, an iPad left signed in elsewhere); `keep` is the one it
    was changed from."""
    user.password_hash = password_hash
    end_sessions(user, "password changed", keep=keep)
    audit.record("update", user, user=user, detail={"password": "changed"})
    db.session.commit()


def end_sessions(user: User, reason: str, *, keep: StaffSession | None = None) -> None:
    db.session.execute(
        update(StaffSession)
        .where(StaffSession.user_id == user.id, StaffSession.ended_at.is_(None),
               *((StaffSession.id != keep.id,) if keep is not None else ()))
        .values(ended_at=utcnow(), end_reason=reason)
    )


def _active_owner_count(practice_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(User).where(
            User.practice_id == practice_id, User.role == Role.OWNER, User.active.is_(True)
        )
    )

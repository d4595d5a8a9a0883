"""argon2id hashing for staff passwords and unlock PINs."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from ..rules.errors import InputError

_hashers: dict[tuple[int, int, int], PasswordHasher] = {}


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    params = (cfg["ARGON2_TIME_COST"], cfg["ARGON2_MEMORY_COST"], cfg["ARGON2_PARALLELISM"])
    if params not in _hashers:
        _hashers[params] = PasswordHasher(
            time_cost=params[0], memory_cost=params[1], parallelism=params[2]
        )
    return _hashers[params]


def hash_secret(secret: str) -> str:
    return _hasher().hash(secret)


def verify_secret(stored_hash: str | None, secret: str) -> bool:
    """Constant-effort check; a missing hash still costs one verification."""
    hasher = _hasher()
    if not stored_hash:
        # Spend the same time as a real check so a missing account is not faster.
        stored_hash = _dummy_hash()
        secret = secret + "\0never"
    try:
        return hasher.verify(stored_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


class WrongPassword(InputError):
    """The password typed to confirm a change to one's own account was not theirs."""

    def __init__(self, field: str = "password") -> None:
        super().__init__(field, "That is not your current password.")


def needs_rehash(stored_hash: str) -> bool:
    return _hasher().check_needs_rehash(stored_hash)


_dummy: dict[tuple[int, int, int], str] = {}


def _dummy_hash() -> str:
    cfg = current_app.config
    key = (cfg["ARGON2_TIME_COST"], cfg["ARGON2_MEMORY_COST"], cfg["ARGON2_PARALLELISM"])
    if key not in _dummy:
        _dummy[key] = _hasher().hash("metpwa timing equaliser")
    return _dummy[key]

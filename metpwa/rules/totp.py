"""Time-based one-time codes (RFC 6238, through pyotp) and recovery codes: values in, values out.

A code is accepted for the current 30-second step or one step either side (a phone's clock
drifts), and only for a step later than the last one accepted, so a code seen over a shoulder
or replayed from a request cannot be used again.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from datetime import datetime

import pyotp

STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1
RECOVERY_CODES = 10
# No 0/o, 1/l/i: a code copied from paper is read back without guessing. 31 letters, 10 of them: ~50 bits.
_RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
_RECOVERY_LENGTH = 10
# ASCII digits only: \d would also take Arabic-Indic or full-width digits, which no app shows.
_CODE = re.compile(r"[0-9]{6}")


def new_secret() -> str:
    """A 160-bit base32 secret, the size RFC 4226 recommends and every authenticator app takes."""
    return pyotp.random_base32(32)


def step_at(at: datetime | float) -> int:
    seconds = at.timestamp() if isinstance(at, datetime) else at
    return int(seconds // STEP_SECONDS)


def code_for(secret: str, step: int) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).generate_otp(step)


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(name=account,
                                                                                     issuer_name=issuer)


def clean_code(typed: str) -> str:
    """What people type: "123 456", "123-456" or a pasted code with spaces around it."""
    return re.sub(r"[\s-]", "", typed or "")


def looks_like_code(typed: str) -> bool:
    return bool(_CODE.fullmatch(clean_code(typed)))


def matching_step(secret: str, typed: str, at: datetime | float, last_step: int | None) -> int | None:
    """The step whose code was typed, if it is within the drift and later than last_step; else None.

    Every candidate is compared (in constant time), so timing says nothing about which step matched.
    """
    code = clean_code(typed)
    if not _CODE.fullmatch(code):
        return None
    now = step_at(at)
    found = None
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        later = last_step is None or step > last_step
        if hmac.compare_digest(code_for(secret, step).encode(), code.encode()) and later and found is None:
            found = step
    return found


def new_recovery_codes(count: int = RECOVERY_CODES) -> list[str]:
    """Codes like "7kq2m-xh9ta", shown once; only hash_recovery_code() of each is kept."""
    codes = []
    for _ in range(count):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def clean_recovery_code(typed: str) -> str:
    return re.sub(r"[\s-]", "", (typed or "").lower())


def hash_recovery_code(code: str, key: bytes, key_version: int, user_id: int) -> str:
    """HMAC-SHA-256 of the code under a key kept outside the database, bound to its staff member: a
    copy of the database cannot test guesses, and codes copied onto another member do not open it."""
    digest = hmac.new(key, f"metpwa-recovery|{user_id}|{clean_recovery_code(code)}".encode(),
                      hashlib.sha256).hexdigest()
    return f"hmac-sha256${key_version}${digest}"


def wrap_legacy_hash(stored: str, key: bytes, key_version: int, user_id: int) -> str:
    """A salted SHA-256 made before keyed hashes (migration 0013), sealed under the key as it is:
    the codes already handed out keep working, and the database alone no longer tests guesses."""
    _, salt, digest = stored.split("$")
    wrapped = hmac.new(key, f"metpwa-recovery-wrapped|{user_id}|{digest}".encode(), hashlib.sha256).hexdigest()
    return f"hmac-sha256-wrapped${key_version}${salt}${wrapped}"


def recovery_code_matches(stored: str, typed: str, key_for: Callable[[int], bytes | None], user_id: int) -> bool:
    parts = stored.split("$")
    try:
        version = int(parts[1])
    except (IndexError, ValueError):
        return False
    key = key_for(version)
    if key is None:
        return False
    if parts[0] == "hmac-sha256" and len(parts) == 3:
        return hmac.compare_digest(hash_recovery_code(typed, key, version, user_id).encode(), stored.encode())
    if parts[0] == "hmac-sha256-wrapped" and len(parts) == 4:
        salt = parts[2]
        legacy = hashlib.sha256(f"{salt}:{clean_recovery_code(typed)}".encode()).hexdigest()
        return hmac.compare_digest(wrap_legacy_hash(f"sha256${salt}${legacy}", key, version, user_id).encode(),
                                   stored.encode())
    return False

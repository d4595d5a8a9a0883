"""Sign-in, throttling, idle lock and unlock for staff on shared iPads."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import NoReturn

from flask import current_app, g, session
from flask_login import login_user, logout_user
from sqlalchemy import bindparam, case, delete, func, select, update

from ..database import take_write_lock
from ..extensions import db
from ..models import LoginFailure, Practice, StaffSession, User, lower_email, utcnow
from ..permissions import Role
from ..rules.training import is_new_staff
from . import audit, emergency, twofactor
from .passwords import WrongPassword, hash_secret, needs_rehash, verify_secret
from .requestinfo import client_ip, device

SESSION_TOKEN_KEY = "sid"

# One message for every way a sign-in can fail, so the form never tells an
# attacker which addresses exist or which accounts are locked.
GENERIC_FAILURE = (
    "That email and password did not work, or sign-in is paused for a few minutes. "
    "Try again, or ask the practice owner."
)


class SignInRefused(Exception):
    def __init__(self, throttled_address: bool = False):
        super().__init__(GENERIC_FAILURE)
        self.throttled_address = throttled_address


@dataclass(frozen=True, slots=True)
class SignedIn:
    """Who this request is signed in as: the live sign-in and what every request asks of its person
    (role, active, two-step), read in one prebuilt statement by the access guard.

    The full User (an ORM object, joined to its practice) is loaded only when a view or page asks
    for current_user; the set logger, the gym floor's hot path, never does. `id` and `practice_id`
    are the person's, so a service that needs only who and where takes this in place of a User.
    """

    sign_in_id: str
    id: int
    practice_id: int
    role: Role
    active: bool
    two_factor_on: bool
    created_at: datetime
    last_seen_at: datetime
    locked_at: datetime | None
    handoff_client_id: int | None
    # Added after the practice started its HIPAA-training gate (rules.training.is_new_staff), and not
    # an owner: only then does the access guard ask whether their training is on record.
    new_staff: bool = False

    def can(self, capability: str) -> bool:
        return emergency.holds(self, capability)

    @property
    def owes_enrollment(self) -> bool:
        """A role that requires two-step sign-in, without it."""
        return twofactor.second_step_for(self) == twofactor.ENROLL_STEP

    @classmethod
    def of(cls, staff_session: StaffSession) -> SignedIn:
        user = staff_session.user
        return cls(staff_session.id, user.id, user.practice_id, Role(user.role), user.active, user.two_factor_on,
                   staff_session.created_at, staff_session.last_seen_at, staff_session.locked_at,
                   staff_session.handoff_client_id,
                   _gated(user.role, user.created_at, user.practice.hipaa_gate_since))


@dataclass(frozen=True)
class UnlockResult:
    unlocked: bool
    session_ended: bool = False


@dataclass(frozen=True)
class SecondStepResult:
    passed: bool
    session_ended: bool = False
    method: str | None = None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _cfg(name: str) -> int:
    return int(current_app.config[name])


def sign_in(email: str, password: str) -> User:
    """Check the credentials under the throttles; raise SignInRefused on any failure.

    Argon2 takes 130-230 ms with the production settings, so the password is checked with no write
    turn held: on SQLite the write lock is the whole practice's, and holding it through the check
    paused every iPad's set logging at each sign-in (and for as long as someone kept guessing).
    As on the lock screen (confirm_staff), the try is counted first, under the write turn, as a
    failure that a right password then takes back: guesses sent in parallel each see the ones
    before them, and no more than the account's limit are ever checked as unpaused.
    """
    now = utcnow()
    email = lower_email(email)[:254]
    window_start = now - timedelta(minutes=_cfg("LOGIN_WINDOW_MINUTES"))
    counted = _count_try(email, now, window_start)

    # The password is checked even when paused, so timing does not reveal the pause.
    password_ok = verify_secret(counted.checked_hash, password)

    take_write_lock(db.session.connection())
    user = db.session.get(User, counted.user_id, populate_existing=True) if counted.user_id is not None else None
    # Read for every try, right or wrong, so its time tells nothing: the failures settled (for the
    # lockout below), and the tries counted before this one that have not been taken back (wrong,
    # or still being checked).
    settled, before = db.session.execute(
        select(func.count(case((LoginFailure.checking.is_(False), 1))),
               func.count(case((LoginFailure.id < counted.attempt_id, 1))))
        .where(LoginFailure.email == email, LoginFailure.at >= window_start)
    ).one()
    # A password changed while this one was being checked is judged by the new one: refused.
    right = user is not None and password_ok and user.password_hash == counted.checked_hash and user.active
    paused = counted.paused
    if right:
        # A right password is judged again by the tries before it: those found right have taken
        # theirs back (a double tap, two tabs), while wrong ones and ones still being checked keep
        # counting, so a right guess sent past the limit in a burst of guesses is refused, however
        # soon it was checked.
        paused = before >= _cfg("LOGIN_ACCOUNT_MAX_FAILURES") or user.is_locked_out(now)
    if right and not paused:
        return _let_in(user, email, password, counted)
    _settle_refusal(user, email, counted, paused=paused, settled=settled, now=now)


@dataclass(frozen=True)
class _CountedTry:
    """A sign-in try counted as a failure before its password is checked (sign_in)."""

    attempt_id: int
    user_id: int | None
    checked_hash: str | None
    paused: bool


def _count_try(email: str, now: datetime, window_start: datetime) -> _CountedTry:
    """Under the write turn: refuse an address over its limit, else count the try and commit, so
    the turn is free while Argon2 runs."""
    ip = client_ip()
    take_write_lock(db.session.connection())
    address_failures = db.session.scalar(
        select(func.count()).select_from(LoginFailure)
        .where(LoginFailure.ip == ip, LoginFailure.at >= window_start)
    )
    if address_failures >= _cfg("LOGIN_ADDRESS_MAX_FAILURES"):
        audit.record("login_failed", outcome="throttled", detail={"email": email, "why": "address"})
        db.session.commit()
        raise SignInRefused(throttled_address=True)

    user = db.session.scalar(select(User).where(User.email == email))
    account_failures = db.session.scalar(
        select(func.count()).select_from(LoginFailure)
        .where(LoginFailure.email == email, LoginFailure.at >= window_start)
    )
    paused = account_failures >= _cfg("LOGIN_ACCOUNT_MAX_FAILURES") or (
        user is not None and user.is_locked_out(now)
    )
    attempt = LoginFailure(at=now, email=email, ip=ip, user_id=user.id if user else None, checking=True)
    db.session.add(attempt)
    db.session.flush()
    # Read before the commit: it expires the ORM objects, and reading them again would begin a
    # transaction, which on SQLite (a change takes the lock at BEGIN) takes the write lock again.
    counted = _CountedTry(attempt.id, user.id if user else None, user.password_hash if user else None, paused)
    db.session.commit()  # the try is counted; the write turn is free while Argon2 runs
    return counted


def _let_in(user: User, email: str, password: str, counted: _CountedTry) -> User:
    """A right password, not paused: the try is taken back (and the account's failures with it,
    unless a code is still owed), under the write turn the caller holds."""
    db.session.execute(delete(LoginFailure).where(LoginFailure.id == counted.attempt_id))
    # With two-step sign-in the count is cleared only once the code is right too, or a
    # password holder could guess codes without end by signing in again every few tries.
    # Tries still being checked settle for themselves.
    if not user.two_factor_on:
        db.session.execute(delete(LoginFailure).where(LoginFailure.email == email,
                                                      LoginFailure.checking.is_(False)))
    user.locked_until = None
    if needs_rehash(counted.checked_hash):
        # A hash from older Argon2 settings, brought up to date: only once the try is let in, so
        # the second Argon2's time never tells a refused guess was right (found in review), and
        # with no write turn held while it runs.
        db.session.commit()
        rehashed = hash_secret(password)
        take_write_lock(db.session.connection())
        user = db.session.get(User, counted.user_id, populate_existing=True)
        if user.password_hash == counted.checked_hash:
            user.password_hash = rehashed
    return user


def _settle_refusal(user: User | None, email: str, counted: _CountedTry, *, paused: bool, settled: int,
                    now: datetime) -> NoReturn:
    """A wrong password, or a right one while paused: the try stays counted, settled now."""
    db.session.execute(update(LoginFailure).where(LoginFailure.id == counted.attempt_id).values(checking=False))
    audit.record(
        "login_failed",
        user=user,
        practice_id=user.practice_id if user else None,
        outcome="paused" if paused else "denied",
        detail=None if user else {"email": email},
    )
    # Locked by the failures settled, this one with them: one typo among the same person's right
    # sign-ins still being checked does not lock the account. Of guesses sent at once, the last
    # unpaused one to settle finds the others settled, so the limit still locks it.
    if user is not None and not paused and not user.is_locked_out(now) \
            and settled + 1 >= _cfg("LOGIN_ACCOUNT_MAX_FAILURES"):
        user.locked_until = now + timedelta(minutes=_cfg("LOGIN_ACCOUNT_LOCK_MINUTES"))
        audit.record("lockout", user, user=user, detail={"failures": settled + 1})
    db.session.commit()
    raise SignInRefused()


def start_session(user: User) -> StaffSession:
    """Begin a fresh sign-in: a new cookie and a new server-side session id.

    When the user owes a second step (a code, or enrollment for a role that requires it), the
    session starts half-signed: Flask-Login is not told, current_staff_session() stays None, and
    the access guard lets it reach the second step only.
    """
    earlier = _cookie_session()
    if earlier is not None and earlier.second_step is not None:
        end_session(earlier, "signed in again")
    token = secrets.token_urlsafe(32)
    session.clear()
    session.permanent = True
    session[SESSION_TOKEN_KEY] = token
    now = utcnow()
    second_step = twofactor.second_step_for(user)
    if second_step == twofactor.ENROLL_STEP:
        twofactor.begin_enrollment(user)
    staff_session = StaffSession(
        id=_digest(token), user=user, user_id=user.id, practice_id=user.practice_id,
        created_at=now, last_seen_at=now, ip=client_ip(), user_agent=device(), second_step=second_step,
        outbox_key=base64.b64encode(secrets.token_bytes(32)).decode(),
    )
    db.session.add(staff_session)
    g.cookie_session = staff_session
    if second_step is not None:
        audit.record("login", user, user=user, outcome="pending", detail={"second_step": second_step})
        db.session.commit()
        _forget_sign_in()
        return staff_session
    user.last_login_at = now
    audit.record("login", user, user=user)
    db.session.commit()
    _signed_in(staff_session)
    return staff_session


def _signed_in(staff_session: StaffSession) -> None:
    login_user(staff_session.user)
    g.staff_session = staff_session
    g.signed_in = SignedIn.of(staff_session)


def _forget_sign_in() -> None:
    """This request is no longer signed in (ended, signed out, or only half-signed)."""
    g.staff_session = None
    g.signed_in = None


# Built once: SQLAlchemy then skips per-call statement building and cache-key work.
_BY_DIGEST = select(StaffSession).where(StaffSession.id == bindparam("digest"))
_SESSIONS, _USERS, _PRACTICES = StaffSession.__table__, User.__table__, Practice.__table__
# Run on every request, so Core on the tables: a row of plain values, no ORM objects to build.
_SIGNED_IN = (
    select(_SESSIONS.c.id, _SESSIONS.c.user_id, _SESSIONS.c.created_at, _SESSIONS.c.last_seen_at,
           _SESSIONS.c.locked_at, _SESSIONS.c.ended_at, _SESSIONS.c.second_step, _SESSIONS.c.handoff_client_id,
           _USERS.c.practice_id, _USERS.c.role, _USERS.c.active, _USERS.c.totp_enabled_at,
           _USERS.c.created_at.label("joined_at"), _PRACTICES.c.hipaa_gate_since)
    .join(_USERS, _USERS.c.id == _SESSIONS.c.user_id)
    .join(_PRACTICES, _PRACTICES.c.id == _USERS.c.practice_id)
    .where(_SESSIONS.c.id == bindparam("digest"))
)
_TOUCH = update(_SESSIONS).where(_SESSIONS.c.id == bindparam("sign_in")).values(last_seen_at=bindparam("now"))


def _gated(role: str, joined_at: datetime, gate_since: datetime | None) -> bool:
    """Owners record and waive the training, so the gate never stops one (nor the founding owner,
    who joins after the practice is made)."""
    return Role(role) is not Role.OWNER and is_new_staff(joined_at, gate_since)


def _cookie_session() -> StaffSession | None:
    """The unexpired, unended server-side session behind this request's cookie, whole or half-signed."""
    if "cookie_session" in g:
        return g.cookie_session
    staff_session = None
    token = session.get(SESSION_TOKEN_KEY)
    if isinstance(token, str):
        staff_session = db.session.execute(_BY_DIGEST, {"digest": _digest(token)}).scalar_one_or_none()
        if staff_session is not None and staff_session.ended_at is None and _expired(staff_session):
            end_session(staff_session, "second step not finished" if staff_session.second_step else "expired")
        if staff_session is not None and staff_session.ended_at is not None:
            staff_session = None
    g.cookie_session = staff_session
    return staff_session


def signed_in() -> SignedIn | None:
    """The live, fully signed-in sign-in behind this request's cookie, or None: unexpired, not
    ended, second step done, its person active and the one Flask-Login was told of. Read once
    per request; the rest of the request (current_user, current_staff_session) follows it."""
    if "signed_in" in g:
        return g.signed_in
    principal = None
    token = session.get(SESSION_TOKEN_KEY)
    if isinstance(token, str):
        row = db.session.connection().execute(_SIGNED_IN, {"digest": _digest(token)}).first()
        if row is not None and row.ended_at is None and row.second_step is None and _expired(row):
            _cookie_session()  # ends it, with its audit event
        elif (row is not None and row.ended_at is None and row.second_step is None and row.active
              and session.get("_user_id") == str(row.user_id)):
            principal = SignedIn(row.id, row.user_id, row.practice_id, Role(row.role), row.active,
                                 row.totp_enabled_at is not None, row.created_at, row.last_seen_at, row.locked_at,
                                 row.handoff_client_id, _gated(row.role, row.joined_at, row.hipaa_gate_since))
    g.signed_in = principal
    return principal


def current_staff_session() -> StaffSession | None:
    """The live, fully signed-in server-side session (ORM, with its user) for views that change
    it or need the whole person; None when signed_in() is None."""
    if "staff_session" in g:
        return g.staff_session
    principal = signed_in()
    staff_session = db.session.get(StaffSession, principal.sign_in_id) if principal is not None else None
    g.staff_session = staff_session
    return staff_session


def half_signed_session() -> StaffSession | None:
    """A session whose password was right but whose second step is still owed, or None."""
    staff_session = _cookie_session()
    return staff_session if staff_session is not None and staff_session.second_step is not None else None


def second_step_minutes() -> float:
    return float(current_app.config["SECOND_STEP_MINUTES"])


def _expired(staff_session) -> bool:
    # A StaffSession, or a row of its columns (signed_in()).
    age = utcnow() - staff_session.created_at
    if staff_session.second_step is not None and age > timedelta(minutes=second_step_minutes()):
        return True
    return age > timedelta(hours=_cfg("SESSION_HOURS"))


def second_step(staff_session: StaffSession, typed: str) -> SecondStepResult:
    """Check the authenticator's code (or a recovery code) under the same throttles as the password.

    Failures count with failed passwords, per account and per address; reaching the account limit
    pauses the account and ends this half-signed session, so a stolen password alone gets a few
    guesses per pause, never more.
    """
    # The counts are read under the write turn, so codes sent at once take turns: on PostgreSQL a
    # burst of guesses each read the count before any was written, and all were judged (found in
    # review). The check is a hash, not Argon2: holding the turn through it costs nothing.
    take_write_lock(db.session.connection())
    db.session.refresh(staff_session, attribute_names=["ended_at", "second_step"], with_for_update=True)
    if staff_session.ended_at is not None:
        session.clear()
        g.cookie_session = None
        return SecondStepResult(passed=False, session_ended=True)
    if staff_session.second_step is None:  # a double tap: the first got in, so does this cookie
        db.session.commit()
        _signed_in(staff_session)
        return SecondStepResult(passed=True)
    user = staff_session.user
    now = utcnow()
    ip = client_ip()
    window_start = now - timedelta(minutes=_cfg("LOGIN_WINDOW_MINUTES"))
    account_failures = db.session.scalar(
        select(func.count()).select_from(LoginFailure)
        .where(LoginFailure.email == user.email, LoginFailure.at >= window_start)
    )
    address_failures = db.session.scalar(
        select(func.count()).select_from(LoginFailure).where(LoginFailure.ip == ip, LoginFailure.at >= window_start)
    )
    paused = (account_failures >= _cfg("LOGIN_ACCOUNT_MAX_FAILURES") or user.is_locked_out(now)
              or address_failures >= _cfg("LOGIN_ADDRESS_MAX_FAILURES"))
    method = None if paused or not user.active else twofactor.check_code(user, typed, at=now)
    if method is not None:
        db.session.execute(delete(LoginFailure).where(LoginFailure.email == user.email,
                                                      LoginFailure.checking.is_(False)))
        _finish_second_step(staff_session, now)
        audit.record("login_2fa", user, user=user, detail={"method": method})
        db.session.commit()
        _signed_in(staff_session)
        return SecondStepResult(passed=True, method=method)

    db.session.add(LoginFailure(at=now, email=user.email, ip=ip, user_id=user.id))
    audit.record("login_2fa_failed", user, user=user, outcome="paused" if paused else "denied",
                 detail={"attempt": account_failures + 1})
    if not paused and account_failures + 1 >= _cfg("LOGIN_ACCOUNT_MAX_FAILURES"):
        user.locked_until = now + timedelta(minutes=_cfg("LOGIN_ACCOUNT_LOCK_MINUTES"))
        audit.record("lockout", user, user=user, detail={"failures": account_failures + 1})
        paused = True
    if paused or not user.active:
        end_session(staff_session, "too many code attempts")
        session.clear()
        g.cookie_session = None
        return SecondStepResult(passed=False, session_ended=True)
    db.session.commit()
    return SecondStepResult(passed=False)


def finish_enrollment(staff_session: StaffSession, typed: str) -> list[str]:
    """The first code from the newly set-up app also completes this sign-in; returns the recovery
    codes to show once. Raises twofactor.TwoFactorRefused for the form."""
    codes = twofactor.confirm_enrollment(staff_session.user, typed)
    _finish_second_step(staff_session, utcnow())
    db.session.commit()
    _signed_in(staff_session)
    return codes


def _finish_second_step(staff_session: StaffSession, now: datetime) -> None:
    staff_session.second_step = None
    # The idle clock starts now, not at the password.
    staff_session.last_seen_at = now
    staff_session.user.last_login_at = now


def end_session(staff_session: StaffSession, reason: str) -> None:
    staff_session.ended_at = utcnow()
    staff_session.end_reason = reason
    # What this sign-in left waiting on the iPad stays sealed with a key nobody holds any more.
    staff_session.outbox_key = None
    audit.record("logout", staff_session.user, user=staff_session.user, detail={"reason": reason})
    db.session.commit()


def sign_out(reason: str = "signed out") -> None:
    staff_session = _cookie_session()
    if staff_session is not None:
        end_session(staff_session, reason)
    logout_user()
    session.clear()
    _forget_sign_in()
    g.cookie_session = None


def outbox_key() -> str:
    """The key this sign-in's pages seal the gym-floor outbox with (static/js/outbox.js); "" when
    there is none to give: signed out, half signed in, locked, or handed to a client."""
    principal = signed_in()
    if principal is None or principal.locked_at is not None or principal.handoff_client_id is not None:
        return ""
    staff_session = current_staff_session()
    return (staff_session.outbox_key or "") if staff_session is not None else ""


def idle_limit() -> timedelta:
    return timedelta(minutes=float(current_app.config["IDLE_LOCK_MINUTES"]))


def check_idle(principal: SignedIn, *, heartbeat: bool = False) -> bool:
    """Lock the sign-in when it has been idle too long; return True if it is locked.

    last_seen_at is written at most once a minute (SESSION_TOUCH_SECONDS) so that
    ordinary requests do not each pay for a write; the idle limit is minutes long.
    """
    if principal.locked_at is not None:
        return True
    now = utcnow()
    idle_for = now - principal.last_seen_at
    if idle_for > idle_limit():
        at = principal.last_seen_at + idle_limit()
        lock(current_staff_session(), reason="idle", at=at)
        _follow(principal, locked_at=at)
        return True
    touch_every = min(float(_cfg("SESSION_TOUCH_SECONDS")), idle_limit().total_seconds() / 4)
    if heartbeat or idle_for.total_seconds() >= touch_every:
        db.session.execute(_TOUCH, {"sign_in": principal.sign_in_id, "now": now})
        db.session.commit()
        _follow(principal, last_seen_at=now)
    return False


def _follow(principal: SignedIn, **changed) -> None:
    """The rest of the request sees what check_idle just wrote, as it did when the guard held the
    ORM sign-in: the heartbeat checks again after the guard, and with the time read before the
    guard's touch, one sent just before the idle limit locked the sign-in it was keeping awake
    (found in review)."""
    if g.get("signed_in") is principal:
        g.signed_in = replace(principal, **changed)


def lock(staff_session: StaffSession, *, reason: str, at: datetime | None = None) -> None:
    if staff_session.locked_at is None:
        staff_session.locked_at = at or utcnow()
        audit.record("lock", staff_session.user, user=staff_session.user, detail={"reason": reason})
        db.session.commit()


def unlock(staff_session: StaffSession, secret: str) -> UnlockResult:
    """Unlock with the user's PIN (when set) or password; too many misses end the session."""
    def release() -> None:
        staff_session.locked_at = None
        staff_session.last_seen_at = utcnow()

    return confirm_staff(staff_session, secret, on_success=release, action="unlock")


def confirm_staff(staff_session: StaffSession, secret: str, *, on_success, action: str,
                  client_id: int | None = None) -> UnlockResult:
    """Check the signed-in person's PIN (when set) or password on a shared iPad.

    Used by the lock screen and by the way back from hand-off mode; misses on
    either count together, and too many end the sign-in.

    Argon2 takes 130-230 ms with the production settings, so the secret is checked with no write
    turn held: on SQLite the write lock is the whole practice's, and holding it through the check
    paused every other iPad's set logging at each unlock. The try is counted first, under the
    write turn, so guesses sent in parallel still take their places one after another and no more
    than PIN_MAX_FAILURES of them are ever checked; the outcome is settled under the turn again.
    """
    _hold(staff_session)
    user = staff_session.user
    limit = _cfg("PIN_MAX_FAILURES")
    if staff_session.pin_failures >= limit:
        # As many tries as allowed are already counted, still being checked (sent at the same
        # moment) or never settled: this one is one too many, so it ends the sign-in unchecked.
        # Its miss event is left to the tries that were checked.
        _end_for_misses(staff_session, action)
        return UnlockResult(unlocked=False, session_ended=True)
    staff_session.pin_failures += 1
    attempt = staff_session.pin_failures
    # Read before the commit: it expires the ORM objects, and reading them again would begin a
    # transaction, which on SQLite (a change takes the lock at BEGIN) takes the write lock again.
    pin_hash, password_hash = user.pin_hash, user.password_hash
    db.session.commit()  # the try is counted; the write turn is free while Argon2 runs

    ok = (pin_hash is not None and verify_secret(pin_hash, secret)) or verify_secret(password_hash, secret)

    if ok:
        _hold(staff_session)  # a right secret does not bring back a sign-in ended meanwhile
        if user.active:
            on_success()
            staff_session.pin_failures = 0
            audit.record(action, user, user=user, client_id=client_id)
            db.session.commit()
            return UnlockResult(unlocked=True)
    return UnlockResult(unlocked=False, session_ended=_settle_miss(staff_session, action, attempt, client_id))


def _settle_miss(staff_session: StaffSession, action: str, attempt: int, client_id: int | None, *,
                 end: bool = False) -> bool:
    """Record a wrong secret counted in advance as `attempt` (confirm_staff, confirm_password);
    True when the sign-in has been ended (the last try allowed, or `end`: the account paused).

    The guess was checked, so its event is written even when a try sent after it ended the sign-in
    meanwhile; its answer is its own place in line's ("wrong", until the last allowed), so 20
    guesses sent at once are still told "wrong" four times and the fifth ends the sign-in.
    """
    take_write_lock(db.session.connection())
    db.session.refresh(staff_session, attribute_names=["ended_at", "pin_failures", "locked_at"],
                       with_for_update=True)
    user = staff_session.user
    audit.record(f"{action}_failed", user, user=user, client_id=client_id, outcome="denied",
                 detail={"attempt": attempt})
    if end or attempt >= _cfg("PIN_MAX_FAILURES") or not user.active:
        if staff_session.ended_at is None:
            _end_for_misses(staff_session, action)
        else:
            db.session.commit()
            _forget_cookie()
        return True
    db.session.commit()
    return False


def _end_for_misses(staff_session: StaffSession, action: str) -> None:
    end_session(staff_session, f"too many {action} attempts")
    _forget_cookie()


def _forget_cookie() -> None:
    logout_user()
    session.clear()
    _forget_sign_in()
    g.cookie_session = None


class SignInEnded(Exception):
    """Too many wrong PINs or passwords on this sign-in: it has been ended (access turns this into
    the sign-in page)."""


def _hold(staff_session: StaffSession) -> None:
    # The lock screen and the way back from hand-off count their misses the same way (confirm_staff):
    # on PostgreSQL, 20 wrong PINs sent at once were each checked against a count of none, all
    # answered at the field, and the sign-in stayed (found in review; SQLite's write lock, taken
    # at BEGIN for a change, already made them take turns).
    take_write_lock(db.session.connection())
    db.session.refresh(staff_session, attribute_names=["ended_at", "pin_failures", "locked_at"],
                       with_for_update=True)
    if staff_session.ended_at is not None:
        raise SignInEnded()


def confirm_password(typed: str, *, field: str = "password", action: str = "password_confirm") -> None:
    """Check the signed-in person's password before a change to their own account (the Me page's
    PIN, password and two-step sign-in). A wrong one is counted and raises WrongPassword (for
    `field`), or SignInEnded once misses have ended the sign-in. On success the write turn and this
    sign-in stay held, so the change follows before anything can end the sign-in.

    An unlocked iPad left on the gym floor must not let anyone guess its owner's password at
    leisure: misses count with the lock screen's for this sign-in, and as failed sign-ins for the
    account, which a correct PIN does not clear; so guesses and PIN unlocks cannot alternate without
    end, and the account pauses as it would at the sign-in page.

    As at the lock screen (confirm_staff), Argon2 runs with no write turn held: the try is counted
    first, under the turn, so guesses sent at once take their places one after another and no more
    than PIN_MAX_FAILURES are ever checked; a right password takes its count back.
    """
    staff_session = current_staff_session()
    if staff_session is None:
        raise SignInEnded()
    _hold(staff_session)
    user = staff_session.user
    if staff_session.pin_failures >= _cfg("PIN_MAX_FAILURES"):
        _end_for_misses(staff_session, action)  # one too many, as in confirm_staff: ended unchecked
        raise SignInEnded()
    staff_session.pin_failures += 1
    attempt = staff_session.pin_failures
    now = utcnow()
    failure = LoginFailure(at=now, email=user.email, ip=client_ip(), user_id=user.id, checking=True)
    db.session.add(failure)
    db.session.flush()
    # Read before the commit, which expires the ORM objects (reading them again takes the turn).
    failure_id, password_hash = failure.id, user.password_hash
    db.session.commit()  # counted; the write turn is free while Argon2 runs

    if verify_secret(password_hash, typed):
        try:
            _hold(staff_session)  # a right password does not bring back a sign-in ended meanwhile
        except SignInEnded:
            # Nor does it stay counted as a miss (found in review).
            db.session.execute(delete(LoginFailure).where(LoginFailure.id == failure_id))
            db.session.commit()
            raise
        if user.active and user.password_hash == password_hash:
            staff_session.pin_failures = max(0, staff_session.pin_failures - 1)
            db.session.execute(delete(LoginFailure).where(LoginFailure.id == failure_id))
            # Kept whatever the change then does (refused and rolled back, say), and held again.
            db.session.commit()
            _hold(staff_session)
            return

    take_write_lock(db.session.connection())
    db.session.execute(update(LoginFailure).where(LoginFailure.id == failure_id).values(checking=False))
    # The account's failures in its place in line: settled ones counted before it, and itself.
    # Tries still being checked are left out: one may be the person's own sign-in on another iPad,
    # right, and a typo here must not make it the fifth (found in review).
    account_failures = db.session.scalar(select(func.count()).select_from(LoginFailure).where(
        LoginFailure.email == user.email, LoginFailure.checking.is_(False), LoginFailure.id <= failure_id,
        LoginFailure.at >= now - timedelta(minutes=_cfg("LOGIN_WINDOW_MINUTES"))))
    paused = account_failures >= _cfg("LOGIN_ACCOUNT_MAX_FAILURES")
    if paused and not user.is_locked_out(now):
        user.locked_until = now + timedelta(minutes=_cfg("LOGIN_ACCOUNT_LOCK_MINUTES"))
        audit.record("lockout", user, user=user, detail={"failures": account_failures})
    if _settle_miss(staff_session, action, attempt, None, end=paused):
        raise SignInEnded()
    raise WrongPassword(field)


def practice_on_this_server() -> str | None:
    """The practice's name for the sign-in page when this server holds exactly one: with several,
    naming them to anyone who opens the page would say who uses it."""
    names = db.session.scalars(select(Practice.name).limit(2)).all()
    return names[0] if len(names) == 1 else None

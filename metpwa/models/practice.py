"""The practice and its staff: every record in metpwa belongs to one practice."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_login import UserMixin
from sqlalchemy import JSON, Enum, ForeignKey, String
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..encryption import SealedText
from ..extensions import db
from ..permissions import Role, holds
from .types import UTCDateTime, utcnow


class Practice(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # IANA zone; every time is stored in UTC and shown in this zone.
    timezone: Mapped[str] = mapped_column(String(64), default="America/New_York")
    # Letter in the United States; a few practices ask for A4.
    paper_size: Mapped[str] = mapped_column(String(10), default="Letter")
    phone: Mapped[str | None] = mapped_column(String(30))
    address: Mapped[str | None] = mapped_column(String(300))
    # Two-letter state whose law the practice works under: it sets the age of majority
    # (standards.majority), so who signs a client's consent. None: 18, the rule in most states.
    state: Mapped[str | None] = mapped_column(String(2))
    # Billing identity printed on claims and superbills.
    npi: Mapped[str | None] = mapped_column(String(10))
    tax_id: Mapped[str | None] = mapped_column(String(10))
    # A progress report is due every so many visits or days, whichever comes first.
    report_every_visits: Mapped[int] = mapped_column(default=10, server_default="10")
    report_every_days: Mapped[int] = mapped_column(default=30, server_default="30")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # HIPAA training: the practice's refresh interval (HIPAA itself sets none: standards/training.py),
    # and since when new staff cannot open client records before their training is on record. Staff
    # who joined earlier are listed as overdue, never locked out; migration 0015 sets it for practices
    # that existed before, and a new practice has it from its first day. None turns the gate off.
    hipaa_training_every_months: Mapped[int] = mapped_column(default=12, server_default="12")
    hipaa_gate_since: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow)
    # Whether a lapsed required credential stops a person signing sessions and assessments, and which
    # credentials each role needs: {role: [[kind, ...], ...]}, each inner list met by any one kind.
    # None means standards.credentials.DEFAULT_REQUIRED_TO_SIGN.
    signing_requires_credentials: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    credentials_required_to_sign: Mapped[dict[str, list[list[str]]] | None] = mapped_column(JSON)

    staff: Mapped[list[User]] = relationship(back_populates="practice", order_by="User.full_name")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class User(UserMixin, db.Model):
    """A staff member: owner, trainer, front desk or biller of one practice."""

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    # Stored lower-cased; one sign-in name across all practices on this server.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=20, create_constraint=True, name="role",
             values_callable=lambda roles: [r.value for r in roles])
    )
    # Rendering-provider details that progress reports and claims print.
    credentials: Mapped[str | None] = mapped_column(String(120))
    npi: Mapped[str | None] = mapped_column(String(10))
    password_hash: Mapped[str] = mapped_column(String(255))
    pin_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # Set when failed sign-ins reach the limit; shown to the owner, who may clear it.
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Two-step sign-in (services/twofactor.py): the authenticator's secret, encrypted; set but not
    # yet enabled while enrollment waits for its first code. The last accepted time step refuses a
    # code seen twice (someone reading it over a shoulder, or a replayed request).
    totp_secret: Mapped[str | None] = mapped_column(SealedText())
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None]

    practice: Mapped[Practice] = relationship(back_populates="staff", lazy="joined")

    @property
    def is_active(self) -> bool:  # Flask-Login: inactive staff cannot sign in
        return self.active

    # True while this person, as the request's signed-in one, works under an emergency grant they
    # started: set by access.load_user (services.emergency). Any other User holds its role's only.
    under_emergency_grant = False

    def can(self, capability: str) -> bool:
        return holds(self, capability, under_emergency_grant=self.under_emergency_grant)

    @property
    def two_factor_on(self) -> bool:
        return self.totp_enabled_at is not None

    def is_locked_out(self, now: datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or utcnow())

    @property
    def display_name(self) -> str:
        return f"{self.full_name}, {self.credentials}" if self.credentials else self.full_name


def lower_email(email: str) -> str:
    return email.strip().lower()


__all__ = ["Practice", "User", "lower_email"]

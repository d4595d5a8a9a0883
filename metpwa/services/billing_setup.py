"""The practice's billing set-up: who is paid, who renders and supervises, each payer's settings, the
fee schedule with contracted amounts, and supervision on record. Each change is audited and committed
here; the database's own Medicare constraints are checked first, so a person reads why at the field."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..database import rolls_back_on_refusal
from ..extensions import db
from ..models import (
    BillingProvider,
    ContractedRate,
    FeeScheduleEntry,
    Payer,
    RenderingProvider,
    SessionLog,
    Supervision,
    User,
)
from ..rules.errors import InputError
from ..standards.billing import (
    CMS_230_5,
    DEFAULT_DISTINCT_SERVICE_MODIFIER,
    DISTINCT_SERVICE_MODIFIERS,
    PROCEDURE_CODES,
    ClaimRoute,
    CredentialKind,
    PayerKind,
    may_bill_therapy,
)
from . import audit


class BillingSetupError(InputError):
    """A billing setting that cannot be taken; shown at the field named."""


# A fee is per unit (timed codes) or per session: no exercise service costs more. A charge past it is
# a slip of the keypad, and times a claim's units it would overflow the claim's total (ten digits).
FEE_MAX = Decimal("10000.00")


@dataclass(frozen=True)
class BillingProviderValues:
    name: str
    npi: str
    tax_id_kind: str
    tax_id: str
    taxonomy: str | None
    address_line1: str
    address_line2: str | None
    city: str
    state: str
    postal_code: str
    phone: str | None
    submitter_id: str | None
    organization: bool = True
    first_name: str | None = None


@dataclass(frozen=True)
class RenderingProviderValues:
    first_name: str
    last_name: str
    credential: str
    user_id: int | None
    npi: str | None
    taxonomy: str | None
    licence_number: str | None
    licence_state: str | None
    licence_expires_on: date | None
    coaching_credential: bool
    active: bool = True


@dataclass(frozen=True)
class PayerValues:
    name: str
    kind: str
    payer_id: str | None
    claim_route: str
    unit_method: str
    accepts_mes: bool
    mes_codes: tuple[str, ...]
    allows_supervised_billing: bool
    requires_referral: bool
    requires_authorisation: bool
    timely_filing_days: int
    claim_filing_indicator: str | None
    address_line1: str | None
    address_line2: str | None
    city: str | None
    state: str | None
    postal_code: str | None
    active: bool = True
    distinct_service_modifier: str = DEFAULT_DISTINCT_SERVICE_MODIFIER


@dataclass(frozen=True)
class FeeValues:
    code: str
    charge: Decimal
    effective_on: date
    # The practice's payer id -> the amount that payer has agreed to allow for the code.
    contracted: tuple[tuple[int, Decimal], ...] = ()


def current_billing_provider(practice_id: int) -> BillingProvider | None:
    return db.session.scalar(select(BillingProvider).where(BillingProvider.practice_id == practice_id,
                                                           BillingProvider.active.is_(True))
                             .order_by(BillingProvider.id.desc()).limit(1))


def payers(practice_id: int, *, active_only: bool = False) -> list[Payer]:
    query = select(Payer).where(Payer.practice_id == practice_id)
    if active_only:
        query = query.where(Payer.active.is_(True))
    return list(db.session.scalars(query.order_by(Payer.active.desc(), Payer.name)))


def rendering_providers(practice_id: int) -> list[RenderingProvider]:
    return list(db.session.scalars(select(RenderingProvider).where(RenderingProvider.practice_id == practice_id)
                                   .order_by(RenderingProvider.active.desc(), RenderingProvider.last_name,
                                             RenderingProvider.first_name)))


def supervisors(practice_id: int) -> list[RenderingProvider]:
    """Active providers licensed to furnish therapy: the only ones who may supervise under route 1."""
    return [p for p in rendering_providers(practice_id) if p.active and may_bill_therapy(p.credential)]


def fee_schedule(practice_id: int) -> list[FeeScheduleEntry]:
    return list(db.session.scalars(select(FeeScheduleEntry).where(FeeScheduleEntry.practice_id == practice_id)
                                   .order_by(FeeScheduleEntry.code, FeeScheduleEntry.effective_on.desc())))


def contracted_rates(practice_id: int) -> list[ContractedRate]:
    return list(db.session.scalars(select(ContractedRate).where(ContractedRate.practice_id == practice_id)
                                   .order_by(ContractedRate.code, ContractedRate.effective_on.desc())))


def recent_supervision(practice_id: int, limit: int = 30) -> list[Supervision]:
    return list(db.session.scalars(select(Supervision).options(
        selectinload(Supervision.supervisor), selectinload(Supervision.session_log).selectinload(SessionLog.client))
        .where(Supervision.practice_id == practice_id).order_by(Supervision.supervised_on.desc(), Supervision.id.desc()).limit(limit)))


@rolls_back_on_refusal
def save_billing_provider(user: User, values: BillingProviderValues) -> BillingProvider:
    """The practice bills under one provider at a time; saving again updates it in place."""
    provider = current_billing_provider(user.practice_id)
    created = provider is None
    if provider is None:
        provider = BillingProvider(practice_id=user.practice_id)
        db.session.add(provider)
    for name, value in asdict(values).items():
        setattr(provider, name, value)
    db.session.flush()
    # The tax ID is sealed in the table and kept out of the trail; the NPI is public (NPPES).
    audit.record("create" if created else "update", provider, user=user, detail={"npi": values.npi})
    db.session.commit()
    return provider


def _check_provider(practice_id: int, values: RenderingProviderValues, provider: RenderingProvider | None) -> None:
    if values.npi:
        # One NPI is one person: a second provider under it would render claims in someone else's name.
        holder = db.session.scalar(select(RenderingProvider).where(
            RenderingProvider.practice_id == practice_id, RenderingProvider.npi == values.npi,
            RenderingProvider.id != (provider.id if provider else -1)).limit(1))
        if holder is not None:
            raise BillingSetupError("npi", f"NPI {values.npi} is already {holder.display_name}'s: one NPI is one "
                                    "person. Check the number, or change that provider instead.")
    if values.user_id is not None:
        member = db.session.get(User, values.user_id)
        if member is None or member.practice_id != practice_id:
            raise BillingSetupError("user_id", "Choose a staff member of this practice, or nobody.")
    if CredentialKind(values.credential).may_bill_therapy and not values.npi:
        raise BillingSetupError("npi", "A licensed provider who renders or supervises needs their NPI on file.")
    if CredentialKind(values.credential).may_bill_therapy and not values.licence_number:
        raise BillingSetupError("licence_number", "Enter the licence number: supervision is billed under it.")


@rolls_back_on_refusal
def save_rendering_provider(user: User, provider: RenderingProvider | None,
                            values: RenderingProviderValues) -> RenderingProvider:
    _check_provider(user.practice_id, values, provider)
    created = provider is None
    if provider is None:
        provider = RenderingProvider(practice_id=user.practice_id)
        db.session.add(provider)
    for name, value in asdict(values).items():
        setattr(provider, name, value)
    db.session.flush()
    audit.record("create" if created else "update", provider, user=user,
                 detail={"credential": values.credential, "active": values.active})
    db.session.commit()
    return provider


def check_payer(values: PayerValues) -> None:
    """What the payer table's constraints refuse, and the code choices no route allows, in words."""
    kind = PayerKind(values.kind)
    if values.timely_filing_days <= 0:
        raise BillingSetupError("timely_filing_days", "Timely filing is a number of days, 1 or more.")
    if kind is PayerKind.MEDICARE and values.allows_supervised_billing:
        raise BillingSetupError("allows_supervised_billing", "Traditional Medicare never pays a supervising "
                                f"provider for an MES's session, not even \"incident to\" ({CMS_230_5}).")
    if kind is PayerKind.MEDICARE and values.accepts_mes:
        raise BillingSetupError("accepts_mes", f"Traditional Medicare does not accept MES services ({CMS_230_5}). "
                                "Its clients pay privately.")
    if kind is PayerKind.MEDICARE_ADVANTAGE and values.allows_supervised_billing:
        raise BillingSetupError("allows_supervised_billing", "A Medicare Advantage plan pays for an MES's service "
                                "only where its supplemental benefits name it (the payer accepts MES services), "
                                "never through a supervising provider.")
    if values.accepts_mes and not values.mes_codes:
        raise BillingSetupError("mes_codes", "Tick the codes this payer takes for an MES's services.")
    if not values.accepts_mes and values.mes_codes:
        raise BillingSetupError("mes_codes", "Codes for MES services apply only when the payer accepts them: "
                                "tick \"accepts MES services\" or clear the codes.")
    evaluations = [code for code in values.mes_codes if PROCEDURE_CODES[code].pt_evaluation]
    if evaluations:
        raise BillingSetupError("mes_codes", f"{', '.join(evaluations)} are PT evaluations: never billed for an "
                                "MES's service, under any route.")
    if kind is PayerKind.SELF_PAY and values.claim_route != ClaimRoute.SUPERBILL.value:
        raise BillingSetupError("claim_route", "A client who pays privately gets a superbill: choose the superbill "
                                "for how claims go out (no insurer takes an 837P or a CMS-1500 for them).")
    if kind is PayerKind.SELF_PAY and (values.accepts_mes or values.allows_supervised_billing):
        raise BillingSetupError("kind", "Self-pay has no insurer to accept MES services or supervised billing.")
    if values.distinct_service_modifier not in DISTINCT_SERVICE_MODIFIERS:
        raise BillingSetupError("distinct_service_modifier", "Choose 59, XE, XS, XP or XU.")
    if values.claim_route == "837p" and kind is not PayerKind.SELF_PAY and not values.payer_id:
        raise BillingSetupError("payer_id", "Electronic claims need the payer ID from the clearinghouse's list.")


@rolls_back_on_refusal
def save_payer(user: User, payer: Payer | None, values: PayerValues) -> Payer:
    check_payer(values)
    created = payer is None
    if payer is None:
        payer = Payer(practice_id=user.practice_id)
        db.session.add(payer)
    before = {"kind": payer.kind, "accepts_mes": payer.accepts_mes,
              "allows_supervised_billing": payer.allows_supervised_billing} if not created else None
    fields = asdict(values)
    fields["mes_codes"] = list(values.mes_codes)
    for name, value in fields.items():
        setattr(payer, name, value)
    db.session.flush()
    detail = {"kind": values.kind, "claim_route": values.claim_route, "accepts_mes": values.accepts_mes,
              "allows_supervised_billing": values.allows_supervised_billing,
              "timely_filing_days": values.timely_filing_days,
              "distinct_service_modifier": values.distinct_service_modifier}
    if before:
        detail["before"] = before
    audit.record("create" if created else "update", payer, user=user, detail=detail)
    db.session.commit()
    return payer


@rolls_back_on_refusal
def add_fee(user: User, values: FeeValues) -> FeeScheduleEntry:
    """A charge for a code from a date; the same code and date again is a correction of that entry.
    Contracted amounts ride along, one per payer named."""
    if values.code not in PROCEDURE_CODES:
        raise BillingSetupError("code", "Choose a code from the list.")
    if values.charge < 0:
        raise BillingSetupError("charge", "A charge cannot be negative.")
    if values.charge == 0:
        raise BillingSetupError("charge", "A charge of $0.00 bills nothing: enter what the practice charges.")
    if values.charge > FEE_MAX:
        raise BillingSetupError("charge", f"A charge over ${FEE_MAX:,.2f} is surely a typo: check the amount.")
    entry = db.session.scalar(select(FeeScheduleEntry).where(
        FeeScheduleEntry.practice_id == user.practice_id, FeeScheduleEntry.code == values.code,
        FeeScheduleEntry.effective_on == values.effective_on))
    created = entry is None
    if entry is None:
        entry = FeeScheduleEntry(practice_id=user.practice_id, code=values.code, effective_on=values.effective_on,
                                 created_by_id=user.id, charge=values.charge)
        db.session.add(entry)
    entry.charge = values.charge
    db.session.flush()
    mine = {p.id for p in payers(user.practice_id)}
    for payer_id, allowed in values.contracted:
        if payer_id not in mine:
            raise BillingSetupError(f"contracted_{payer_id}", "That payer is not set up in this practice.")
        if allowed < 0:
            raise BillingSetupError(f"contracted_{payer_id}", "A contracted amount cannot be negative.")
        if allowed > FEE_MAX:
            raise BillingSetupError(f"contracted_{payer_id}", f"A contracted amount over ${FEE_MAX:,.2f} is surely a "
                                    "typo: check the amount.")
        rate = db.session.scalar(select(ContractedRate).where(
            ContractedRate.payer_id == payer_id, ContractedRate.code == values.code,
            ContractedRate.effective_on == values.effective_on))
        if rate is None:
            rate = ContractedRate(practice_id=user.practice_id, payer_id=payer_id, code=values.code,
                                  effective_on=values.effective_on, allowed=allowed)
            db.session.add(rate)
        rate.allowed = allowed
    db.session.flush()
    audit.record("create" if created else "update", entry, user=user,
                 detail={"code": values.code, "charge": str(values.charge), "from": values.effective_on.isoformat(),
                         "contracted": {str(p): str(a) for p, a in values.contracted}})
    db.session.commit()
    return entry


@rolls_back_on_refusal
def record_supervision(user: User, session: SessionLog, supervisor: RenderingProvider,
                       note: str | None) -> Supervision:
    """Route 1's evidence: a licensed provider supervised this session on its date. Recorded once per
    session and supervisor; a second tap is the same record."""
    if supervisor.practice_id != user.practice_id or not supervisor.active:
        raise BillingSetupError("supervisor_id", "Choose an active supervising provider of this practice.")
    if not may_bill_therapy(supervisor.credential):
        raise BillingSetupError("supervisor_id", f"{supervisor.display_name} is not licensed to supervise "
                                "billed therapy: choose a PT or physician.")
    found = db.session.scalar(select(Supervision).where(Supervision.session_id == session.id,
                                                        Supervision.supervisor_id == supervisor.id))
    if found is not None:
        db.session.commit()
        return found
    record = Supervision(practice_id=user.practice_id, supervisor_id=supervisor.id, session_id=session.id,
                         supervised_on=session.started_at.astimezone(user.practice.zone).date(), note=note or None,
                         recorded_by_id=user.id)
    db.session.add(record)
    db.session.flush()
    audit.record("create", record, user=user, client_id=session.client_id,
                 detail={"supervisor": supervisor.id, "session": session.id})
    db.session.commit()
    return record

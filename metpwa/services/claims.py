"""Claims from signed sessions: the builder, the scrubber's facts, the life cycle and the outputs.

A signed session becomes a claim without retyping (rules/claim_coding.py chooses the codes and units
by the payer's settings), each change of status is recorded with who and why, and an export takes
every ready claim into one 837P batch. Lines never change once a claim is exported (the database
refuses it: migration 0019); a correction is a replacement claim (frequency 7), a withdrawal a void
(frequency 8), both naming the original.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import exists, func, insert, select, update
from sqlalchemy.orm import selectinload

from ..clock import practice_now, practice_today
from ..database import rolls_back_on_refusal
from ..extensions import db
from ..models import (
    BillingProvider,
    Claim,
    ClaimBatch,
    ClaimDiagnosis,
    ClaimLine,
    ClaimOverride,
    ClaimStatusChange,
    Client,
    ContractedRate,
    Coverage,
    EligibilityVerification,
    FeeScheduleEntry,
    Payer,
    PriorAuthorisation,
    Referral,
    RenderingProvider,
    SessionLog,
    Supervision,
    User,
    utcnow,
)
from ..models.sessions import ACTIVITY_COLUMNS
from ..rules import claim_document as doc
from ..rules import icd10
from ..rules.claim_coding import ClaimCodingError, Coding, CodingPayer, code_session, kx_may_apply, with_modifiers
from ..rules.claim_scrubber import (
    AuthorisationFacts,
    CoverageFacts,
    EligibilityFacts,
    Finding,
    PayerSettings,
    ReferralFacts,
    ScrubInput,
    SessionFacts,
    export_blockers,
    scrub,
)
from ..rules.errors import InputError, RecordLocked, StaleRecord
from ..rules.x12_837p import Submitter, write_837p
from ..standards import billing as billing_standards
from ..rules.x12_common import Envelope, X12WriteError
from ..standards.billing import (
    ACTIVITY_CODES,
    CLAIM_TRANSITIONS,
    DEFAULT_DISTINCT_SERVICE_MODIFIER,
    LINES_FROZEN,
    THERAPY_CODES,
    ClaimFrequency,
    ClaimRoute,
    MEDICARE_CLIENT_PAYS_PRIVATELY,
    ClaimStatus,
    PayerKind,
    UnitMethod,
    may_bill_therapy,
    procedure,
)
from . import audit, plans, printing, readiness, scope

# Statuses a person sets by hand on the claim page; export, correction and void have their own actions.
MANUAL_STATUSES = {
    ClaimStatus.DRAFT: (ClaimStatus.READY,),
    ClaimStatus.READY: (ClaimStatus.DRAFT,),
    ClaimStatus.EXPORTED: (ClaimStatus.ACCEPTED, ClaimStatus.REJECTED),
    ClaimStatus.ACCEPTED: (ClaimStatus.PAID, ClaimStatus.DENIED),
}
# A change the payer reported needs its words on record.
NEEDS_REASON = frozenset({ClaimStatus.REJECTED, ClaimStatus.DENIED})
# The payer took these claims in: a change to one is a replacement or void naming the payer's number.
PAYER_HOLDS = frozenset({ClaimStatus.ACCEPTED, ClaimStatus.PAID, ClaimStatus.DENIED})
REASON_MAX = 500
# Receiver of the 837P interchange when the billing provider names none: the clearinghouse's id.
DEFAULT_RECEIVER = "CLEARINGHOUSE"
# A claim that no longer bills its sessions (they may be billed again, e.g. to the client).
_RELEASED = (ClaimStatus.VOIDED.value,)


class ClaimInputError(InputError):
    """A claim action that cannot be taken with what was sent; shown at the field named."""


# --- The work queue ---------------------------------------------------------------------------------


def _billed_session_ids():
    """Sessions on a live claim: not voided, and not a void (frequency 8) of one."""
    return (select(ClaimLine.session_id).join(Claim, Claim.id == ClaimLine.claim_id)
            .where(ClaimLine.session_id.is_not(None), Claim.status.not_in(_RELEASED), Claim.frequency_code != "8"))


def unbilled_sessions(practice_id: int, limit: int = 100) -> list[SessionLog]:
    """Signed sessions no live claim bills yet, oldest first (timely filing runs from them)."""
    return list(db.session.scalars(
        select(SessionLog).options(selectinload(SessionLog.client), selectinload(SessionLog.trainer))
        .where(SessionLog.practice_id == practice_id, SessionLog.signed_at.is_not(None),
               SessionLog.id.not_in(_billed_session_ids()))
        .order_by(SessionLog.started_at).limit(limit)))


def unbilled_count(practice_id: int) -> int:
    return db.session.scalar(select(func.count(SessionLog.id)).where(
        SessionLog.practice_id == practice_id, SessionLog.signed_at.is_not(None),
        SessionLog.id.not_in(_billed_session_ids()))) or 0


def counts_by_status(practice_id: int) -> dict[str, int]:
    rows = db.session.execute(select(Claim.status, func.count(Claim.id)).where(Claim.practice_id == practice_id)
                              .group_by(Claim.status))
    counts = {status.value: 0 for status in ClaimStatus}
    counts.update({status: count for status, count in rows})
    return counts


def oldest_ready_service_date(practice_id: int) -> date | None:
    """The earliest date of service on a ready electronic claim (the export's default period reaches it)."""
    return db.session.scalar(select(func.min(ClaimLine.service_date)).join(Claim, Claim.id == ClaimLine.claim_id).where(
        Claim.practice_id == practice_id, Claim.status == ClaimStatus.READY.value,
        Claim.claim_route == ClaimRoute.X12_837P.value))


def claims_of_client(practice_id: int, client_id: int, limit: int = 200) -> list[Claim]:
    """One client's claims in every state, the latest change first."""
    return list(db.session.scalars(
        select(Claim).options(selectinload(Claim.client), selectinload(Claim.payer), selectinload(Claim.lines))
        .where(Claim.practice_id == practice_id, Claim.client_id == client_id)
        .order_by(Claim.status_changed_at.desc(), Claim.id.desc()).limit(limit)))


def ready_electronic_count(practice_id: int) -> int:
    """Ready claims that go out in an 837P batch; ready paper claims and superbills are printed from their pages."""
    return db.session.scalar(select(func.count(Claim.id)).where(
        Claim.practice_id == practice_id, Claim.status == ClaimStatus.READY.value,
        Claim.claim_route == ClaimRoute.X12_837P.value)) or 0


def claims_in(practice_id: int, status: str, limit: int = 200) -> list[Claim]:
    return list(db.session.scalars(
        select(Claim).options(selectinload(Claim.client), selectinload(Claim.payer), selectinload(Claim.lines))
        .where(Claim.practice_id == practice_id, Claim.status == status)
        .order_by(Claim.status_changed_at.desc(), Claim.id.desc()).limit(limit)))


def ready_in_period(practice_id: int, first: date, last: date, route: str = ClaimRoute.X12_837P.value) -> list[Claim]:
    """Ready claims of this route with a service date in the period (the CLI's and the page's export)."""
    in_period = (select(ClaimLine.claim_id).where(ClaimLine.service_date >= first, ClaimLine.service_date <= last))
    return list(db.session.scalars(
        select(Claim).where(Claim.practice_id == practice_id, Claim.status == ClaimStatus.READY.value,
                            Claim.claim_route == route, Claim.id.in_(in_period)).order_by(Claim.id)))


def payer_names(sessions: Sequence[SessionLog]) -> dict[int, str]:
    """Whom each queue session's client is billed to, by client id: the payer's name, or what is missing,
    so the biller sees which sessions may share a claim before ticking them."""
    names: dict[int, str] = {}
    for session in sessions:
        client = session.client
        if client.id not in names:
            try:
                names[client.id] = payer_for(client)[0].name
            except ClaimInputError:
                names[client.id] = "No payer set up"
    return names


def medicare_mes_sessions(sessions: Sequence[SessionLog]) -> dict[int, str]:
    """Queue sessions that traditional Medicare would be billed for though an MES (no therapist)
    performed them, with the reason: no route allows it (ch. 15 sec. 230.5), so the queue offers
    them to the client on a superbill instead of leaving them waiting for a claim that never goes."""
    found: dict[int, str] = {}
    payers: dict[int, Payer | None] = {}
    performers: dict[tuple[int, int], str | None] = {}
    for session in sessions:
        client = session.client
        if client.id not in payers:
            try:
                payers[client.id] = payer_for(client)[0]
            except ClaimInputError:
                payers[client.id] = None
        payer = payers[client.id]
        if payer is None or payer.kind != PayerKind.MEDICARE.value:
            continue
        key = (session.practice_id, session.trainer_id)
        if key not in performers:
            performers[key] = db.session.scalar(select(RenderingProvider.credential).where(
                RenderingProvider.practice_id == session.practice_id, RenderingProvider.user_id == session.trainer_id,
                RenderingProvider.active.is_(True)).limit(1))
        if performers[key] is not None and not may_bill_therapy(performers[key]):
            found[session.id] = MEDICARE_CLIENT_PAYS_PRIVATELY
    return found


@rolls_back_on_refusal
def bill_to_client(user: User, session: SessionLog) -> Claim:
    """One tap from the queue: a Medicare client's session an MES performed goes on a superbill to the
    client, with the reason on the claim's history; never a Medicare claim. Only such sessions: any
    other is billed the usual way."""
    reason = medicare_mes_sessions([session]).get(session.id)
    if reason is None:
        raise ClaimInputError("session", "Only a traditional Medicare client's session by an MES is moved to "
                              "self-pay here; bill this one with Make claim.")
    return build_from_sessions(user, [session], self_pay_reason=reason)


# --- Building a claim from a session ----------------------------------------------------------------


def session_date(session: SessionLog) -> date:
    return session.started_at.astimezone(session.client.practice.zone).date()


def payer_for(client: Client, *, self_pay: bool = False) -> tuple[Payer, Coverage | None]:
    """The payer the client's sessions are billed to: the primary coverage's payer, or the practice's
    self-pay set-up for a client who pays privately (or, `self_pay`, for a session the client pays)."""
    coverage = None if client.self_pay or self_pay else next(iter(client.coverages), None)
    if coverage is None:
        payer = db.session.scalar(select(Payer).where(
            Payer.practice_id == client.practice_id, Payer.active.is_(True),
            (Payer.kind == PayerKind.SELF_PAY.value) | (Payer.claim_route == ClaimRoute.SUPERBILL.value))
            .order_by(Payer.id).limit(1))
        if payer is None:
            raise ClaimInputError("session", "The client pays privately and no self-pay payer is set up: add one "
                                  "(claim route: superbill) in the billing set-up.")
        return payer, None
    if coverage.payer is None:
        raise ClaimInputError("session", f"The client's coverage ({coverage.payer_name}) is not linked to a payer "
                              "in the billing set-up: link it on the client's coverage.")
    return coverage.payer, coverage


def _performer(session: SessionLog) -> RenderingProvider:
    performer = db.session.scalar(select(RenderingProvider).where(
        RenderingProvider.practice_id == session.practice_id, RenderingProvider.user_id == session.trainer_id,
        RenderingProvider.active.is_(True)).limit(1))
    if performer is None:
        raise ClaimInputError("session", f"{session.trainer.full_name} is not set up as a rendering provider: "
                              "add them (credential and NPI) in the billing set-up.")
    return performer


def _supervisor(session: SessionLog, day: date) -> RenderingProvider | None:
    return db.session.scalar(select(RenderingProvider).join(Supervision, Supervision.supervisor_id ==
                                                             RenderingProvider.id)
                             .where(Supervision.session_id == session.id, Supervision.supervised_on == day)
                             .order_by(Supervision.id).limit(1))


def _fee(practice_id: int, code: str, day: date) -> Decimal:
    fee = db.session.scalar(select(FeeScheduleEntry.charge).where(
        FeeScheduleEntry.practice_id == practice_id, FeeScheduleEntry.code == code,
        FeeScheduleEntry.effective_on <= day).order_by(FeeScheduleEntry.effective_on.desc()).limit(1))
    return Decimal(fee) if fee is not None else Decimal("0.00")


def _authorisation(coverage: Coverage | None, day: date) -> PriorAuthorisation | None:
    if coverage is None:
        return None
    return db.session.scalar(select(PriorAuthorisation).where(
        PriorAuthorisation.coverage_id == coverage.id,
        (PriorAuthorisation.starts_on.is_(None)) | (PriorAuthorisation.starts_on <= day),
        (PriorAuthorisation.ends_on.is_(None)) | (PriorAuthorisation.ends_on >= day))
        .order_by(PriorAuthorisation.id.desc()).limit(1))


def _billable_diagnoses(referral: Referral | None) -> list[tuple[str, int]]:
    """(code, referral diagnosis id) of the referral's billable ICD-10-CM codes, at most twelve."""
    found = []
    for diagnosis in referral.diagnoses if referral else []:
        entry = icd10.lookup(diagnosis.code)
        if entry is not None and entry.billable and entry.code not in {code for code, _ in found}:
            found.append((entry.code, diagnosis.id))
    return found[:12]


def _referral_for(client_id: int, day: date) -> Referral | None:
    """The referral in force on the date of service, or else the latest one before it."""
    return db.session.scalar(select(Referral).where(Referral.client_id == client_id, Referral.referred_on <= day)
                             .order_by(Referral.referred_on.desc(), Referral.id.desc()).limit(1))


def _coding_payer(payer: Payer) -> CodingPayer:
    return CodingPayer(kind=PayerKind(payer.kind), route=ClaimRoute(payer.claim_route),
                       unit_method=UnitMethod(payer.unit_method),
                       accepts_mes=payer.accepts_mes, allows_supervised_billing=payer.allows_supervised_billing,
                       mes_codes=tuple(payer.mes_codes or ()))


def _is_billed(session: SessionLog) -> bool:
    return bool(db.session.scalar(select(exists(_billed_session_ids().where(ClaimLine.session_id == session.id)))))


def _plan(session: SessionLog, self_pay: bool = False):
    """What a claim for the session would be billed under, read without writing anything, so a refusal
    (unsigned, no route, nothing set up) comes before any change (a rebuild or correction checks first)."""
    if not session.signed:
        raise ClaimInputError("session", "Sign the session note before billing it.")
    client = session.client
    day = session_date(session)
    payer, coverage = payer_for(client, self_pay=self_pay)
    performer = _performer(session)
    supervisor = _supervisor(session, day)
    coding = code_session(_coding_payer(payer), credential=performer.credential,
                          coaching_credential=performer.coaching_credential,
                          activity_minutes={activity: session.minutes(activity) for activity in ACTIVITY_COLUMNS},
                          supervised=supervisor is not None and supervisor.licence_number is not None)
    rendering = supervisor if coding.supervisor_renders else performer
    billing = db.session.scalar(select(BillingProvider).where(
        BillingProvider.practice_id == client.practice_id, BillingProvider.active.is_(True))
        .order_by(BillingProvider.id).limit(1))
    if billing is None:
        raise ClaimInputError("session", "No billing provider is set up: add the practice's NPI, tax ID and "
                              "address in the billing set-up.")
    return payer, coverage, performer, rendering, coding, billing


def _contracted(payer: Payer, code: str, day: date) -> Decimal | None:
    allowed = db.session.scalar(select(ContractedRate.allowed).where(
        ContractedRate.payer_id == payer.id, ContractedRate.code == code, ContractedRate.effective_on <= day)
        .order_by(ContractedRate.effective_on.desc()).limit(1))
    return Decimal(allowed) if allowed is not None else None


def _allowed_per_unit(payer: Payer, code: str, day: date) -> Decimal:
    """What the payer allows for one unit of the code on the date: its contracted amount, else the fee."""
    allowed = _contracted(payer, code, day)
    return allowed if allowed is not None else _fee(payer.practice_id, code, day)


def _therapy_allowed_before(client: Client, payer: Payer, day: date, original: Claim | None) -> Decimal:
    """The client's allowed therapy charges with this payer from January 1 up to the date, on live claims
    (a claim being replaced counts once, through its replacement). Only this practice's claims are known:
    a payer that counts other providers' therapy too may need KX sooner, which its denial will say."""
    rows = db.session.execute(
        select(ClaimLine.code, ClaimLine.units, ClaimLine.charge, ClaimLine.service_date)
        .join(Claim, Claim.id == ClaimLine.claim_id)
        .where(Claim.client_id == client.id, Claim.payer_id == payer.id, Claim.frequency_code != "8",
               Claim.status.not_in((ClaimStatus.VOIDED.value, ClaimStatus.CORRECTED.value)),
               Claim.id != (original.id if original else -1), ClaimLine.code.in_(THERAPY_CODES),
               ClaimLine.service_date >= date(day.year, 1, 1), ClaimLine.service_date <= day))
    total = Decimal(0)
    for code, units, charge, served in rows:
        allowed = _contracted(payer, code, served)
        total += allowed * units if allowed is not None else Decimal(charge)
    return total


def _with_modifiers(coding, client: Client, payer: Payer, day: date, original: Claim | None,
                    earlier: Decimal = Decimal(0)):
    """The payer's distinct-service modifier (59 or XE/XS/XP/XU) on a verified NCCI pair and KX past the
    year's therapy threshold (rules/claim_coding.py); the year's allowed therapy charges are read only
    where KX may apply. `earlier`: allowed therapy charges of this claim's sessions before this one."""
    distinct = payer.distinct_service_modifier or DEFAULT_DISTINCT_SERVICE_MODIFIER
    # The table is read when the claim is built, so a pair verified there applies from the next claim.
    pairs = billing_standards.DISTINCT_SERVICE_PAIRS
    if not kx_may_apply(payer.kind, coding.route):
        return with_modifiers(coding, payer_kind=payer.kind, year=day.year, distinct_modifier=distinct, pairs=pairs)
    return with_modifiers(coding, payer_kind=payer.kind, year=day.year, distinct_modifier=distinct, pairs=pairs,
                          allowed_before=_therapy_allowed_before(client, payer, day, original) + earlier,
                          allowed_per_unit={line.code: _allowed_per_unit(payer, line.code, day)
                                            for line in coding.lines})


# A claim carries at most this many sessions: an 837P claim takes 50 lines, and a session up to four.
MAX_SESSIONS_PER_CLAIM = 12


@dataclass(frozen=True)
class _Planned:
    session: SessionLog
    day: date
    payer: Payer
    coverage: Coverage | None
    performer: RenderingProvider
    rendering: RenderingProvider
    coding: Coding
    billing: BillingProvider


def _plan_all(sessions: Sequence[SessionLog], original: Claim | None, self_pay: bool = False) -> list[_Planned]:
    """Every session's plan, oldest first, checked to belong on one claim before anything is written:
    one client, one payer (and coverage), one payment route, one claim route (CMS-1500 holds six lines
    a form and prints as many forms as it needs; an 837P claim takes up to 50 lines, each with its date)."""
    if not sessions:
        raise ClaimInputError("session", "Choose the signed sessions to bill together.")
    unique = list({session.id: session for session in sessions}.values())
    if len(unique) > MAX_SESSIONS_PER_CLAIM:
        raise ClaimInputError("session", f"One claim carries at most {MAX_SESSIONS_PER_CLAIM} sessions: choose fewer.")
    if len({session.client_id for session in unique}) > 1:
        raise ClaimInputError("session", "One claim bills one client: choose sessions of the same client.")
    for session in unique:
        if original is None and _is_billed(session):
            raise StaleRecord("A chosen session is already on a claim: open the claim from the queue.")
    planned = []
    for session in sorted(unique, key=lambda s: (s.started_at, s.id)):
        payer, coverage, performer, rendering, coding, billing = _plan(session, self_pay)
        planned.append(_Planned(session, session_date(session), payer, coverage, performer, rendering, coding,
                                billing))
    first = planned[0]
    for other in planned[1:]:
        when = f"the session of {other.day:%m/%d/%Y}"
        if other.payer.id != first.payer.id or (other.coverage and other.coverage.id) != (
                first.coverage and first.coverage.id):
            raise ClaimInputError("session", f"{when} is billed to another payer: one claim goes to one payer.")
        if other.coding.route != first.coding.route:
            raise ClaimInputError("session", f"{when} goes out by another route (who renders it differs): "
                                  "make a claim for each route.")
    lines = sum(len(item.coding.lines) for item in planned)
    if lines > 50:
        raise ClaimInputError("session", f"These sessions make {lines} service lines; a claim takes at most 50.")
    return planned


@rolls_back_on_refusal
def build_from_session(user: User, session: SessionLog, *, frequency: ClaimFrequency = ClaimFrequency.ORIGINAL,
                       original: Claim | None = None) -> Claim:
    """A draft claim for one signed session (see build_from_sessions)."""
    return build_from_sessions(user, [session], frequency=frequency, original=original)


@rolls_back_on_refusal
def build_from_sessions(user: User, sessions: Sequence[SessionLog], *,
                        frequency: ClaimFrequency = ClaimFrequency.ORIGINAL, original: Claim | None = None,
                        self_pay_reason: str | None = None) -> Claim:
    """A draft claim for one or more signed sessions of one client, payer and route: codes, units,
    diagnoses, providers and charges, each session's lines with its own date of service, audited.
    `self_pay_reason`: the sessions go on a superbill to the client, whatever the coverage, and why."""
    planned = _plan_all(sessions, original, self_pay=self_pay_reason is not None)
    first = planned[0]
    client = first.session.client
    payer, coverage, billing, coding_route = first.payer, first.coverage, first.billing, first.coding.route
    referral = _referral_for(client.id, first.day)
    authorisation = _authorisation(coverage, first.day)
    diagnoses = _billable_diagnoses(referral)
    pointers = list(range(1, min(4, len(diagnoses)) + 1))
    claim = Claim(practice_id=client.practice_id, client_id=client.id, payer_id=payer.id,
                  coverage_id=coverage.id if coverage else None, billing_provider_id=billing.id,
                  referral_id=referral.id if referral else None,
                  authorisation_id=authorisation.id if authorisation else None,
                  patient_control_number=f"T{utcnow():%H%M%S%f}"[:20], status=ClaimStatus.DRAFT.value,
                  frequency_code=frequency.value, original_claim_id=original.id if original else None,
                  original_reference=(original.payer_claim_number or original.patient_control_number)
                  if original else None,
                  payment_route=coding_route.value if coding_route else "therapist", claim_route=payer.claim_route,
                  created_by_id=user.id)
    claim.diagnoses = [ClaimDiagnosis(practice_id=client.practice_id, position=i, code=code,
                                      referral_diagnosis_id=ref_id)
                       for i, (code, ref_id) in enumerate(diagnoses, start=1)]
    lines: list[ClaimLine] = []
    # KX counts the client's allowed therapy charges line by line through the year: this claim's
    # earlier sessions count before a later one.
    earlier = Decimal(0)
    for item in planned:
        coding = _with_modifiers(item.coding, client, payer, item.day, original, earlier)
        for line in coding.lines:
            position = len(lines) + 1
            lines.append(ClaimLine(
                practice_id=client.practice_id, position=position,
                line_control_number=f"T{position}{utcnow():%H%M%S%f}"[:30], service_date=item.day, code=line.code,
                modifiers=list(line.modifiers), units=line.units,
                charge=(_fee(client.practice_id, line.code, item.day) * line.units).quantize(Decimal("0.01")),
                diagnosis_pointers=pointers, minutes=line.minutes, session_id=item.session.id,
                performed_by_id=item.performer.id, rendering_provider_id=item.rendering.id))
            if line.code in THERAPY_CODES and kx_may_apply(payer.kind, coding.route):
                earlier += _allowed_per_unit(payer, line.code, item.day) * line.units
    claim.lines = lines
    claim.total_charge = sum((line.charge for line in claim.lines), Decimal("0.00"))
    db.session.add(claim)
    db.session.flush()
    # Identities the payer sees and sends back: stable, unique per practice, letters and digits only.
    claim.patient_control_number = f"C{claim.id:07d}"
    for line in claim.lines:
        line.line_control_number = f"L{line.id:08d}"
    # The route rule, in the builder too: a finding the scrubber would refuse never becomes a claim.
    route_findings = [f for f in findings(claim) if f.code.startswith("route.")]
    if route_findings:
        raise ClaimCodingError("session", route_findings[0].message)
    days = ", ".join(f"{item.day:%m/%d/%Y}" for item in planned)
    reason = f"Built from the session{'s' if len(planned) > 1 else ''} of {days}"
    db.session.add(ClaimStatusChange(practice_id=claim.practice_id, claim_id=claim.id, from_status=None,
                                     to_status=claim.status, changed_by_id=user.id,
                                     reason=f"{reason}. {self_pay_reason}" if self_pay_reason else reason))
    detail = {"session": first.session.id, "route": claim.payment_route, "frequency": claim.frequency_code,
              "lines": [f"{ln.code}x{ln.units}" for ln in claim.lines]}
    if len(planned) > 1:
        detail["sessions"] = [item.session.id for item in planned]
    if self_pay_reason:
        detail["self_pay"] = "medicare_mes"
    audit.record("create", claim, user=user, detail=detail)
    db.session.commit()
    return claim


# --- The claim as data, and what the scrubber says about it ------------------------------------------


def _address(line1, line2, city, state, postal_code) -> doc.Address | None:
    if not (line1 and city and state and postal_code):
        return None
    return doc.Address(line1=line1, line2=line2 or "", city=city, state=state, postal_code=postal_code)


def _provider(row: RenderingProvider | None) -> doc.Provider | None:
    if row is None:
        return None
    return doc.Provider(last_name=row.last_name, first_name=row.first_name, npi=row.npi, taxonomy=row.taxonomy,
                        credential=row.credential, licence_number=row.licence_number,
                        licence_expires_on=row.licence_expires_on, coaching_credential=row.coaching_credential,
                        ref=row.id)


def _billing(row: BillingProvider) -> doc.BillingProvider:
    return doc.BillingProvider(
        name=row.name, npi=row.npi, tax_id=row.tax_id, tax_id_kind=row.tax_id_kind, organization=row.organization,
        first_name=row.first_name or "", taxonomy=row.taxonomy, phone=row.phone, ref=row.id,
        address=doc.Address(line1=row.address_line1, line2=row.address_line2 or "", city=row.city, state=row.state,
                            postal_code=row.postal_code))


def _sex(value: str | None) -> str:
    return value if value in ("F", "M") else "U"


def document(claim: Claim, shared: dict | None = None) -> doc.ClaimDocument:
    """The claim in the one shape the scrubber, the 837P writer and the CMS-1500 read. `shared` keeps
    the provider values a batch's claims have in common, made once (a month's batch: thousands of lines)."""
    shared = {} if shared is None else shared

    def provider(row: RenderingProvider | None) -> doc.Provider | None:
        if row is None:
            return None
        key = ("rendering", row.id)
        if key not in shared:
            shared[key] = _provider(row)
        return shared[key]

    billing_key = ("billing", claim.billing_provider_id)
    if billing_key not in shared:
        shared[billing_key] = _billing(claim.billing_provider)
    client, coverage, payer = claim.client, claim.coverage, claim.payer
    person = doc.Person(last_name=client.last_name, first_name=client.first_name, middle_name=client.middle_name or "",
                        date_of_birth=client.date_of_birth, sex=_sex(client.sex), phone=client.phone,
                        address=_address(client.address_line1, client.address_line2, client.city, client.state,
                                         client.postal_code))
    patient = None
    subscriber_person = person
    relationship = "self"
    if coverage is not None and coverage.subscriber_relationship != "self" and coverage.subscriber_last_name:
        relationship = coverage.subscriber_relationship
        patient = person
        subscriber_person = doc.Person(
            last_name=coverage.subscriber_last_name, first_name=coverage.subscriber_first_name or "",
            date_of_birth=coverage.subscriber_date_of_birth or client.date_of_birth, sex="U", address=person.address)
    referring = None
    if claim.referral is not None and claim.referral.provider is not None:
        rp = claim.referral.provider
        referring = doc.Provider(last_name=rp.last_name, first_name=rp.first_name, npi=rp.npi, ref=rp.id)
    lines = tuple(doc.ServiceLine(
        line_control_number=line.line_control_number, service_date=line.service_date, code=line.code,
        charge=Decimal(line.charge), units=line.units, modifiers=tuple(line.modifiers or ()),
        diagnosis_pointers=tuple(line.diagnosis_pointers or ()), place_of_service=line.place_of_service,
        rendering=provider(line.rendering_provider), performed_by=provider(line.performed_by),
        session_id=line.session_id, ref=line.id) for line in claim.lines)
    return doc.ClaimDocument(
        patient_control_number=claim.patient_control_number, billing_provider=shared[billing_key],
        subscriber=doc.Subscriber(person=subscriber_person, member_id=coverage.member_id if coverage else "",
                                  group_number=coverage.group_number if coverage else None,
                                  patient_relationship=relationship),
        payer=doc.Payer(name=payer.name, kind=PayerKind(payer.kind), payer_id=payer.payer_id,
                        address=_address(payer.address_line1, payer.address_line2, payer.city, payer.state,
                                         payer.postal_code),
                        claim_filing_indicator=payer.claim_filing_indicator, ref=payer.id),
        lines=lines, diagnoses=tuple(d.code for d in claim.diagnoses), patient=patient,
        frequency=ClaimFrequency(claim.frequency_code), original_reference=claim.original_reference,
        place_of_service=claim.place_of_service, payer_responsibility=claim.payer_responsibility,
        referring=referring, prior_authorisation=claim.authorisation.number if claim.authorisation else None,
        ref=claim.id, client_ref=client.id)


def _session_facts(session: SessionLog) -> SessionFacts:
    timed: dict[str, int] = {}
    for activity in ACTIVITY_COLUMNS:
        minutes = session.minutes(activity)
        if minutes and activity in ACTIVITY_CODES:
            timed[ACTIVITY_CODES[activity]] = minutes
    supervisors = db.session.scalars(select(RenderingProvider.npi).join(
        Supervision, Supervision.supervisor_id == RenderingProvider.id).where(Supervision.session_id == session.id))
    note = "\n".join(part or "" for part in (session.note_client_report, session.note_performance,
                                             session.note_response, session.note_plan))
    kept = {term.lower() for override in session.scope_overrides or [] for term in override.get("terms", [])}
    flags = tuple(sorted({flag.matched for flag in scope.flags_for(session.practice_id, note)
                          if flag.matched.lower() not in kept}))
    return SessionFacts(session_id=session.id, service_date=session_date(session), signed=session.signed,
                        timed_minutes=timed, total_minutes=session.total_activity_minutes,
                        supervised_by=frozenset(npi for npi in supervisors if npi), scope_flags=flags)


def _visits_used(claim: Claim, column, value) -> int:
    """Dates of service already billed on other live claims under the same referral or authorisation."""
    return db.session.scalar(
        select(func.count(func.distinct(ClaimLine.service_date))).join(Claim, Claim.id == ClaimLine.claim_id)
        .where(column == value, Claim.id != claim.id, Claim.status.not_in(_RELEASED), Claim.frequency_code == "1")
    ) or 0


def scrub_input(claim: Claim, today: date | None = None) -> ScrubInput:
    payer = claim.payer
    sessions = {line.session_id: line.session_log for line in claim.lines if line.session_log is not None}
    referral = claim.referral
    coverage = claim.coverage
    eligibility = None
    if coverage is not None:
        eligibility = db.session.scalar(select(EligibilityVerification).where(
            EligibilityVerification.coverage_id == coverage.id)
            .order_by(EligibilityVerification.verified_on.desc(), EligibilityVerification.id.desc()).limit(1))
    auth = claim.authorisation
    zone = claim.client.practice.zone
    return ScrubInput(
        claim=document(claim),
        payer=PayerSettings(kind=PayerKind(payer.kind), route=ClaimRoute(payer.claim_route),
                            unit_method=UnitMethod(payer.unit_method), accepts_mes=payer.accepts_mes,
                            allows_supervised_billing=payer.allows_supervised_billing,
                            mes_codes=frozenset(payer.mes_codes or ()), requires_referral=payer.requires_referral,
                            requires_authorisation=payer.requires_authorisation,
                            timely_filing_days=payer.timely_filing_days, ref=payer.id,
                            distinct_service_modifier=payer.distinct_service_modifier
                            or DEFAULT_DISTINCT_SERVICE_MODIFIER),
        today=today or practice_today(claim.client.practice),
        sessions={sid: _session_facts(s) for sid, s in sessions.items()},
        readiness=readiness.facts(claim.client),
        coverage=CoverageFacts(coverage.effective_on, coverage.expires_on, coverage.id) if coverage else None,
        referral=ReferralFacts(
            referred_on=referral.referred_on, expires_on=referral.expires_on,
            closed_on=referral.closed_at.astimezone(zone).date() if referral.closed_at else None,
            order_on_file=referral.order_document_id is not None, authorized_visits=referral.authorized_visits,
            visits_used=_visits_used(claim, Claim.referral_id, referral.id), ref=referral.id) if referral else None,
        authorisation=AuthorisationFacts(
            number=auth.number, starts_on=auth.starts_on, ends_on=auth.ends_on,
            visits_authorised=auth.visits_authorised,
            visits_used=_visits_used(claim, Claim.authorisation_id, auth.id), ref=auth.id) if auth else None,
        eligibility=EligibilityFacts(eligibility.verified_on, eligibility.active, eligibility.id)
        if eligibility else None,
        plan=plans.readiness_fact(claim.client_id),
        ncci_pairs=billing_standards.NCCI_PAIRS,
    )


def findings(claim: Claim, today: date | None = None) -> list[Finding]:
    return scrub(scrub_input(claim, today))


def overrides_of(claim: Claim) -> dict[str, str]:
    # Read afresh: claim.overrides is a view loaded once, and an override may be newer than it.
    rows = db.session.execute(select(ClaimOverride.finding_key, ClaimOverride.reason)
                              .where(ClaimOverride.claim_id == claim.id))
    return {key: reason for key, reason in rows}


def blockers(claim: Claim, found: list[Finding] | None = None) -> list[Finding]:
    return export_blockers(found if found is not None else findings(claim), overrides_of(claim))


# --- Life cycle -------------------------------------------------------------------------------------


def _change(user: User, claim: Claim, to: ClaimStatus, reason: str | None = None, batch: ClaimBatch | None = None):
    before = claim.status
    if to not in CLAIM_TRANSITIONS[ClaimStatus(before)]:
        raise StaleRecord(f"A claim that is {ClaimStatus(before).label.lower()} cannot become "
                          f"{to.label.lower()}: reload the claim.")
    claim.status = to.value
    claim.status_changed_at = utcnow()
    db.session.add(ClaimStatusChange(practice_id=claim.practice_id, claim_id=claim.id, from_status=before,
                                     to_status=to.value, reason=reason, batch_id=batch.id if batch else None,
                                     changed_by_id=user.id))
    audit.record("update", claim, user=user, detail={"status": [before, to.value], "reason": bool(reason)})


def _clean(text: str | None, limit: int) -> str:
    return " ".join((text or "").split())[:limit]


def next_statuses(claim: Claim) -> tuple[ClaimStatus, ...]:
    """What the claim page offers next. A superbill handed to the client is answered by no payer (no
    acceptance, rejection or payer's claim number): the client pays it."""
    status = ClaimStatus(claim.status)
    if claim.claim_route == ClaimRoute.SUPERBILL.value and status is ClaimStatus.EXPORTED:
        return (ClaimStatus.PAID,)
    return MANUAL_STATUSES.get(status, ())


@rolls_back_on_refusal
def set_status(user: User, claim: Claim, to: str, *, reason: str | None = None,
               payer_claim_number: str | None = None) -> None:
    """A change a person makes on the claim page: ready (only with no blocking findings), back to
    draft, and what the payer answered (accepted, rejected, paid, denied)."""
    try:
        target = ClaimStatus(to)
    except ValueError:
        raise ClaimInputError("status", "Choose what happened to the claim.") from None
    if target not in next_statuses(claim):
        raise ClaimInputError("status", f"A claim that is {ClaimStatus(claim.status).label.lower()} cannot be "
                              f"marked {target.label.lower()} here.")
    reason = _clean(reason, REASON_MAX) or None
    if target in NEEDS_REASON and not reason:
        raise ClaimInputError("reason", "Say what the payer gave as the reason (the rejection or denial code and "
                              "its words).")
    if target is ClaimStatus.READY:
        blocking = blockers(claim)
        if blocking:
            raise ClaimInputError("status", f"{len(blocking)} finding(s) still stop this claim: fix them, or "
                                  "override each one with a reason.")
    _record_payer_number(user, claim, payer_claim_number, "payer_claim_number")
    _change(user, claim, target, reason)
    db.session.commit()


def _record_payer_number(user: User, claim: Claim, typed: str | None, field: str) -> None:
    """The payer's own number for the claim, as it was typed (letters, digits and dashes)."""
    number = _clean(typed, 50)
    if not number or number == claim.payer_claim_number:
        return
    if not number.replace("-", "").isalnum():
        raise ClaimInputError(field, "Letters, digits and dashes only, as the payer wrote it.")
    claim.payer_claim_number = number
    audit.record("update", claim, user=user, detail={"payer_claim_number": "recorded"})


def _names_the_payers_claim(user: User, claim: Claim, typed: str | None, field: str) -> None:
    """A replacement or void of a claim the payer took in names it by the payer's claim number (837P
    REF*F8, CMS-1500 item 22): one naming our own number is rejected, so the number is asked for here
    when it was not recorded as the claim was answered. A superbill goes to no payer: nothing to name."""
    if claim.claim_route == ClaimRoute.SUPERBILL.value or ClaimStatus(claim.status) not in PAYER_HOLDS:
        return
    _record_payer_number(user, claim, typed, field)
    if not claim.payer_claim_number:
        raise ClaimInputError(field, "Type the payer's claim number for this claim (on the remittance advice or "
                              "the payer's website): the payer finds the claim to change by it, and rejects one "
                              "that names the practice's own number.")


@rolls_back_on_refusal
def override(user: User, claim: Claim, finding_key: str, reason: str, *, found: list[Finding] | None = None
             ) -> ClaimOverride:
    """Let one finding through with a reason; never a route finding or any the scrubber marks final.
    `found`: the scrubber's findings when the caller has just asked for them."""
    if ClaimStatus(claim.status) not in (ClaimStatus.DRAFT, ClaimStatus.READY):
        raise RecordLocked("This claim has left the practice: correct it with a replacement claim.")
    finding = next((f for f in (found if found is not None else findings(claim)) if f.key == finding_key), None)
    if finding is None:
        raise ClaimInputError("finding_key", "That finding is no longer on the claim: reload the page.")
    if not finding.overridable:
        raise ClaimInputError("finding_key", "This finding cannot be overridden: fix it where it is recorded.")
    reason = _clean(reason, REASON_MAX)
    if len(reason) < 10:
        raise ClaimInputError("reason", "Give the reason in a sentence (at least 10 characters), for the record.")
    if finding_key in overrides_of(claim):
        raise ClaimInputError("finding_key", "This finding is already overridden.")
    row = ClaimOverride(practice_id=claim.practice_id, claim_id=claim.id, finding_key=finding.key,
                        finding_message=finding.message, reason=reason, overridden_by_id=user.id)
    db.session.add(row)
    audit.record("update", claim, user=user, detail={"override": finding.key})
    db.session.commit()
    return row


def _sessions_of(claim: Claim) -> list[SessionLog]:
    seen: dict[int, SessionLog] = {}
    for line in claim.lines:
        if line.session_log is not None:
            seen.setdefault(line.session_id, line.session_log)
    return list(seen.values())


@rolls_back_on_refusal
def correct(user: User, claim: Claim, payer_claim_number: str | None = None) -> Claim:
    """A replacement claim (frequency 7) rebuilt from the same sessions, naming the original; the
    original becomes corrected and keeps its lines as they were sent. A rejected claim never entered
    the payer's adjudication, so there is nothing there to replace: its correction goes as a new
    claim (frequency 1), linked here to the one it corrects."""
    status = ClaimStatus(claim.status)
    if ClaimStatus.CORRECTED not in CLAIM_TRANSITIONS[status]:
        raise StaleRecord("Only a claim the payer answered can be corrected; a draft or ready claim is "
                          "simply rebuilt.")
    sessions = _sessions_to_rebuild_from(claim, "correct")
    _names_the_payers_claim(user, claim, payer_claim_number, "correct_payer_claim_number")
    rejected = status is ClaimStatus.REJECTED
    _change(user, claim, ClaimStatus.CORRECTED,
            "Corrected and sent again as a new claim" if rejected else "Replaced by a corrected claim")
    db.session.flush()
    return build_from_sessions(user, sessions, original=claim, self_pay_reason=_kept_self_pay(claim),
                               frequency=ClaimFrequency.ORIGINAL if rejected else ClaimFrequency.REPLACEMENT)


def _kept_self_pay(claim: Claim) -> str | None:
    """A superbill made for an insured client (a Medicare client's MES sessions) stays a superbill when
    it is rebuilt or corrected: the coverage did not start paying for an MES in between."""
    if claim.claim_route == ClaimRoute.SUPERBILL.value and claim.coverage_id is None and not claim.client.self_pay:
        return MEDICARE_CLIENT_PAYS_PRIVATELY
    return None


def _sessions_to_rebuild_from(claim: Claim, field: str) -> list[SessionLog]:
    """The sessions a claim bills, checked before anything is written: a correction or rebuild
    that would fail half-way must leave the claim as it was."""
    sessions = _sessions_of(claim)
    if not sessions:
        raise ClaimInputError(field, "This claim bills no session to rebuild from.")
    try:
        _plan_all(sessions, original=claim, self_pay=_kept_self_pay(claim) is not None)
    except InputError as error:
        raise ClaimInputError(field, error.message) from None
    return sessions


@rolls_back_on_refusal
def rebuild(user: User, claim: Claim) -> Claim:
    """A draft or ready claim made again from its sessions once the fix is made where a finding
    pointed (the fee schedule, the referral, the payer set-up): the old one is voided, never edited."""
    if ClaimStatus(claim.status) not in (ClaimStatus.DRAFT, ClaimStatus.READY):
        raise StaleRecord("This claim has left the practice: correct it with a replacement claim.")
    sessions = _sessions_to_rebuild_from(claim, "rebuild")
    _change(user, claim, ClaimStatus.VOIDED, "Rebuilt from its sessions")
    db.session.flush()
    return build_from_sessions(user, sessions, frequency=ClaimFrequency(claim.frequency_code),
                               original=claim.original_claim,
                               self_pay_reason=_kept_self_pay(claim))


@rolls_back_on_refusal
def void(user: User, claim: Claim, reason: str | None, payer_claim_number: str | None = None) -> Claim | None:
    """Withdraw a claim. Before it left the practice, or when the payer rejected it (it never entered
    adjudication), it is simply voided; otherwise a void claim (frequency 8) with the same lines goes
    to the payer and names the original."""
    reason = _clean(reason, REASON_MAX)
    if len(reason) < 10:
        raise ClaimInputError("reason", "Say why the claim is withdrawn (at least 10 characters).")
    status = ClaimStatus(claim.status)
    if ClaimStatus.VOIDED not in CLAIM_TRANSITIONS[status]:
        raise StaleRecord("This claim is already corrected or voided: reload it.")
    if status in (ClaimStatus.DRAFT, ClaimStatus.READY, ClaimStatus.REJECTED):
        _change(user, claim, ClaimStatus.VOIDED, reason)
        db.session.commit()
        return None
    _names_the_payers_claim(user, claim, payer_claim_number, "void_payer_claim_number")
    _change(user, claim, ClaimStatus.VOIDED, reason)
    copy = Claim(practice_id=claim.practice_id, client_id=claim.client_id, payer_id=claim.payer_id,
                 coverage_id=claim.coverage_id, billing_provider_id=claim.billing_provider_id,
                 referral_id=claim.referral_id, authorisation_id=claim.authorisation_id,
                 patient_control_number=f"V{claim.id}"[:20], status=ClaimStatus.DRAFT.value,
                 frequency_code=ClaimFrequency.VOID.value, original_claim_id=claim.id,
                 original_reference=claim.payer_claim_number or claim.patient_control_number,
                 payment_route=claim.payment_route, claim_route=claim.claim_route,
                 place_of_service=claim.place_of_service, total_charge=claim.total_charge, created_by_id=user.id)
    copy.diagnoses = [ClaimDiagnosis(practice_id=d.practice_id, position=d.position, code=d.code,
                                     referral_diagnosis_id=d.referral_diagnosis_id) for d in claim.diagnoses]
    copy.lines = [ClaimLine(practice_id=ln.practice_id, position=ln.position,
                            line_control_number=f"V{ln.line_control_number}"[:30], service_date=ln.service_date,
                            code=ln.code, modifiers=list(ln.modifiers or []), units=ln.units, charge=ln.charge,
                            diagnosis_pointers=list(ln.diagnosis_pointers or []), place_of_service=ln.place_of_service,
                            minutes=ln.minutes, session_id=ln.session_id, performed_by_id=ln.performed_by_id,
                            rendering_provider_id=ln.rendering_provider_id) for ln in claim.lines]
    db.session.add(copy)
    db.session.flush()
    copy.patient_control_number = f"C{copy.id:07d}"
    db.session.add(ClaimStatusChange(practice_id=copy.practice_id, claim_id=copy.id, from_status=None,
                                     to_status=copy.status, changed_by_id=user.id, reason=f"Void of {claim.patient_control_number}"))
    audit.record("create", copy, user=user, detail={"void_of": claim.id})
    db.session.commit()
    return copy


def lines_frozen(claim: Claim) -> bool:
    return ClaimStatus(claim.status) in LINES_FROZEN


# --- Outputs ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Export:
    batch: ClaimBatch
    content: str
    filename: str


def _next_control_number(practice_id: int) -> int:
    return (db.session.scalar(select(func.max(ClaimBatch.interchange_control_number))
                              .where(ClaimBatch.practice_id == practice_id)) or 0) + 1


def _mark_exported(user: User, claims: Sequence[Claim], batch: ClaimBatch, now: datetime) -> None:
    """Every claim of the batch exported at once: one UPDATE and one multi-row INSERT of their status
    changes (a month's batch is thousands of claims); the batch's one export event names them all."""
    for claim in claims:
        if ClaimStatus.EXPORTED not in CLAIM_TRANSITIONS[ClaimStatus(claim.status)]:
            raise StaleRecord(f"Claim {claim.patient_control_number} is no longer ready: reload the page.")
    ids = [claim.id for claim in claims]
    db.session.flush()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        db.session.execute(update(Claim).where(Claim.id.in_(chunk), Claim.status == ClaimStatus.READY.value)
                           .values(status=ClaimStatus.EXPORTED.value, batch_id=batch.id, exported_at=now,
                                   status_changed_at=now).execution_options(synchronize_session=False))
    db.session.execute(insert(ClaimStatusChange), [
        {"practice_id": claim.practice_id, "claim_id": claim.id, "from_status": ClaimStatus.READY.value,
         "to_status": ClaimStatus.EXPORTED.value, "batch_id": batch.id, "changed_by_id": user.id, "changed_at": now}
        for claim in claims])
    for claim in claims:
        db.session.expire(claim, ["status", "batch_id", "exported_at", "status_changed_at"])


def _load_for_output(claim_ids: Sequence[int]) -> list[Claim]:
    return list(db.session.scalars(select(Claim).options(
        selectinload(Claim.client).selectinload(Client.practice), selectinload(Claim.coverage),
        selectinload(Claim.payer), selectinload(Claim.billing_provider), selectinload(Claim.authorisation),
        selectinload(Claim.referral).selectinload(Referral.provider), selectinload(Claim.diagnoses),
        selectinload(Claim.lines).selectinload(ClaimLine.rendering_provider),
        selectinload(Claim.lines).selectinload(ClaimLine.performed_by)).where(Claim.id.in_(claim_ids))
        .order_by(Claim.id)))


@rolls_back_on_refusal
def export_837(user: User, claims: Sequence[Claim], *, period: tuple[date, date] | None = None) -> Export:
    """Every claim given, ready and electronic, into one 837P interchange; stored sealed, audited as an export."""
    if not claims:
        raise ClaimInputError("period", "No ready electronic claims to export.")
    for claim in claims:
        if claim.status != ClaimStatus.READY.value or claim.claim_route != ClaimRoute.X12_837P.value:
            raise StaleRecord(f"Claim {claim.patient_control_number} is not a ready electronic claim: reload the page.")
    loaded = _load_for_output([claim.id for claim in claims])
    practice = loaded[0].client.practice
    billing = loaded[0].billing_provider
    number = _next_control_number(practice.id)
    now = utcnow()
    envelope = Envelope(sender_id=billing.submitter_id or billing.npi, receiver_id=DEFAULT_RECEIVER,
                        interchange_control_number=number, group_control_number=number,
                        created_at=practice_now(practice))
    submitter = Submitter(name=billing.name, contact_name=user.full_name, phone=billing.phone or practice.phone or "",
                          receiver_name=DEFAULT_RECEIVER)
    try:
        shared: dict = {}
        content = write_837p(envelope, submitter, [document(claim, shared) for claim in loaded])
    except X12WriteError as error:
        raise ClaimInputError("period", f"The batch cannot be written: {error.message}.") from None
    first, last = period or (min(ln.service_date for c in loaded for ln in c.lines),
                             max(ln.service_date for c in loaded for ln in c.lines))
    batch = ClaimBatch(practice_id=practice.id, kind="837p", interchange_control_number=number,
                       group_control_number=number, period_from=first, period_to=last, claim_count=len(loaded),
                       content=content, content_sha256=hashlib.sha256(content.encode()).hexdigest(),
                       created_by_id=user.id)
    db.session.add(batch)
    db.session.flush()
    _mark_exported(user, loaded, batch, now)
    audit.record("export", batch, user=user, practice_id=practice.id,
                 detail={"kind": "837p", "claims": [claim.id for claim in loaded], "sha256": batch.content_sha256})
    db.session.commit()
    return Export(batch, content, f"837p-{number:09d}.x12")


def cms1500_pdf(claim: Claim) -> bytes:
    from ..rules.cms1500 import Cms1500Error, cms1500_forms

    try:
        forms = cms1500_forms(document(claim))
    except Cms1500Error as error:
        raise ClaimInputError("pdf", error.message) from None
    return printing.document_pdf("pdf/cms1500.html", practice=claim.client.practice, client=claim.client,
                                 claim=claim, forms=forms)


def superbill_pdf(claim: Claim) -> bytes:
    return printing.document_pdf("pdf/superbill.html", practice=claim.client.practice, client=claim.client,
                                 claim=claim, claim_document=document(claim), procedure=procedure)


@rolls_back_on_refusal
def send_on_paper(user: User, claim: Claim, *, render: bool = True) -> tuple[ClaimBatch, bytes]:
    """A ready paper claim (CMS-1500) or superbill printed for sending: the claim is exported in a
    batch of its own, and the copy is audited as an export. render=False records the sending of a
    copy printed elsewhere (the demo)."""
    if claim.status != ClaimStatus.READY.value or claim.claim_route == ClaimRoute.X12_837P.value:
        raise StaleRecord("Only a ready paper claim or superbill is printed for sending: reload the claim.")
    data = b""
    if render:
        data = superbill_pdf(claim) if claim.claim_route == ClaimRoute.SUPERBILL.value else cms1500_pdf(claim)
    kind = "superbill" if claim.claim_route == ClaimRoute.SUPERBILL.value else "cms1500"
    batch = ClaimBatch(practice_id=claim.practice_id, kind=kind, claim_count=1,
                       content_sha256=hashlib.sha256(data).hexdigest(), created_by_id=user.id,
                       period_from=min(ln.service_date for ln in claim.lines),
                       period_to=max(ln.service_date for ln in claim.lines))
    db.session.add(batch)
    db.session.flush()
    _mark_exported(user, [claim], batch, utcnow())
    audit.record("export", claim, user=user, detail={"kind": kind, "batch": batch.id, "status": ["ready", "exported"]})
    db.session.commit()
    return batch, data


def status_history(claim: Claim) -> list[ClaimStatusChange]:
    return list(claim.history)


def replacements(claim: Claim) -> list[Claim]:
    return list(db.session.scalars(select(Claim).where(Claim.original_claim_id == claim.id).order_by(Claim.id)))


def by_session(lines: Iterable[ClaimLine]) -> dict[int | None, list[ClaimLine]]:
    grouped: dict[int | None, list[ClaimLine]] = defaultdict(list)
    for line in lines:
        grouped[line.session_id].append(line)
    return grouped

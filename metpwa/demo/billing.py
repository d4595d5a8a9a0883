"""The demo practice's billing: who bills, who renders and supervises, the fee schedule, payers set
up for each of the three legitimate routes (and traditional Medicare, which allows none for an MES),
coverages linked to them, and claims in every state made from the demo's signed sessions.

- Blue Cross Blue Shield of Illinois accepts MES services (route 2): Linda Castillo's and Ava Kim's
  claims go out electronically and show the whole life cycle, a replacement and a void included.
- Aetna pays a supervising licensed provider (route 1): Nina Alvarez, PT, supervises and renders
  James O'Connor's sessions, with supervision on record for each date.
- UnitedHealthcare takes S9451 on paper (CMS-1500): Grace Kowalski.
- Harold Brooks has Medicare Part B, which pays nothing for an MES's sessions (ch. 15 sec. 230.5):
  he pays privately with superbills. The other Medicare clients' sessions wait in the queue, where
  "Make claim" says why Medicare refuses them; Humana's Medicare Advantage plan is not set up for
  MES services, so Robert Nguyen's are refused the same way.
- Samuel Feldman, discharged from PT, is self-pay with a superbill.
- Dorothy Washington (Medicare Part B, COPD and deconditioning) also has physical therapy with Nina
  Alvarez, PT, twice a week: the PT's own visits, billed by a therapist who performs and renders, two
  claims of eight visits each. The year's allowed therapy passes the threshold ($2,480 in 2026) in the
  second, whose later lines carry KX, and its export shows SV1*HC:97110:GP:KX (every therapy line of
  hers carries GP, as Medicare asks of a therapist's lines). Her MES sessions with
  Marcus wait in the queue with the one tap that bills them to her on a superbill (Medicare pays for
  no MES service), like the other Medicare clients'.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from ..clock import practice_today
from ..extensions import db
from ..models import (
    BillingProvider,
    Client,
    Coverage,
    EligibilityVerification,
    FeeScheduleEntry,
    Payer,
    RenderingProvider,
    SessionLog,
    Supervision,
    User,
)
from ..services import claims, staff

# Nina Alvarez's therapy visits with Dorothy Washington: 45 minutes of therapeutic exercise and 15 of
# functional activities (4 units by CMS total time: 97110 x3, 97530 x1, $185 at the demo's fees).
THERAPY_MINUTES = {"therapeutic_exercise": 45, "functional_activities": 15}
THERAPY_VISITS = 16

FEES = {"97110": "45.00", "97112": "48.00", "97116": "44.00", "97530": "50.00", "S9451": "65.00",
        "0591T": "95.00", "0592T": "70.00"}

# (name, kind, payer ID, route, unit method, accepts MES, MES codes, supervised billing, timely filing days)
PAYERS = (
    ("Blue Cross Blue Shield of Illinois", "commercial", "00621", "837p", "cms_total_time", True,
     ["97110", "97112", "97530", "S9451"], False, 180),
    ("Aetna Choice POS II", "commercial", "60054", "837p", "substantial_portion", False, [], True, 120),
    ("UnitedHealthcare Choice Plus", "commercial", "87726", "cms1500", "cms_total_time", True, ["S9451"], False, 90),
    ("Medicare Part B", "medicare", "00952", "837p", "cms_total_time", False, [], False, 365),
    ("Humana Gold Plus", "medicare_advantage", "61101", "837p", "cms_total_time", False, [], False, 365),
    ("Cigna Open Access Plus", "commercial", "62308", "837p", "cms_total_time", False, [], False, 90),
    ("Self-pay (superbill)", "self_pay", None, "superbill", "cms_total_time", False, ["S9451"], False, 365),
)

# Which of a client's claims (oldest session first) end in which state; the rest stay in the queue.
LIFE = {
    "Castillo": ("paid", "paid", "denied", "corrected", "accepted", "exported", "ready", "draft"),
    "Kim": ("paid", "rejected", "voided", "exported", "ready"),
    "O'Connor": ("paid", "accepted", "exported", "ready", "draft"),
    "Kowalski": ("paid", "exported", "ready"),
    "Brooks": ("exported", "exported", "ready", "draft"),
    "Feldman": ("exported", "draft"),
}
DENIAL = "CO-50: not deemed medically necessary by the payer; appeal with the progress report"
REJECTION = "Clearinghouse 277CA A7:164: member ID not found; the card shows a three-letter prefix"


def npi(first_nine: str) -> str:
    """A valid NPI: the Luhn check digit over 80840 and the first nine digits."""
    total = 0
    for position, char in enumerate(reversed("80840" + first_nine + "0")):
        digit = int(char)
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit * 2 > 9 else digit * 2
        total += digit
    return first_nine + str(-total % 10)


def seed_billing(practice, people: dict[str, User], charts) -> None:
    """Set up billing and make the demo's claims; called after the sessions are booked and signed."""
    owner, biller = people["dana"], people["ellen"]
    db.session.add(BillingProvider(
        practice_id=practice.id, name="Riverside Medical Exercise LLC", npi=npi("174839201"), tax_id="36-4827193",
        taxonomy="225400000X", address_line1="1400 W Riverside Ave", address_line2="Suite 2", city="Chicago",
        state="IL", postal_code="60607-1234", phone="(312) 555-0100", submitter_id="RIVERSIDEMET"))
    for key, credential, first_nine, coaching in (("dana", "mes", "152839407", True),
                                                  ("marcus", "mes", "163940518", False),
                                                  ("priya", "ames", "185062739", False)):
        user = people[key]
        first, last = user.full_name.split(" ", 1)
        db.session.add(RenderingProvider(practice_id=practice.id, user_id=user.id, first_name=first, last_name=last,
                                         credential=credential, npi=npi(first_nine), coaching_credential=coaching))
    supervisor = RenderingProvider(practice_id=practice.id, first_name="Nina", last_name="Alvarez", credential="pt",
                                   npi=npi("196173840"), taxonomy="225100000X", licence_number="070.018842",
                                   licence_state="IL", licence_expires_on=date(2028, 9, 30))
    db.session.add(supervisor)
    start = date(2026, 1, 1)
    for code, fee in FEES.items():
        db.session.add(FeeScheduleEntry(practice_id=practice.id, code=code, charge=Decimal(fee), effective_on=start,
                                        created_by_id=owner.id))
    payers = {}
    for name, kind, payer_id, route, method, accepts, codes, supervised, filing in PAYERS:
        payers[name] = Payer(practice_id=practice.id, name=name, kind=kind, payer_id=payer_id, claim_route=route,
                             unit_method=method, accepts_mes=accepts, mes_codes=codes,
                             allows_supervised_billing=supervised, timely_filing_days=filing,
                             requires_referral=kind != "self_pay", address_line1="PO Box 805107", city="Chicago",
                             state="IL", postal_code="60680-4112")
    db.session.add_all(payers.values())
    db.session.flush()
    clients = {client.last_name: client for _, client in charts}
    for coverage in db.session.scalars(select(Coverage).where(Coverage.practice_id == practice.id)):
        payer = payers.get(coverage.payer_name)
        if payer is not None:
            coverage.payer_record_id = payer.id
            db.session.add(EligibilityVerification(
                practice_id=practice.id, client_id=coverage.client_id, coverage_id=coverage.id,
                verified_on=clients_joined(coverage.client_id, clients), method="portal", active=True,
                visits_allowed=30, visits_used=0, copay=Decimal("30.00"), coinsurance_percent=Decimal("20.00"),
                deductible_remaining=Decimal("250.00"), reference=f"PORTAL-{coverage.id:05d}", verified_by_id=biller.id))
    # Medicare pays nothing for an MES's sessions: Harold Brooks pays privately, with superbills.
    clients["Brooks"].self_pay = True
    clients["Feldman"].self_pay = True
    db.session.flush()
    oconnor = _signed(clients["O'Connor"])
    for session in oconnor:
        day = claims.session_date(session)
        db.session.add(Supervision(practice_id=practice.id, supervisor_id=supervisor.id, session_id=session.id,
                                   supervised_on=day, recorded_by_id=owner.id,
                                   note="On the floor for the whole session; reviewed the plan with the trainer."))
    db.session.commit()
    for last, states in LIFE.items():
        _claims_for(biller, clients[last], states)
    _therapy_past_the_threshold(practice, biller, supervisor, clients["Washington"])


def clients_joined(client_id: int, clients: dict[str, Client]) -> date:
    client = next(c for c in clients.values() if c.id == client_id)
    return (client.created_at + timedelta(days=1)).date()


def _signed(client: Client) -> list[SessionLog]:
    return list(db.session.scalars(select(SessionLog).where(SessionLog.client_id == client.id,
                                                            SessionLog.signed_at.is_not(None))
                                   .order_by(SessionLog.started_at)))


def _ready(biller: User, claim) -> bool:
    """Findings the demo's charts still carry (an older waiver, a referral order to follow) are let
    through with the biller's reason, so the page shows what an override looks like. A finding no
    override may pass leaves the claim a draft."""
    try:
        found = claims.findings(claim)
        for finding in claims.blockers(claim, found):
            claims.override(biller, claim, finding.key, "Checked with the payer's provider line; they confirmed "
                            "it does not hold up this claim.", found=found)
        claims.set_status(biller, claim, "ready")
    except claims.ClaimInputError:
        return False
    return True


def _claims_for(biller: User, client: Client, states: tuple[str, ...]) -> None:
    for session, state in zip(_signed(client), states, strict=False):
        claim = claims.build_from_session(biller, session)
        if state == "draft" or not _ready(biller, claim) or state == "ready":
            continue
        if state == "voided":
            claims.void(biller, claim, "Client was seen under her parent's other plan that month.")
            continue
        if claim.claim_route == "837p":
            claims.export_837(biller, [claim])
        else:
            # The printed copy is the page's business; the demo records the sending only (keeps seed-demo quick).
            claims.send_on_paper(biller, claim, render=False)
        if state == "exported":
            continue
        if state == "rejected":
            claims.set_status(biller, claim, "rejected", reason=REJECTION)
            continue
        number = f"{claim.payer.payer_id or 'P'}-26{claim.id:06d}"
        claims.set_status(biller, claim, "accepted", payer_claim_number=number)
        if state == "paid":
            claims.set_status(biller, claim, "paid")
        elif state == "denied":
            claims.set_status(biller, claim, "denied", reason=DENIAL)
        elif state == "corrected":
            replacement = claims.correct(biller, claim)
            _ready(biller, replacement)


def _therapy_past_the_threshold(practice, biller: User, therapist: RenderingProvider, client: Client) -> None:
    """A PT's own Medicare visits, two claims of eight: the first is paid; in the second the year's
    allowed therapy passes the KX threshold, so its later lines carry KX (rules/claim_coding.py), and
    it goes out in an 837P batch of its own. A year the threshold table lacks adds no KX (looked up,
    never guessed)."""
    from . import DEMO_PASSWORD, DEMO_PIN, THERAPIST

    role, full_name, email, credentials = THERAPIST
    nina = staff.create_user(practice, email=email, full_name=full_name, role=role,
                             password=DEMO_PASSWORD, credentials=credentials, npi=therapist.npi)
    staff.set_pin_unchecked(nina, DEMO_PIN)
    therapist.user_id = nina.id
    zone = practice.zone
    today = practice_today(practice)
    # Mondays and Thursdays at 8 AM, the last a week before today.
    days = []
    day = today - timedelta(days=7)
    while len(days) < THERAPY_VISITS:
        if day.weekday() in (0, 3):
            days.append(day)
        day -= timedelta(days=1)
    sessions = []
    for day in sorted(days):
        started = datetime.combine(day, time(8, 0), tzinfo=zone).astimezone(UTC)
        session = SessionLog(practice_id=practice.id, client_id=client.id, trainer_id=nina.id, started_at=started,
                             ended_at=started + timedelta(minutes=60), scope_overrides=[],
                             note_performance="Quad sets, step-ups and sit-to-stand progressions; stair practice.",
                             note_response="Knee flexion 0-115 today; tolerated well.",
                             note_plan="Progress step height next visit.",
                             signed_at=started + timedelta(minutes=70), signed_by_id=nina.id,
                             **{f"minutes_{activity}": minutes for activity, minutes in THERAPY_MINUTES.items()})
        db.session.add(session)
        sessions.append(session)
    db.session.commit()
    half = THERAPY_VISITS // 2
    first = claims.build_from_sessions(biller, sessions[:half])
    if _ready(biller, first):
        claims.export_837(biller, [first])
        claims.set_status(biller, first, "accepted", payer_claim_number=f"00952-26{first.id:06d}")
        claims.set_status(biller, first, "paid")
    second = claims.build_from_sessions(biller, sessions[half:])
    if _ready(biller, second):
        claims.export_837(biller, [second])

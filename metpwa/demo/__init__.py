"""The demo practice: realistic staff, clients and their records so a person can try metpwa at once.

Every client is at a different point of the intake path, so each part of the chart
has something to show: complete charts, a clearance still missing, a consent signed
on an older version, a half-finished health history, a referral waiting for its order,
and a minor whose parent signs.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import click
from PIL import Image, ImageDraw
from sqlalchemy import select

from ..extensions import db
from ..models import Client, ConsentTemplate, Practice, ReferringProvider, User, utcnow
from ..permissions import Role
from ..rules import icd10
from ..rules.signature import clean_signature
from ..services import audit, consents, documents, emergency, intake, printing, referrals, staff, twofactor
from . import billing, clinical
from . import eligibility as eligibility_checks
from . import network as referral_network
from . import people as staff_records
from . import reports as progress_reports
from . import sessions as history

DEMO_PASSWORD = "riverside-demo-2026"
DEMO_PIN = "2468"
# Owners and billers sign in with a code from an authenticator app. The demo's two share this
# published key so anyone can try it: add it to an authenticator app (or run `python -c "import
# pyotp; print(pyotp.TOTP('RIVERSIDEDEMOTWOSTEPSIGNIN234567').now())"`). A demo key, never a real one.
DEMO_TOTP_SECRET = "RIVERSIDEDEMOTWOSTEPSIGNIN234567"
DEMO_PRACTICE = "Riverside Medical Exercise"
IPAD = "Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/604.1"

STAFF = (
    # (role, full name, email, credentials, NPI)
    (Role.OWNER, "Dana Whitfield", "dana@riverside.example", "MES, ACSM-EP", None),
    (Role.TRAINER, "Marcus Lee", "marcus@riverside.example", "MES, CSCS", None),
    (Role.TRAINER, "Priya Raman", "priya@riverside.example", "AMES, ACSM-CEP", None),
    (Role.FRONT_DESK, "Tom Alvarez", "tom@riverside.example", None, None),
    (Role.BILLER, "Ellen Ortiz", "ellen@riverside.example", "CPC", None),
)
# Nina Alvarez, PT, signs in as a trainer too: demo/billing.py makes her with the therapy visits she
# renders and the Aetna sessions she supervises, so she is listed with the others' logins from here.
THERAPIST = (Role.TRAINER, "Nina Alvarez", "nina@riverside.example", "PT, DPT")

PROVIDERS = {
    # key: (first, last, credentials, kind, NPI, organization, phone, fax)
    "ortiz": ("Elena", "Ortiz", "MD", "physician", "1568425916", "Riverside Orthopedics", "(312) 555-0410",
              "(312) 555-0411"),
    "greene": ("Samuel", "Greene", "DO", "physician", "1093817264", "Lakeview Family Medicine", "(773) 555-0220",
               "(773) 555-0221"),
    "patel": ("Aisha", "Patel", "MD", "physician", "1427063981", "Northside Neurology Associates", "(312) 555-0630",
              "(312) 555-0631"),
    "brooks": ("Jordan", "Brooks", "DPT", "physical_therapist", "1750394862", "Motion Physical Therapy",
               "(708) 555-0350", "(708) 555-0351"),
    "chen": ("Lisa", "Chen", "DC", "chiropractor", "1326578105", "West Loop Chiropractic", "(312) 555-0770", None),
}


@dataclass(frozen=True)
class Story:
    """One demo client: who they are, who referred them, and how far their intake has come."""

    first: str
    last: str
    preferred: str | None
    born: date
    sex: str
    phone: str
    trainer: str
    weeks: int
    provider: str
    reason: str
    codes: tuple[str, ...]
    payer: tuple[str, str, str, str | None] | None  # (kind, payer, member id, group) or None for self-pay
    intake: str = "complete"  # complete, draft, none
    conditions: tuple[str, ...] = ("arthritis",)
    readiness_yes: tuple[str, ...] = ()
    medications: tuple[tuple[str, str, str], ...] = ()
    pain: tuple[str, ...] = ()
    pain_worst: int = 3
    falls: int = 0
    aids: tuple[str, ...] = ("none",)
    goals: tuple[str, ...] = ("walk_farther",)
    goal_words: str = ""
    clearance: str = "none"  # none, recorded, missing
    consents: str = "all"  # all, old_waiver, none
    order_on_file: bool = True
    guardian: str | None = None
    secondary: tuple[str, str, str, str | None] | None = None
    address: tuple[str, str, str] = ("2210 N Halsted St", "Chicago", "60614")
    extras: dict = field(default_factory=dict)


CLIENTS = (
    Story("Margaret", "Ellison", "Peggy", date(1951, 3, 14), "F", "(312) 555-0142", "marcus", 9, "ortiz",
          "Right total knee arthroplasty 8/2026; deconditioning. Medical exercise for strength and gait.",
          ("Z96.651", "M62.81", "R26.81"), ("medicare", "Medicare Part B", "1EG4TE5MK73", None),
          conditions=("arthritis", "joint_replacement", "high_blood_pressure"),
          readiness_yes=("readiness_heart", "readiness_medication"),
          medications=(("Lisinopril", "10 mg once a day", "blood pressure"), ("Acetaminophen", "500 mg as needed",
                                                                               "knee pain")),
          pain=("right_knee",), pain_worst=5, aids=("cane",), goals=("climb_stairs", "walk_farther"),
          goal_words="Walk to church and back without the cane", clearance="recorded",
          secondary=("commercial", "AARP Medicare Supplement", "AX4471928", "G-7702"),
          extras={"joint_replacement_which": "Right knee, August 2026"}),
    Story("Harold", "Brooks", None, date(1948, 11, 2), "M", "(312) 555-0187", "marcus", 7, "greene",
          "Two falls in the past year; unsteady gait. Balance and strength program.",
          ("R26.81", "Z91.81"), ("medicare", "Medicare Part B", "2RT7KD4NP56", None),
          conditions=("high_blood_pressure",), readiness_yes=("readiness_medication",),
          medications=(("Amlodipine", "5 mg daily", "blood pressure"),), falls=2, aids=("cane",),
          goals=("balance", "get_up"), clearance="recorded", address=("5550 N Kenmore Ave", "Chicago", "60640")),
    Story("Linda", "Castillo", None, date(1959, 6, 21), "F", "(773) 555-0119", "priya", 6, "chen",
          "Chronic low back pain limiting lifting and prolonged standing.",
          ("M54.50",), ("commercial", "Blue Cross Blue Shield of Illinois", "XOF483920115", "G-310044"),
          conditions=("none",), pain=("lower_back",), pain_worst=6, goals=("carry", "less_pain"),
          consents="old_waiver", address=("1847 W Cortland St", "Chicago", "60622")),
    Story("Robert", "Nguyen", "Bob", date(1955, 1, 30), "M", "(773) 555-0164", "priya", 8, "patel",
          "Parkinson disease, early stage; gait and balance program, amplitude-based exercise.",
          ("G20.A1", "R26.89"), ("medicare_advantage", "Humana Gold Plus", "H38819204", "MA-552"),
          conditions=("neurological",), readiness_yes=("readiness_other_condition", "readiness_medication"),
          medications=(("Carbidopa/levodopa", "25/100 three times a day", "Parkinson's"),),
          goals=("balance", "walk_farther"), clearance="recorded",
          address=("3100 N Sheridan Rd", "Chicago", "60657")),
    Story("Evelyn", "Park", None, date(1944, 9, 8), "F", "(312) 555-0103", "marcus", 5, "greene",
          "Osteoporosis with history of wrist fracture; strength and fall prevention.",
          ("M81.0", "Z87.310"), ("medicare", "Medicare Part B", "3CF2WA8TX19", None),
          conditions=("osteoporosis",), readiness_yes=("readiness_bone_joint",),
          medications=(("Alendronate", "70 mg weekly", "bones"), ("Vitamin D3", "2000 IU daily", "bones")),
          falls=1, aids=("walker",), goals=("balance", "carry"), clearance="recorded"),
    Story("James", "O'Connor", "Jim", date(1962, 4, 17), "M", "(708) 555-0171", "priya", 4, "patel",
          "Right hemiparesis after ischemic stroke 3/2026; functional mobility and strength.",
          ("I69.351",), ("commercial", "Aetna Choice POS II", "W291847306", "083321-010"),
          conditions=("stroke", "high_blood_pressure"), readiness_yes=("readiness_heart", "readiness_medication"),
          medications=(("Clopidogrel", "75 mg daily", "stroke prevention"), ("Atorvastatin", "40 mg nightly",
                                                                              "cholesterol")),
          aids=("cane",), goals=("walk_farther", "sport"), goal_words="Play nine holes of golf again",
          clearance="recorded", address=("412 S Oak Park Ave", "Oak Park", "60302")),
    Story("Dorothy", "Washington", "Dot", date(1950, 12, 5), "F", "(708) 555-0128", "marcus", 10, "greene",
          "COPD with exercise intolerance; general deconditioning.",
          ("J44.9", "R53.81"), ("medicare", "Medicare Part B", "4KD9MX2AJ07", None),
          conditions=("lung_disease",), readiness_yes=("readiness_other_condition", "readiness_medication"),
          medications=(("Tiotropium inhaler", "2 puffs daily", "COPD"),), goals=("walk_farther", "carry"),
          clearance="recorded", address=("8120 S Ellis Ave", "Chicago", "60619")),
    Story("Samuel", "Feldman", None, date(1957, 8, 11), "M", "(312) 555-0195", "priya", 3, "brooks",
          "Discharged from PT for right shoulder; continue strengthening and overhead reach.",
          ("M75.41",), None, conditions=("none",), pain=("right_shoulder",), pain_worst=3,
          goals=("sport",), goal_words="Swim laps twice a week", address=("655 W Irving Park Rd", "Chicago", "60613")),
    Story("Grace", "Kowalski", None, date(1966, 2, 24), "F", "(773) 555-0152", "dana", 6, "ortiz",
          "Bilateral knee osteoarthritis; strengthening before possible arthroplasty.",
          ("M17.0",), ("commercial", "UnitedHealthcare Choice Plus", "918273645", "705214"),
          conditions=("arthritis",), pain=("left_knee", "right_knee"), pain_worst=6,
          goals=("climb_stairs", "surgery"), address=("5240 W Addison St", "Chicago", "60641")),
    Story("Walter", "Jefferson", "Walt", date(1946, 7, 19), "M", "(708) 555-0136", "marcus", 2, "greene",
          "Deconditioning after hospital stay for heart failure; supervised conditioning.",
          ("R53.81", "I50.32"), ("medicare", "Medicare Part B", "5AN3QT7HK42", None),
          conditions=("heart_disease", "diabetes"),
          readiness_yes=("readiness_heart", "readiness_chest_pain", "readiness_medication"),
          medications=(("Furosemide", "20 mg daily", "fluid"), ("Metformin", "500 mg twice a day", "diabetes")),
          aids=("walker",), goals=("walk_farther", "get_up"), clearance="missing",
          address=("1019 S Blvd", "Evanston", "60202")),
    Story("Rosa", "Martinez", None, date(1953, 10, 3), "F", "(773) 555-0180", "priya", 1, "chen",
          "Neck and upper back stiffness; posture and mobility program.",
          ("M54.2",), ("commercial", "Cigna Open Access Plus", "U58392017", "3340912"),
          intake="draft", consents="none", address=("2742 W Armitage Ave", "Chicago", "60647")),
    Story("Frank", "DiMarco", None, date(1960, 5, 28), "M", "(312) 555-0111", "dana", 0, "ortiz",
          "Left rotator cuff repair 6/2026, discharged from PT; return to work lifting.",
          ("M75.102",), ("workers_comp", "Travelers Workers' Comp", "WC-2026-118834", None),
          intake="none", consents="none", order_on_file=False, address=("1350 W Taylor St", "Chicago", "60607")),
    Story("Ava", "Kim", None, date(2010, 6, 1), "F", "(312) 555-0124", "priya", 3, "brooks",
          "Right ACL reconstruction 5/2026; return-to-sport conditioning after PT discharge.",
          ("S83.511D",), ("commercial", "Blue Cross Blue Shield of Illinois", "XOF774019382", "G-552019"),
          conditions=("none",), pain=("right_knee",), pain_worst=2, goals=("sport",),
          goal_words="Play the spring soccer season", guardian="June Kim",
          address=("1600 N Wells St", "Chicago", "60614")),
)


def seed() -> list[tuple[str, str]]:
    """Create the demo practice; returns (role label, email) pairs for the sign-in list."""
    if db.session.scalar(select(User).where(User.email == STAFF[0][2])) is not None:
        raise click.UsageError("The demo practice is already loaded.")
    rng = random.Random(20261126)
    now = utcnow()
    practice = staff.create_practice(DEMO_PRACTICE, "America/Chicago")
    practice.phone = "(312) 555-0100"
    practice.address = "1400 W Riverside Ave, Suite 2, Chicago, IL 60607"
    people = _staff(practice)
    owner = people["dana"]
    providers = _providers(practice, owner)
    forms = consents.install_defaults(practice, owner)
    for template in forms:
        template.created_at = now - timedelta(weeks=12)
    db.session.flush()
    waiver_v2_at = now - timedelta(weeks=5)
    charts = [(story, _client(story, practice, people, providers, rng, now)) for story in CLIENTS]
    # Consents in the order they happened: everyone who joined before the waiver changed signed
    # version 1; then the owner published version 2; then the later signatures.
    signers = {story.last: _signature(story, client, rng) for story, client in charts if story.consents != "none"}
    for story, client in charts:
        if story.last in signers and client.created_at < waiver_v2_at:
            _sign_all(story, client, people[story.trainer], signers[story.last], client.created_at)
    _publish_waiver_v2(practice, waiver_v2_at)
    for story, client in charts:
        if story.last not in signers:
            continue
        if client.created_at >= waiver_v2_at:
            _sign_all(story, client, people[story.trainer], signers[story.last], client.created_at)
        elif story.consents == "all":
            waiver = _current(practice.id, "liability_waiver")
            _sign(people[story.trainer], client, waiver, signers[story.last], story,
                  waiver_v2_at + timedelta(days=rng.randint(2, 9), hours=2))
    _book(charts, people, rng)
    billing.seed_billing(practice, people, charts)
    _emergency_cover(practice, people, charts)
    # After the billing set-up (payers, providers, fees): it looks the payers up and needs them.
    eligibility_checks.seed_eligibility(practice, people)
    referral_network.seed_network(practice, people, providers, charts)
    staff_records.seed_staff(practice, people)
    db.session.commit()
    return [(role.label, email) for role, _, email, _, _ in STAFF] + [(THERAPIST[0].label, THERAPIST[2])]


def _emergency_cover(practice: Practice, people: dict[str, User], charts) -> None:
    """Front desk covered a trainer's afternoon under emergency access, now ended: the owner's
    Emergency access page shows the grant, both reasons and the pages opened under it."""
    desk, owner = people["tom"], people["dana"]
    access = emergency.grant(practice, user_id=desk.id, hours=4, by=owner,
                             reason="Marcus is out sick; Tom checks restrictions before the 3 PM clients arrive.")
    emergency.start(access, by=desk, reason="Confirming Harold Brooks's clearance restrictions before his session.")
    brooks = next(client for story, client in charts if story.last == "Brooks")
    for view, path in (("clients.chart", f"/clients/{brooks.id}"), ("intake.overview", f"/clients/{brooks.id}/intake"),
                       ("referrals.clearance_list", f"/clients/{brooks.id}/clearance")):
        audit.record("break_glass", access, user=desk, client_id=brooks.id,
                     detail={"method": "GET", "path": path, "view": view})
    emergency.revoke(access, by=owner)


def _staff(practice: Practice) -> dict[str, User]:
    people = {}
    for role, full_name, email, credentials, npi in STAFF:
        user = staff.create_user(practice, email=email, full_name=full_name, role=role,
                                 password=DEMO_PASSWORD, credentials=credentials, npi=npi)
        if role in (Role.OWNER, Role.TRAINER):
            staff.set_pin_unchecked(user, DEMO_PIN)
        if twofactor.required(user):
            twofactor.enroll_unchecked(user, DEMO_TOTP_SECRET)
        people[email.split("@")[0]] = user
    return people


def _providers(practice: Practice, owner: User) -> dict[str, ReferringProvider]:
    return {
        key: referrals.add_provider(owner, {
            "first_name": first, "last_name": last, "credentials": credentials, "kind": kind, "npi": npi,
            "organization": organization, "phone": phone, "fax": fax,
        })
        for key, (first, last, credentials, kind, npi, organization, phone, fax) in PROVIDERS.items()
    }


_WOMEN = ("Anne", "Maria", "Karen", "Nora")
_MEN = ("David", "James", "Luis", "Paul")


def _client(story: Story, practice: Practice, people: dict[str, User], providers: dict[str, ReferringProvider],
            rng: random.Random, now: datetime) -> Client:
    trainer = people[story.trainer]
    desk = people["tom"]
    # A morning at the practice, whatever time of day the demo is loaded: an evening start would
    # put an assessment and its signature an hour later on different days.
    first_day = (now - timedelta(weeks=story.weeks, days=2)).astimezone(practice.zone)
    joined = first_day.replace(hour=10, minute=0, second=0, microsecond=0).astimezone(UTC)
    client = Client(
        practice_id=practice.id, first_name=story.first, last_name=story.last, preferred_name=story.preferred,
        date_of_birth=story.born, sex=story.sex, phone=story.phone,
        email=f"{story.first.lower()}.{story.last.lower().replace(chr(39), '')}@mail.example",
        address_line1=story.address[0], city=story.address[1], state="IL", postal_code=story.address[2],
        self_pay=story.payer is None, primary_trainer_id=trainer.id, created_at=joined,
    )
    db.session.add(client)
    db.session.flush()
    client.practice = practice
    contact_first = rng.choice(["Anne", "David", "Maria", "James", "Karen", "Luis", "Nora", "Paul"])
    relationship = "Mother" if story.guardian else rng.choice(["Daughter", "Son", "Spouse", "Sister", "Friend"])
    # A daughter or sister has a woman's name, a son a man's (the same draws as before, so the rest of
    # the demo stays as it was).
    if relationship in ("Daughter", "Sister") and contact_first in _MEN:
        contact_first = _WOMEN[_MEN.index(contact_first)]
    elif relationship == "Son" and contact_first in _WOMEN:
        contact_first = _MEN[_WOMEN.index(contact_first)]
    contact_name = story.guardian or f"{contact_first} {story.last}"
    db.session.add(_contact(client, contact_name, relationship, rng))
    for priority, plan in ((1, story.payer), (2, story.secondary)):
        if plan:
            kind, payer, member_id, group = plan
            db.session.add(_coverage(client, priority, kind, payer, member_id, group, story, contact_name))
    provider = providers[story.provider]
    _referral(story, client, provider, desk, joined)
    if story.intake != "none":
        _intake(story, client, trainer, joined)
    if story.clearance == "recorded":
        _clearance(story, client, provider, desk, joined)
    if story.intake == "complete" and story.clearance != "missing":
        clinical.seed_clinical(client, trainer, joined, story.weeks)
    return client


def _book(charts, people, rng) -> None:
    """Appointments for everyone, and signed sessions for those whose charts were complete."""
    for story, client in charts:
        history.seed_book_and_sessions(client, people[story.trainer], client.created_at, story.weeks, rng,
                                       attends=story.intake == "complete" and story.clearance != "missing")
        progress_reports.seed_reports(client, people[story.trainer], story.weeks)


def _contact(client: Client, name: str, relationship: str, rng: random.Random):
    from ..models import EmergencyContact

    return EmergencyContact(practice_id=client.practice_id, client_id=client.id, name=name,
                            relationship_to_client=relationship, phone=f"(773) 555-{rng.randint(200, 999):04d}",
                            position=1)


def _coverage(client: Client, priority: int, kind: str, payer: str, member_id: str, group: str | None,
              story: Story, guardian_name: str):
    from ..models import Coverage

    minor = story.guardian is not None
    return Coverage(
        practice_id=client.practice_id, client_id=client.id, priority=priority, payer_kind=kind, payer_name=payer,
        member_id=member_id, group_number=group, subscriber_relationship="child" if minor else "self",
        subscriber_first_name=guardian_name.split()[0] if minor else None,
        subscriber_last_name=guardian_name.split()[-1] if minor else None,
        subscriber_date_of_birth=date(1978, 2, 11) if minor else None, effective_on=date(2026, 1, 1),
    )


def _referral(story: Story, client: Client, provider: ReferringProvider, desk: User, joined: datetime) -> None:
    codes = [(code, icd10.billable_code(code)) for code in story.codes]
    order = None
    if story.order_on_file:
        order = documents.store(
            client, kind="referral_order", title=f"Order from {provider.display_name}",
            data=_order_pdf(story, client, provider, codes, joined), content_type="application/pdf",
            filename=f"referral-{story.last.lower().replace(chr(39), '')}.pdf", by=desk,
        )
        order.uploaded_at = joined
    referrals.record_referral(
        desk, client, provider=provider, referred_on=(joined - timedelta(days=6)).date(), reason=story.reason,
        codes=codes, authorized_visits=24 if story.payer else None,
        expires_on=(joined + timedelta(days=180)).date(), order_document=order,
    )


def _order_pdf(story, client, provider, codes, joined) -> bytes:
    return printing.document_pdf(
        "pdf/referral_order.html", practice=_ProviderLetterhead(provider), client=client, provider=provider,
        codes=codes, reason=story.reason, written_on=(joined - timedelta(days=6)).date(),
    )


@dataclass(frozen=True)
class _ProviderLetterhead:
    """The referring office's letterhead on a demo order (it is their document, not ours)."""

    provider: ReferringProvider
    paper_size: str = "Letter"

    @property
    def name(self) -> str:
        return self.provider.organization

    @property
    def address(self) -> str:
        return "Chicago, IL"

    @property
    def phone(self) -> str:
        return f"{self.provider.phone} · fax {self.provider.fax or 'n/a'}"


def _intake(story: Story, client: Client, trainer: User, joined: datetime) -> None:
    draft = intake.start_or_resume(trainer, client)
    posts = _intake_posts(story)
    steps = list(posts.items())
    if story.intake == "draft":
        steps = steps[:3]
    for key, form in steps:
        result = intake.save_step(trainer, draft, key, form)
        assert not result.errors, (story.last, key, result.errors)
    draft.started_at = joined + timedelta(hours=1)
    draft.updated_at = joined + timedelta(hours=1, minutes=12)
    if draft.completed_at is not None:
        draft.completed_at = draft.updated_at


def _intake_posts(story: Story) -> dict[str, dict[str, list[str] | str]]:
    yes_no = {True: "yes", False: "no"}
    medications: dict[str, list[str] | str] = {"takes_medications": yes_no[bool(story.medications)]}
    for n, (name, dose, reason) in enumerate(story.medications):
        medications.update({f"medications-{n}-name": name, f"medications-{n}-dose": dose,
                            f"medications-{n}-reason": reason})
    surgeries: dict[str, list[str] | str] = {"had_surgery": yes_no["joint_replacement" in story.conditions]}
    if "joint_replacement" in story.conditions:
        surgeries.update({"surgeries-0-what": "Knee replacement", "surgeries-0-year": "2026"})
    pain: dict[str, list[str] | str] = {"has_pain": yes_no[bool(story.pain)]}
    if story.pain:
        pain.update({"pain_regions": list(story.pain), "pain_worst": str(story.pain_worst),
                     "pain_worse_with": "Stairs and getting out of the car"})
    activity: dict[str, list[str] | str] = {
        "activity_level": "light", "active_days": "2", "fell_past_year": yes_no[story.falls > 0],
        "walking_aids": list(story.aids), "feels_unsteady": yes_no[story.falls > 0 or "cane" in story.aids],
        "worried_about_falling": yes_no[story.falls > 0],
    }
    if story.falls:
        activity.update({"fall_count": str(story.falls), "fall_injured": "no"})
    readiness_keys = ("readiness_heart", "readiness_chest_pain", "readiness_dizziness", "readiness_other_condition",
                      "readiness_medication", "readiness_bone_joint", "readiness_supervision")
    history: dict[str, list[str] | str] = {"conditions": list(story.conditions)}
    history.update(story.extras)
    return {
        "health_history": history,
        "surgeries": surgeries,
        "medications": medications,
        "pain": pain,
        "activity": activity,
        "goals": {"goals": list(story.goals), "goals_own_words": story.goal_words},
        "readiness": {key: yes_no[key in story.readiness_yes] for key in readiness_keys},
    }


def _clearance(story: Story, client: Client, provider: ReferringProvider, desk: User, joined: datetime) -> None:
    answered = intake.latest_complete(client.id)
    cleared_on = (joined + timedelta(days=4)).date()
    letter = documents.store(
        client, kind="clearance", title=f"Clearance from {provider.display_name}",
        data=printing.document_pdf("pdf/clearance_letter.html", practice=_ProviderLetterhead(provider),
                                   client=client, provider=provider, cleared_on=cleared_on),
        content_type="application/pdf", filename=f"clearance-{story.last.lower().replace(chr(39), '')}.pdf",
        by=desk,
    )
    letter.uploaded_at = joined + timedelta(days=4, hours=3)
    clearance = referrals.record_clearance(desk, client, intake_id=answered.id, cleared_on=cleared_on,
                                           provider=provider, document=letter,
                                           restrictions="Keep RPE at or below 13 for the first four weeks.")
    clearance.recorded_at = joined + timedelta(days=4, hours=3)


def _signature(story: Story, client: Client, rng: random.Random) -> bytes:
    return clean_signature(_handwriting(story.guardian or client.legal_name, rng))


def _sign_all(story: Story, client: Client, witness: User, signature: bytes, joined: datetime) -> None:
    for template in consents.current_templates(client.practice_id):
        if not consents.is_notice(template):  # the notice is read, not signed
            _sign(witness, client, template, signature, story, joined + timedelta(hours=1, minutes=20))


def _publish_waiver_v2(practice: Practice, published_at: datetime) -> None:
    """Five weeks ago the owner clarified the waiver: version 2 replaces version 1."""
    waiver = _current(practice.id, "liability_waiver")
    new = consents.publish(None, practice.id, key="liability_waiver", title=waiver.title,
                           body=waiver.body + "\n\nThis release also covers exercise sessions held outdoors "
                           "or by video when the client chooses them.", required=True)
    waiver.retired_at = new.created_at = published_at
    db.session.flush()


def _current(practice_id: int, key: str) -> ConsentTemplate:
    return db.session.scalar(select(ConsentTemplate).where(ConsentTemplate.practice_id == practice_id,
                                                           ConsentTemplate.key == key,
                                                           ConsentTemplate.retired_at.is_(None)))


def _sign(witness: User, client: Client, template: ConsentTemplate, signature: bytes, story: Story,
          signed_at: datetime) -> None:
    consents.sign(witness, client, template, seen_sha256=consents.text_sha256(template), signature_png=signature,
                  signer_name=story.guardian or client.legal_name,
                  signer_relationship="parent" if story.guardian else "self", signed_at=signed_at,
                  signed_on_device=IPAD, seen_notice_id=consents.notice_shown_with(template))


def _handwriting(name: str, rng: random.Random) -> bytes:
    """A signature-like scribble: one looping stroke per word, as a finger would draw it."""
    image = Image.new("RGBA", (900, 260), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    x = 40.0
    for word in name.split():
        width = 40 + 26 * len(word)
        phase, loops = rng.uniform(0, math.pi), rng.uniform(2.5, 4.5)
        points = []
        for step in range(0, 120):
            t = step / 119
            y = 130 + 60 * math.sin(t * loops * math.pi + phase) * (1 - 0.5 * t) - 30 * t
            points.append((x + t * width + 8 * math.sin(t * 19), y))
        draw.line(points, fill=(16, 33, 43, 255), width=5, joint="curve")
        x += width + 30
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()

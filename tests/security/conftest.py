"""Fixtures for the hostile suite: a realistic set of records in the home practice and in the other
practice, with canary strings planted in the home practice's client data, and a probe that sends
each request inside a rolled-back savepoint."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from unittest import mock

import pytest
from sqlalchemy import select
from support.figures import report
from support.images import signature_png
from support.intake import step_posts

from metpwa import models
from metpwa.extensions import db as _db
from metpwa.models import Client, ConsentTemplate, ReferringProvider, User
from metpwa.rules.signature import clean_signature
from metpwa.services import clients, consents, documents, intake, referrals

from .walker import Probe

# Step keys, measure keys and the static file name are vocabulary, the same in every practice.
STEP_KEY = "goals"
STATIC_FILE = "css/app.css"
MEASURE_KEY = "tug"
SESSION_START = datetime(2026, 1, 20, 15, tzinfo=UTC)


@dataclass(frozen=True)
class Canaries:
    """Unique strings planted in one practice's client data; finding one in a page shows who saw it."""

    name: str  # client A's last name: who the client is
    contact: str  # emergency contact's name
    reason: str  # referral reason, as the order states it
    document: str  # text inside the stored referral order (a PDF)
    member_id: str  # insurance member ID
    clinical: str  # the client's own words in the health history: trainers and the owner only

    @property
    def identity(self) -> tuple[str, ...]:
        """Seen by every role of the practice that holds clients.view."""
        return (self.name, self.contact, self.reason, self.document, self.member_id)

    @property
    def everything(self) -> tuple[str, ...]:
        return (*self.identity, self.clinical)

    def found_in(self, body: str) -> list[str]:
        return [canary for canary in self.everything if canary in body]


@dataclass
class World:
    """URL variable name -> a real value, for the home practice and for the other practice.

    The home values all belong to client A (the fully documented client); client B has an
    unfinished intake and is the one handed the iPad in hand-off probes."""

    home: dict[str, Any]
    other: dict[str, Any]
    home_canaries: Canaries
    other_canaries: Canaries
    handoff_client_id: int
    # Variable -> why its record could not be made (the walker quotes it when a route needs it).
    unavailable: dict[str, str] = field(default_factory=dict)


def _canaries(label: str) -> Canaries:
    token = uuid.uuid4().hex[:8]
    digits = "".join(str(int(c, 16) % 10) for c in token)
    return Canaries(
        name=f"Quillfeather{label}x{token}",
        contact=f"Perpetua{label}z{token}",
        reason=f"Reason{label}k{token} after right knee replacement",
        document=f"OrderText{label}q{token}",
        member_id=f"XQZ{digits}",
        clinical=f"Dance at my niece{label}j{token} wedding",
    )


def _order_pdf(text: str) -> bytes:
    """A small PDF whose page draws the text, uncompressed, so a leak of the bytes shows the canary."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>>endobj\n"
        b"4 0 obj<</Length " + str(len(content)).encode() + b">>stream\n" + content + b"\nendstream\nendobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def _populate(app, make, practice_id: int, author_id: int, label: str) -> tuple[dict, Canaries, int, dict]:
    """Client A with everything on file (written by `author_id`, who is also the user_id of staff routes)
    and client B with a health history begun; returns the URL values, canaries, B's id and what failed."""
    canaries = _canaries(label)
    forms = make.consent_forms(practice_id)
    client_a = make.client_record(practice_id, first="Harriet", last=canaries.name, trainer_id=author_id)
    client_b = make.client_record(practice_id, first="Mabel", last=f"Handoff{label}")
    provider_id = make.provider(practice_id)
    values: dict[str, Any] = {"client_id": client_a, "user_id": author_id, "step_key": STEP_KEY,
                              "filename": STATIC_FILE, "measure_key": MEASURE_KEY}
    unavailable: dict[str, str] = {}
    # A request context so the services can note device and address as they do for a person.
    with app.test_request_context("/", headers={"User-Agent": "hostile-suite"}):
        user = _db.session.get(User, author_id)
        client = _db.session.get(Client, client_a)
        values["contact_id"] = clients.add_contact(user, client, {
            "name": canaries.contact, "relationship_to_client": "Daughter", "phone": "(312) 555-0142",
            "alternate_phone": None}).id
        values["coverage_id"] = clients.add_coverage(user, client, {
            "priority": 1, "payer_kind": "commercial", "payer_name": "Blue Cross Blue Shield of Illinois",
            "plan_name": "PPO", "payer_id": "BCBSIL", "member_id": canaries.member_id, "group_number": "G100",
            "subscriber_relationship": "self", "subscriber_first_name": None, "subscriber_last_name": None,
            "subscriber_date_of_birth": None, "effective_on": date(2026, 1, 1), "expires_on": None}).id
        order = documents.store(client, kind="referral_order", title="Order from Dr Ortiz",
                                data=_order_pdf(canaries.document), content_type="application/pdf",
                                filename="order.pdf", by=user)
        values["document_id"] = order.id
        codes, problems = referrals.check_codes(["M17.11"])
        assert not problems
        values["referral_id"] = referrals.record_referral(
            user, client, provider=_db.session.get(ReferringProvider, provider_id), referred_on=date(2026, 1, 5),
            reason=canaries.reason, codes=codes, authorized_visits=12, expires_on=None, order_document=order).id
        values["provider_id"] = provider_id
        # One with no order yet, for the uploads that attach one (an order on file is never replaced).
        values["open_referral_id"] = referrals.record_referral(
            user, client, provider=_db.session.get(ReferringProvider, provider_id), referred_on=date(2026, 1, 6),
            reason=canaries.reason, codes=codes, authorized_visits=12, expires_on=None, order_document=None).id

        # A completed health history that calls for clearance, with the client's own words in it.
        draft = intake.start_or_resume(user, client)
        for key, data in step_posts(readiness_yes=("readiness_heart",)).items():
            if key == "goals":
                data = {**data, "goals_own_words": canaries.clinical}
            posted = {k: v if isinstance(v, list) else [v] for k, v in data.items()}
            result = intake.save_step(user, draft, key, posted)
            assert not result.errors, result.errors
        assert draft.complete and draft.clearance_required
        values["intake_id"] = draft.id

        template = _db.session.get(ConsentTemplate, forms["informed_consent"])
        # The printed consent is the printing tests' business; a stand-in PDF keeps this fixture quick
        # (WeasyPrint takes most of a second a page on this machine, and the world is built per test).
        with mock.patch.object(consents, "consent_pdf", lambda signature: _order_pdf(canaries.document)):
            values["signature_id"] = consents.sign(
                user, client, template, seen_sha256=consents.text_sha256(template),
                signature_png=clean_signature(signature_png()), signer_name=f"Harriet {canaries.name}",
                signer_relationship="self").id
        values["template_id"] = forms["liability_waiver"]
        # A form only this practice has, so its key names something in one practice alone.
        custom = consents.publish(user, practice_id, key=f"photo_release_{label.lower()}{uuid.uuid4().hex[:6]}",
                                  title=f"Photo Release {label}", body="We may take photos of exercises.",
                                  required=False)
        _db.session.commit()
        values["key"] = custom.key

        # Client B: a health history begun but not finished, for hand-off.
        intake.start_or_resume(user, _db.session.get(Client, client_b))
        _add_optional_records(practice_id, client, user, canaries, values, unavailable)
    return values, canaries, client_b, unavailable


def _add_optional_records(practice_id: int, client: Client, user: User, canaries: Canaries, values: dict,
                          unavailable: dict) -> None:
    """Records of features still being built (assessments, plans, the exercise library, the scope word list).

    Made straight from the models so the walk has ids for routes as soon as they appear; if the
    models change shape, the reason is kept and quoted only when a route needs the id."""

    def assessment() -> int:
        made = _flushed(models.Assessment(
            practice_id=practice_id, client_id=client.id, performed_on=date(2026, 1, 10), performed_by_id=user.id,
            functional_limitations="Stairs are hard", notes=canaries.clinical, scope_overrides=[]))
        values["row_id"] = _flushed(models.RomMeasurement(
            practice_id=practice_id, assessment_id=made, motion="knee.flexion", side="right", mode="active",
            degrees=95.0))
        values["section"] = "rom"
        return made

    def scope_term() -> int:
        from metpwa.standards.scope_terms import DEFAULT_TERMS

        # /scope/terms/default/<key>/off names a default term (vocabulary), not a consent form.
        values["scope.switch_off:key"] = DEFAULT_TERMS[0].key
        return _flushed(models.ScopeTerm(practice_id=practice_id, phrase=f"cure{practice_id}", category="treatment",
                                         created_by_id=user.id))

    def appointment() -> int:
        # /appointments/<id>/<action>: the action is vocabulary (cancel, no-show, reschedule).
        values["sessions.appointment_action:action"] = "cancel"
        return _flushed(models.Appointment(
            practice_id=practice_id, client_id=client.id, trainer_id=user.id, starts_at=SESSION_START,
            duration_minutes=45))

    def session_log() -> int:
        made = _flushed(models.SessionLog(
            practice_id=practice_id, client_id=client.id, trainer_id=user.id, started_at=SESSION_START,
            note_client_report=canaries.clinical, scope_overrides=[]))
        exercise = _db.session.scalar(select(models.Exercise).where(models.Exercise.practice_id == practice_id))
        values["item_id"] = _flushed(models.SessionExercise(
            practice_id=practice_id, session_id=made, position=1, exercise_id=exercise.id,
            activity_type=exercise.activity_type, last_actuals=[]))
        values["set_id"] = _flushed(models.SetLog(
            practice_id=practice_id, session_id=made, session_exercise_id=values["item_id"], set_number=1, reps=10,
            performed_at=SESSION_START, idempotency_key=uuid.uuid4().hex, entered_by_id=user.id))
        values["sessions.exercise_action:action"] = "skip"
        values["when"] = "before"
        return made

    makers = {
        "exercise_id": lambda: _db.session.scalar(
            select(models.Exercise.id).where(models.Exercise.practice_id == practice_id).limit(1)),
        "appointment_id": appointment,
        "session_id": session_log,
        "assessment_id": assessment,
        "plan_id": lambda: _flushed(models.PlanVersion(
            practice_id=practice_id, client_id=client.id, version=1, reason=f"First plan: {canaries.clinical}", created_by_id=user.id,
            starts_on=date(2026, 1, 12), review_on=date(2026, 3, 9), frequency_per_week=2, duration_weeks=8,
            baseline_assessment_id=values.get("assessment_id"), scope_overrides=[])),
        "term_id": scope_term,
        # An emergency grant the author holds but never started (a trainer or owner gains nothing from it).
        "grant_id": lambda: _flushed(models.EmergencyAccess(
            practice_id=practice_id, user_id=user.id, granted_by_id=user.id, granted_at=SESSION_START,
            expires_at=datetime(2099, 1, 1, tzinfo=UTC), reason="Covering the front desk during a drill")),
        "payer_id": lambda: _flushed(models.Payer(
            practice_id=practice_id, name="Prairie Health Plan", payer_id="PHP01", accepts_mes=True,
            mes_codes=["S9451"])),
        "rendering_provider_id": lambda: _flushed(models.RenderingProvider(
            practice_id=practice_id, user_id=user.id, first_name="Carl", last_name="Colleague", credential="mes")),
        "activity_id": lambda: _activity(practice_id, user, values),
        "report_id": lambda: _flushed(models.ProgressReport(
            practice_id=practice_id, client_id=client.id, kind="progress", period_start=date(2026, 1, 12),
            period_end=date(2026, 2, 8), recommendations=canaries.clinical, author_id=user.id, scope_overrides=[])),
    }
    def claim() -> int:
        # A draft claim for the session above, with the billing set-up it names (claims pages).
        billing = _flushed(models.BillingProvider(
            practice_id=practice_id, name=f"Billing {canaries.name}", npi="1234567893", tax_id="36-1234567",
            address_line1="120 W Madison St", city="Chicago", state="IL", postal_code="60602-1234"))
        payer = _flushed(models.Payer(practice_id=practice_id, name="Prairie Health Plan", payer_id="PHP01",
                                      accepts_mes=True, mes_codes=["97110"]))
        made = models.Claim(practice_id=practice_id, client_id=client.id, payer_id=payer, billing_provider_id=billing,
                            patient_control_number=f"C{uuid.uuid4().hex[:8]}", payment_route="payer_accepts_mes",
                            claim_route="837p", created_by_id=user.id)
        made.diagnoses = [models.ClaimDiagnosis(practice_id=practice_id, position=1, code="M17.11")]
        made.lines = [models.ClaimLine(
            practice_id=practice_id, position=1, line_control_number=f"L{uuid.uuid4().hex[:8]}",
            service_date=SESSION_START.date(), code="97110", modifiers=[], units=2, charge=90,
            diagnosis_pointers=[1], minutes=33, session_id=values.get("session_id"))]
        return _flushed(made)

    makers["claim_id"] = claim
    makers |= _staff_records(practice_id, user, canaries, values)
    for name, maker in makers.items():
        try:
            with _db.session.begin_nested():
                made = maker()
            if made is None:
                unavailable[name] = "no such record in the practice"
            else:
                values[name] = made
        except Exception as error:  # noqa: BLE001 - kept to be quoted if a route needs this id
            unavailable[name] = f"{type(error).__name__}: {error}"
    _db.session.commit()


def _staff_records(practice_id: int, user: User, canaries: Canaries, values: dict) -> dict:
    """The author's credential, CE entry and card, a training they attended and a waiver of the gate."""

    def card() -> int:
        return _flushed(models.PracticeDocument(
            practice_id=practice_id, user_id=user.id, kind="credential", title="CPR card", filename="cpr.pdf",
            content_type="application/pdf", size=10, sha256="0" * 64, data=_order_pdf("card")))

    def credential() -> int:
        return _flushed(models.StaffCredential(
            practice_id=practice_id, user_id=user.id, kind="cpr_aed", issued_on=date(2025, 1, 10),
            expires_on=date(2027, 1, 31), document_id=values.get("practice_document_id")))

    def training() -> int:
        made = _flushed(models.TrainingSession(
            practice_id=practice_id, topic="hipaa", title="HIPAA refresher", held_on=date(2026, 1, 8),
            presenter="Dana", notes=canaries.clinical))
        values["completion_id"] = _flushed(models.TrainingCompletion(
            practice_id=practice_id, session_id=made, user_id=user.id, completed_on=date(2026, 1, 8)))
        return made

    def invitation() -> int:
        # A pending invitation; its link's token (kept only hashed) is the walk's <token>.
        import hashlib

        token = uuid.uuid4().hex + uuid.uuid4().hex
        values["token"] = token
        return _flushed(models.StaffInvitation(
            practice_id=practice_id, email=f"invitee-{token[:10]}@example.org", full_name="Ivy Invitee",
            role="trainer", token_hash=hashlib.sha256(token.encode()).hexdigest(), created_by_id=user.id,
            expires_at=datetime(2099, 1, 1, tzinfo=UTC)))

    return {
        "invitation_id": invitation,
        "practice_document_id": card,
        "credential_id": credential,
        "ce_id": lambda: _flushed(models.ContinuingEducation(
            practice_id=practice_id, user_id=user.id, title="Knee course", provider="METI", hours=2,
            completed_on=date(2026, 1, 5), counts_toward=["mes"])),
        "training_id": training,
        "waiver_id": lambda: _flushed(models.HipaaTrainingWaiver(
            practice_id=practice_id, user_id=user.id, reason="Covering the gym floor this week",
            granted_by_id=user.id)),
    }


def _activity(practice_id: int, user: User, values: dict) -> int:
    """A visit to the practice's referring provider, with a follow-up still open (the referral network)."""
    activity = models.RelationshipActivity(practice_id=practice_id, kind="visit", held_on=date(2026, 1, 20),
                                           staff_id=user.id, follow_up_on=date(2026, 2, 3), recorded_by_id=user.id)
    activity.sources = [models.RelationshipActivitySource(practice_id=practice_id, provider_id=values["provider_id"])]
    return _flushed(activity)


def _flushed(row) -> int:
    _db.session.add(row)
    _db.session.flush()
    return row.id


@pytest.fixture
def world(app, db, make, personas) -> World:
    home, home_canaries, handoff_client, unavailable = _populate(
        app, make, personas.practice_id, personas.colleague.id, "Home")
    other, other_canaries, _, other_unavailable = _populate(
        app, make, personas.other_practice_id, personas.outsider.id, "Other")
    for name, reason in other_unavailable.items():
        unavailable.setdefault(name, reason)
    # A variable is only usable when both practices have a record of that kind.
    for name in set(home) ^ set(other):
        home.pop(name, None)
        other.pop(name, None)
    return World(home, other, home_canaries, other_canaries, handoff_client, unavailable)


@pytest.fixture
def probe(app, db):
    probe = Probe(app, db)
    yield probe
    probe.close()


@pytest.fixture
def calm_sessions(app, monkeypatch):
    """Long idle limits during a walk, so a slow machine cannot lock a sign-in half-way through
    and no request touches last-seen (a refused request must write nothing)."""
    monkeypatch.setitem(app.config, "IDLE_LOCK_MINUTES", 600)
    monkeypatch.setitem(app.config, "SESSION_TOUCH_SECONDS", 36000)


@pytest.fixture(scope="module", autouse=True)
def figures(request):
    """The module's figures, printed as one line when its tests are done: CI output shows them.

    A module names its line in SUMMARY (a format string over these counts)."""
    counts: Counter = Counter()
    yield counts
    summary = getattr(request.module, "SUMMARY", None)
    if summary and counts:
        report(summary.format_map(counts))


@pytest.fixture
def real_errors(app, monkeypatch):
    """A crash answers 500 with the error page, as in production, instead of raising into the test; the
    status is what the tests check, so the logged traceback is kept out of the CI output."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    monkeypatch.setattr(app.logger, "disabled", True)

"""The practice-operations tables on the database: credentials and their documents, CE hours as Decimal,
training completions, locked HIPAA waivers, relationship activities reaching several sources, the new
practice settings, and migration 0015's data step for practices and sources that already existed."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import flask_migrate
import pytest
from conftest import make_app
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError, IntegrityError

from metpwa.extensions import db as _db
from metpwa.models import (
    Client,
    ContinuingEducation,
    Disclosure,
    HipaaTrainingWaiver,
    Practice,
    PracticeDocument,
    ProgressReport,
    ReferringProvider,
    RelationshipActivity,
    RelationshipActivitySource,
    StaffCredential,
    TrainingCompletion,
    TrainingSession,
)
from metpwa.permissions import Role
from metpwa.services import staff


@pytest.fixture
def people(make):
    practice_id = make.practice()
    owner = make.user(practice_id, Role.OWNER)
    trainer = make.user(practice_id, Role.TRAINER)
    return practice_id, owner.id, trainer.id


def test_a_credential_keeps_its_card_and_a_renewal_supersedes_it(app, db, people):
    practice_id, owner_id, trainer_id = people
    with app.app_context():
        card = PracticeDocument(practice_id=practice_id, user_id=trainer_id, kind="credential", title="CPR card",
                                filename="cpr.pdf", content_type="application/pdf", size=4, sha256="0" * 64,
                                data=b"%PDF", uploaded_by_id=owner_id)
        db.session.add(card)
        db.session.flush()
        old = StaffCredential(practice_id=practice_id, user_id=trainer_id, kind="cpr_aed", issuer="AHA",
                              issued_on=date(2025, 3, 1), expires_on=date(2027, 3, 31), document_id=card.id,
                              recorded_by_id=owner_id)
        db.session.add(old)
        db.session.flush()
        old.superseded_at = datetime.now(UTC)
        db.session.add(StaffCredential(practice_id=practice_id, user_id=trainer_id, kind="cpr_aed",
                                       issued_on=date(2027, 3, 10), expires_on=date(2029, 3, 31)))
        db.session.commit()
        rows = db.session.scalars(select(StaffCredential).where(StaffCredential.user_id == trainer_id)
                                  .order_by(StaffCredential.id)).all()
        assert [r.current for r in rows] == [False, True]
        assert rows[0].document.data == b"%PDF"
        # The file is sealed at rest, never stored as it came.
        stored = db.session.execute(text("SELECT data FROM practice_document WHERE id = :id"), {"id": card.id}).scalar()
        assert bytes(stored) != b"%PDF"


def test_the_database_refuses_an_expiry_before_the_issue_date(app, db, people):
    practice_id, _, trainer_id = people
    with app.app_context():
        db.session.add(StaffCredential(practice_id=practice_id, user_id=trainer_id, kind="mes",
                                       issued_on=date(2026, 5, 1), expires_on=date(2026, 4, 1)))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_ce_hours_are_decimal_and_never_zero_or_negative(app, db, people):
    practice_id, _, trainer_id = people
    with app.app_context():
        db.session.add(ContinuingEducation(practice_id=practice_id, user_id=trainer_id, title="Shoulder after rehab",
                                           provider="METI", hours=Decimal("1.25"), completed_on=date(2027, 2, 1),
                                           counts_toward=["mes", "nbhwc"]))
        db.session.commit()
        entry = db.session.scalar(select(ContinuingEducation).where(ContinuingEducation.user_id == trainer_id))
        db.session.expire(entry)
        assert entry.hours == Decimal("1.25") and isinstance(entry.hours, Decimal)
        assert entry.counts_toward == ["mes", "nbhwc"]
        db.session.add(ContinuingEducation(practice_id=practice_id, user_id=trainer_id, title="Typo", provider="X",
                                           hours=Decimal(-2), completed_on=date(2027, 2, 1)))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_a_person_completes_a_training_session_once_and_attests_later(app, db, people):
    practice_id, owner_id, trainer_id = people
    with app.app_context():
        session = TrainingSession(practice_id=practice_id, topic="hipaa", title="HIPAA refresher 2027",
                                  held_on=date(2027, 2, 10), presenter="Owner", minutes=60,
                                  notes="Case: a fax sent to the wrong office", created_by_id=owner_id)
        db.session.add(session)
        db.session.flush()
        completion = TrainingCompletion(practice_id=practice_id, session_id=session.id, user_id=trainer_id,
                                        completed_on=date(2027, 2, 10), recorded_by_id=owner_id)
        db.session.add(completion)
        db.session.flush()
        completion.attested_at = datetime.now(UTC)
        db.session.commit()
        assert [c.user_id for c in session.completions] == [trainer_id]
        db.session.add(TrainingCompletion(practice_id=practice_id, session_id=session.id, user_id=trainer_id,
                                          completed_on=date(2027, 2, 10)))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_a_waiver_keeps_who_why_and_until_but_may_be_revoked(app, db, people):
    practice_id, owner_id, trainer_id = people
    with app.app_context():
        waiver = HipaaTrainingWaiver(practice_id=practice_id, user_id=trainer_id, granted_by_id=owner_id,
                                     reason="Shadowing only until Friday's session", until=date(2027, 3, 5))
        db.session.add(waiver)
        db.session.commit()
        waiver.revoked_at = datetime.now(UTC)
        waiver.revoked_by_id = owner_id
        db.session.commit()
        db.session.execute(text("SAVEPOINT before_edit"))
        with pytest.raises(DatabaseError):
            db.session.execute(text("UPDATE hipaa_training_waiver SET until = NULL WHERE id = :id"), {"id": waiver.id})
        db.session.execute(text("ROLLBACK TO SAVEPOINT before_edit"))
        stored = db.session.execute(text("SELECT reason FROM hipaa_training_waiver WHERE id = :id"),
                                    {"id": waiver.id}).scalar()
        assert "Friday" not in stored


def test_an_activity_reaches_several_sources_and_a_source_keeps_its_new_details(app, db, people, make):
    practice_id, owner_id, _ = people
    first, second = make.provider(practice_id, "Ortiz"), make.provider(practice_id, "Shah")
    with app.app_context():
        provider = db.session.get(ReferringProvider, first)
        provider.specialty = "Orthopaedic surgery"
        provider.preferred_delivery = "fax"
        activity = RelationshipActivity(practice_id=practice_id, kind="educational_session", held_on=date(2027, 1, 14),
                                        staff_id=owner_id, notes="Lunch-and-learn on fall risk",
                                        follow_up_on=date(2027, 2, 14))
        activity.sources = [RelationshipActivitySource(practice_id=practice_id, provider_id=first),
                            RelationshipActivitySource(practice_id=practice_id, provider_id=second)]
        db.session.add(activity)
        db.session.commit()
        assert [s.provider.last_name for s in activity.sources] == ["Ortiz", "Shah"]
        assert not activity.follow_up_done
        assert db.session.get(ReferringProvider, first).preferred_delivery == "fax"


def test_a_new_practice_gates_new_staff_and_leaves_signing_unblocked(app, db):
    with app.app_context():
        practice = staff.create_practice("Fresh Start MET", "America/Denver")
        db.session.commit()
        db.session.expire(practice)
        assert practice.hipaa_training_every_months == 12
        assert practice.hipaa_gate_since is not None
        assert practice.signing_requires_credentials is False
        assert practice.credentials_required_to_sign is None


def test_migration_0015_gates_existing_practices_and_learns_how_sources_take_reports():
    app, drop = make_app()
    try:
        with app.app_context():
            practice = staff.create_practice("Before 0015", "America/Chicago")
            _db.session.flush()
            author = staff.create_user(practice, email="author-0015@example.test", full_name="Ann Author",
                                       role=Role.TRAINER, password="correct horse battery")
            client = Client(practice_id=practice.id, first_name="Ada", last_name="Byrne",
                            date_of_birth=date(1950, 1, 1), sex="F")
            faxed_then_emailed, downloaded_only = (
                ReferringProvider(practice_id=practice.id, first_name="E", last_name=last, kind="physician")
                for last in ("Ortiz", "Shah"))
            _db.session.add_all([client, faxed_then_emailed, downloaded_only])
            _db.session.flush()
            reports = [ProgressReport(practice_id=practice.id, client_id=client.id, period_start=date(2026, 9, 1),
                                      period_end=date(2026, 9, 30), recipient_id=provider.id, author_id=author.id)
                       for provider in (faxed_then_emailed, downloaded_only)]
            _db.session.add_all(reports)
            _db.session.flush()
            base = datetime(2026, 10, 1, tzinfo=UTC)
            for n, (report, method) in enumerate(((reports[0], "fax"), (reports[0], "email"),
                                                  (reports[0], "download"), (reports[1], "download"))):
                _db.session.add(Disclosure(practice_id=practice.id, client_id=client.id,
                                           document_type="progress_report", document_id=report.id, method=method,
                                           recipient="Dr", purpose="treatment", disclosed_at=base + timedelta(days=n)))
            _db.session.commit()
            ids = (practice.id, faxed_then_emailed.id, downloaded_only.id)

            flask_migrate.downgrade(revision="0012_login_failure_checking")
            flask_migrate.upgrade()
            _db.session.remove()
            assert _db.session.get(Practice, ids[0]).hipaa_gate_since is not None
            assert _db.session.get(ReferringProvider, ids[1]).preferred_delivery == "secure_email"
            assert _db.session.get(ReferringProvider, ids[2]).preferred_delivery is None
            _db.session.remove()
    finally:
        drop()

"""Someone who can write the database but holds no key: they move sealed values between rows,
columns and practices, copy their own two-step secret onto the owner's row, or write a value
without a seal. Each must be refused when read (the moved value no longer opens where it was put),
never shown. Seal version 2 binds a value to its table, column, row and practice."""

from __future__ import annotations

from sqlalchemy import select, text

from metpwa import sealing_v1
from metpwa.extensions import db as _db
from metpwa.models import IntakeResponse

SUMMARY = ("ciphertext swap: {swaps} sealed values moved between rows, columns or practices, copied onto the owner "
           "or written unsealed, straight in the database; {refused} refused on read, {shown} shown")


def _sql(app, statement: str, **values) -> None:
    """A change made straight in the database, as a writer without the keyring would."""
    with app.app_context():
        _db.session.execute(text(statement), values)
        _db.session.commit()


def _copy(app, table: str, column: str, source_id: int, target_id: int) -> None:
    _sql(app, f'UPDATE "{table}" SET {column} = (SELECT {column} FROM "{table}" WHERE id = :source) '
              'WHERE id = :target', source=source_id, target=target_id)


def _refused(figures, response, *secrets: str) -> str | None:
    """None when the read was refused and nothing secret shown; else what went wrong."""
    figures["swaps"] += 1
    body = response.get_data(as_text=True)
    shown = [secret for secret in secrets if secret in body]
    if shown:
        figures["shown"] += 1
        return f"{response.request.path}: {response.status_code}, showed {shown}"
    if response.status_code != 500:
        return f"{response.request.path}: {response.status_code} (expected the sealed value to be refused)"
    figures["refused"] += 1
    return None


def test_sealed_values_moved_in_the_database_are_refused(app, db, world, personas, new_agent, real_errors,
                                                         calm_sessions, figures):
    owner, outsider = new_agent(), new_agent()
    owner.login(personas.owner)
    outsider.login(personas.outsider)
    home, other = world.home, world.other
    problems = []

    # A member ID from another practice's client, copied over this client's.
    _copy(app, "coverage", "member_id", other["coverage_id"], home["coverage_id"])
    problems.append(_refused(figures, owner.get(f"/clients/{home['client_id']}/coverage"),
                             world.other_canaries.member_id))

    # A health history moved to another client of the same practice.
    with app.app_context():
        intake_b = _db.session.scalar(select(IntakeResponse.id)
                                      .where(IntakeResponse.client_id == world.handoff_client_id))
    _copy(app, "intake_response", "answers", home["intake_id"], intake_b)
    problems.append(_refused(figures, owner.get(f"/clients/{world.handoff_client_id}/intake"),
                             world.home_canaries.clinical))

    # A stored document's bytes copied into another practice's document.
    _copy(app, "document", "data", home["document_id"], other["document_id"])
    problems.append(_refused(figures, outsider.get(f"/clients/{other['client_id']}/documents/{other['document_id']}"),
                             world.home_canaries.document))

    # A whole coverage row handed to another practice's client (practice_id and client_id changed).
    _sql(app, "UPDATE coverage SET practice_id = :practice, client_id = :client WHERE id = :row",
         practice=personas.other_practice_id, client=other["client_id"], row=home["coverage_id"])
    problems.append(_refused(figures, outsider.get(f"/clients/{other['client_id']}/coverage"),
                             world.home_canaries.member_id, world.other_canaries.member_id))

    # A value from one column copied into another column of the same row.
    _copy(app, "referral", "reason", home["referral_id"], home["open_referral_id"])
    _sql(app, "UPDATE intake_response SET clearance_reasons = answers WHERE id = :row", row=home["intake_id"])
    problems.append(_refused(figures, owner.get(f"/clients/{home['client_id']}/intake"), world.home_canaries.clinical))

    # Plain text, and a value under the old seal (bound to its column only), written by hand.
    _sql(app, "UPDATE referral SET reason = 'Planted by hand' WHERE id = :row", row=home["referral_id"])
    problems.append(_refused(figures, owner.get(f"/clients/{home['client_id']}"), "Planted by hand"))
    old_seal = sealing_v1.encrypt_text("Old seal planted", "referral.reason", app.extensions["metpwa_keyring"])
    _sql(app, "UPDATE referral SET reason = :value", value=old_seal)
    problems.append(_refused(figures, owner.get(f"/clients/{home['client_id']}"), "Old seal planted"))
    assert not [problem for problem in problems if problem], "\n".join(filter(None, problems))


def test_a_two_step_secret_copied_onto_the_owner_does_not_make_the_owners_codes(app, db, make, personas,
                                                                               new_agent, real_errors, figures):
    from conftest import next_code

    colleague = make.user(personas.practice_id, "trainer", two_factor=True)
    _copy(app, "user", "totp_secret", colleague.id, personas.owner.id)
    forger = new_agent()
    forger.refresh_token("/login")
    response = forger.client.post("/login", data={"email": personas.owner.email, "password": personas.owner.password,
                                                  "csrf_token": forger.token})
    if response.status_code == 303 and response.headers["Location"].startswith("/login/code"):
        # Had the password step passed, the code made from the colleague's secret must not.
        forger.refresh_token("/login/code")
        response = forger.client.post("/login/code", data={"code": next_code(app, colleague),
                                                           "csrf_token": forger.token})
        signed_in = response.status_code == 303 and not response.headers["Location"].startswith("/login")
    else:
        signed_in = False
    figures["swaps"] += 1
    if signed_in:
        figures["shown"] += 1
    else:
        figures["refused"] += 1
    assert not signed_in
    assert forger.get("/").status_code in (302, 303)


def test_a_signed_consent_that_no_longer_matches_its_fingerprint_is_refused_and_logged(app, world, personas,
                                                                                      new_agent, calm_sessions,
                                                                                      figures, caplog):
    from metpwa import dbguards
    from metpwa.models import AuditEvent

    owner = new_agent()
    owner.login(personas.owner)
    url = f"/clients/{world.home['client_id']}/consents/{world.home['signature_id']}.pdf"
    assert owner.get(url).status_code == 200
    with app.app_context():
        connection = _db.session.connection()
        # A writer who can lift the signed-record guards records another fingerprint.
        with dbguards.suspended(connection, ["consent_signature"]):
            connection.execute(text("UPDATE consent_signature SET pdf_sha256 = :sha WHERE id = :row"),
                               {"sha": "0" * 64, "row": world.home["signature_id"]})
        _db.session.commit()
    response = owner.get(url)
    figures["swaps"] += 1
    assert response.status_code == 500 and response.mimetype == "text/html"
    assert "no longer matches the fingerprint" in response.get_data(as_text=True)
    figures["refused"] += 1
    assert any("no longer matches the SHA-256" in record.getMessage() for record in caplog.records)
    with app.app_context():
        refused = _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "integrity_failed"))
        assert refused is not None and refused.outcome == "refused"
        assert refused.client_id == world.home["client_id"]


def test_a_final_report_that_no_longer_matches_its_fingerprint_is_refused_and_logged(app, world, personas,
                                                                                    new_agent, calm_sessions,
                                                                                    figures, caplog):
    """As for consents: a finalised report's PDF is served only while it matches the SHA-256 of its signing."""
    import hashlib

    from metpwa import dbguards
    from metpwa.models import AuditEvent, Disclosure, ProgressReport, utcnow

    from .conftest import _order_pdf

    report_id = world.home["report_id"]
    with app.app_context():
        report = _db.session.get(ProgressReport, report_id)
        report.pdf = _order_pdf("Signed report")
        report.pdf_sha256 = hashlib.sha256(report.pdf).hexdigest()
        report.finalized_at, report.finalized_by_id = utcnow(), personas.colleague.id
        _db.session.commit()
    owner = new_agent()
    owner.login(personas.owner)
    url = f"/clients/{world.home['client_id']}/reports/{report_id}.pdf"
    assert owner.post(url).status_code == 200
    with app.app_context():
        connection = _db.session.connection()
        with dbguards.suspended(connection, ["progress_report"]):
            connection.execute(text("UPDATE progress_report SET pdf_sha256 = :sha WHERE id = :row"),
                               {"sha": "0" * 64, "row": report_id})
        _db.session.commit()
    response = owner.post(url)
    figures["swaps"] += 1
    assert response.status_code == 500 and response.mimetype == "text/html"
    assert "no longer matches the fingerprint" in response.get_data(as_text=True)
    figures["refused"] += 1
    assert any("progress report" in record.getMessage() for record in caplog.records)
    with app.app_context():
        refused = _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "integrity_failed"))
        assert refused is not None and refused.client_id == world.home["client_id"]
        # Only the download that was served is on the accounting of disclosures.
        assert len(_db.session.scalars(select(Disclosure).where(Disclosure.client_id == world.home["client_id"]))
                   .all()) == 1


def test_a_supervision_note_is_sealed_and_one_planted_by_hand_is_refused(app, world, personas, new_agent,
                                                                        real_errors, calm_sessions, figures):
    """Found after the outside probe: supervision.note (what the supervising PT saw of a client's session,
    shown on the billing set-up page) was plain text. It is sealed to its row like session notes: the
    database holds no trace of it, and plain text written there by hand is refused, never shown."""
    from metpwa.models import Supervision

    from .conftest import SESSION_START

    note = f"Watched the step-ups {world.home_canaries.clinical}"
    with app.app_context():
        row = Supervision(practice_id=personas.practice_id, supervisor_id=world.home["rendering_provider_id"],
                          session_id=world.home["session_id"], supervised_on=SESSION_START.date(),
                          note=note, recorded_by_id=personas.owner.id)
        _db.session.add(row)
        _db.session.commit()
        row_id = row.id
        stored = _db.session.execute(text("SELECT note FROM supervision WHERE id = :row"), {"row": row_id}).scalar()
    assert stored.startswith("mw2:") and world.home_canaries.clinical not in stored
    owner = new_agent()
    owner.login(personas.owner)
    assert world.home_canaries.clinical in owner.get("/billing/setup/supervision").get_data(as_text=True)
    _sql(app, "UPDATE supervision SET note = 'Planted by hand' WHERE id = :row", row=row_id)
    problem = _refused(figures, owner.get("/billing/setup/supervision"), "Planted by hand")
    assert problem is None, problem

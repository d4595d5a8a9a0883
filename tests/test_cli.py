"""Command-line set-up: create a practice and users, load the demo practice."""

from datetime import date

from sqlalchemy import func, select

from metpwa.models import Client, Practice, User


def test_create_practice_and_user(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-practice", "North Shore MET", "--timezone", "America/Denver"])
    assert result.exit_code == 0, result.output
    practice_id = int(result.output.split()[2].rstrip(":"))
    result = runner.invoke(args=["create-user", "--practice", str(practice_id), "--email", "Kim@NorthShore.example",
                                 "--name", "Kim Park", "--role", "owner", "--password", "a very long password"])
    assert result.exit_code == 0, result.output
    assert "Created owner Kim Park <kim@northshore.example>" in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "kim@northshore.example"))
        assert user.practice.timezone == "America/Denver"


def test_create_user_refuses_short_passwords_and_unknown_zones(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-practice", "X", "--timezone", "Mars/Olympus"])
    assert result.exit_code != 0 and "IANA time zone" in result.output
    result = runner.invoke(args=["create-user", "--practice", "999", "--email", "a@b.example", "--name", "A",
                                 "--role", "trainer", "--password", "a very long password"])
    assert result.exit_code != 0 and "no practice 999" in result.output


def test_seed_demo_prints_logins_and_builds_a_practice(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo", "--url", "http://127.0.0.1:5077"])
    assert result.exit_code == 0, result.output
    assert "dana@riverside.example" in result.output and "riverside-demo-2026" in result.output
    assert "nina@riverside.example" in result.output  # the PT signs in as a trainer too
    assert "Sign in at http://127.0.0.1:5077 " in result.output
    from metpwa import demo

    assert demo.DEMO_TOTP_SECRET in result.output  # the owner's and biller's two-step key
    with app.app_context():
        practice = db.session.scalar(select(Practice).where(Practice.name == "Riverside Medical Exercise"))
        roles = sorted(str(u.role) for u in practice.staff)
        # Two MES trainers and Nina Alvarez, PT, whose own Medicare visits show KX on a claim.
        assert roles == ["biller", "front_desk", "owner", "trainer", "trainer", "trainer"]
        # One invitation waits for its new trainer, on the owner's Staff page.
        from metpwa.services import invitations

        assert [i.email for i in invitations.pending_for(practice.id)] == ["jordan@riverside.example"]
        clients = db.session.scalar(select(func.count()).select_from(Client).where(Client.practice_id == practice.id))
        assert clients >= 8
        # The owner's Emergency access page has a grant to show: front desk covering a trainer.
        from metpwa.services import emergency

        # Days are the practice's: an evening assessment is not dated the next (UTC) day.
        from metpwa.models import Assessment

        for assessment in db.session.scalars(select(Assessment).where(Assessment.practice_id == practice.id)):
            assert assessment.performed_on == assessment.signed_at.astimezone(practice.zone).date()
        seen = emergency.overview(practice.id)
        assert [grant.user.full_name for grant in seen.recent] == ["Tom Alvarez"]
        assert seen.requests[str(seen.recent[0].id)] == 3
        # Issue 16: the demo shows a below-average chair stand as a fall-risk finding (CDC STEADI).
        from metpwa.models import OutcomeResult

        chair_stands = db.session.scalars(select(OutcomeResult).where(
            OutcomeResult.practice_id == practice.id, OutcomeResult.measure_key == "chair_stand_30s",
            OutcomeResult.at_fall_risk.is_(True)))
        assert any("at fall risk by the CDC STEADI cut-off" in row.interpretation for row in chair_stands)
        # Issue 16: plans are signed, one change waits for its signature; a minor's consents are
        # signed by a parent.
        from metpwa.models import ConsentSignature, PlanVersion

        plans = db.session.scalars(select(PlanVersion).where(PlanVersion.practice_id == practice.id)).unique().all()
        assert any(p.signed for p in plans) and any(p.current and not p.signed for p in plans)
        assert all(p.signed_at > p.created_at for p in plans if p.signed)
        minor = db.session.scalar(select(Client).where(Client.practice_id == practice.id, Client.last_name == "Kim"))
        signed = db.session.scalars(select(ConsentSignature).where(ConsentSignature.client_id == minor.id)).all()
        assert signed and {(s.signer_name, s.signer_relationship) for s in signed} == {("June Kim", "parent")}
    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert again.exit_code == 0 and "demo not loaded" in again.output
    twice = runner.invoke(args=["seed-demo"])
    assert twice.exit_code != 0 and "already loaded" in twice.output


def test_demo_staff_can_sign_in_and_unlock_with_the_demo_pin(demo_app):
    from metpwa import demo
    from conftest import Agent, Persona

    agent = Agent(demo_app.test_client())

    marcus = Persona(0, 0, "marcus@riverside.example", "trainer", "Marcus Lee", demo.DEMO_PASSWORD)
    assert agent.login(marcus).status_code == 303
    assert "Peggy Ellison" in agent.get("/").get_data(as_text=True)
    agent.post("/lock")
    assert agent.post("/unlock", data={"secret": demo.DEMO_PIN}).status_code == 303


def test_retention_report_lists_only_archived_clients_past_the_period(app, db, make, personas):
    from datetime import UTC, datetime

    old = make.client_record(personas.practice_id, first="Olden", last="Archived")
    recent = make.client_record(personas.practice_id, first="Newly", last="Archived")
    make.client_record(personas.practice_id, first="Still", last="Active")
    # Seen at 10 in 2017 and not since: a minor's records wait for majority (18 here) plus 7 years.
    child = make.client_record(personas.practice_id, first="Young", last="Archived", born=date(2007, 2, 1))
    with app.app_context():
        for client_id, when in ((old, datetime(2017, 5, 1, 17, tzinfo=UTC)), (recent, datetime(2025, 5, 1, 17, tzinfo=UTC)),
                                (child, datetime(2017, 5, 1, 17, tzinfo=UTC))):
            client = db.session.get(Client, client_id)
            client.created_at = client.archived_at = when
        db.session.commit()
    output = app.test_cli_runner().invoke(args=["retention", "report"]).output
    # Issue 16: the report says what its number is and what the federal rules cover, plainly.
    assert "RETENTION_YEARS, the practice's setting" in output and "45 CFR 164.530(j)" in output
    assert "42 CFR 424.516(f)" in output and "42 CFR 422.504(d)" in output
    assert "Olden Archived" in output and "may be purged" in output.split("Olden Archived")[1].splitlines()[0]
    assert "Newly Archived" in output and "kept until 05/01/2032" in output
    assert "Still Active" not in output
    young = output.split("Young Archived")[1].splitlines()[0]
    assert "kept until 02/01/2032 (seen as a minor: majority at 18 plus 7 years)" in young and "purged" not in young
    assert "Retention 7 years; 1 archived client(s) past it." in output


def test_the_operator_sees_failed_sign_ins_at_addresses_no_practice_knows(app, db, personas, new_agent):
    """They belong to no practice, so no owner's audit report shows them."""
    guesser = new_agent()
    for email in ("ceo@lakeside.example", "ceo@lakeside.example", "admin@lakeside.example"):
        guesser.refresh_token("/login")
        guesser.client.post("/login", data={"email": email, "password": "guess-guess-guess",
                                            "csrf_token": guesser.token})
    guesser.refresh_token("/login")
    guesser.client.post("/login", data={"email": personas.colleague.email, "password": "wrong-wrong-wrong",
                                        "csrf_token": guesser.token})
    result = app.test_cli_runner().invoke(args=["signin-failures", "--days", "1"])
    assert result.exit_code == 0, result.output
    assert "At addresses that match no staff member: 3." in result.output
    assert "ceo@lakeside.example: 2" in result.output and "admin@lakeside.example: 1" in result.output
    assert "127.0.0.1: 3" in result.output
    assert f"On practice {personas.practice_id}'s own accounts: 1" in result.output

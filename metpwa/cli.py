"""Command-line tasks: create a practice or a user, and load the demo practice."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import func, select

from .extensions import db
from .models import Practice
from .permissions import Role
from .services import staff


def _valid_zone(ctx, param, value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise click.BadParameter(f"{value!r} is not an IANA time zone such as America/Chicago") from None
    return value


@click.command("create-practice")
@with_appcontext
@click.argument("name")
@click.option("--timezone", default="America/New_York", show_default=True, callback=_valid_zone,
              help="IANA zone the practice works in.")
def create_practice_command(name: str, timezone: str) -> None:
    """Create a practice and print its id."""
    practice = staff.create_practice(name, timezone)
    db.session.commit()
    click.echo(f"Created practice {practice.id}: {practice.name} ({practice.timezone})")


@click.command("create-user")
@with_appcontext
@click.option("--practice", "practice_id", type=int, required=True, help="Practice id (see create-practice).")
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--credentials", default=None, help='Printed after the name, e.g. "MES, ACSM-EP".')
@click.option("--npi", default=None)
@click.password_option(help="At least 12 characters; asked for when not given.")
def create_user_command(practice_id, email, full_name, role, credentials, npi, password) -> None:
    """Create a staff member of a practice."""
    practice = db.session.get(Practice, practice_id)
    if practice is None:
        raise click.UsageError(f"There is no practice {practice_id}.")
    try:
        user = staff.create_user(practice, email=email, full_name=full_name, role=role, password=password,
                                 credentials=credentials, npi=npi)
    except staff.StaffRuleBroken as broken:
        raise click.UsageError(str(broken)) from None
    db.session.commit()
    click.echo(f"Created {user.role.label.lower()} {user.full_name} <{user.email}> in {practice.name}")


@click.command("seed-demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has a practice.")
@click.option("--url", default="http://127.0.0.1:5000", show_default=True,
              help="Where the app will be served, for the sign-in hint (make run passes its HOST and PORT).")
def seed_demo_command(if_empty: bool, url: str) -> None:
    """Load the demo practice (staff, clients and their history) and print its logins. Development
    only: its passwords and two-step key are published in the README."""
    from flask import current_app

    from . import demo

    if current_app.config["ENV"] not in ("development", "testing"):
        raise click.UsageError("The demo practice is loaded only in development (METPWA_ENV=development): its "
                               "sign-ins are published.")

    if if_empty and db.session.scalar(select(func.count()).select_from(Practice)):
        click.echo("The database already has a practice; demo not loaded.")
        return
    logins = demo.seed()
    click.echo(f"Demo practice loaded. Sign in at {url} with any of:")
    for role, email in logins:
        click.echo(f"  {role:<11} {email}")
    click.echo(f"Password for all: {demo.DEMO_PASSWORD}    Unlock PIN: {demo.DEMO_PIN}")
    click.echo(f"The owner and billing also type a code from an authenticator app set up with the demo key "
               f"{demo.DEMO_TOTP_SECRET}")
    click.echo("  (or print the current code: .venv/bin/python -c \"import pyotp; "
               f"print(pyotp.TOTP('{demo.DEMO_TOTP_SECRET}').now())\")")


@click.group("report")
def report_group() -> None:
    """Progress reports from the command line, for automation and audits."""


@report_group.command("pdf")
@click.option("--client", "client_id", type=int, required=True, help="The client's id.")
@click.option("--from", "start", default=None, help="First day, YYYY-MM-DD or MM/DD/YYYY (default: after the last report).")
@click.option("--to", "end", default=None, help="Last day (default: today in the practice's zone).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True)
@with_appcontext
def report_pdf_command(client_id: int, start: str | None, end: str | None, output: str) -> None:
    """Write the progress report of a client for a period as a PDF (unsigned: a signed report
    is made in the app). The export is recorded in the audit trail and the disclosures."""
    from .clock import practice_today
    from .forms import parse_us_date
    from .models import Client
    from .services import reports

    client = db.session.get(Client, client_id)
    if client is None:
        raise click.UsageError(f"There is no client {client_id}.")
    today = practice_today(client.practice)
    default_start, default_end = reports.default_period(client, today)
    first = parse_us_date(start) if start else default_start
    last = parse_us_date(end) if end else default_end
    if first is None or last is None or first > last:
        raise click.UsageError("Give --from and --to as dates, the first no later than the second.")
    report = reports.ProgressReport(practice_id=client.practice_id, client_id=client.id, kind="progress",
                                    period_start=first, period_end=last, author_id=client.primary_trainer_id or 0,
                                    recommendations=None)
    report.client = client
    report.author = client.primary_trainer
    data = reports.render(report, signer=None, signed_at=None)
    with open(output, "wb") as handle:
        handle.write(data)
    reports.record_disclosure(None, client, document_type="progress_report", document_id=None, method="download",
                              recipient="Command line export", recipient_address=output, purpose="operations")
    click.echo(f"Wrote {output} ({len(data) // 1024} KB) for {client.legal_name}, {first:%m/%d/%Y} to {last:%m/%d/%Y}")


@click.group("claims")
def claims_group() -> None:
    """Claims from the command line: batch files for the clearinghouse."""


@claims_group.command("export-837")
@click.option("--from", "start", required=True, help="First day of service, YYYY-MM-DD or MM/DD/YYYY.")
@click.option("--to", "end", required=True, help="Last day of service.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True)
@click.option("--practice", "practice_id", type=int, default=None, help="The practice's id (needed when several).")
@click.option("--as", "email", default=None, help="The biller or owner the export is recorded under.")
@with_appcontext
def claims_export_command(start: str, end: str, output: str, practice_id: int | None, email: str | None) -> None:
    """Export every ready electronic claim with a session in the period as one X12 837P batch; the
    claims become exported and the batch is kept (sealed) and audited, as from the Claims page."""
    from .forms import parse_us_date
    from .models import User
    from .services import claims

    first, last = parse_us_date(start), parse_us_date(end)
    if first is None or last is None or first > last:
        raise click.UsageError("Give --from and --to as dates, the first no later than the second.")
    if practice_id is None:
        # On a server with several practices, the one with ready claims in the period.
        practices = list(db.session.scalars(select(Practice.id).order_by(Practice.id)))
        with_claims = [pid for pid in practices if claims.ready_in_period(pid, first, last)]
        if len(with_claims) > 1:
            raise click.UsageError("Several practices have ready claims: name one with --practice (its id).")
        practice_id = (with_claims or practices or [0])[0]
    query = select(User).where(User.practice_id == practice_id, User.active.is_(True),
                               User.role.in_([Role.BILLER, Role.OWNER]))
    if email:
        query = query.where(User.email == email.strip().lower())
    user = db.session.scalar(query.order_by(User.role, User.id).limit(1))
    if user is None:
        raise click.UsageError("No active biller or owner of that practice to record the export under.")
    ready = claims.ready_in_period(practice_id, first, last)
    if not ready:
        raise click.ClickException(f"No ready electronic claims have a session from {first:%m/%d/%Y} to {last:%m/%d/%Y}.")
    try:
        made = claims.export_837(user, ready, period=(first, last))
    except claims.ClaimInputError as error:
        raise click.ClickException(error.message) from None
    with open(output, "w", encoding="ascii", newline="") as handle:
        handle.write(made.content)
    click.echo(f"Wrote {output}: {made.batch.claim_count} claims, interchange {made.batch.interchange_control_number}")


@click.group("audit")
def audit_group() -> None:
    """The audit trail's tamper evidence."""


@audit_group.command("verify")
@with_appcontext
def audit_verify_command() -> None:
    """Check every audit event's seal and its link to the event before, and the trail's end against
    the anchor kept outside the database; name each break.

    Exits 1 when anything was edited, deleted, reordered, inserted outside the app, or cut from the
    end. A trail found whole moves the anchor to its head.
    """
    from .services import audit

    findings, summary = audit.verify_chain()
    for finding in findings:
        click.echo(f"BROKEN {finding.kind}: {finding.message}")
    head = f"#{summary.head_seq} {summary.head_mac[:16]}" if summary.head_mac else "(empty)"
    if summary.anchor_path is None:
        click.echo("Anchor: none (the keyring came from the configuration and METPWA_AUDIT_ANCHOR_FILE is unset): "
                   "a trail cut short at its end cannot be told from one that stopped.")
    elif summary.anchor_seq is None:
        click.echo(f"Anchor: none yet in {summary.anchor_path}" + ("; written now." if not findings else "."))
    else:
        click.echo(f"Anchor: #{summary.anchor_seq} written {summary.anchor_at} in {summary.anchor_path}.")
    click.echo(f"Checked {summary.checked} events; head {head}; {len(findings)} break(s).")
    if findings:
        raise SystemExit(1)


@click.command("signin-failures")
@click.option("--days", type=click.IntRange(1, 3660), default=7, show_default=True, help="How far back to look.")
@with_appcontext
def signin_failures_command(days: int) -> None:
    """Failed sign-ins for the operator, above all at addresses that match no staff member: no
    practice's audit report shows those, as they belong to no practice."""
    from datetime import UTC, datetime, timedelta

    from .services import audit

    report = audit.signin_failures(datetime.now(UTC) - timedelta(days=days))
    click.echo(f"Failed sign-ins since {report.since:%Y-%m-%d %H:%M} UTC ({days} days).")
    click.echo(f"At addresses that match no staff member: {report.unknown_total}.")
    for title, groups in (("  by the address typed:", report.by_email), ("  by where they came from:", report.by_ip)):
        if groups:
            click.echo(title)
        for group in groups:
            click.echo(f"    {group.key}: {group.tries} (first {group.first:%Y-%m-%d %H:%M}, "
                       f"last {group.last:%Y-%m-%d %H:%M})")
    for practice_id, count in sorted(report.known_by_practice.items()):
        click.echo(f"On practice {practice_id}'s own accounts: {count} (its owner sees them in the audit report).")
    audit.record("read", None, detail={"report": "signin failures", "days": days})
    db.session.commit()


@click.group("keys")
def keys_group() -> None:
    """The keyring: which keys seal what, and rotation."""


@keys_group.command("status")
@with_appcontext
def keys_status_command() -> None:
    """Show the current key versions and how many stored values each data key seals."""
    from .keys import keyring
    from .services import keycustody

    ring = keyring()
    click.echo(f"Keyring: {ring.path or 'from configuration'}")
    for kind in ("audit", "data"):
        click.echo(f"  {kind} key: version {ring.current[kind]} (versions kept: {sorted(ring.keys[kind])})")
    for version, count in sorted(keycustody.versions_in_use().items(), key=str):
        click.echo(f"  values under data key {version}: {count}")


@keys_group.command("rotate")
@click.argument("kind", type=click.Choice(["data", "audit"]))
@with_appcontext
def keys_rotate_command(kind: str) -> None:
    """Make a new key of KIND current. For data, every encrypted value is re-sealed under it;
    for audit, events from now on are sealed with it. Restart the app afterwards."""
    from .services import keycustody

    result = keycustody.rotate(kind)
    click.echo(f"The {kind} key is now version {result.version}"
               + (f"; {result.resealed} values re-sealed." if kind == "data" else ".")
               + " Copy the keyring file to where you keep it safe, then restart the app.")


@keys_group.command("reseal")
@with_appcontext
def keys_reseal_command() -> None:
    """Finish an interrupted data-key rotation: re-seal whatever is not under the current key."""
    from .services import keycustody

    changed = keycustody.reseal_all()
    db.session.commit()
    click.echo(f"{changed} values re-sealed.")


@click.command("backup")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True,
              help="Where to write the encrypted backup.")
@with_appcontext
def backup_command(output: str) -> None:
    """Make a consistent, encrypted backup while the app keeps running."""
    from pathlib import Path

    from .services import audit
    from .services.backup import BackupError, make_backup

    try:
        info = make_backup(Path(output))
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    audit.record("backup", None, detail={"file": output, "engine": info.engine, "bytes": info.bytes})
    db.session.commit()
    click.echo(f"Wrote {output}: {info.engine} database at revision {info.revision}, {info.bytes // 1024} KB before "
               f"encryption, sealed with data key {info.key_version}. Copy it off this machine.")


@click.command("restore")
@click.argument("backup_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--to", "to", type=click.Path(dir_okay=False), default=None,
              help="For a SQLite backup: restore into this file instead of the app's database.")
@click.option("--yes", is_flag=True, help="Replace the app's database without asking (stop the app first).")
@with_appcontext
def restore_command(backup_file: str, to: str | None, yes: bool) -> None:
    """Check a backup (decryption of every part, integrity, schema, audit chain) and bring it back."""
    from pathlib import Path

    from .services import audit
    from .services.backup import BackupError, read_info, restore

    try:
        info = read_info(Path(backup_file))
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    if to is not None and info.engine != "sqlite":
        raise click.ClickException(f"--to is for SQLite backups; this is a {info.engine} backup, which restores "
                                   "only over the app's own database.")
    if to is None and not yes:
        click.confirm(f"Replace this app's database with the {info.engine} backup of {info.created}? "
                      "Stop the app first.", abort=True)
    try:
        report = restore(Path(backup_file), sqlite_target=Path(to) if to else None)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    if to is None:
        audit.record("restore", None, detail={"file": backup_file, "created": info.created})
        db.session.commit()
    rows = sum(report.tables.values())
    if report.safety_copy:
        click.echo(f"The database as it was before is kept in {report.safety_copy}.")
    click.echo(f"Restored the backup of {info.created} into {to or 'the app database'}: integrity ok, "
               f"{len(report.tables)} tables, {rows} rows, {report.audit_events} audit events with an unbroken chain.")


@click.group("retention")
def retention_group() -> None:
    """Record retention (RETENTION_YEARS, 7 by default)."""


@retention_group.command("report")
@with_appcontext
def retention_report_command() -> None:
    """List archived clients whose retention period has ended. metpwa purges nothing itself:
    records past retention are listed for the owner's decision under the practice's policy."""
    from flask import current_app

    from .clock import practice_today
    from .models import AuditEvent, Client
    from .rules.retention import basis, retention
    from .standards.majority import majority

    years = int(current_app.config["RETENTION_YEARS"])
    for line in basis(years):
        click.echo(line)
    changes = ("create", "update", "sign", "amend", "complete")
    latest = dict(db.session.execute(select(AuditEvent.client_id, func.max(AuditEvent.at))
                                     .where(AuditEvent.client_id.is_not(None), AuditEvent.action.in_(changes))
                                     .group_by(AuditEvent.client_id)).all())
    eligible = 0
    for client in db.session.scalars(select(Client).where(Client.archived_at.is_not(None))
                                     .order_by(Client.practice_id, Client.last_name)):
        last = max(filter(None, (latest.get(client.id), client.archived_at, client.created_at)))
        state = retention(last_activity=last.astimezone(client.practice.zone).date(), archived=True, years=years,
                          today=practice_today(client.practice), born_on=client.date_of_birth,
                          majority_age=majority(client.practice.state).age)
        eligible += state.eligible
        click.echo(f"{client.practice.name}: {client.legal_name} (client {client.id}): {state.reason}"
                   + (" - may be purged" if state.eligible else ""))
    click.echo(f"Retention {years} years; {eligible} archived client(s) past it.")


def init_app(app: Flask) -> None:
    for command in (create_practice_command, create_user_command, seed_demo_command, report_group, audit_group,
                    signin_failures_command, keys_group, backup_command, restore_command,
                    retention_group, claims_group):
        app.cli.add_command(command)

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
def seed_demo_command(if_empty: bool) -> None:
    """Load the demo practice (staff, clients and their history) and print its logins."""
    from . import demo

    if if_empty and db.session.scalar(select(func.count()).select_from(Practice)):
        click.echo("The database already has a practice; demo not loaded.")
        return
    logins = demo.seed()
    click.echo("Demo practice loaded. Sign in at http://127.0.0.1:5000 with any of:")
    for role, email in logins:
        click.echo(f"  {role:<11} {email}")
    click.echo(f"Password for all: {demo.DEMO_PASSWORD}    Unlock PIN: {demo.DEMO_PIN}")


def init_app(app: Flask) -> None:
    for command in (create_practice_command, create_user_command, seed_demo_command):
        app.cli.add_command(command)

"""The demo on any day (issue 21): loaded on a Sunday as on a Monday, the demo practice has today's
appointments and one session under way, so a person trying metpwa lands on a working gym floor."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from metpwa.extensions import db

from metpwa.demo.sessions import SLOTS, weekdays_for
from metpwa.models import Appointment, Practice, SessionLog

MONDAY = date(2026, 12, 7)


@pytest.mark.parametrize("today", [MONDAY + timedelta(days=n) for n in range(7)], ids=lambda d: d.strftime("%A"))
def test_every_weekday_has_visits_and_ellisons_session(today):
    visiting = {name for name, (days, _) in SLOTS.items() if today.weekday() in weekdays_for(days, today)}
    # Ellison's session is the one left under way; others fill the rest of Today.
    assert "Ellison" in visiting
    assert len(visiting) >= 4
    for days, _ in SLOTS.values():
        turned = weekdays_for(days, today)
        assert len(set(turned)) == 2 and all(0 <= day <= 6 for day in turned)


def test_loaded_on_a_monday_the_week_is_the_one_written_down():
    assert {name: weekdays_for(days, MONDAY) for name, (days, _) in SLOTS.items()} == \
        {name: sorted(days) for name, (days, _) in SLOTS.items()}


def test_the_seeded_demo_has_todays_appointments_and_a_session_under_way(demo_app):
    # The run's one seeded demo (re-seeded if the practice's day turned during the run).
    with demo_app.app_context():
        from metpwa.clock import practice_today
        from metpwa.services import schedule

        practice = db.session.scalar(select(Practice).where(Practice.name == "Riverside Medical Exercise"))
        start, end = schedule.day_bounds(practice, practice_today(practice))
        todays = db.session.scalars(select(Appointment).where(
            Appointment.practice_id == practice.id, Appointment.starts_at >= start, Appointment.starts_at < end)).all()
        assert len(todays) >= 4
        running = db.session.scalars(select(SessionLog).where(
            SessionLog.practice_id == practice.id, SessionLog.signed_at.is_(None), SessionLog.started_at >= start)).all()
        assert [session.client.last_name for session in running] == ["Ellison"]


def test_the_demo_has_a_late_gym_floor_set_waiting_as_an_addendum_draft(demo_app):
    """Issue 20: a set that waited out a dead spot and arrived after the signature, kept for review."""
    with demo_app.app_context():
        from metpwa.models import Client
        from metpwa.services import outbox

        practice = db.session.scalar(select(Practice).where(Practice.name == "Riverside Medical Exercise"))
        ellison = db.session.scalar(select(Client).where(Client.practice_id == practice.id, Client.last_name == "Ellison"))
        last = db.session.scalar(select(SessionLog).where(SessionLog.client_id == ellison.id, SessionLog.signed_at.is_not(None))
                                 .order_by(SessionLog.started_at.desc()).limit(1))
        drafts = outbox.late_drafts(last.id)
        assert len(drafts) == 1 and "after signing" in drafts[0].late_text
        assert drafts[0].performed_at < last.signed_at

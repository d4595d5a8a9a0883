"""The owner's readiness dashboard checks every active client's evidence chain; each kind of evidence is
loaded for all of them in one query, so the page costs the same number of queries for 3 clients as for 30
(it was about twenty a client)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from conftest import Agent, Persona
from metpwa import demo
from metpwa.extensions import db
from metpwa.models import Client, Practice, User, utcnow
from metpwa.services import readiness
from support.figures import report
from support.queries import count_queries


def test_the_dashboard_costs_the_same_queries_for_3_clients_as_for_30(demo_app):
    app = demo_app
    with app.app_context():
        practice = db.session.scalar(select(Practice).where(Practice.name == demo.DEMO_PRACTICE))
        active = [c.id for c in readiness.active_clients(practice)]
        dana_id = db.session.scalar(select(User.id).where(User.email == "dana@riverside.example"))
        practice_id = practice.id
        # Three of the demo's clients, each with a record of every kind (plans, sessions, claims, ...).
        db.session.execute(update(Client).where(Client.id.in_(active[3:])).values(archived_at=utcnow()))
        db.session.commit()
    owner = Agent(app.test_client())
    assert owner.login(Persona(dana_id, practice_id, "dana@riverside.example", "owner", "Dana Whitfield",
                               demo.DEMO_PASSWORD, totp_secret=demo.DEMO_TOTP_SECRET)).status_code == 303

    def page():
        response = owner.get("/readiness")
        assert response.status_code == 200, response.get_data(as_text=True)

    page()  # the first view warms what any first view does (templates, the practice's settings)
    few = count_queries(app, page)
    with app.app_context():
        db.session.execute(update(Client).where(Client.id.in_(active[3:])).values(archived_at=None))
        # The rest made up with clients whose records have only begun.
        db.session.add_all(Client(practice_id=practice_id, first_name="Extra", last_name=f"Client{n:02d}",
                                  date_of_birth=date(1950, 5, 17), sex="F", phone="(312) 555-0100")
                           for n in range(30 - len(active)))
        db.session.commit()
        assert len(readiness.active_clients(db.session.get(Practice, practice_id))) == 30
    many = count_queries(app, page)
    report(f"readiness dashboard: {few} queries for 3 active clients, {many} for 30")
    assert many <= few, (few, many)

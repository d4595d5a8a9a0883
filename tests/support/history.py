"""A client's history for tests that need one: signed sessions with pain ratings, and outcome results."""

import uuid
from datetime import timedelta
from decimal import Decimal

from metpwa.extensions import db
from metpwa.models import Client, SetLog, User, utcnow
from metpwa.services import measures, plans, sessions


def signed_sessions(app, client_id: int, trainer_id: int, *, count: int, start_days_ago: int,
                    pains: list[int] | None = None) -> None:
    """`count` signed sessions two or three days apart, ending before today."""
    with app.app_context():
        client = db.session.get(Client, client_id)
        trainer = db.session.get(User, trainer_id)
        plan = plans.current(client_id)
        for n in range(count):
            started = utcnow() - timedelta(days=start_days_ago - n * 3, hours=2)
            session = sessions.open_session(trainer, client, plan=plan, at=started)
            session.pain_before = (pains or [5] * count)[n]
            for item in session.exercises:
                db.session.add(SetLog(practice_id=client.practice_id, session_id=session.id,
                                      session_exercise_id=item.id, set_number=1, reps=10, rpe=Decimal(5),
                                      performed_at=started + timedelta(minutes=5),
                                      entered_at=started + timedelta(minutes=5),
                                      idempotency_key=f"hist-{session.id}-{item.id}", entered_by_id=trainer.id))
            db.session.flush()
            sessions.finish(trainer, session, at=started + timedelta(minutes=45))
            sessions.sign(trainer, session, note={"note_performance": "Completed the plan"},
                          minutes={"therapeutic_exercise": 30, "neuromuscular_reeducation": 10, "gait": 0,
                                   "functional_activities": 5},
                          pain_after=2, overrides=[], at=started + timedelta(minutes=50))


def tug_results(app, client_id: int, trainer_id: int, seconds: list[float], *, start_days_ago: int) -> None:
    with app.app_context():
        client = db.session.get(Client, client_id)
        trainer = db.session.get(User, trainer_id)
        for n, value in enumerate(seconds):
            measures.record(trainer, client, "tug", {"trials": [value]}, idempotency_key=str(uuid.uuid5(uuid.NAMESPACE_URL, f"tug-{client_id}-{n}")),
                            performed_at=utcnow() - timedelta(days=start_days_ago - n * 7), walking_aid="none")

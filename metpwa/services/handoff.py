"""Hand-off mode: the iPad shows one client's own forms until a staff PIN takes it back."""

from __future__ import annotations

from ..extensions import db
from ..models import Client, StaffSession, User
from . import audit, signin


def start(user: User, staff_session: StaffSession, client: Client) -> None:
    staff_session.handoff_client_id = client.id
    audit.record("handoff_start", client, user=user)
    db.session.commit()


def finish(staff_session: StaffSession, secret: str) -> signin.UnlockResult:
    def back_to_staff() -> None:
        staff_session.handoff_client_id = None

    return signin.confirm_staff(staff_session, secret, on_success=back_to_staff, action="handoff_end",
                                client_id=staff_session.handoff_client_id)

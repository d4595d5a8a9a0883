"""Gathers a client's chart facts for the readiness checklist (a handful of queries, one per kind)."""

from __future__ import annotations

from ..clock import practice_today
from ..models import Client
from ..rules.readiness import ReadinessFacts, checklist, may_start_sessions
from . import consents, intake, referrals


def facts(client: Client) -> ReadinessFacts:
    latest = intake.latest_complete(client.id)
    draft = intake.latest(client.id)
    referral = referrals.current_referral(client.id)
    return ReadinessFacts(
        demographics_complete=bool(client.first_name and client.last_name and client.date_of_birth
                                   and client.sex and (client.phone or client.email)),
        emergency_contact=bool(client.emergency_contacts),
        coverage=bool(client.coverages),
        self_pay=client.self_pay,
        referral=referral is not None,
        referral_order_on_file=bool(referral and referral.order_document_id),
        referral_expires_on=referral.expires_on if referral else None,
        intake_complete=latest is not None,
        intake_started=draft is not None,
        clearance_required=bool(latest and latest.clearance_required),
        clearance_recorded=bool(latest and intake.clearance_for(latest) is not None),
        consents=tuple(consents.facts(client)),
        today=practice_today(client.practice),
    )


def for_chart(client: Client):
    checked = facts(client)
    return checklist(checked), may_start_sessions(checked)

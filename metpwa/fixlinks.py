"""Where a readiness finding is fixed, as a URL: rules name a place (rules/fixes.py FIX_TARGETS), this
turns it into a link. Each place lists the pages that fix it, best first; the first one the app has
is used, so a place whose own screen is not built yet links to the nearest page that exists, and
starts using its own screen as soon as that is registered (the staff and billing areas' screens)."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, has_request_context, url_for
from werkzeug.routing import BuildError

from .rules.fixes import Target

Ref = int | str | None
# (endpoint, the URL values from the target's id, an anchor); the first endpoint the app has wins.
Candidate = tuple[str, Callable[[Ref], dict], str | None]


def _client(ref: Ref) -> dict:
    return {"client_id": ref}


def _user(ref: Ref) -> dict:
    return {"user_id": ref} if ref is not None else {}


def _none(ref: Ref) -> dict:
    return {}


PLACES: dict[str, tuple[Candidate, ...]] = {
    "clients.edit": (("clients.edit_details", _client, None),),
    "clients.emergency_contacts": (("clients.contacts", _client, None),),
    "clients.coverage": (("clients.coverage", _client, None),),
    "intake.form": (("intake.overview", _client, None),),
    "consents.sign": (("clients.chart", _client, "consents"),),
    "referrals.new": (("referrals.new_referral", _client, None),),
    "referrals.order": (("clients.chart", _client, "referral"),),
    "referrals.authorisation": (("eligibility.verify", _client, None), ("clients.coverage", _client, None)),
    "referrals.clearance": (("referrals.new_clearance", _client, None),),
    "assessments.new": (("assessments.index", _client, None),),
    "assessments.unsigned": (("assessments.index", _client, None),),
    "plans.edit": (("plans.edit", _client, None),),
    "plans.sign": (("plans.show", _client, None),),
    "sessions.unsigned": (("sessions.client_sessions", _client, None),),
    "measures.client": (("measures.index", _client, None),),
    "reports.new": (("reports.index", _client, None),),
    "eligibility.verify": (("eligibility.verify", _client, None), ("clients.coverage", _client, None)),
    "claims.client": (("claims.index", lambda ref: {"client_id": ref}, None), ("clients.chart", _client, None)),
    "readiness.clients": (("readiness.clients", lambda ref: {"check": ref} if ref else {}, None),),
    "staff.list": (("staff.index", _none, None),),
    "staff.credentials": (("staff.credentials", _user, None), ("staff.index", _none, None)),
    "staff.continuing_education": (("staff.continuing_education", _user, None), ("staff.index", _none, None)),
    "staff.training": (("staff.training", _none, None), ("staff.index", _none, None)),
    "staff.training_attest": (("staff.training_attest", _none, None), ("account.index", _none, None)),
    "staff.two_factor": (("staff.index", _none, None),),
    "consents.templates": (("consents.templates", _none, None),),
    "scope.terms": (("scope.terms", _none, None),),
    "scope.overrides": (("scope.overrides", _none, None), ("scope.terms", _none, None)),
    "billing.fee_schedule": (("billing.fee_schedule", _none, None),),
    "billing.payers": (("billing.payers", _none, None),),
    "referral_network.sources": (("referral_network.sources", _none, None),),
    "referral_network.source": (("referral_network.source", lambda ref: {"provider_id": ref}, None),),
    "referral_network.activity": (("referral_network.activity", lambda ref: {"activity_id": ref}, None),),
    "referral_network.follow_ups": (("referral_network.follow_ups", _none, None),),
    # Backups are made and checked from the command line: the dashboard says how.
    "maintenance.backups": (("maintenance.backups", _none, None), ("readiness.index", _none, "backups")),
    # The audit page's "Check the seals" is the check.
    "audit.verify": (("audit.index", _none, "verify-status"),),
    # A claim's findings (see claim_fix_url for the ids).
    "clients.chart": (("clients.chart", _client, None),),
    "clients.referrals": (("clients.chart", _client, "referral"),),
    "clients.referral": (("clients.chart", _client, "referral"),),
    "clients.authorisation": (("eligibility.verify", _client, None), ("clients.coverage", _client, None)),
    "referrals.provider": (("referral_network.edit_source", lambda ref: {"provider_id": ref}, None),
                           ("referrals.providers", _none, None)),
    "sessions.session": (("sessions.screen", lambda ref: {"session_id": ref}, None),),
    "claims.claim": (("claims.show", lambda ref: {"claim_id": ref}, None),),
    "claims.line": (("claims.show", lambda ref: {"claim_id": ref}, None),),
    "billing.payer": (("billing.payer", lambda ref: {"payer_id": ref}, None), ("billing.payers", _none, None)),
    "billing.provider": (("billing.provider", _none, None),),
    "billing.rendering_provider": (("billing.rendering_provider", lambda ref: {"rendering_provider_id": ref}, None),
                                   ("billing.index", _none, None)),
    "billing.fees": (("billing.fee_schedule", _none, None),),
    "billing.eligibility": (("eligibility.verify", _client, None),),
}

# A claim's finding names the record at fault; where the page that fixes it is the client's (the chart,
# coverage, referral, plan, eligibility) or the claim's own, the claim's page links with that id instead.
CLAIM_CLIENT_PLACES = frozenset({"clients.chart", "clients.coverage", "clients.referrals", "clients.referral",
                                 "clients.authorisation", "plans.edit", "plans.sign", "billing.eligibility"})
CLAIM_OWN_PLACES = frozenset({"claims.claim", "claims.line"})


def claim_fix_url(target: Target | None, *, claim_id: int, client_id: int) -> str | None:
    """The page that fixes a claim's finding (rules/claim_scrubber.py), from the claim's page."""
    if target is None:
        return None
    name, ref = target
    if name in CLAIM_CLIENT_PLACES:
        ref = client_id
    elif name in CLAIM_OWN_PLACES:
        ref = claim_id
    return fix_url((name, ref))


def _may_open(endpoint: str) -> bool:
    """Whether the person signed in may open the page: a biller is not sent to a plan only a trainer
    opens (a 403 is no way to fix anything). Outside a sign-in (the command line, a test) every page counts."""
    from .services import signin

    capability = getattr(current_app.view_functions[endpoint], "metpwa_capability", None)
    principal = signin.signed_in() if has_request_context() else None
    return capability is None or principal is None or principal.can(capability)


def fix_url(target: Target | None) -> str | None:
    """The page that fixes `target`, or None when the app has no page for it yet."""
    if target is None:
        return None
    name, ref = target
    for endpoint, values, anchor in PLACES.get(name, ()):
        if endpoint not in current_app.view_functions or not _may_open(endpoint):
            continue
        arguments = values(ref)
        if any(value is None for value in arguments.values()):
            continue
        try:
            return url_for(endpoint, **arguments, _anchor=anchor) if anchor else url_for(endpoint, **arguments)
        except BuildError:
            # The page exists but wants another value (a person's id where the item names none).
            continue
    return None

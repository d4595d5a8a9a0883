"""Where a finding is fixed: a symbolic place in the app that the routes turn into a URL, so rules
name the place without knowing Flask. The second part is the record's id, a filter key for a list
(("readiness.clients", "plan") lists clients whose plan check fails), or None for a page.

Every name a rule uses is listed here, so a test on the routes' side can check each one resolves."""

from __future__ import annotations

Target = tuple[str, int | str | None]

FIX_TARGETS: frozenset[str] = frozenset({
    # A client's chart and what hangs off it (the id is the client's).
    "clients.edit",
    "clients.emergency_contacts",
    "clients.coverage",
    "intake.form",
    "consents.sign",
    "referrals.new",
    "referrals.order",
    "referrals.authorisation",
    "referrals.clearance",
    "assessments.new",
    "assessments.unsigned",
    "plans.edit",
    "plans.sign",
    "sessions.unsigned",
    "measures.client",
    "reports.new",
    "eligibility.verify",
    "claims.client",
    # The practice (the id is a staff member, a referral source or an activity, or None).
    "readiness.clients",
    "staff.list",
    "staff.credentials",
    "staff.continuing_education",
    "staff.training",
    "staff.training_attest",
    "consents.templates",
    "scope.terms",
    "scope.overrides",
    "billing.fee_schedule",
    "billing.payers",
    "referral_network.sources",
    "referral_network.source",
    "referral_network.activity",
    "referral_network.follow_ups",
    "maintenance.backups",
    "audit.verify",
    "staff.two_factor",
    # A claim's findings (rules/claim_scrubber.py): the id is the record at fault (a coverage, a referral,
    # a line, a payer); on a claim's page fixlinks.claim_fix_url swaps in the client's or the claim's id
    # where the page that fixes it is the client's or the claim's.
    "clients.chart",
    "clients.referrals",
    "clients.referral",
    "clients.authorisation",
    "referrals.provider",
    "sessions.session",
    "claims.claim",
    "claims.line",
    "billing.payer",
    "billing.provider",
    "billing.rendering_provider",
    "billing.fees",
    "billing.eligibility",
})

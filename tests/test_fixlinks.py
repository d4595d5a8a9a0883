"""One table of "where to fix this" (fixlinks.PLACES) for the chart's readiness items and a claim's
scrubber findings: a claim's finding links with the claim's or its client's id where that page fixes it."""

from metpwa.fixlinks import CLAIM_CLIENT_PLACES, CLAIM_OWN_PLACES, PLACES, claim_fix_url, fix_url
from metpwa.rules.fixes import FIX_TARGETS


def test_a_claims_findings_link_through_the_one_table(app):
    assert CLAIM_CLIENT_PLACES | CLAIM_OWN_PLACES <= set(PLACES) == set(FIX_TARGETS)
    with app.test_request_context("/"):
        def link(name, ref):
            return claim_fix_url((name, ref), claim_id=5, client_id=7)

        # The record at fault is a coverage or a referral; the page that fixes it is the client's.
        assert link("clients.coverage", 41) == "/clients/7/coverage"
        assert link("clients.referral", 51) == "/clients/7#referral"
        assert link("clients.chart", None) == "/clients/7"
        assert link("plans.sign", 7) == fix_url(("plans.sign", 7))
        # A line's finding is fixed on the claim.
        assert link("claims.line", 99) == "/claims/5" and link("claims.claim", None) == "/claims/5"
        # The billing set-up's own records keep their ids; without one, the list.
        assert link("billing.payer", 31) == fix_url(("billing.payer", 31)) != fix_url(("billing.payer", None))
        assert link("billing.fees", None) == fix_url(("billing.fee_schedule", None))
        assert link("sessions.session", 501) == fix_url(("sessions.session", 501))
        assert link("referrals.provider", None) is not None
        assert claim_fix_url(None, claim_id=5, client_id=7) is None


def test_the_claims_blueprint_keeps_no_table_of_its_own():
    from metpwa.blueprints.claims import routes

    assert not hasattr(routes, "_FIX_ENDPOINTS")


def test_a_fix_link_is_only_to_a_page_the_person_may_open(app):
    """A biller reading a claim's "plan not signed" finding is not sent to the plan page, which only
    clinical staff open (it answered 403); the chart, which she may open, is still linked."""
    from flask import g

    from metpwa.permissions import can

    class Principal:
        def __init__(self, role):
            self.role = role

        def can(self, capability):
            return can(self.role, capability)

    with app.test_request_context("/"):
        g.signed_in = Principal("biller")
        assert claim_fix_url(("plans.sign", 7), claim_id=5, client_id=7) is None
        assert claim_fix_url(("clients.chart", None), claim_id=5, client_id=7) == "/clients/7"
    with app.test_request_context("/"):
        g.signed_in = Principal("trainer")
        assert claim_fix_url(("plans.sign", 7), claim_id=5, client_id=7) == "/clients/7/plan"

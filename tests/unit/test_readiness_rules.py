"""Readiness: the chart's checklist as before, each link of a client's evidence chain with a passing
and a failing client, and the practice's twelve core elements with their items and fixes."""

from dataclasses import replace
from datetime import date

import pytest

from metpwa.rules import readiness
from metpwa.rules.credentials import HeldCredential
from metpwa.rules.fixes import FIX_TARGETS
from metpwa.rules.readiness import (
    AuthorisationFact,
    ConsentFact,
    EvidenceFacts,
    PlanFact,
    PracticeFacts,
    ReadinessFacts,
    StaffFacts,
    Status,
)
from metpwa.rules.reports import Due
from metpwa.rules.training import Completion, hipaa_due
from metpwa.standards.core_elements import CORE_ELEMENTS, Element
from metpwa.standards.credentials import DEFAULT_REQUIRED_TO_SIGN

TODAY = date(2027, 3, 1)

READY_CHART = ReadinessFacts(
    demographics_complete=True, emergency_contact=True, coverage=True, self_pay=False, referral=True,
    referral_order_on_file=True, referral_expires_on=date(2027, 6, 1), intake_complete=True, intake_started=True,
    clearance_required=True, clearance_recorded=True,
    consents=(ConsentFact("informed_consent", "Informed Consent to Exercise Training", True, False),),
    today=TODAY, client_ref=42,
)
READY_CLIENT = EvidenceFacts(
    chart=READY_CHART, baseline_assessment_on=date(2026, 12, 1), baseline_assessment_signed=True,
    plan=PlanFact(1, measurable_goals=2, signed=True, review_on=date(2027, 4, 1)), first_session_on=date(2026, 12, 8),
    sessions_signed=14, last_outcome_on=date(2027, 2, 20), last_report_sent_on=date(2027, 2, 1),
    authorisation=AuthorisationFact(True, "A-991", date(2027, 6, 1), 24, 14),
    eligibility_verified_on=date(2026, 12, 1), eligibility_active=True,
)


def item(facts: EvidenceFacts, key: str):
    return next(i for i in readiness.evidence_chain(facts) if i.key == key)


# --- The chart's checklist: unchanged behaviour ---


def test_a_complete_chart_may_start_sessions_and_lists_items_in_chart_order():
    assert readiness.may_start_sessions(READY_CHART)
    assert [i.key for i in readiness.checklist(READY_CHART)] == [
        "demographics", "emergency_contact", "coverage", "referral", "intake", "clearance",
        "consent:informed_consent"]


def test_each_missing_chart_item_says_what_is_missing():
    chart = replace(READY_CHART, demographics_complete=False, emergency_contact=False, coverage=False,
                    referral_order_on_file=False, intake_complete=False, clearance_recorded=False,
                    consents=(ConsentFact("informed_consent", "Informed Consent", False, True),))
    assert [(i.key, i.detail) for i in readiness.blockers(chart)] == [
        ("demographics", "Contact details are incomplete."),
        ("emergency_contact", "No emergency contact on file."),
        ("coverage", "No insurance plan and not marked self-pay."),
        ("referral", "The order or prescription document is not on file."),
        ("intake", "Started, not finished."),
        ("clearance", "The intake answers call for a provider's clearance before exercise."),
        ("consent:informed_consent", "Signed an older version: the current version needs a signature."),
    ]
    assert not readiness.may_start_sessions(chart)


def test_an_expired_referral_and_self_pay_read_as_before():
    chart = replace(READY_CHART, referral_expires_on=date(2027, 2, 1), coverage=False, self_pay=True,
                    clearance_required=False)
    items = {i.key: i for i in readiness.checklist(chart)}
    assert items["referral"].detail == "The referral expired on Feb 1, 2027." and not items["referral"].done
    assert items["coverage"].done and items["coverage"].detail == "Self-pay"
    assert "clearance" not in items


def test_each_chart_item_names_where_it_is_fixed():
    chart = replace(READY_CHART, referral=False)
    fixes = {i.key: i.fix for i in readiness.checklist(chart)}
    assert fixes["referral"] == ("referrals.new", 42)
    assert fixes["consent:informed_consent"] == ("consents.sign", 42)
    assert fixes["intake"] == ("intake.form", 42)


# --- The evidence chain: each link passes for a ready client and fails for one that is not ---


def test_a_ready_client_passes_every_link_in_the_order_an_auditor_reads():
    chain = readiness.evidence_chain(READY_CLIENT)
    assert [i.key for i in chain] == [
        "intake", "consent:informed_consent", "clearance", "referral", "authorisation", "baseline_assessment",
        "plan", "signed_notes", "outcome_recent", "progress_report", "eligibility", "claims"]
    assert all(i.done for i in chain), [i for i in chain if not i.done]
    assert readiness.audit_ready(READY_CLIENT)


FAILING = [
    ("intake", {"chart": replace(READY_CHART, intake_complete=False, intake_started=False)}, "Not started."),
    ("consent:informed_consent", {"chart": replace(READY_CHART, consents=(
        ConsentFact("informed_consent", "Informed Consent", False, False),))}, "Not signed."),
    ("clearance", {"chart": replace(READY_CHART, clearance_recorded=False)},
     "The intake answers call for a provider's clearance before exercise."),
    ("referral", {"chart": replace(READY_CHART, referral=False)}, "No referral recorded."),
    ("authorisation", {"authorisation": AuthorisationFact(True, None)},
     "The payer requires an authorisation: none on file."),
    ("authorisation", {"authorisation": AuthorisationFact(True, "A-1", date(2027, 2, 1))},
     "Authorisation A-1 ended on Feb 1, 2027."),
    ("authorisation", {"authorisation": AuthorisationFact(True, "A-1", None, 12, 12)},
     "All 12 authorised visits are used."),
    ("baseline_assessment", {"baseline_assessment_on": None}, "No baseline assessment."),
    ("baseline_assessment", {"baseline_assessment_signed": False}, "Done on Dec 1, 2026, not signed."),
    ("plan", {"plan": None}, "No Plan of Exercise."),
    ("plan", {"plan": PlanFact(3, measurable_goals=0)}, "Version 3 has no measurable goals."),
    ("plan", {"plan": PlanFact(3, measurable_goals=2)}, "Version 3 is not signed."),
    ("signed_notes", {"sessions_unsigned": 2, "oldest_unsigned_on": date(2027, 2, 24)},
     "2 sessions are not signed, the oldest from Feb 24, 2027."),
    ("outcome_recent", {"last_outcome_on": date(2027, 1, 20)}, "The last was 40 days ago (Jan 20, 2027)."),
    ("outcome_recent", {"last_outcome_on": None}, "No outcome measure on record."),
    ("progress_report", {"report_due": Due("10 visits since the last report")},
     "Due: 10 visits since the last report. Last sent Feb 1, 2027."),
    ("eligibility", {"eligibility_verified_on": None}, "Not verified with the payer."),
    ("eligibility", {"eligibility_active": False},
     "Verified on Dec 1, 2026: the payer says the coverage is not active."),
    ("claims", {"claims_rejected": 1, "claims_denied": 2}, "Claims: 1 rejected, 2 denied."),
]


@pytest.mark.parametrize(("key", "change", "detail"), FAILING, ids=[f"{k}-{n}" for n, (k, _, _) in enumerate(FAILING)])
def test_each_link_fails_for_a_client_missing_it_and_says_why(key, change, detail):
    facts = replace(READY_CLIENT, **change)
    failing = item(facts, key)
    assert not failing.done and failing.detail == detail
    assert failing.fix is not None and failing.fix[1] == 42
    assert not readiness.audit_ready(facts)
    assert [i.key for i in readiness.evidence_gaps(facts)] == [key]


def test_links_that_do_not_apply_yet_pass_with_a_reason():
    new = replace(READY_CLIENT, first_session_on=None, sessions_signed=0, last_outcome_on=None,
                  last_report_sent_on=None, authorisation=None,
                  chart=replace(READY_CHART, coverage=False, self_pay=True))
    assert item(new, "outcome_recent").detail == "Sessions have not started."
    assert item(new, "signed_notes").detail == "No sessions yet."
    assert item(new, "authorisation").detail == "Not required by the payer."
    assert item(new, "eligibility").detail == "Self-pay."
    assert item(new, "progress_report").detail == "None due yet."
    assert readiness.audit_ready(new)


def test_a_plan_past_its_review_date_is_amber_not_red():
    plan = item(replace(READY_CLIENT, plan=PlanFact(2, 1, signed=True, review_on=date(2027, 2, 1))), "plan")
    assert plan.done and plan.soon and "has passed" in plan.detail


def test_a_signed_plan_counts_once_signing_is_required():
    signed = replace(READY_CLIENT, plan=PlanFact(2, 1, signed=True), plan_signing_required=True)
    assert item(signed, "plan").done


def test_an_unsigned_current_plan_is_not_ready_by_default():
    """Issue 16 ("The Plan of Exercise is signed"): readiness asks for a signed current plan."""
    unsigned = item(replace(READY_CLIENT, plan=PlanFact(2, 1, signed=False)), "plan")
    assert not unsigned.done and unsigned.detail == "Version 2 is not signed."
    assert unsigned.fix[0] == "plans.sign"


# --- The practice's twelve elements ---


def staff(name="Dana Reyes", ref=4, credentials=None, hipaa_on=date(2026, 9, 1), role="trainer", ce_behind=()):
    if credentials is None:
        credentials = (HeldCredential("mes", date(2028, 1, 1)), HeldCredential("cpr_aed", date(2028, 1, 1)))
    completions = (Completion("hipaa", hipaa_on, True),) if hipaa_on else ()
    return StaffFacts(ref, name, role, credentials, DEFAULT_REQUIRED_TO_SIGN[role],
                      hipaa_due(completions, interval_months=12, new_staff=False, today=TODAY), ce_behind)


READY_PRACTICE = PracticeFacts(
    today=TODAY, clients={42: readiness.evidence_chain(READY_CLIENT)}, staff=[staff()],
    signing_enforced=True, last_training_on={"documentation": date(2026, 6, 1), "assessment": date(2026, 9, 1),
                                             "emergency": date(2026, 11, 1)},
    fee_schedule_codes=6, payers_set_up=2, referral_sources_active=4, last_backup_on=date(2027, 2, 28),
    last_restore_test_on=date(2027, 1, 15), last_audit_verified_on=date(2027, 2, 20), audit_breaks=0,
)


def statuses(facts: PracticeFacts) -> dict[Element, readiness.ElementStatus]:
    return {s.element.element: s for s in readiness.practice_readiness(facts)}


def test_a_ready_practice_shows_all_twelve_elements_ready_in_order():
    result = readiness.practice_readiness(READY_PRACTICE)
    assert [s.element.number for s in result] == list(range(1, 13))
    assert [s.element.name for s in result] == [e.name for e in CORE_ELEMENTS]
    assert all(s.status is Status.READY for s in result), [(s.element.name, s.status, s.items) for s in result
                                                          if s.status is not Status.READY]
    assert readiness.practice_ready(result)


def test_a_client_gap_turns_its_element_red_and_names_how_many_clients():
    gap = replace(READY_CLIENT, chart=replace(READY_CHART, client_ref=43), plan=None)
    facts = replace(READY_PRACTICE, clients={42: readiness.evidence_chain(READY_CLIENT),
                                             43: readiness.evidence_chain(gap)})
    plan = statuses(facts)[Element.PLAN]
    assert plan.status is Status.NOT_READY
    assert plan.items[0].detail == "1 of 2 active clients are missing this."
    assert plan.items[0].fix == ("readiness.clients", "plan")
    assert readiness.clients_not_ready(facts.clients) == [(43, [i for i in facts.clients[43] if not i.done])]


def test_a_lapsed_required_credential_is_red_and_one_lapsing_in_20_days_is_amber():
    lapsed = staff(credentials=(HeldCredential("mes", date(2028, 1, 1)), HeldCredential("cpr_aed", date(2027, 2, 1))))
    element = statuses(replace(READY_PRACTICE, staff=[lapsed]))[Element.STAFF]
    assert element.status is Status.NOT_READY
    assert element.items[0].detail == "Lapsed or missing (blocked from signing): Dana Reyes (CPR/AED)."
    soon = staff(credentials=(HeldCredential("mes", date(2027, 3, 21)), HeldCredential("cpr_aed", date(2028, 1, 1))))
    element = statuses(replace(READY_PRACTICE, staff=[soon]))[Element.STAFF]
    assert element.status is Status.ATTENTION
    assert element.items[0].detail == ("Coming due: Dana Reyes: Medical Exercise Specialist (MES), expires in 20 days "
                                       "(Mar 21, 2027).")


def test_hipaa_training_overdue_is_red_for_the_staff_element():
    element = statuses(replace(READY_PRACTICE, staff=[staff(hipaa_on=date(2025, 12, 1))]))[Element.STAFF]
    assert element.status is Status.NOT_READY
    assert element.items[1].detail == "Overdue or not on record: Dana Reyes."


def test_secure_records_need_a_recent_backup_a_restore_check_and_a_clean_audit_check():
    element = statuses(replace(READY_PRACTICE, last_backup_on=date(2027, 2, 20), last_restore_test_on=None,
                               audit_breaks=2, two_factor_missing=("Bo Biller",)))[Element.SECURE_RECORDS]
    assert element.status is Status.NOT_READY
    assert [i.done for i in element.items] == [False, False, False, False]
    assert element.items[2].detail == "The check on Feb 20, 2027 found 2 breaks."


def test_billing_elements_say_not_set_up_until_billing_exists():
    result = statuses(replace(READY_PRACTICE, fee_schedule_codes=None, payers_set_up=None))
    assert result[Element.FINANCES].status is Status.NOT_SET_UP
    assert result[Element.CODING_CLAIMS].status is Status.NOT_SET_UP
    assert not readiness.practice_ready(result.values())
    assert statuses(replace(READY_PRACTICE, fee_schedule_codes=0))[Element.FINANCES].status is Status.NOT_READY


def test_referral_network_needs_sources_and_quiet_ones_are_amber():
    assert statuses(replace(READY_PRACTICE, referral_sources_active=0))[Element.REFERRAL_NETWORK].status \
        is Status.NOT_READY
    quiet = statuses(replace(READY_PRACTICE, referral_sources_quiet=1, follow_ups_overdue=2))[Element.REFERRAL_NETWORK]
    assert quiet.status is Status.ATTENTION
    assert quiet.items[0].detail == "1 of 4 not contacted in 90 days."


def test_missing_consent_templates_and_scope_terms_turned_off():
    result = statuses(replace(READY_PRACTICE, consent_templates_missing=("Liability Waiver",), scope_terms_off=3))
    assert result[Element.INTAKE].status is Status.NOT_READY
    assert result[Element.INTAKE].items[0].detail == "No current version of: Liability Waiver."
    assert result[Element.SCOPE].status is Status.ATTENTION


def test_stale_topic_training_and_ce_behind_are_amber():
    result = statuses(replace(READY_PRACTICE, last_training_on={}, staff=[staff(ce_behind=("NBC-HWC",))]))
    assert result[Element.STAFF].status is Status.ATTENTION
    assert "Dana Reyes (NBC-HWC)" in result[Element.STAFF].items[2].detail


def test_every_fix_target_a_rule_names_is_listed():
    facts = replace(READY_PRACTICE, fee_schedule_codes=None, payers_set_up=None)
    names = {i.fix[0] for s in readiness.practice_readiness(facts) for i in s.items if i.fix}
    names |= {i.fix[0] for change in FAILING for i in readiness.evidence_chain(replace(READY_CLIENT, **change[1]))
              if i.fix}
    names |= {i.fix[0] for i in readiness.checklist(READY_CHART)}
    assert names <= FIX_TARGETS, names - FIX_TARGETS

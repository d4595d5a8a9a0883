"""The claim scrubber, rule by rule: each with a claim that passes and one that fails, the route
rule under every route, and the export gate (overrides with a reason, never for the route rule)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from support.claims import MES, PT, claim, line, npi

from metpwa.rules import icd10
from metpwa.rules.fixes import FIX_TARGETS
from metpwa.rules.claim_document import Payer, Provider
from metpwa.rules.claim_scrubber import (
    AuthorisationFacts,
    CoverageFacts,
    EligibilityFacts,
    PayerSettings,
    ReferralFacts,
    ScrubInput,
    SessionFacts,
    Severity,
    export_blockers,
    may_export,
    payment_route,
    scrub,
)
from metpwa.rules.icd10 import Icd10Code
from metpwa.rules.readiness import ConsentFact, PlanFact, ReadinessFacts
from metpwa.standards.billing import (
    ClaimFrequency,
    ClaimRoute,
    CredentialKind,
    NcciPair,
    PayerKind,
    PaymentRoute,
    UnitMethod,
)

DAY = date(2026, 2, 16)
KNOWN = {"M17.11": True, "R26.89": True, "M17.1": False, "M62.81": True}


def lookup(code):
    """A small ICD-10-CM stand-in so most tests need not load the code set; one test uses the real one."""
    billable = KNOWN.get(code)
    return None if billable is None else Icd10Code(code, "test", billable)


def ready(**changes) -> ReadinessFacts:
    values = {"demographics_complete": True, "emergency_contact": True, "coverage": True, "self_pay": False, "referral": True,
                  "referral_order_on_file": True, "referral_expires_on": None, "intake_complete": True, "intake_started": True,
                  "clearance_required": False, "clearance_recorded": False,
                  "consents": (ConsentFact("informed_consent", "Informed consent", True, False),), "today": DAY}
    values.update(changes)
    return ReadinessFacts(**values)


ACCEPTS_MES = PayerSettings(kind=PayerKind.COMMERCIAL, route=ClaimRoute.X12_837P, accepts_mes=True,
                            mes_codes=frozenset({"97110", "97112", "97530", "S9451"}), ref=31)
SESSION = SessionFacts(501, DAY, signed=True, timed_minutes={"97110": 33, "97530": 7}, total_minutes=45)
MES_LINES = (line("97110", 2, "90.00", rendering=MES), line("97530", 1, "45.00", number="L2", rendering=MES))


def facts(**changes) -> ScrubInput:
    values = {
        "claim": claim(lines=MES_LINES, rendering=MES),
        "payer": ACCEPTS_MES,
        "today": date(2026, 3, 2),
        "sessions": {501: SESSION},
        "readiness": ready(),
        "coverage": CoverageFacts(date(2025, 1, 1), None, ref=41),
        "referral": ReferralFacts(date(2026, 1, 20), date(2026, 6, 30), authorized_visits=12, visits_used=3, ref=51),
        "authorisation": None,
        "eligibility": EligibilityFacts(date(2026, 1, 22), True, ref=61),
        "plan": PlanFact(2, measurable_goals=3, signed=True),
    }
    values.update(changes)
    return ScrubInput(**values)


def codes(scrub_input: ScrubInput) -> list[str]:
    return [finding.code for finding in scrub(scrub_input, lookup_diagnosis=lookup)]


def findings(scrub_input: ScrubInput, code: str):
    return [f for f in scrub(scrub_input, lookup_diagnosis=lookup) if f.code == code]


def with_claim(**changes) -> ScrubInput:
    base = facts()
    return replace(base, claim=replace(base.claim, **changes))


def test_a_clean_claim_has_no_findings_and_may_export():
    assert codes(facts()) == []
    assert may_export(scrub(facts(), lookup_diagnosis=lookup))


# --- The route rule ---------------------------------------------------------------------------------

SUPERVISED = PayerSettings(kind=PayerKind.COMMERCIAL, route=ClaimRoute.X12_837P, allows_supervised_billing=True,
                           ref=32)
SUPERVISED_SESSION = replace(SESSION, supervised_by=frozenset({PT.npi}))
PT_LINES = (line("97110", 2, "90.00"), line("97530", 1, "45.00", number="L2"))  # rendered by the PT, done by the MES


def route1(**changes) -> ScrubInput:
    values = {"claim": claim(lines=PT_LINES, rendering=PT), "payer": SUPERVISED, "sessions": {501: SUPERVISED_SESSION}}
    values.update(changes)
    return facts(**values)


SELF_PAY = PayerSettings(kind=PayerKind.SELF_PAY, route=ClaimRoute.SUPERBILL, mes_codes=frozenset({"S9451"}), ref=33)
SELF_PAY_SESSION = SessionFacts(501, DAY, signed=True, total_minutes=45)


def route3(**changes) -> ScrubInput:
    values = {"claim": claim(lines=(line("S9451", 1, "75.00", rendering=MES),), rendering=MES), "payer": SELF_PAY,
                  "sessions": {501: SELF_PAY_SESSION}, "coverage": None, "eligibility": None}
    values.update(changes)
    return facts(**values)


def test_route_2_payer_accepting_mes_services_passes_and_names_the_route():
    scrub_input = facts()
    assert codes(scrub_input) == []
    assert payment_route(scrub_input, scrub_input.claim.lines[0]) is PaymentRoute.PAYER_ACCEPTS_MES


def test_route_2_fails_for_a_code_the_payer_does_not_take_for_mes_services():
    scrub_input = facts(payer=replace(ACCEPTS_MES, mes_codes=frozenset({"S9451"})))
    found = findings(scrub_input, "route.not_allowed")
    assert len(found) == 2
    assert "not under 97110" in found[0].message
    assert found[0].target == ("billing.payer", 31)
    assert not found[0].overridable


def test_route_1_licensed_supervisor_with_supervision_on_record_passes():
    assert codes(route1()) == []
    assert payment_route(route1(), route1().claim.lines[0]) is PaymentRoute.LICENSED_SUPERVISOR


def test_route_1_fails_without_supervision_on_record_for_the_date():
    found = findings(route1(sessions={501: SESSION}), "route.not_allowed")
    assert found and "no supervision by Grace Okafor is on record for 02/16/2026" in found[0].message


def test_route_1_fails_when_the_payer_does_not_allow_it():
    found = findings(route1(payer=replace(SUPERVISED, allows_supervised_billing=False)), "route.not_allowed")
    assert found and "does not allow billing under a licensed supervising provider" in found[0].message


def test_route_1_fails_with_an_expired_or_missing_licence():
    expired = replace(PT, licence_expires_on=date(2026, 1, 31))
    lines = tuple(replace(ln, rendering=expired) for ln in PT_LINES)
    found = findings(route1(claim=claim(lines=lines, rendering=expired)), "route.not_allowed")
    assert found and "licence expired on 01/31/2026" in found[0].message
    unlicensed = replace(PT, licence_number=None)
    lines = tuple(replace(ln, rendering=unlicensed) for ln in PT_LINES)
    assert findings(route1(claim=claim(lines=lines, rendering=unlicensed)), "route.not_allowed")


def test_route_1_fails_when_the_rendering_provider_is_an_athletic_trainer():
    trainer = Provider("Kim", "Dae", npi=npi("123123123"), credential=CredentialKind.ATHLETIC_TRAINER,
                       licence_number="AT-1")
    lines = tuple(replace(ln, rendering=trainer) for ln in PT_LINES)
    session = replace(SESSION, supervised_by=frozenset({trainer.npi}))
    found = findings(route1(claim=claim(lines=lines, rendering=trainer), sessions={501: session}),
                     "route.not_allowed")
    assert found and "not a licensed provider who may bill the service" in found[0].message


def test_route_3_self_pay_superbill_passes_with_an_exercise_code():
    assert codes(route3()) == []
    scrub_input = route3()
    assert payment_route(scrub_input, scrub_input.claim.lines[0]) is PaymentRoute.SELF_PAY


def test_route_3_refuses_a_therapy_code_on_an_mes_superbill():
    scrub_input = route3(claim=claim(lines=MES_LINES, rendering=MES), sessions={501: SESSION})
    found = findings(scrub_input, "route.not_allowed")
    assert len(found) == 2 and "is a therapy code" in found[0].message
    assert payment_route(scrub_input, scrub_input.claim.lines[0]) is None


@pytest.mark.parametrize("settings", [
    {"accepts_mes": True, "mes_codes": frozenset({"97110", "97530"})},
    {"allows_supervised_billing": True},
    {"accepts_mes": True, "allows_supervised_billing": True, "mes_codes": frozenset({"97110", "97530", "S9451"})},
])
def test_traditional_medicare_allows_no_route_for_an_mes_line_whatever_the_settings(settings):
    medicare = PayerSettings(kind=PayerKind.MEDICARE, route=ClaimRoute.X12_837P, ref=34, **settings)
    for scrub_input in (facts(payer=medicare), route1(payer=medicare)):
        found = findings(scrub_input, "route.not_allowed")
        assert len(found) == 2
        assert "Traditional Medicare does not pay" in found[0].message
        assert "self-pay" in found[0].fix
        assert not any(f.overridable for f in found)
        assert payment_route(scrub_input, scrub_input.claim.lines[0]) is None


def test_medicare_advantage_only_through_route_2():
    advantage = replace(ACCEPTS_MES, kind=PayerKind.MEDICARE_ADVANTAGE)
    assert codes(facts(payer=advantage)) == []
    # Route 1 is not open to a Medicare Advantage plan, even with supervision on record.
    found = findings(route1(payer=replace(SUPERVISED, kind=PayerKind.MEDICARE_ADVANTAGE)), "route.not_allowed")
    assert found and "supplemental benefits" in found[0].message


def test_a_pt_who_performs_and_renders_needs_no_route_even_under_medicare():
    medicare = PayerSettings(kind=PayerKind.MEDICARE, route=ClaimRoute.X12_837P)
    lines = tuple(replace(ln, performed_by=PT, modifiers=("GP",)) for ln in PT_LINES)
    assert not [c for c in codes(facts(payer=medicare, claim=claim(lines=lines, rendering=PT)))
                if c.startswith("route.")]


def test_a_line_whose_performer_is_unknown_is_refused():
    lines = (line("97110", 2, "90.00", rendering=None, performed_by=None),)
    found = findings(facts(claim=claim(lines=lines, rendering=None)), "route.performer_unknown")
    assert found and not found[0].overridable


ROUTES = {
    "route 1": route1,
    "route 2": facts,
    "route 3": route3,
    "medicare": lambda **c: facts(payer=PayerSettings(kind=PayerKind.MEDICARE, route=ClaimRoute.X12_837P), **c),
}


@pytest.mark.parametrize("route", ROUTES)
def test_gp_modifier_on_an_mes_line_is_refused_under_every_route(route):
    base = ROUTES[route]()
    lines = (replace(base.claim.lines[0], modifiers=("GP",)), *base.claim.lines[1:])
    found = findings(replace(base, claim=replace(base.claim, lines=lines)), "route.gp_modifier")
    assert len(found) == 1
    assert "Jonas Lindqvist (Medical Exercise Specialist (MES))" in found[0].message
    assert not found[0].overridable
    assert found[0].target == ("claims.line", None)


@pytest.mark.parametrize("route", ROUTES)
def test_a_hand_typed_kx_on_an_mes_line_is_refused_under_every_route(route):
    base = ROUTES[route]()
    lines = (replace(base.claim.lines[0], modifiers=("KX",)), *base.claim.lines[1:])
    all_findings = scrub(replace(base, claim=replace(base.claim, lines=lines)), lookup_diagnosis=lookup)
    found = [f for f in all_findings if f.code == "route.kx_modifier"]
    assert len(found) == 1 and not found[0].overridable
    assert "never therapy" in found[0].message and "Remove the KX modifier" in found[0].fix
    assert not may_export(all_findings, {f.key: "The payer told us to" for f in all_findings})


def test_kx_on_a_therapists_own_line_is_no_route_finding():
    therapist = replace(MES_LINES[0], rendering=PT, performed_by=PT, modifiers=("KX",))
    scrub_input = facts(claim=claim(lines=(therapist,), rendering=PT),
                        payer=PayerSettings(kind=PayerKind.MEDICARE, route=ClaimRoute.X12_837P))
    assert not findings(scrub_input, "route.kx_modifier")


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("code", ["97161", "97162", "97163", "97164"])
def test_pt_evaluation_codes_on_an_mes_line_are_refused_under_every_route(route, code):
    base = ROUTES[route]()
    lines = (*base.claim.lines, replace(base.claim.lines[0], code=code, units=1, line_control_number="EV"))
    found = findings(replace(base, claim=replace(base.claim, lines=lines)), "route.pt_evaluation")
    assert len(found) == 1 and found[0].line == "EV" and not found[0].overridable


@pytest.mark.parametrize("route", ROUTES)
def test_route_findings_block_export_even_with_an_override(route):
    base = ROUTES[route]()
    lines = (replace(base.claim.lines[0], modifiers=("GP",)), *base.claim.lines[1:])
    all_findings = scrub(replace(base, claim=replace(base.claim, lines=lines)), lookup_diagnosis=lookup)
    overrides = {f.key: "The payer told us to" for f in all_findings}
    assert [f.code for f in export_blockers(all_findings, overrides) if f.code.startswith("route.")]
    assert not may_export(all_findings, overrides)


def test_coaching_codes_need_the_coaching_credential():
    payer = replace(ACCEPTS_MES, mes_codes=frozenset({"0592T"}))
    session = SessionFacts(501, DAY, signed=True, total_minutes=40)
    scrub_input = facts(payer=payer, sessions={501: session},
                        claim=claim(lines=(line("0592T", 1, "80.00", rendering=MES),), rendering=MES))
    found = findings(scrub_input, "route.coaching_credential")
    assert found and not found[0].overridable
    coach = replace(MES, coaching_credential=True)
    scrub_input = replace(scrub_input, claim=claim(lines=(line("0592T", 1, "80.00", rendering=coach,
                                                               performed_by=coach),), rendering=coach))
    assert codes(scrub_input) == []


# --- The other rules: one pass and one fail each ---------------------------------------------------


def test_overridable_findings_are_released_only_by_a_reason():
    scrub_input = facts(eligibility=None)
    found = scrub(scrub_input, lookup_diagnosis=lookup)
    assert [f.code for f in found] == ["eligibility.unverified"]
    assert not may_export(found)
    assert not may_export(found, {"eligibility.unverified": "   "})
    assert may_export(found, {"eligibility.unverified": "Payer confirmed by phone, ref 8812"})


def test_session_must_be_signed():
    assert "session.unsigned" in codes(facts(sessions={501: replace(SESSION, signed=False)}))
    assert "session.unsigned" not in codes(facts())


def test_line_must_link_to_a_session():
    assert "session.missing" in codes(facts(sessions={}))
    assert "session.missing" not in codes(facts())


def test_line_date_must_be_the_session_date():
    assert "session.date" in codes(facts(sessions={501: replace(SESSION, service_date=date(2026, 2, 17))}))


def test_scope_guard_flags_on_the_note():
    found = findings(facts(sessions={501: replace(SESSION, scope_flags=("tendinitis",))}), "note.scope")
    assert len(found) == 1 and "\u201ctendinitis\u201d" in found[0].message and found[0].overridable
    assert found[0].target == ("sessions.session", 501)
    assert not findings(facts(), "note.scope")


def test_the_current_plan_must_be_signed_before_billing():
    """Issue 16 ("The Plan of Exercise is signed"): the scrubber asks for a signed current plan."""
    unsigned = findings(facts(plan=PlanFact(3, measurable_goals=2, signed=False)), "plan.unsigned")
    assert unsigned and "Version 3" in unsigned[0].message and not unsigned[0].overridable
    assert unsigned[0].target[0] == "plans.sign"
    assert "plan.missing" in codes(facts(plan=None))
    assert not {"plan.missing", "plan.unsigned"} & set(codes(facts()))


def test_readiness_is_the_charts_own_checklist():
    found = findings(facts(readiness=ready(intake_complete=False)), "chart.intake")
    assert found and found[0].message == "Health-history intake: Started, not finished."
    assert found[0].target == ("clients.chart", 7)
    assert "chart.clearance" in codes(facts(readiness=ready(clearance_required=True)))
    stale = ConsentFact("informed_consent", "Informed consent", False, True)
    assert "chart.consent:informed_consent" in codes(facts(readiness=ready(consents=(stale,))))
    assert "chart.demographics" in codes(facts(readiness=ready(demographics_complete=False)))
    # Not a billing matter: the emergency contact.
    assert codes(facts(readiness=ready(emergency_contact=False))) == []
    assert "chart.unknown" in codes(facts(readiness=None))


def test_referral_active_on_the_date():
    referral = facts().referral
    assert "referral.expired" in codes(facts(referral=replace(referral, expires_on=date(2026, 2, 1))))
    assert "referral.not_started" in codes(facts(referral=replace(referral, referred_on=date(2026, 2, 20))))
    assert "referral.closed" in codes(facts(referral=replace(referral, closed_on=date(2026, 2, 10))))
    assert "referral.order" in codes(facts(referral=replace(referral, order_on_file=False)))
    assert not [c for c in codes(facts()) if c.startswith("referral.")]


def test_referral_visits_left():
    referral = facts().referral
    assert "referral.visits" in codes(facts(referral=replace(referral, authorized_visits=3, visits_used=3)))
    assert "referral.visits" not in codes(facts(referral=replace(referral, authorized_visits=4, visits_used=3)))


def test_referral_required_by_the_payer():
    payer = replace(ACCEPTS_MES, requires_referral=True)
    assert "referral.missing" in codes(facts(payer=payer, referral=None))
    assert "referral.missing" not in codes(facts(payer=payer))


def test_authorisation_with_visits_left_on_the_date():
    payer = replace(ACCEPTS_MES, requires_authorisation=True)
    assert "authorisation.missing" in codes(facts(payer=payer))
    auth = AuthorisationFacts("PA-7731", date(2026, 1, 15), date(2026, 3, 15), visits_authorised=8, visits_used=2)
    assert not [c for c in codes(facts(payer=payer, authorisation=auth)) if c.startswith("authorisation.")]
    assert "authorisation.dates" in codes(facts(payer=payer, authorisation=replace(auth, ends_on=date(2026, 2, 1))))
    assert "authorisation.visits" in codes(facts(payer=payer, authorisation=replace(auth, visits_used=8)))


def test_date_inside_coverage():
    assert "coverage.dates" in codes(facts(coverage=CoverageFacts(date(2025, 1, 1), date(2026, 1, 31))))
    assert "coverage.dates" in codes(facts(coverage=CoverageFacts(date(2026, 3, 1), None)))
    assert "coverage.missing" in codes(facts(coverage=None))
    assert "coverage.dates" not in codes(facts())


def test_inside_timely_filing():
    assert "filing.late" in codes(facts(payer=replace(ACCEPTS_MES, timely_filing_days=10)))
    soon = findings(facts(payer=replace(ACCEPTS_MES, timely_filing_days=20)), "filing.soon")
    assert soon and soon[0].severity is Severity.WARNING
    assert may_export(scrub(facts(payer=replace(ACCEPTS_MES, timely_filing_days=20)), lookup_diagnosis=lookup))
    assert not [c for c in codes(facts()) if c.startswith("filing.")]


def test_eligibility_verified_before_the_first_billed_session_and_active():
    assert "eligibility.unverified" in codes(facts(eligibility=None))
    assert "eligibility.inactive" in codes(facts(eligibility=EligibilityFacts(date(2026, 1, 22), False)))
    assert "eligibility.late" in codes(facts(eligibility=EligibilityFacts(date(2026, 2, 20), True)))
    assert not [c for c in codes(facts()) if c.startswith("eligibility.")]
    # A self-pay superbill needs no eligibility check.
    assert "eligibility.unverified" not in codes(route3())


def test_billing_npi_and_tax_id():
    base = facts()
    bad_npi = replace(base.claim.billing_provider, npi="1234567890")
    assert "id.billing_npi" in codes(with_claim(billing_provider=bad_npi))
    bad_tax = replace(base.claim.billing_provider, tax_id="07-1234567")
    found = findings(with_claim(billing_provider=bad_tax), "id.tax_id")
    assert found and "No EIN starts with 07" in found[0].message and found[0].target == ("billing.provider", 1)
    short_zip = replace(base.claim.billing_provider, address=replace(base.claim.billing_provider.address,
                                                                      postal_code="60602"))
    assert "id.billing_zip" in codes(with_claim(billing_provider=short_zip))
    assert not [c for c in codes(base) if c.startswith("id.")]


def test_rendering_and_referring_npis():
    bad_mes = replace(MES, npi="1111111111")
    lines = tuple(replace(ln, rendering=bad_mes, performed_by=bad_mes) for ln in MES_LINES)
    found = findings(with_claim(lines=lines, rendering=bad_mes), "id.rendering_npi")
    assert len(found) == 1 and found[0].target == ("billing.rendering_provider", 12)
    base = facts()
    assert "id.referring_npi" in codes(with_claim(referring=replace(base.claim.referring, npi="12345")))


def test_member_id_and_payer_id():
    base = facts()
    assert "id.member_id" in codes(with_claim(subscriber=replace(base.claim.subscriber, member_id="GOLD PLAN")))
    assert "id.payer_id" in codes(with_claim(payer=Payer("Prairie Health Plan", PayerKind.COMMERCIAL)))
    # Paper claims carry no electronic payer ID.
    paper = replace(ACCEPTS_MES, route=ClaimRoute.PAPER_CMS1500)
    assert "id.payer_id" not in codes(replace(with_claim(payer=Payer("Paper", PayerKind.COMMERCIAL)), payer=paper))


def test_medicare_member_id_is_checked_as_an_mbi():
    medicare_pt = PayerSettings(kind=PayerKind.MEDICARE, route=ClaimRoute.X12_837P)
    lines = tuple(replace(ln, performed_by=PT) for ln in PT_LINES)
    base = facts(payer=medicare_pt, claim=claim(lines=lines, rendering=PT))
    assert "id.member_id" in codes(base)  # XQP123456789 is no MBI
    good = replace(base, claim=replace(base.claim, subscriber=replace(base.claim.subscriber, member_id="1EG4-TE5-MK73")))
    assert "id.member_id" not in codes(good)


def test_diagnosis_exists_and_is_billable():
    assert "diagnosis.unknown" in codes(with_claim(diagnoses=("M17.11", "Q99.99X")))
    found = findings(with_claim(diagnoses=("M17.1",)), "diagnosis.not_billable")
    assert found and found[0].target == ("clients.referral", 51) and not found[0].overridable
    assert "diagnosis.missing" in codes(with_claim(diagnoses=()))
    assert "diagnosis.pointer" in codes(with_claim(lines=(replace(MES_LINES[0], diagnosis_pointers=(3,)),
                                                          MES_LINES[1])))


@pytest.fixture(scope="module")
def real_icd10(tmp_path_factory):
    icd10.configure(tmp_path_factory.mktemp("icd10-cache"))
    yield
    icd10.configure(None)


def test_diagnoses_are_checked_against_icd10_cm_by_default(real_icd10):
    found = scrub(with_claim(diagnoses=("M17.11", "M17.1", "M17.99")))
    assert [f.code for f in found] == ["diagnosis.not_billable", "diagnosis.unknown"]


def test_units_match_documented_minutes_cms():
    # The example: 33 min of 97110 and 7 of 97530 are 2 + 1 units by total time.
    assert not [c for c in codes(facts()) if c.startswith("units.")]
    found = findings(with_claim(lines=(replace(MES_LINES[0], units=3), MES_LINES[1])), "units.mismatch")
    assert found and "bills 3 units" in found[0].message and "give 2" in found[0].message
    assert found[0].target == ("sessions.session", 501)


def test_units_match_documented_minutes_per_code():
    per_code = replace(ACCEPTS_MES, unit_method=UnitMethod.SUBSTANTIAL_PORTION)
    # Per code, 7 minutes of 97530 earn nothing: the same claim now bills a unit too many.
    found = findings(facts(payer=per_code), "units.under_8")
    assert found and found[0].line == "L2"
    assert not [c for c in codes(facts(payer=per_code, claim=claim(lines=MES_LINES[:1], rendering=MES)))
                if c.startswith("units.")]


def test_a_lone_timed_service_under_8_minutes_is_not_billed():
    session = replace(SESSION, timed_minutes={"97110": 7})
    found = findings(facts(sessions={501: session}, claim=claim(lines=(replace(MES_LINES[0], units=1),),
                                                                rendering=MES)), "units.under_8")
    assert found and "7 documented minutes" in found[0].message
    session = replace(SESSION, timed_minutes={"97110": 8})
    assert not [c for c in codes(facts(sessions={501: session}, claim=claim(lines=(replace(MES_LINES[0], units=1),),
                                                                            rendering=MES))) if c.startswith("units.")]


def test_documented_minutes_left_unbilled_are_a_warning():
    found = findings(with_claim(lines=MES_LINES[:1]), "units.unbilled")
    assert found and found[0].severity is Severity.WARNING


def test_minutes_no_route_could_bill_are_not_called_unbilled():
    # A superbill bills the session as S9451, never 97110; a payer taking only 97110 never gets 97530.
    session = replace(SELF_PAY_SESSION, timed_minutes={"97110": 40})
    assert "units.unbilled" not in codes(route3(sessions={501: session}))
    payer = replace(ACCEPTS_MES, mes_codes=frozenset({"97110"}))
    only_97110 = facts(payer=payer)
    assert "units.unbilled" not in codes(replace(only_97110, claim=replace(only_97110.claim, lines=MES_LINES[:1])))


def test_untimed_codes_are_one_unit_per_session():
    scrub_input = route3(claim=claim(lines=(line("S9451", 2, "150.00", rendering=MES),), rendering=MES))
    assert "units.untimed" in codes(scrub_input)
    assert "units.untimed" not in codes(route3())


def test_coaching_follow_up_needs_30_minutes():
    coach = replace(MES, coaching_credential=True)
    payer = replace(ACCEPTS_MES, mes_codes=frozenset({"0592T"}))
    lines = (line("0592T", 1, "80.00", rendering=coach, performed_by=coach),)
    short = facts(payer=payer, claim=claim(lines=lines, rendering=coach),
                  sessions={501: SessionFacts(501, DAY, True, total_minutes=25)})
    assert "units.minimum_time" in codes(short)


def test_unknown_codes_modifiers_units_and_charges():
    assert "code.unknown" in codes(with_claim(lines=(replace(MES_LINES[0], code="97140"), MES_LINES[1])))
    assert "code.modifier" in codes(with_claim(lines=(replace(MES_LINES[0], modifiers=("ZZ",)), MES_LINES[1])))
    assert "units.none" in codes(with_claim(lines=(replace(MES_LINES[0], units=0), MES_LINES[1])))
    assert "charge.none" in codes(with_claim(lines=(replace(MES_LINES[0], charge=Decimal(0)), MES_LINES[1])))


def test_replacements_and_voids_name_the_original():
    assert "claim.original_reference" in codes(with_claim(frequency=ClaimFrequency.REPLACEMENT))
    assert "claim.original_reference" not in codes(with_claim(frequency=ClaimFrequency.VOID,
                                                              original_reference="2026041500123"))


def test_every_finding_says_what_to_fix_and_where():
    broken = facts(eligibility=None, readiness=ready(intake_complete=False),
                   sessions={501: replace(SESSION, signed=False, scope_flags=("sciatica",))},
                   payer=replace(ACCEPTS_MES, kind=PayerKind.MEDICARE))
    found = scrub(broken, lookup_diagnosis=lookup)
    assert len(found) >= 5
    for finding in found:
        assert finding.message and finding.fix and finding.target[0] in FIX_TARGETS
        assert finding.key.startswith(finding.code)


def test_every_place_the_scrubber_names_is_in_the_one_table_of_places():
    """fixlinks.PLACES (keyed by rules.fixes.FIX_TARGETS) turns every scrubber target into a link."""
    import inspect
    import re

    from metpwa.rules import claim_scrubber

    named = set(re.findall(r'\("((?:clients|claims|billing|sessions|plans|referrals)\.[a-z_]+)",',
                           inspect.getsource(claim_scrubber)))
    assert named and named <= FIX_TARGETS, named - FIX_TARGETS


# --- NCCI pairs and the payer's distinct-service modifier ------------------------------------------

GAIT_LINES = (line("97530", 2, "100.00", rendering=MES), line("97116", 1, "45.00", number="L2", rendering=MES))
GAIT_SESSION = SessionFacts(501, DAY, signed=True, timed_minutes={"97530": 30, "97116": 15}, total_minutes=45)
GAIT_PAYER = replace(ACCEPTS_MES, mes_codes=frozenset({"97530", "97116"}), distinct_service_modifier="XS")


def verified(indicator):
    return (NcciPair("97530", "97116", indicator, verified=True, version="2026Q1 test", source="test"),)


def gait(**changes) -> ScrubInput:
    values = {"claim": claim(lines=GAIT_LINES, rendering=MES), "payer": GAIT_PAYER, "sessions": {501: GAIT_SESSION}}
    values.update(changes)
    return facts(**values)


def test_an_unverified_ncci_pair_is_shown_as_a_warning_and_never_enforced():
    found = findings(gait(), "code.ncci_unverified")
    assert len(found) == 1 and found[0].severity is Severity.WARNING and found[0].line == "L2"
    assert "not checked against CMS" in found[0].message and "(XS)" in found[0].fix
    assert may_export(scrub(gait(), lookup_diagnosis=lookup))
    # Not on two different dates: an edit pairs codes on one date of service.
    apart = (GAIT_LINES[0], replace(GAIT_LINES[1], service_date=date(2026, 2, 17)))
    assert not findings(gait(claim=claim(lines=apart, rendering=MES)), "code.ncci_unverified")


def test_a_verified_pair_with_indicator_1_needs_the_distinct_modifier_on_column_two():
    found = findings(gait(ncci_pairs=verified("1")), "code.ncci_modifier")
    assert len(found) == 1 and found[0].overridable and "carries XS" in found[0].fix
    with_xs = (GAIT_LINES[0], replace(GAIT_LINES[1], modifiers=("XS",)))
    passing = gait(ncci_pairs=verified("1"), claim=claim(lines=with_xs, rendering=MES))
    assert codes(passing) == []


def test_a_verified_pair_with_indicator_0_cannot_be_paid_both_ways():
    found = findings(gait(ncci_pairs=verified("0")), "code.ncci_exclusive")
    assert len(found) == 1 and "indicator 0" in found[0].message


def test_a_distinct_modifier_other_than_the_payers_is_explained():
    with_59 = (GAIT_LINES[0], replace(GAIT_LINES[1], modifiers=("59",)))
    found = findings(gait(ncci_pairs=(), claim=claim(lines=with_59, rendering=MES)), "code.distinct_modifier")
    assert len(found) == 1 and found[0].severity is Severity.WARNING
    assert "asks for XS" in found[0].message and found[0].target == ("billing.payer", 31)
    # 59 is right for a payer that keeps the default.
    assert not findings(gait(ncci_pairs=(), payer=replace(GAIT_PAYER, distinct_service_modifier="59"),
                             claim=claim(lines=with_59, rendering=MES)), "code.distinct_modifier")

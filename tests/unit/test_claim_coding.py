"""Which codes a signed session goes out under, by route: the payer's setting decides, the route rule
refuses traditional Medicare for an MES, and no line an MES performs ever carries GP or a PT evaluation code."""

from decimal import Decimal

import pytest

from metpwa.rules.claim_coding import (
    ClaimCodingError,
    CodedLine,
    Coding,
    CodingPayer,
    code_session,
    distinct_service_codes,
    gp_may_apply,
    kx_codes,
    kx_may_apply,
    with_modifiers,
)
from metpwa.standards.billing import (
    DISTINCT_SERVICE_MODIFIERS,
    DISTINCT_SERVICE_PAIRS,
    EXCLUSIVE_PAIRS,
    MODIFIERS,
    NCCI_PAIRS,
    KX_THRESHOLDS,
    PT_EVALUATION_CODES,
    ClaimRoute,
    PayerKind,
    PaymentRoute,
    UnitMethod,
    ncci_pairs,
    procedure,
)

MINUTES = {"therapeutic_exercise": 33, "functional_activities": 7, "gait": 0, "neuromuscular_reeducation": 0}


def payer(kind=PayerKind.COMMERCIAL, route=ClaimRoute.X12_837P, method=UnitMethod.CMS_TOTAL_TIME, accepts=False,
          supervised=False, codes=()):
    return CodingPayer(kind, route, method, accepts, supervised, tuple(codes))


def coded(p, credential="mes", supervised=False, coaching=False, minutes=MINUTES):
    return code_session(p, credential=credential, coaching_credential=coaching, activity_minutes=minutes,
                        supervised=supervised)


def test_route_two_bills_the_payers_timed_codes_by_the_cms_method():
    result = coded(payer(accepts=True, codes=("97110", "97530")))
    assert result.route is PaymentRoute.PAYER_ACCEPTS_MES
    assert [(ln.code, ln.units, ln.minutes) for ln in result.lines] == [("97110", 2, 33), ("97530", 1, 7)]


def test_per_code_method_drops_the_seven_minutes():
    result = coded(payer(accepts=True, codes=("97110", "97530"), method=UnitMethod.SUBSTANTIAL_PORTION))
    assert [(ln.code, ln.units) for ln in result.lines] == [("97110", 2)]


def test_route_two_with_only_an_untimed_code_is_one_unit_per_session():
    result = coded(payer(accepts=True, codes=("S9451",)))
    assert [(ln.code, ln.units, ln.minutes) for ln in result.lines] == [("S9451", 1, None)]


def test_coaching_codes_only_with_the_credential():
    assert coded(payer(accepts=True, codes=("0592T", "S9451"))).lines[0].code == "S9451"
    assert coded(payer(accepts=True, codes=("0592T", "S9451")), coaching=True).lines[0].code == "0592T"


def test_route_one_needs_supervision_on_record():
    with pytest.raises(ClaimCodingError, match="no supervision"):
        coded(payer(supervised=True))
    result = coded(payer(supervised=True), supervised=True)
    assert result.route is PaymentRoute.LICENSED_SUPERVISOR and result.supervisor_renders


def test_traditional_medicare_refuses_an_mes_under_every_setting():
    for accepts in (False, True):
        for supervised in (False, True):
            with pytest.raises(ClaimCodingError, match="230.5"):
                coded(payer(kind=PayerKind.MEDICARE, accepts=accepts, supervised=supervised, codes=("97110",)),
                      supervised=True)


def test_medicare_advantage_only_through_route_two():
    with pytest.raises(ClaimCodingError, match="pays privately"):
        coded(payer(kind=PayerKind.MEDICARE_ADVANTAGE, supervised=True), supervised=True)
    assert coded(payer(kind=PayerKind.MEDICARE_ADVANTAGE, accepts=True, codes=("S9451",))).lines[0].code == "S9451"


def test_superbill_never_carries_a_therapy_code():
    result = coded(payer(kind=PayerKind.SELF_PAY, route=ClaimRoute.SUPERBILL, codes=("97110", "97161")))
    assert result.route is PaymentRoute.SELF_PAY and [ln.code for ln in result.lines] == ["S9451"]


def test_no_route_ever_yields_a_pt_evaluation_code():
    for p in (payer(accepts=True, codes=tuple(PT_EVALUATION_CODES)), payer(kind=PayerKind.SELF_PAY,
              route=ClaimRoute.SUPERBILL, codes=tuple(PT_EVALUATION_CODES))):
        try:
            result = coded(p)
        except ClaimCodingError:
            continue
        assert not {ln.code for ln in result.lines} & PT_EVALUATION_CODES


def test_a_payer_with_no_route_and_a_lone_short_service_are_refused():
    with pytest.raises(ClaimCodingError, match="self-pay"):
        coded(payer())
    with pytest.raises(ClaimCodingError, match="minutes earn"):
        coded(payer(accepts=True, codes=("97110",)), minutes={"therapeutic_exercise": 7})
    with pytest.raises(ClaimCodingError, match="under 8 minutes"):
        coded(payer(), credential="pt", minutes={"therapeutic_exercise": 7})


def test_a_therapist_bills_the_timed_codes():
    result = coded(payer(), credential="pt")
    assert result.route is None and [ln.code for ln in result.lines] == ["97110", "97530"]


# --- Modifiers: KX past the year's therapy threshold, 59 on a known NCCI pair ----------------------
# Sources: standards.md "Modifiers" (KX threshold $2,410 in 2025, $2,480 in 2026; 59 / X{EPSU} for
# distinct procedures), standards.billing.KX_THRESHOLDS (CMS_KX) and DISTINCT_SERVICE_PAIRS (CMS_NCCI_X).

RATES = {"97110": Decimal("45.00"), "97530": Decimal("50.00"), "97112": Decimal("48.00"), "S9451": Decimal(65)}
THERAPIST_LINES = (CodedLine("97110", 2, 33), CodedLine("97530", 1, 7))
# A pair given by the test, not shipped: standards.md lists no NCCI pair yet (none is invented).
PAIR = frozenset({("97530", "97110")})


def modifiers(coding):
    return {line.code: line.modifiers for line in coding.lines}


def test_the_threshold_table_holds_the_values_standards_md_gives():
    assert KX_THRESHOLDS[2025] == Decimal(2410) and KX_THRESHOLDS[2026] == Decimal(2480)


def test_kx_only_on_the_lines_that_pass_the_years_threshold():
    # 2026: $2,480. 2,400 before; 97110 x2 at $45 brings it to 2,490, past it; 97530 after it too.
    assert kx_codes(THERAPIST_LINES, year=2026, allowed_before=Decimal(2400), allowed_per_unit=RATES) == {
        "97110", "97530"}
    # 2,400 + 90 = 2,490 is past 2,480 only in 2026's table; with 2,350 before, 97110 stays under (2,440)
    # and 97530 takes it to 2,490.
    assert kx_codes(THERAPIST_LINES, year=2026, allowed_before=Decimal(2350), allowed_per_unit=RATES) == {"97530"}
    # Reaching the threshold exactly is not passing it.
    assert kx_codes(THERAPIST_LINES, year=2026, allowed_before=Decimal(2340), allowed_per_unit=RATES) == set()
    # The year's own value: 2,440 passes 2025's $2,410 but not 2026's $2,480.
    assert kx_codes(THERAPIST_LINES[:1], year=2025, allowed_before=Decimal(2350), allowed_per_unit=RATES) == {
        "97110"}
    assert kx_codes(THERAPIST_LINES[:1], year=2026, allowed_before=Decimal(2350), allowed_per_unit=RATES) == set()


def test_kx_never_on_an_untimed_code_nor_for_a_year_the_table_lacks():
    assert kx_codes((CodedLine("S9451", 1, None),), year=2026, allowed_before=Decimal(9000),
                    allowed_per_unit=RATES) == set()
    assert kx_codes(THERAPIST_LINES, year=2031, allowed_before=Decimal(9000), allowed_per_unit=RATES) == set()


def test_kx_only_for_medicare_style_payers_on_lines_a_licensed_provider_renders():
    assert kx_may_apply(PayerKind.MEDICARE, None)
    assert kx_may_apply(PayerKind.MEDICARE_ADVANTAGE, PaymentRoute.LICENSED_SUPERVISOR)
    # Never an MES's line (route 2) nor a superbill, and not for a payer that does not use the threshold.
    assert not kx_may_apply(PayerKind.MEDICARE_ADVANTAGE, PaymentRoute.PAYER_ACCEPTS_MES)
    assert not kx_may_apply(PayerKind.MEDICARE, PaymentRoute.SELF_PAY)
    assert not kx_may_apply(PayerKind.COMMERCIAL, None)


def test_the_builder_adds_kx_for_a_therapist_past_the_threshold_and_never_for_an_mes():
    therapist = coded(payer(kind=PayerKind.MEDICARE), credential="pt")
    past = with_modifiers(therapist, payer_kind=PayerKind.MEDICARE, year=2026, allowed_before=Decimal(2470),
                          allowed_per_unit=RATES)
    assert modifiers(past) == {"97110": ("GP", "KX"), "97530": ("GP", "KX")}
    under = with_modifiers(therapist, payer_kind=PayerKind.MEDICARE, year=2026, allowed_before=Decimal(100),
                           allowed_per_unit=RATES)
    assert modifiers(under) == {"97110": ("GP",), "97530": ("GP",)}
    mes = coded(payer(kind=PayerKind.MEDICARE_ADVANTAGE, accepts=True, codes=("97110", "97530")))
    assert mes.route is PaymentRoute.PAYER_ACCEPTS_MES
    assert modifiers(with_modifiers(mes, payer_kind=PayerKind.MEDICARE_ADVANTAGE, year=2026,
                                    allowed_before=Decimal(9000), allowed_per_unit=RATES)) == {
        "97110": (), "97530": ()}


def test_no_ncci_pair_is_enforced_until_it_is_verified_in_cms_table():
    # Every shipped pair comes from secondary sources, says so, and names them; none is verified, so
    # the builder acts on none (the scrubber shows them as warnings).
    assert NCCI_PAIRS and all(not pair.verified and pair.version is None and pair.source for pair in NCCI_PAIRS)
    assert all(pair.modifier_indicator in (None, "0", "1", "9") for pair in NCCI_PAIRS)
    assert DISTINCT_SERVICE_PAIRS == frozenset() and EXCLUSIVE_PAIRS == frozenset()
    assert distinct_service_codes(["97530", "97116"]) == set()
    assert ncci_pairs(verified=False) == NCCI_PAIRS and ncci_pairs(verified=True) == ()
    # Only codes the app's table holds.
    assert all(procedure(pair.column1) and procedure(pair.column2) for pair in NCCI_PAIRS)


def test_the_payers_distinct_service_choices_are_59_and_the_x_modifiers():
    assert DISTINCT_SERVICE_MODIFIERS == ("59", "XE", "XS", "XP", "XU")
    assert all(MODIFIERS[code].distinct_service for code in DISTINCT_SERVICE_MODIFIERS)


def test_59_goes_on_the_column_two_code_of_a_known_pair_when_both_are_on_the_claim():
    assert distinct_service_codes(["97530", "97110"], PAIR) == {"97110"}
    assert distinct_service_codes(["97110", "97112"], PAIR) == set()
    assert distinct_service_codes(["97110"], PAIR) == set()
    # Untimed codes are not paired by this rule.
    assert distinct_service_codes(["S9451", "97110"], frozenset({("S9451", "97110")})) == set()


def test_gp_then_59_then_kx_and_never_gp_on_an_mes_line():
    therapist = Coding(None, THERAPIST_LINES)
    result = with_modifiers(therapist, payer_kind=PayerKind.MEDICARE, year=2026, allowed_before=Decimal(2470),
                            allowed_per_unit=RATES, pairs=PAIR)
    assert modifiers(result) == {"97110": ("GP", "59", "KX"), "97530": ("GP", "KX")}
    # A distinct-service modifier on an MES's line too (it says nothing about who rendered); no KX there.
    mes = Coding(PaymentRoute.PAYER_ACCEPTS_MES, THERAPIST_LINES)
    assert modifiers(with_modifiers(mes, payer_kind=PayerKind.COMMERCIAL, year=2026, pairs=PAIR)) == {
        "97110": ("59",), "97530": ()}
    # The payer's setting (Payer.distinct_service_modifier) picks 59 or an X modifier.
    assert modifiers(with_modifiers(mes, payer_kind=PayerKind.COMMERCIAL, year=2026, pairs=PAIR,
                                    distinct_modifier="XS"))["97110"] == ("XS",)
    mes_lines = with_modifiers(mes, payer_kind=PayerKind.MEDICARE_ADVANTAGE, year=2026, pairs=PAIR).lines
    assert all("GP" not in line.modifiers for line in mes_lines)


def test_gp_only_on_a_therapists_own_therapy_lines_for_medicare_and_medicare_advantage():
    # Medicare wants GP on every therapy line under a PT plan of care (100-04 ch. 5 sec. 20.1).
    assert gp_may_apply(PayerKind.MEDICARE, None) and gp_may_apply(PayerKind.MEDICARE_ADVANTAGE, None)
    # Route 1 (an MES performed it, a licensed provider renders), route 2 and superbills: never.
    for route in (PaymentRoute.LICENSED_SUPERVISOR, PaymentRoute.PAYER_ACCEPTS_MES, PaymentRoute.SELF_PAY):
        assert not gp_may_apply(PayerKind.MEDICARE_ADVANTAGE, route)
    # Other payers' rules are not guessed.
    assert not gp_may_apply(PayerKind.COMMERCIAL, None)
    supervised = coded(payer(supervised=True), supervised=True)
    assert supervised.route is PaymentRoute.LICENSED_SUPERVISOR
    assert all(not line.modifiers for line in with_modifiers(
        supervised, payer_kind=PayerKind.MEDICARE_ADVANTAGE, year=2026).lines)
    # An untimed code that is not therapy (S9451) never takes GP, even on a therapist's claim.
    mixed = Coding(None, (*THERAPIST_LINES, CodedLine("S9451", 1, None)))
    assert modifiers(with_modifiers(mixed, payer_kind=PayerKind.MEDICARE, year=2026))["S9451"] == ()

"""Which codes a signed session goes out under, by route: the payer's setting decides, the route rule
refuses traditional Medicare for an MES, and no route ever yields GP or a PT evaluation code."""

import pytest

from metpwa.rules.claim_coding import ClaimCodingError, CodingPayer, code_session
from metpwa.standards.billing import PT_EVALUATION_CODES, ClaimRoute, PayerKind, PaymentRoute, UnitMethod

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

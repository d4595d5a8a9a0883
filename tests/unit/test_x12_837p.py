"""The 837P writer: every generated batch passes pyx12's 005010X222A1 validation, and the segments
a payer reads (CLM, REF*F8, HI, SV1, counts and control numbers) say what the claims say."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from support.claims import (
    BILLING,
    CLIENT,
    MES,
    PT,
    SUBMITTER,
    claim,
    envelope,
    line,
    npi,
    pyx12_check,
    samples_dir,
    with_lines,
)

from metpwa.rules.claim_document import Address, Payer, Person, Provider, ServiceFacility, Subscriber
from metpwa.rules.x12_837p import MAX_LINES, write_837p
from metpwa.rules.x12_common import X12WriteError, amount, split_segments, text
from metpwa.standards.billing import ClaimFrequency, CredentialKind, PayerKind

SECOND_PAYER = Payer("Lakes Mutual", PayerKind.COMMERCIAL, payer_id="LKM22", claim_filing_indicator="12")
ADVANTAGE = Payer("Heartland Medicare Advantage", PayerKind.MEDICARE_ADVANTAGE, payer_id="HMA77")


def segments(x12: str) -> list[list[str]]:
    return split_segments(x12)[0]


def tagged(x12: str, tag: str) -> list[list[str]]:
    return [s for s in segments(x12) if s[0] == tag]


def assert_valid(x12: str) -> None:
    ok, errors = pyx12_check(x12)
    assert ok, "\n".join(errors) or "pyx12 said no without errors"


def test_the_validator_itself_passes_the_public_sample_and_refuses_a_broken_count():
    sample = (samples_dir() / "837p_uhin__837.edi").read_text()
    assert pyx12_check(sample)[0]
    assert not pyx12_check(sample.replace("SE*24*", "SE*23*"))[0]


def test_one_claim_one_line_is_valid_and_balanced():
    x12 = write_837p(envelope(), SUBMITTER, [claim()])
    assert_valid(x12)
    assert not x12.startswith("\ufeff")
    clm = tagged(x12, "CLM")[0]
    assert clm[1:3] == ["C1001", "90"]
    assert clm[5] == "11:B:1"
    assert tagged(x12, "HI")[0][1:] == ["ABK:M1711", "ABF:R2689"]
    assert tagged(x12, "SV1")[0][1:] == ["HC:97110", "90", "UN", "2", "", "", "1"]
    assert ["DTP", "472", "D8", "20260216"] in segments(x12)
    assert ["REF", "6R", "L1"] in segments(x12)


def test_se_ge_iea_counts_and_control_numbers():
    x12 = write_837p(envelope(interchange_control_number=4711, group_control_number=88), SUBMITTER,
                     [claim(), claim(patient_control_number="C1002")])
    all_segments = segments(x12)
    st_index = next(i for i, s in enumerate(all_segments) if s[0] == "ST")
    se_index = next(i for i, s in enumerate(all_segments) if s[0] == "SE")
    assert int(all_segments[se_index][1]) == se_index - st_index + 1
    assert all_segments[se_index][2] == all_segments[st_index][2] == "0001"
    assert tagged(x12, "GE")[0][1:] == ["1", "88"]
    assert tagged(x12, "GS")[0][6] == "88"
    assert tagged(x12, "IEA")[0][1:] == ["1", "000004711"]
    assert all_segments[0][13] == "000004711"
    assert tagged(x12, "GS")[0][8] == "005010X222A1"
    assert tagged(x12, "ST")[0][3] == "005010X222A1"
    assert_valid(x12)


def test_many_claims_and_lines_across_payers_and_subscribers_in_one_batch():
    other_client = Person("Nakamura", "Ken", date(1948, 11, 2), "M",
                          address=Address("5 E Oak St", "Chicago", "IL", "60611"))
    claims = []
    for n in range(12):
        lines = tuple(line(code, units=1 + (i % 3), charge=f"{45 + i}.50", number=f"L{n}-{i}",
                           day=date(2026, 2, 2 + i))
                      for i, code in enumerate(["97110", "97112", "97116", "97530"][: 1 + n % 4]))
        payer = [claim().payer, SECOND_PAYER, ADVANTAGE][n % 3]
        subscriber = Subscriber(other_client if n % 2 else CLIENT, member_id=f"M{n % 2}77889{n % 3}")
        claims.append(claim(patient_control_number=f"C2{n:03d}", lines=lines, payer=payer, subscriber=subscriber))
    x12 = write_837p(envelope(), SUBMITTER, claims)
    assert_valid(x12)
    assert len(tagged(x12, "CLM")) == 12
    assert len(tagged(x12, "SBR")) == len({(c.payer.payer_id, c.subscriber.member_id) for c in claims})
    # Claims are grouped under their subscriber; each CLM02 is its own lines' total.
    totals = {document.patient_control_number: document.total_charge for document in claims}
    assert {clm[1]: Decimal(clm[2]) for clm in tagged(x12, "CLM")} == totals
    assert tagged(x12, "SBR")[1][9] == "12"  # the payer's own filing indicator
    assert tagged(x12, "SBR")[2][9] == "16"  # Medicare Advantage: HMO Medicare risk


def test_a_replacement_carries_frequency_7_and_the_original_reference():
    x12 = write_837p(envelope(), SUBMITTER, [claim(frequency=ClaimFrequency.REPLACEMENT,
                                                   original_reference="2026041500123")])
    assert_valid(x12)
    assert tagged(x12, "CLM")[0][5] == "11:B:7"
    assert ["REF", "F8", "2026041500123"] in segments(x12)


def test_a_void_carries_frequency_8_and_the_original_reference():
    x12 = write_837p(envelope(), SUBMITTER, [claim(frequency=ClaimFrequency.VOID, original_reference="PAYER-9981")])
    assert_valid(x12)
    assert tagged(x12, "CLM")[0][5] == "11:B:8"
    assert ["REF", "F8", "PAYER9981"] in segments(x12)


def test_originals_replacements_and_voids_together():
    x12 = write_837p(envelope(), SUBMITTER, [
        claim(),
        claim(patient_control_number="C1002", frequency=ClaimFrequency.REPLACEMENT, original_reference="A1"),
        claim(patient_control_number="C1003", frequency=ClaimFrequency.VOID, original_reference="A2"),
    ])
    assert_valid(x12)
    assert [c[5] for c in tagged(x12, "CLM")] == ["11:B:1", "11:B:7", "11:B:8"]
    assert [r[2] for r in tagged(x12, "REF") if r[1] == "F8"] == ["A1", "A2"]


def test_a_replacement_without_the_original_reference_is_refused():
    with pytest.raises(X12WriteError, match="original claim"):
        write_837p(envelope(), SUBMITTER, [claim(frequency=ClaimFrequency.REPLACEMENT)])


def test_modifiers_pointers_and_a_line_place_of_service():
    document = with_lines(claim(diagnoses=("M17.11", "R26.89", "M62.81", "Z74.09", "R53.81")),
                          line("97110", 3, "135.00", modifiers=("KX", "59"), diagnosis_pointers=(1, 2, 3, 4)),
                          line("97530", 1, "47.25", number="L2", place_of_service="12", diagnosis_pointers=(5,)))
    x12 = write_837p(envelope(), SUBMITTER, [document])
    assert_valid(x12)
    sv1 = tagged(x12, "SV1")
    assert sv1[0][1] == "HC:97110:KX:59" and sv1[0][7] == "1:2:3:4"
    assert sv1[1][1] == "HC:97530" and sv1[1][2] == "47.25" and sv1[1][5] == "12" and sv1[1][7] == "5"
    assert tagged(x12, "CLM")[0][2] == "182.25"
    assert len(tagged(x12, "HI")[0]) == 6


def test_twelve_diagnoses_fit_and_thirteen_do_not():
    codes = ("M17.11", "M17.12", "R26.89", "M62.81", "Z74.09", "R53.81", "M25.561", "M25.562", "M54.50",
             "R26.2", "Z91.81", "M62.50")
    x12 = write_837p(envelope(), SUBMITTER, [claim(diagnoses=codes)])
    assert_valid(x12)
    assert tagged(x12, "HI")[0][12] == "ABF:M6250"
    with pytest.raises(X12WriteError, match="12 diagnosis"):
        write_837p(envelope(), SUBMITTER, [claim(diagnoses=(*codes, "R29.6"))])


def test_fifty_lines_fit_and_fifty_one_do_not():
    lines = [line("97110", 1, "45.00", number=f"L{i}", day=date(2026, 1, 1 + i % 28)) for i in range(MAX_LINES)]
    x12 = write_837p(envelope(), SUBMITTER, [with_lines(claim(), *lines)])
    assert_valid(x12)
    assert len(tagged(x12, "LX")) == 50
    with pytest.raises(X12WriteError, match="at most 50"):
        write_837p(envelope(), SUBMITTER, [with_lines(claim(), *lines, line(number="L99"))])


def test_rendering_provider_left_out_when_it_is_the_billing_provider():
    billing_as_rendering = Provider(BILLING.name, npi=BILLING.npi, organization=True)
    document = claim(rendering=billing_as_rendering,
                     lines=(line(rendering=billing_as_rendering),))
    x12 = write_837p(envelope(), SUBMITTER, [document])
    assert_valid(x12)
    assert not [s for s in tagged(x12, "NM1") if s[1] == "82"]


def test_a_line_rendered_by_someone_else_gets_its_own_rendering_loop():
    other_pt = Provider("Brennan", "Liam", npi=npi("156789012"), credential=CredentialKind.PT)
    document = with_lines(claim(), line(), line("97112", 1, "50.00", number="L2", rendering=other_pt))
    x12 = write_837p(envelope(), SUBMITTER, [document])
    assert_valid(x12)
    rendering = [s for s in tagged(x12, "NM1") if s[1] == "82"]
    assert [s[3] for s in rendering] == ["OKAFOR", "BRENNAN"]


def test_a_dependent_patient_gets_a_patient_loop():
    child = Person("Whitfield", "Rosa", date(2009, 6, 1), "F", address=CLIENT.address)
    document = claim(patient=child, subscriber=Subscriber(CLIENT, "XQP123456789", "GRP7781",
                                                          patient_relationship="child"))
    x12 = write_837p(envelope(), SUBMITTER, [document, claim(patient_control_number="C1002")])
    assert_valid(x12)
    assert ["PAT", "19"] in segments(x12)
    assert next(s for s in tagged(x12, "NM1") if s[1] == "QC")[3:5] == ["WHITFIELD", "ROSA"]
    assert tagged(x12, "SBR")[0][2] == ""  # the insured is not the patient
    hls = tagged(x12, "HL")
    assert [h[3] for h in hls] == ["20", "22", "23", "22"]


def test_a_service_facility_and_prior_authorisation_and_referral_number():
    facility = ServiceFacility("Lakeshore Annex", Address("2 S State St", "Chicago", "IL", "60603"),
                               npi=npi("134567890"))
    x12 = write_837p(envelope(), SUBMITTER, [claim(service_facility=facility, prior_authorisation="AUTH-55",
                                                   referral_number="RF9")])
    assert_valid(x12)
    assert ["REF", "G1", "AUTH55"] in segments(x12)
    assert ["REF", "9F", "RF9"] in segments(x12)
    assert next(s for s in tagged(x12, "NM1") if s[1] == "77")[3] == "LAKESHORE ANNEX"


def test_two_billing_providers_make_two_transactions():
    other_billing = replace(BILLING, name="Grace Okafor PT", npi=npi("112233445"), tax_id="98-7654321")
    x12 = write_837p(envelope(), SUBMITTER, [claim(), claim(patient_control_number="C9", billing_provider=other_billing)])
    assert_valid(x12)
    assert [s[2] for s in tagged(x12, "ST")] == ["0001", "0002"]
    assert tagged(x12, "GE")[0][1] == "2"


def test_delimiters_and_accents_in_names_do_not_break_the_file():
    tricky = replace(CLIENT, last_name="O'Brien*Núñez~", first_name="Zoë:^")
    x12 = write_837p(envelope(), SUBMITTER, [claim(subscriber=Subscriber(tricky, "XQP123456789"))])
    assert_valid(x12)
    assert next(s for s in tagged(x12, "NM1") if s[1] == "IL")[3:5] == ["O'BRIEN NUNEZ", "ZOE"]


def test_line_breaks_are_optional_and_both_forms_are_valid():
    compact = write_837p(envelope(), SUBMITTER, [claim()])
    readable = write_837p(envelope(), SUBMITTER, [claim()], line_breaks=True)
    assert "\n" not in compact and readable.replace("\n", "") == compact
    assert_valid(readable)


@pytest.mark.parametrize(("value", "expected"), [
    ("100.00", "100"), ("85.50", "85.5"), ("0.05", "0.05"), ("1234.56", "1234.56"), ("0", "0"), ("10", "10"),
])
def test_money_is_formatted_as_an_x12_decimal(value, expected):
    assert amount(Decimal(value)) == expected


@pytest.mark.parametrize("bad", [Decimal("1.005"), Decimal("NaN"), 12.5])
def test_money_that_is_not_cents_is_refused(bad):
    with pytest.raises(X12WriteError):
        amount(bad)


@pytest.mark.parametrize(("change", "message"), [
    ({"lines": ()}, "at least one service line"),
    ({"diagnoses": ()}, "at least one diagnosis"),
    ({"patient_control_number": "X" * 21}, "patient control number"),
    ({"payer": Payer("Paper Only", PayerKind.COMMERCIAL)}, "electronic payer ID"),
    ({"lines": (line(diagnosis_pointers=(3,)),)}, "diagnosis the claim does not have"),
    ({"lines": (line(diagnosis_pointers=(1, 2, 1, 2, 1)),)}, "1 to 4"),
    ({"lines": (line(units=0),)}, "no units"),
    ({"lines": (line(modifiers=("KX", "59", "XE", "XS", "XU")),)}, "modifiers"),
    ({"rendering": replace(MES, npi=None), "lines": (line(rendering=None),)}, "has no NPI"),
    ({"billing_provider": replace(BILLING, address=replace(BILLING.address, postal_code="60602"))}, "ZIP"),
])
def test_claims_that_cannot_make_a_valid_file_are_refused_with_a_reason(change, message):
    with pytest.raises(X12WriteError, match=message):
        write_837p(envelope(), SUBMITTER, [claim(**change)])


def test_text_cleaning():
    assert text("  Ana   María*Ruiz~ ") == "ANA MARIA RUIZ"
    assert text("x" * 80, 60) == "X" * 60


def test_mes_performed_lines_print_the_rendering_provider_not_the_performer():
    x12 = write_837p(envelope(), SUBMITTER, [claim(lines=(line(performed_by=MES, rendering=PT),))])
    assert "LINDQVIST" not in x12
    assert PT.npi in x12

"""The CMS-1500 (02/12) mapping: the boxes standards.md lists, filled from one claim, and long claims
split six lines to a form."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from support.claims import BILLING_NPI, CLIENT, PT_NPI, REFERRING_NPI, claim, line, npi, with_lines

from metpwa.rules.claim_document import Address, Person, ServiceFacility, Subscriber
from metpwa.rules.cms1500 import Cms1500Error, cms1500_forms
from metpwa.standards.billing import ClaimFrequency


def test_one_form_with_every_box_the_practice_fills():
    document = with_lines(claim(prior_authorisation="PA-7731"),
                          line("97110", 2, "90.00", modifiers=("KX",), diagnosis_pointers=(1, 2)),
                          line("97530", 1, "45.00", number="L2", diagnosis_pointers=(2,)))
    [form] = cms1500_forms(document)
    boxes = form.boxes
    assert boxes["1"] == "Group Health Plan"
    assert boxes["1a"] == "XQP123456789"
    assert boxes["2"] == "WHITFIELD, MARGARET"
    assert (boxes["3"], boxes["3_sex"]) == ("03 14 1951", "F")
    assert boxes["4"] == "WHITFIELD, MARGARET" and boxes["6"] == "Self"
    assert boxes["11"] == "GRP7781"
    assert (boxes["17_qualifier"], boxes["17"], boxes["17b"]) == ("DN", "ANA REYES", REFERRING_NPI)
    assert boxes["21_indicator"] == "0"
    assert (boxes["21A"], boxes["21B"]) == ("M1711", "R2689") and "21C" not in boxes
    assert boxes["23"] == "PA-7731"
    assert (boxes["25"], boxes["25_kind"]) == ("361234567", "EIN")
    assert boxes["26"] == "C1001" and boxes["27"] == "Yes"
    assert boxes["28"] == "135.00"
    assert boxes["31"] == "SIGNATURE ON FILE"
    assert (boxes["33"], boxes["33a"], boxes["33_zip"]) == ("LAKESHORE MEDICAL EXERCISE LLC", BILLING_NPI, "606021234")
    assert boxes["page"] == "1 of 1" and "22_code" not in boxes and "32" not in boxes
    first, second = form.lines
    assert (first.date_from, first.place_of_service, first.code, first.modifiers) == ("02 16 26", "11", "97110", ("KX",))
    assert (first.diagnosis_pointer, first.charge, first.units, first.rendering_npi) == ("AB", Decimal("90.00"), 2,
                                                                                          PT_NPI)
    assert (first.charge_dollars, first.charge_cents) == ("90", "00")
    assert second.diagnosis_pointer == "B"
    assert form.total_charge == document.total_charge


def test_a_claim_of_thirteen_lines_goes_on_three_forms_each_with_its_own_total():
    lines = [line("97110", 1, f"{40 + i}.25", number=f"L{i}", day=date(2026, 2, 1 + i)) for i in range(13)]
    document = with_lines(claim(), *lines)
    forms = cms1500_forms(document)
    assert [len(form.lines) for form in forms] == [6, 6, 1]
    assert [form.boxes["page"] for form in forms] == ["1 of 3", "2 of 3", "3 of 3"]
    assert sum(Decimal(form.boxes["28"]) for form in forms) == document.total_charge
    assert forms[2].boxes["28"] == "52.25"
    assert all(form.boxes["1a"] == "XQP123456789" for form in forms)
    assert [row.date_from for form in forms for row in form.lines][-1] == "02 13 26"


def test_a_dependent_patient_and_the_insured_differ():
    child = Person("Whitfield", "Rosa", date(2009, 6, 1), "F", middle_name="June",
                   address=Address("88 N Lake Shore Dr", "Chicago", "IL", "60611"))
    [form] = cms1500_forms(claim(patient=child, subscriber=Subscriber(CLIENT, "XQP123456789",
                                                                      patient_relationship="child")))
    assert form.boxes["2"] == "WHITFIELD, ROSA, J"
    assert form.boxes["3"] == "06 01 2009"
    assert form.boxes["4"] == "WHITFIELD, MARGARET" and form.boxes["6"] == "Child"
    assert form.boxes["5_street"] == "88 N LAKE SHORE DR"


def test_a_replacement_fills_box_22():
    [form] = cms1500_forms(claim(frequency=ClaimFrequency.REPLACEMENT, original_reference="2026041500123"))
    assert (form.boxes["22_code"], form.boxes["22_original"]) == ("7", "2026041500123")


def test_service_facility_and_a_line_place_of_service():
    facility = ServiceFacility("Lakeshore Annex", Address("2 S State St", "Chicago", "IL", "60603"),
                               npi=npi("134567890"))
    [form] = cms1500_forms(with_lines(claim(service_facility=facility), line(place_of_service="12")))
    assert form.boxes["32"] == "LAKESHORE ANNEX" and form.boxes["32a"] == npi("134567890")
    assert form.lines[0].place_of_service == "12"


def test_twelve_diagnoses_are_a_to_l():
    codes = ("M17.11", "M17.12", "R26.89", "M62.81", "Z74.09", "R53.81", "M25.561", "M25.562", "M54.50",
             "R26.2", "Z91.81", "M62.50")
    [form] = cms1500_forms(claim(diagnoses=codes, lines=(line(diagnosis_pointers=(9, 10, 11, 12)),)))
    assert form.boxes["21L"] == "M6250" and form.lines[0].diagnosis_pointer == "IJKL"


def test_no_rendering_provider_prints_the_billing_npi():
    [form] = cms1500_forms(claim(rendering=None, lines=(line(rendering=None),)))
    assert form.lines[0].rendering_npi == BILLING_NPI


@pytest.mark.parametrize("change", [
    {"lines": ()},
    {"diagnoses": ()},
    {"lines": (line(diagnosis_pointers=(3,)),)},
])
def test_a_claim_that_cannot_fill_a_form_is_refused(change):
    with pytest.raises(Cms1500Error):
        cms1500_forms(replace(claim(), **change))

"""Eligibility over X12: generated 270s pass linuxforhealth-x12's 005010X279A1 models (run in their
own environment, which the first test builds if needed), and 271s, the public samples among
them, read back into plain results."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from support import lfh_x12
from support.claims import BILLING_NPI, CLIENT, envelope, samples_dir

from metpwa.rules.claim_document import Payer, Person, Provider, Subscriber
from metpwa.rules.x12_270 import EligibilityInquiry, write_270
from metpwa.rules.x12_271 import X12ReadError, read_271
from metpwa.rules.x12_common import X12WriteError, split_segments
from metpwa.standards.billing import PayerKind

PRACTICE = Provider("Lakeshore Medical Exercise LLC", npi=BILLING_NPI, organization=True)
PRAIRIE = Payer("Prairie Health Plan", PayerKind.COMMERCIAL, payer_id="PHP01")
LAKES = Payer("Lakes Mutual", PayerKind.COMMERCIAL, payer_id="LKM22")


def inquiry(**changes) -> EligibilityInquiry:
    values = {"trace_number": "EV-1001", "payer": PRAIRIE, "provider": PRACTICE, "originator_tax_id": "36-1234567",
              "subscriber": Subscriber(CLIENT, "XQP123456789", "GRP7781"), "service_date": date(2026, 3, 2),
              "service_types": ("30", "PT")}
    values.update(changes)
    return EligibilityInquiry(**values)


def lfh(tmp_path, *documents: str) -> list[dict]:
    paths = []
    for n, document in enumerate(documents):
        path = tmp_path / f"request-{n}.x12"
        path.write_text(document)
        paths.append(path)
    return lfh_x12.check(*paths)


def subscribers(model: dict) -> list[dict]:
    return [c for a in model["loop_2000a"] for b in a["loop_2000b"] for c in b["loop_2000c"]]


def test_the_validator_passes_the_public_270_and_refuses_a_broken_count(tmp_path):
    sample = (samples_dir() / "270_linuxforhealth__subscriber-health-benefit-check.270").read_text()
    verdicts = lfh(tmp_path, sample, sample.replace("SE*13*", "SE*12*"))
    assert verdicts[0]["ok"], verdicts[0]["error"]
    assert not verdicts[1]["ok"] and "ValidationError" in verdicts[1]["error"]


def test_a_subscriber_inquiry_is_valid_and_reads_back(tmp_path):
    document = write_270(envelope(), [inquiry()])
    assert "GS*HS*" in document and "ST*270*0001*005010X279A1~" in document
    verdict = lfh(tmp_path, document)[0]
    assert verdict["ok"], verdict["error"]
    subscriber = subscribers(verdict["models"][0])[0]
    name = subscriber["loop_2100c"]["nm1_segment"]
    assert name["identification_code"] == "XQP123456789" and name["name_last_or_organization_name"] == "WHITFIELD"
    assert subscriber["trn_segment"][0]["reference_identification_1"] == "EV1001"
    assert subscriber["loop_2100c"]["loop_2110c"]["eq_segment"]["service_type_code"] == ["30", "PT"]
    assert "EQ*30^PT~" in document


def test_a_dependent_inquiry_goes_in_the_dependent_loop(tmp_path):
    child = Person("Whitfield", "Rosa", date(2009, 6, 1), "F")
    document = write_270(envelope(), [inquiry(patient=child, subscriber=Subscriber(CLIENT, "XQP123456789",
                                                                                      patient_relationship="child"))])
    verdict = lfh(tmp_path, document)[0]
    assert verdict["ok"], verdict["error"]
    dependent = subscribers(verdict["models"][0])[0]["loop_2000d"][0]
    assert dependent["loop_2100d"]["nm1_segment"]["name_first"] == "ROSA"


def test_many_inquiries_to_two_payers_in_one_request(tmp_path):
    other = Person("Nakamura", "Ken", date(1948, 11, 2), "M")
    document = write_270(envelope(interchange_control_number=77), [
        inquiry(),
        inquiry(trace_number="EV-1002", subscriber=Subscriber(other, "M0778891")),
        inquiry(trace_number="EV-1003", payer=LAKES, service_types=("AE",)),
    ])
    verdict = lfh(tmp_path, document)[0]
    assert verdict["ok"], verdict["error"]
    # One transaction per inquiry, each its own hierarchy.
    models = verdict["models"]
    assert [m["loop_2000a"][0]["loop_2100a"]["nm1_segment"]["identification_code"] for m in models] == [
        "PHP01", "PHP01", "LKM22"]
    assert [subscribers(m)[0]["trn_segment"][0]["reference_identification_1"] for m in models] == [
        "EV1001", "EV1002", "EV1003"]
    segments = split_segments(document)[0]
    starts = [i for i, s in enumerate(segments) if s[0] == "ST"]
    ends = [i for i, s in enumerate(segments) if s[0] == "SE"]
    assert [segments[i][2] for i in starts] == ["0001", "0002", "0003"]
    for start, end in zip(starts, ends, strict=True):
        assert int(segments[end][1]) == end - start + 1 and segments[end][2] == segments[start][2]
    assert segments[-2] == ["GE", "3", "1"]
    assert segments[-1] == ["IEA", "1", "000000077"]


@pytest.mark.parametrize(("change", "message"), [
    ({"payer": Payer("Paper", PayerKind.COMMERCIAL)}, "payer ID"),
    ({"provider": replace(PRACTICE, npi=None)}, "NPI"),
    ({"originator_tax_id": "12"}, "EIN"),
    ({"service_types": ("PHYS",)}, "service types"),
    ({"trace_number": "--"}, "trace number"),
])
def test_inquiries_that_cannot_be_sent_are_refused(change, message):
    with pytest.raises(X12WriteError, match=message):
        write_270(envelope(), [inquiry(**change)])


def test_reading_the_public_subscriber_271():
    response = read_271((samples_dir() / "271_linuxforhealth__subscriber-health-benefit-check.271").read_text())
    assert (response.payer_name, response.payer_id) == ("ABC COMPANY", "841610001")
    [result] = response.results
    assert result.active is True and not result.rejected
    assert (result.first_name, result.last_name, result.member_id) == ("JOHN", "SMITH", "123456789")
    assert result.trace_number == "93175-012547"
    assert result.plan == "GOLD 123 PLAN"
    # Two copays: $10 in network, $30 out; the in-network one is the client's.
    assert result.copay == Decimal("10.00")
    assert result.plan_begins_on == date(2006, 1, 1)
    assert response.for_trace("93175-012547") is result
    copays = [b for b in result.benefits if b.code == "B"]
    assert [b.in_network for b in copays] == [True, False] and copays[0].time_period == "27"
    assert "UC" in copays[0].service_types


def test_reading_the_public_dependent_271():
    response = read_271((samples_dir() / "271_linuxforhealth__dependent-health-benefit-check.271").read_text())
    [result] = response.results
    assert result.dependent and (result.first_name, result.member_id) == ("MARY", "123456789")
    assert result.active is True and result.copay == Decimal("10.00")


def test_reading_the_public_error_271():
    response = read_271((samples_dir() / "271_linuxforhealth__subscriber-health-benefit-check-error.271").read_text())
    assert response.results == ()
    [rejection] = response.rejections
    assert (rejection.level, rejection.reason_code, rejection.follow_up_code) == ("provider", "50", "N")
    assert rejection.message == "The provider was refused: Provider not eligible for inquiries. Do not send again."


RICH_271 = f"""ISA*00*          *00*          *ZZ*PHP01          *ZZ*LAKESHOREMET   *260302*0931*^*00501*000000901*0*T*:~
GS*HB*PHP01*LAKESHOREMET*20260302*0931*9*X*005010X279A1~
ST*271*0001*005010X279A1~
BHT*0022*11*10001*20260302*0931~
HL*1**20*1~
NM1*PR*2*PRAIRIE HEALTH PLAN*****PI*PHP01~
HL*2*1*21*1~
NM1*1P*2*LAKESHORE MEDICAL EXERCISE LLC*****XX*{BILLING_NPI}~
HL*3*2*22*0~
TRN*2*EV1001*1361234567~
NM1*IL*1*WHITFIELD*MARGARET****MI*XQP123456789~
DMG*D8*19510314*F~
DTP*346*D8*20260101~
EB*1*IND*30^PT**PRAIRIE PPO~
EB*B*IND*PT***27*25~
EB*A*IND*PT***27**0.2****Y~
EB*C*IND*30***29*350.5~
EB*C*IND*30***23*1000~
EB*F*IND*PT***23~
HSD*VS*20~
EB*F*IND*PT***29*****Y~
HSD*VS*14~
REF*G1*PA-7731~
DTP*193*RD8*20260115-20260315~
MSG*PRIOR AUTHORIZATION REQUIRED AFTER 20 VISITS~
EB*I*IND*BG~
SE*25*0001~
GE*1*9~
IEA*1*000000901~
"""


def test_reading_copay_coinsurance_deductible_visits_and_authorisation(tmp_path):
    # The crafted response is itself a valid 271 by linuxforhealth-x12's models.
    verdict = lfh(tmp_path, RICH_271)[0]
    assert verdict["ok"], verdict["error"]
    [result] = read_271(RICH_271).results
    assert result.active is True and result.plan == "PRAIRIE PPO"
    assert result.copay == Decimal(25)
    assert result.coinsurance_percent == Decimal(20)
    assert result.deductible_remaining == Decimal("350.5")
    assert (result.visits_allowed, result.visits_remaining, result.visits_used) == (20, 14, 6)
    assert result.authorisation_required is True and result.authorisation_number == "PA-7731"
    assert result.messages == ("PRIOR AUTHORIZATION REQUIRED AFTER 20 VISITS",)
    # Cardiac rehabilitation is not covered, but it is not what a MET session bills: the result ignores it.
    assert [b.code for b in result.benefits][-1] == "I"


def test_visits_in_eb09_and_eb10_read_the_same():
    # The guide also lets EB09/EB10 carry the visits; linuxforhealth-x12 0.57 types EB09 as a number and
    # cannot read it, so this form is read here without that validator.
    quantities = RICH_271.replace("EB*F*IND*PT***23~\nHSD*VS*20~", "EB*F*IND*PT***23***VS*20~").replace(
        "EB*F*IND*PT***29*****Y~\nHSD*VS*14~", "EB*F*IND*PT***29***VS*14*Y~")
    assert "HSD" not in quantities
    [result] = read_271(quantities).results
    assert (result.visits_allowed, result.visits_remaining, result.visits_used) == (20, 14, 6)
    assert result.authorisation_required is True


def test_an_inactive_subscriber():
    inactive = RICH_271.replace("EB*1*IND*30^PT**PRAIRIE PPO~", "EB*6*IND*30~")
    assert read_271(inactive).results[0].active is False


def test_a_subscriber_level_rejection():
    rejected = RICH_271.replace("DMG*D8*19510314*F~", "AAA*Y**72*C~\nDMG*D8*19510314*F~")
    [result] = read_271(rejected).results
    assert result.rejected and result.rejections[0].reason == "Member ID invalid or missing"
    assert result.rejections[0].follow_up == "Correct and send again"


def test_text_that_is_not_a_271_is_refused():
    with pytest.raises(X12ReadError):
        read_271("hello")
    with pytest.raises(X12ReadError, match="not a 271"):
        read_271(write_270(envelope(), [inquiry()]))

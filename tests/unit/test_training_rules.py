"""Staff training: each person's HIPAA due date from their last attested training and the practice's
interval, the new-staff gate on client records (and the owner's waiver), and who is overdue."""

from datetime import UTC, date, datetime

from metpwa.rules.training import (
    Completion,
    HipaaState,
    StaffTraining,
    Waiver,
    check_completion,
    check_interval,
    check_training_session,
    check_waiver,
    due_soon,
    hipaa_board,
    hipaa_due,
    is_new_staff,
    may_open_client_records,
    overdue,
)
from metpwa.standards.training import TOPICS, TrainingTopic

TODAY = date(2027, 3, 1)


def hipaa(on: date, attested: bool = True) -> Completion:
    return Completion(TrainingTopic.HIPAA, on, attested)


def test_hipaa_falls_due_the_practices_interval_after_the_last_attested_training():
    due = hipaa_due([hipaa(date(2026, 2, 1)), hipaa(date(2026, 9, 15)), Completion("documentation", date(2027, 1, 1),
                                                                                   True)],
                    interval_months=12, new_staff=False, today=TODAY)
    assert due.state is HipaaState.CURRENT and due.due_on == date(2027, 9, 15)
    assert due.text == "Current until Sep 15, 2027"


def test_a_training_past_its_interval_is_overdue_and_one_within_30_days_is_due_soon():
    late = hipaa_due([hipaa(date(2026, 1, 31))], interval_months=12, new_staff=False, today=TODAY)
    assert late.state is HipaaState.OVERDUE and late.text == "Overdue since Jan 31, 2027" and late.days_left == -29
    soon = hipaa_due([hipaa(date(2026, 3, 20))], interval_months=12, new_staff=False, today=TODAY)
    assert soon.state is HipaaState.DUE_SOON
    assert hipaa_due([hipaa(date(2026, 3, 20))], interval_months=6, new_staff=False, today=TODAY).state \
        is HipaaState.OVERDUE


def test_an_unattested_training_does_not_count_yet():
    due = hipaa_due([hipaa(date(2027, 2, 20), attested=False)], interval_months=12, new_staff=True, today=TODAY)
    assert due.state is HipaaState.BEFORE_CLIENT_RECORDS and due.awaiting_attestation
    assert due.text == "Due before opening any client record"


def test_staff_from_before_the_gate_with_none_on_record_are_overdue_not_new():
    gate = datetime(2027, 1, 1, 15, 0, tzinfo=UTC)
    assert not is_new_staff(datetime(2026, 1, 5, tzinfo=UTC), gate)
    assert not is_new_staff(datetime(2027, 1, 1, 9, 0, tzinfo=UTC), gate)
    assert is_new_staff(datetime(2027, 1, 1, 15, 1, tzinfo=UTC), gate)
    assert not is_new_staff(datetime(2027, 2, 1, tzinfo=UTC), None)
    due = hipaa_due([], interval_months=12, new_staff=False, today=TODAY)
    assert due.state is HipaaState.OVERDUE and due.text == "No HIPAA training on record"


def test_new_staff_with_hipaa_training_on_record_open_client_records():
    gate = may_open_client_records(person="Ana", person_ref=9, new_staff=True, completions=[hipaa(date(2027, 2, 1))],
                                   waivers=[], today=TODAY)
    assert gate.allowed and not gate.waived


def test_new_staff_without_hipaa_training_cannot_open_client_records():
    gate = may_open_client_records(person="Ana", person_ref=9, new_staff=True,
                                   completions=[Completion("emergency", date(2027, 2, 1), True)], waivers=[],
                                   today=TODAY)
    assert not gate.allowed
    assert gate.message.startswith("Ana cannot open client records until their HIPAA training is on record.")
    assert gate.fix == ("staff.training", 9)


def test_a_recorded_but_unattested_training_points_the_person_to_their_attestation():
    gate = may_open_client_records(person="Ana", person_ref=9, new_staff=True,
                                   completions=[hipaa(date(2027, 2, 1), attested=False)], waivers=[], today=TODAY)
    assert not gate.allowed and gate.fix == ("staff.training_attest", 9)


def test_an_owners_waiver_opens_records_while_in_force_and_not_after():
    waiver = Waiver("Shadowing only until Friday's HIPAA session", date(2027, 2, 25), until=date(2027, 3, 5))
    gate = may_open_client_records(person="Ana", person_ref=9, new_staff=True, completions=[], waivers=[waiver],
                                   today=TODAY)
    assert gate.allowed and gate.waived and "until Mar 5, 2027" in gate.message
    assert not may_open_client_records(person="Ana", person_ref=9, new_staff=True, completions=[], waivers=[waiver],
                                       today=date(2027, 3, 6)).allowed
    revoked = Waiver("Shadowing only", date(2027, 2, 25), revoked=True)
    assert not may_open_client_records(person="Ana", person_ref=9, new_staff=True, completions=[], waivers=[revoked],
                                       today=TODAY).allowed


def test_staff_from_before_the_gate_are_never_stopped_by_it():
    assert may_open_client_records(person="Old", person_ref=1, new_staff=False, completions=[], waivers=[],
                                   today=TODAY).allowed


def test_overdue_lists_the_most_pressing_first_and_leaves_out_the_current():
    staff = [
        StaffTraining(1, "Current Cal", False, (hipaa(date(2026, 12, 1)),)),
        StaffTraining(2, "Late Lee", False, (hipaa(date(2025, 12, 1)),)),
        StaffTraining(3, "New Nia", True, ()),
        StaffTraining(4, "Later Lou", False, (hipaa(date(2025, 6, 1)),)),
        StaffTraining(5, "Soon Sam", False, (hipaa(date(2026, 3, 10)),)),
    ]
    assert [row.name for row in overdue(staff, interval_months=12, today=TODAY)] == ["New Nia", "Later Lou", "Late Lee"]
    assert [row.name for row in due_soon(staff, interval_months=12, today=TODAY)] == ["Soon Sam"]
    assert hipaa_board(staff, interval_months=12, today=TODAY)[-1].name == "Current Cal"


def test_what_the_owner_types_is_checked():
    assert check_interval(12) == {} and "hipaa_training_every_months" in check_interval(0)
    assert check_waiver("Shadowing only this week", until=None, today=TODAY) == {}
    assert set(check_waiver("short", until=date(2027, 2, 1), today=TODAY)) == {"reason", "until"}
    assert check_training_session(topic="hipaa", title="HIPAA 2027", held_on=TODAY, presenter="Owner") == {}
    assert set(check_training_session(topic="yoga", title="", held_on=None, presenter="")) == {
        "topic", "title", "held_on", "presenter"}
    assert check_completion(completed_on=TODAY, session_held_on=date(2027, 2, 1), today=TODAY) == {}
    assert "completed_on" in check_completion(completed_on=date(2027, 1, 1), session_held_on=date(2027, 2, 1),
                                              today=TODAY)


def test_hipaa_topic_cites_what_hipaa_actually_asks():
    assert "164.530(b)" in TOPICS[TrainingTopic.HIPAA].source
    assert "164.308(a)(5)" in TOPICS[TrainingTopic.HIPAA].source

"""The gym floor's plain rules, without an app: whole numbers typed on the iPad, and the first
split of a session's minutes across activity types."""

import pytest

from metpwa.rules import sessions as rules
from metpwa.standards.effort import CR10_ANCHORS, CR10_SOURCE


@pytest.mark.parametrize(("typed", "value"), [("12", 12), (" 7 ", 7), ("0", 0), ("", None), ("  ", None)])
def test_whole_numbers_are_read(typed, value):
    assert rules.whole("reps", typed) == value


@pytest.mark.parametrize("typed", ["--5", "-", "5-", "1e3", "12.0", "٣", "１２", "+5", "1 2", "1234567", "101", "-1"])
def test_anything_else_is_refused_at_its_field_not_with_a_server_error(typed):
    with pytest.raises(rules.SessionInputError) as refused:
        rules.whole("reps", typed)
    assert refused.value.field == "reps" and "whole number" in refused.value.message


def test_minutes_follow_the_time_sets_took_not_their_count():
    """A 30-minute balance walk and six sets of ten sit-to-stands in a 40-minute session: counting
    sets gave neuromuscular re-education 6 minutes (under the 8-minute rule's first unit)."""
    busy = {"neuromuscular_reeducation": rules.set_seconds(None, 1800),
            "functional_activities": 6 * rules.set_seconds(10, None),
            "therapeutic_exercise": 0, "gait": 0}
    minutes = rules.split_minutes(40, busy)

    assert sum(minutes.values()) == 40
    assert minutes["neuromuscular_reeducation"] == 30 and minutes["functional_activities"] == 10
    assert minutes["therapeutic_exercise"] == minutes["gait"] == 0


def test_no_sets_propose_no_minutes():
    assert rules.split_minutes(30, {"gait": 0, "therapeutic_exercise": 0}) == {"gait": 0, "therapeutic_exercise": 0}



def test_on_the_cr10_7_is_very_hard_and_10_maximal_foster_2001():
    """Issue 16: on the Borg CR-10 (American English anchors, Foster 2001) 7 is "very hard", not 9-10."""
    assert CR10_ANCHORS[7] == "very hard" and CR10_ANCHORS[10] == "maximal"
    assert 9 not in CR10_ANCHORS and CR10_SOURCE


def test_the_effort_flag_is_at_rpe_9_near_maximal_past_very_hard():
    assert rules.RPE_FLAG_AT == 9 and rules.is_flagged_effort(9) and not rules.is_flagged_effort(8.5)
    assert min(point for point, words in CR10_ANCHORS.items() if words == "very hard") < rules.RPE_FLAG_AT


@pytest.mark.parametrize(("typed", "unit", "message"), [
    ("abc", "kg", "Type the load as a number, such as 12.5."),
    ("251", "kg", "Load must be 0 to 250 kg."),
    ("551", "lb", "Load must be 0 to 550 lb."),
])
def test_a_load_that_is_no_number_is_told_so_and_one_too_heavy_gets_the_units_limit(typed, unit, message):
    with pytest.raises(rules.SessionInputError) as refused:
        rules.load(typed, unit)
    assert (refused.value.field, refused.value.message) == ("load", message)

"""Counted nouns and the minutes limit read the way a person would say them (issue 21)."""

from metpwa.rules.sessions import MINUTES_GRACE, SessionInputError, check_minutes, most_minutes
from metpwa.templating import plural


def test_one_session_many_sessions():
    assert plural(1, "session") == "1 session"
    assert plural(0, "session") == "0 sessions"
    assert plural(6, "session") == "6 sessions"
    assert plural(2, "person", "people") == "2 people"


def test_the_minutes_hint_and_the_check_share_one_limit():
    assert most_minutes(40) == 40 + MINUTES_GRACE
    check_minutes({"therapeutic_exercise": most_minutes(40)}, 40)
    try:
        check_minutes({"therapeutic_exercise": most_minutes(40) + 1}, 40)
    except SessionInputError:
        pass
    else:
        raise AssertionError("one minute past the limit must be refused")

"""The age of majority by state (issue 16, "Minors and majority"), each with its statute."""

from datetime import date

import pytest

from metpwa.rules.retention import is_minor, majority_on
from metpwa.standards.majority import DEFAULT_AGE, MAJORITY_BY_STATE, STATE_NAMES, majority


@pytest.mark.parametrize(("state", "age", "statute"), [
    ("AL", 19, "Code of Alabama 1975 § 26-1-1"),
    ("NE", 19, "Neb. Rev. Stat. § 43-2101"),
    ("MS", 21, "Miss. Code Ann. § 1-3-27"),
    ("IL", 18, "18, as in every state but Alabama, Nebraska and Mississippi"),
    (None, 18, "18, as in every state but Alabama, Nebraska and Mississippi"),
])
def test_majority_by_state_alabama_nebraska_19_mississippi_21_else_18(state, age, statute):
    found = majority(state)
    assert found.age == age and statute in found.source


def test_every_listed_state_is_a_state_and_names_its_source():
    assert len(STATE_NAMES) == 51 and DEFAULT_AGE == 18
    assert all(code in STATE_NAMES and m.source for code, m in MAJORITY_BY_STATE.items())


def test_a_client_is_a_minor_until_the_birthday_of_majority():
    born = date(2008, 3, 1)
    assert majority_on(born, 19) == date(2027, 3, 1)
    assert is_minor(born, date(2027, 2, 28), 19) and not is_minor(born, date(2027, 3, 1), 19)
    assert not is_minor(born, date(2026, 3, 1), 18) and is_minor(born, date(2026, 3, 1), 21)

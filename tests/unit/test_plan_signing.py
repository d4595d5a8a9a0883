"""The words a trainer or owner attests to when signing a Plan of Exercise (issue 16, "The Plan of
Exercise is signed")."""

from metpwa.rules.scope_guard import check
from metpwa.standards.attestations import PLAN_OF_EXERCISE


def test_the_plan_attestation_stays_within_an_mes_scope_and_names_its_version():
    text = PLAN_OF_EXERCISE.format(version=3)
    assert check(text) == []
    assert "version 3" in text and "signing locks this version" in text and "new version" in text

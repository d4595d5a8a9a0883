"""The billing rules stand alone: rules/ and standards/ import no Flask, database, model or service
code, so each rule is tested (and read) without an app."""

import ast
from pathlib import Path

import pytest

from metpwa.models.sessions import ACTIVITY_COLUMNS
from metpwa.standards.billing import ACTIVITY_CODES, PROCEDURE_CODES

PACKAGE = Path(__file__).resolve().parents[2] / "metpwa"
FORBIDDEN = ("flask", "flask_", "werkzeug", "sqlalchemy", "jinja2", "metpwa.models", "metpwa.services",
             "metpwa.blueprints", "metpwa.extensions", "metpwa.database")


def imported(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = ".".join(["metpwa", path.parent.name][: 3 - node.level]) if node.level < 3 else ""
                base = f"{package}.{base}".strip(".")
            names.append(base)
    return names


@pytest.mark.parametrize("path", sorted((PACKAGE / "rules").glob("*.py")) + sorted((PACKAGE / "standards").glob("*.py")),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_rules_and_standards_import_no_framework_or_database_code(path):
    bad = [name for name in imported(path) if name.startswith(FORBIDDEN)]
    assert not bad, f"{path.name} imports {bad}"


def test_every_session_activity_bills_under_a_timed_code():
    assert set(ACTIVITY_CODES) == set(ACTIVITY_COLUMNS)
    assert all(PROCEDURE_CODES[code].timed for code in ACTIVITY_CODES.values())

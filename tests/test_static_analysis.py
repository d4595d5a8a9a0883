"""bandit, offline, over the app's code: nothing at medium severity or above. Each accepted
finding carries a `# nosec <id>` with the reason on its line. ruff's pyflakes rules over the app,
the tests and the benchmarks: no unused imports or variables, no undefined names."""

import json
import subprocess
import sys
from pathlib import Path

from support.figures import report

ROOT = Path(__file__).resolve().parent.parent


def test_bandit_finds_nothing_at_medium_severity_or_above():
    completed = subprocess.run([sys.executable, "-m", "bandit", "-q", "-r", str(ROOT / "metpwa"), "-ll", "-f", "json"],
                               capture_output=True, text=True, check=False, timeout=300)
    result = json.loads(completed.stdout)
    findings = [f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}" for r in result["results"]]
    totals = result["metrics"]["_totals"]
    report(f"static analysis: bandit scanned {totals['loc']} lines, {len(findings)} findings at medium or high, "
           f"{totals['skipped_tests']} accepted with a reason (# nosec), {totals['SEVERITY.LOW']} low-severity notes")
    assert not findings, "\n".join(findings)


def test_ruff_finds_no_unused_or_undefined_names():
    completed = subprocess.run([sys.executable, "-m", "ruff", "check", "--select", "F,E9", "--output-format", "concise",
                                str(ROOT / "metpwa"), str(ROOT / "tests"), str(ROOT / "bench")],
                               capture_output=True, text=True, check=False, timeout=300)
    report(f"static analysis: ruff (pyflakes rules) {completed.stdout.strip().splitlines()[-1] if completed.stdout.strip() else ''}")
    assert completed.returncode == 0, completed.stdout + completed.stderr


def _audit_script():
    import importlib.util

    spec = importlib.util.spec_from_file_location("audit_dependencies", ROOT / ".ci" / "audit_dependencies.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_dependency_audit_never_reports_an_unreached_database_as_an_all_clear():
    judge = _audit_script().judge
    unreached = {"dependencies": [{"name": "flask", "version": "3.1.3",
                                   "skip_reason": "Dependency not found on PyPI and could not be audited"}]}
    code, lines = judge(unreached)
    assert code == 0 and "NO VULNERABILITY DATABASE WAS REACHED" in lines[-1] and "not an all-clear" in lines[-1]
    vulnerable = {"dependencies": [{"name": "pillow", "version": "10.0.0", "vulns": [
        {"id": "PYSEC-2023-175", "fix_versions": ["10.0.1"]}]}]}
    code, lines = judge(vulnerable)
    assert code == 1 and lines[0] == "VULNERABLE pillow 10.0.0: PYSEC-2023-175 (fixed in 10.0.1)"
    clean = {"dependencies": [{"name": "flask", "version": "3.1.3", "vulns": []}]}
    assert judge(clean) == (0, ["dependency audit: 1 of 1 pinned packages checked, no known vulnerabilities."])


def test_the_production_lock_file_pins_every_dependency_with_hashes():
    import re
    import tomllib

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    names = {re.split(r"[<>=!\[;\s]", spec, maxsplit=1)[0].lower().replace("_", "-") for spec in declared}
    lock = (ROOT / "requirements.lock").read_text()
    pinned = dict(re.findall(r"^([a-z0-9][a-z0-9._-]*)==([^\s\\]+)", lock, re.MULTILINE))
    assert names <= set(pinned), f"not in requirements.lock (run `make lock`): {names - set(pinned)}"
    blocks = re.split(r"\n(?=[a-z0-9])", lock.split("\n", 6)[-1])
    assert all("--hash=sha256:" in block for block in blocks if "==" in block)

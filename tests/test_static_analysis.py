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

"""bandit, offline, over the app's code: nothing at medium severity or above. Each accepted
finding carries a `# nosec <id>` with the reason on its line."""

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

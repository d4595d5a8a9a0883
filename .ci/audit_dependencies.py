"""CI's dependency audit: pip-audit over the production lock file, reported plainly.

pip-audit asks a vulnerability database (PyPI's advisories, or OSV) about each pinned package.
Where none can be reached (these build machines reach the package index but not those services)
it marks every package "could not be audited" yet prints "No known vulnerabilities found" and
exits 0. That is not an all-clear, so this script reads pip-audit's JSON itself and says which of
three things happened: packages with known vulnerabilities (exit 1), every package audited and
none found, or no database reached (said in capitals, exit 0: the run proves nothing either way).
No current vulnerability database ships in a package that works offline (the PyPI package
safety-db stopped in 2021), so there is none to fall back on.
"""

from __future__ import annotations

import json
import subprocess  # nosec B404 - pip-audit, with an argument list
import sys
import tempfile
from pathlib import Path


def judge(report: dict) -> tuple[int, list[str]]:
    """(exit code, lines to print) from pip-audit's JSON report."""
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if d.get("skip_reason")]
    audited = [d for d in dependencies if not d.get("skip_reason")]
    vulnerable = [d for d in audited if d.get("vulns")]
    lines = []
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            lines.append(f"VULNERABLE {dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixed})")
    if vulnerable:
        lines.append(f"dependency audit: {len(vulnerable)} of {len(dependencies)} pinned packages have known "
                     "vulnerabilities: raise them in pyproject.toml and run `make lock`.")
        return 1, lines
    if not audited:
        reason = skipped[0]["skip_reason"] if skipped else "pip-audit listed no packages"
        lines.append(f"dependency audit: NO VULNERABILITY DATABASE WAS REACHED: 0 of {len(dependencies)} pinned "
                     f"packages could be checked ({reason}). This is not an all-clear: run `make audit-deps` "
                     "where PyPI's JSON API or OSV can be reached.")
        return 0, lines
    lines.append(f"dependency audit: {len(audited)} of {len(dependencies)} pinned packages checked, no known "
                 "vulnerabilities" + (f"; NOT CHECKED: {', '.join(d['name'] for d in skipped)}" if skipped else "."))
    return 0, lines


def main(lock: str) -> int:
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "audit.json"
        completed = subprocess.run(  # nosec B603 - fixed program, argument list
            [sys.executable, "-m", "pip_audit", "--requirement", lock, "--no-deps", "--disable-pip",
             "--progress-spinner", "off", "--format", "json", "--output", str(output), "--timeout", "20"],
            capture_output=True, text=True, check=False)
        if not output.exists() or not output.read_text().strip():
            print(f"dependency audit: NO VULNERABILITY DATABASE WAS REACHED: pip-audit gave no report "
                  f"(exit {completed.returncode}): {(completed.stderr or completed.stdout).strip()[-400:]}")
            return 0
        code, lines = judge(json.loads(output.read_text()))
    print("\n".join(lines))
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "requirements.lock"))

"""linuxforhealth-x12 for the tests, in its own small environment: it needs pydantic 1, which must
not reach the app's. Built once per version under .venv-x12/ at the repository root (gitignored)
with the ordinary pip, reused after; a build that fails fails the test that needed it."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

PACKAGES = ("linuxforhealth-x12==0.57.0", "pydantic>=1.10,<2")
ROOT = Path(__file__).resolve().parents[2]
CHECKER = Path(__file__).with_name("lfh_x12_check.py")
BUILD_TIMEOUT = 600


def environment() -> Path:
    """The environment's python, building the environment first when it is not there yet."""
    base = Path(os.environ.get("METPWA_X12_VENV_DIR", ROOT / ".venv-x12"))
    key = "-".join(p.replace("==", "-").replace(">=", "ge").replace("<", "lt").replace(",", "") for p in PACKAGES)
    folder = base / f"py{sys.version_info.major}{sys.version_info.minor}-{key}"
    python = folder / "bin" / "python"
    ready = folder / ".ready"
    if ready.exists():
        return python
    base.mkdir(parents=True, exist_ok=True)
    with open(base / ".lock", "w") as lock:
        # Two test processes never build the same environment at once.
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not ready.exists():
            _build(folder, python)
            ready.write_text(" ".join(PACKAGES) + "\n")
    return python


def _build(folder: Path, python: Path) -> None:
    venv.EnvBuilder(with_pip=True, clear=True).create(folder)
    env = {name: value for name, value in os.environ.items() if name not in ("PYTHONPATH", "PYTHONHOME")}
    completed = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                                *PACKAGES], capture_output=True, text=True, timeout=BUILD_TIMEOUT, check=False, env=env)
    if completed.returncode != 0:
        pytest.fail(f"could not build the linuxforhealth-x12 environment in {folder}:\n"
                    f"{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}")


def check(*paths: Path) -> list[dict]:
    """linuxforhealth-x12's verdict on each file: {"ok", "error", "models"} in the order given."""
    # The app's PYTHONPATH must not leak into the other environment.
    env = {name: value for name, value in os.environ.items() if name not in ("PYTHONPATH", "PYTHONHOME")}
    completed = subprocess.run([str(environment()), str(CHECKER), *map(str, paths)], capture_output=True, text=True,
                               timeout=300, check=False, env=env)
    if completed.returncode != 0:
        pytest.fail(f"linuxforhealth-x12 check failed to run:\n{completed.stderr[-3000:]}")
    return [json.loads(line) for line in completed.stdout.splitlines() if line.strip()]

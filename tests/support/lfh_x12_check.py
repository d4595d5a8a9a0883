"""Runs inside the separate linuxforhealth-x12 environment (pydantic 1), never in the app's: parses
each X12 file named on the command line into the 005010X279A1 models and prints one JSON line per
file with the verdict, the error, and the models as plain data so the tests can read values back."""

import json
import sys

from linuxforhealth.x12.io import X12ModelReader


def check(path: str) -> dict:
    try:
        with X12ModelReader(path) as reader:
            models = [json.loads(model.json(exclude_none=True)) for model in reader.models()]
    except Exception as error:  # noqa: BLE001 - every parser or validation failure is a verdict
        return {"file": path, "ok": False, "error": f"{type(error).__name__}: {error}", "models": []}
    return {"file": path, "ok": bool(models), "error": "" if models else "no transactions", "models": models}


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(json.dumps(check(name)))

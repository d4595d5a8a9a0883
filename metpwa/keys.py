"""Keys kept outside the database: HMAC keys that chain the audit trail and AES-256 keys that
encrypt the most sensitive values, each versioned so a key can be rotated without losing old rows.

The keyring lives in instance/keyring.json (owner-only permissions) or wherever METPWA_KEYRING_FILE
points; a copy of the database or of a backup is useless without it, so it is kept and backed up
separately (SECURITY.md). Development and tests make one on first use; production refuses to start
without one rather than invent keys that would strand the data.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app

KINDS = ("audit", "data")


@dataclass
class Keyring:
    keys: dict[str, dict[int, bytes]]
    current: dict[str, int]
    path: Path | None = field(default=None)

    def key(self, kind: str, version: int | None = None) -> bytes:
        return self.keys[kind][version if version is not None else self.current[kind]]

    def lookup(self, kind: str, version: int) -> bytes | None:
        """The key of that version, re-reading the file once when it is newer than this process
        (another process rotated it); None when no copy of the keyring has it."""
        if version not in self.keys[kind] and self.path is not None and self.path.exists():
            fresh = Keyring.from_json(self.path.read_text(), self.path)
            self.keys, self.current = fresh.keys, fresh.current
        return self.keys[kind].get(version)

    def to_json(self) -> str:
        return json.dumps({kind: {"current": self.current[kind],
                                  "keys": {str(v): k.hex() for v, k in self.keys[kind].items()}}
                           for kind in KINDS}, indent=2)

    @classmethod
    def from_json(cls, text: str, path: Path | None = None) -> Keyring:
        data = json.loads(text)
        return cls(keys={kind: {int(v): bytes.fromhex(k) for v, k in data[kind]["keys"].items()} for kind in KINDS},
                   current={kind: int(data[kind]["current"]) for kind in KINDS}, path=path)

    @classmethod
    def generate(cls, path: Path | None = None) -> Keyring:
        return cls(keys={kind: {1: secrets.token_bytes(32)} for kind in KINDS}, current=dict.fromkeys(KINDS, 1),
                   path=path)

    def rotate(self, kind: str) -> int:
        """A new current key of this kind; older versions stay to read what they wrote."""
        version = max(self.keys[kind]) + 1
        self.keys[kind][version] = secrets.token_bytes(32)
        self.current[kind] = version
        if self.path is not None:
            _write(self.path, self.to_json())
        return version


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    os.replace(temporary, path)


def load(app: Flask) -> Keyring:
    if app.config.get("KEYRING"):
        return Keyring.from_json(json.dumps(app.config["KEYRING"]))
    path = Path(app.config.get("KEYRING_FILE") or Path(app.instance_path) / "keyring.json")
    if path.exists():
        return Keyring.from_json(path.read_text(), path)
    if app.config["ENV"] not in ("development", "testing"):
        raise RuntimeError(
            f"metpwa: no keyring at {path}. Run `python -m metpwa.keys init {path}` once (it writes the audit "
            "and data encryption keys with owner-only permissions), keep a copy of the file somewhere safe, or "
            "point METPWA_KEYRING_FILE at yours."
        )
    ring = Keyring.generate(path)
    _write(path, ring.to_json())
    return ring


def keyring() -> Keyring:
    return current_app.extensions["metpwa_keyring"]


def init_app(app: Flask) -> None:
    app.extensions["metpwa_keyring"] = load(app)


def main(argv: list[str] | None = None) -> None:
    """`python -m metpwa.keys init PATH`: make a new keyring file, before the first production start."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m metpwa.keys")
    parser.add_argument("command", choices=["init"])
    parser.add_argument("path", type=Path)
    args = parser.parse_args(argv)
    if args.path.exists():
        parser.exit(1, f"{args.path} exists already; keys are never replaced (rotate them from the app).\n")
    _write(args.path, Keyring.generate(args.path).to_json())
    print(f"Wrote {args.path}. Keep a copy off this machine: without it the encrypted data cannot be read.")


if __name__ == "__main__":
    main()

"""Keys kept outside the database: HMAC keys that chain the audit trail and AES-256 keys that
encrypt the most sensitive values, each versioned so a key can be rotated without losing old rows.

Production reads it only from the file METPWA_KEYRING_FILE names, owner-only and outside the
database's folder; development uses (and makes) instance/keyring.json, and tests pass one in the
configuration. A copy of the database or of a backup is useless without it, so it is kept and
backed up separately (SECURITY.md). Production refuses to start rather than guess or invent keys.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy.engine import make_url

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
    production = app.config["ENV"] not in ("development", "testing")
    if production:
        return _load_for_production(app)
    if app.config.get("KEYRING"):
        return Keyring.from_json(json.dumps(app.config["KEYRING"]))
    path = Path(app.config.get("KEYRING_FILE") or Path(app.instance_path) / "keyring.json")
    if path.exists():
        return Keyring.from_json(path.read_text(), path)
    ring = Keyring.generate(path)
    _write(path, ring.to_json())
    return ring


def _load_for_production(app: Flask) -> Keyring:
    """Production takes its keyring only from METPWA_KEYRING_FILE, kept where the database is not
    and readable by its owner alone: a keyring beside the data it protects protects nothing."""
    if app.config.get("KEYRING"):
        raise RuntimeError("metpwa: production reads its keys only from the keyring file METPWA_KEYRING_FILE names, "
                           "never from the configuration (KEYRING).")
    if not app.config.get("KEYRING_FILE"):
        raise RuntimeError(
            "metpwa: METPWA_KEYRING_FILE is not set. Production does not guess where its keys are: run "
            "`python -m metpwa.keys init /srv/metpwa-keys/keyring.json` once (a folder outside the database's), keep "
            "a copy of the file somewhere safe, and set METPWA_KEYRING_FILE to it."
        )
    path = Path(app.config["KEYRING_FILE"])
    if not path.exists():
        raise RuntimeError(
            f"metpwa: no keyring at {path}. Run `python -m metpwa.keys init {path}` once (it writes the audit "
            "and data encryption keys with owner-only permissions), keep a copy of the file somewhere safe, or "
            "point METPWA_KEYRING_FILE at yours."
        )
    mode = path.stat().st_mode
    if mode & 0o077:
        raise RuntimeError(f"metpwa: the keyring {path} can be read or written by others (mode {mode & 0o777:o}); "
                           f"make it owner-only: chmod 600 {path}")
    database = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if database.get_backend_name() == "sqlite" and database.database:
        folder = Path(database.database).resolve().parent
        if path.resolve().parent == folder:
            raise RuntimeError(f"metpwa: the keyring {path} is in the database's folder {folder}: whoever copies "
                               "the database would take the keys with it. Move it to a folder of its own and point "
                               "METPWA_KEYRING_FILE there.")
    return Keyring.from_json(path.read_text(), path)


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

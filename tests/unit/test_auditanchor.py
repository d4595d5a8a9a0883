"""The audit anchor file: sealed, only ever moved forward, written at most once per interval with
a timer for the tail of a burst."""

from __future__ import annotations

import json
import time

import pytest

from metpwa.keys import Keyring
from metpwa.services import auditanchor


def test_the_anchor_is_sealed_and_only_moves_forward(tmp_path):
    ring = Keyring.generate()
    where = tmp_path / "anchor.json"
    assert auditanchor.read(where, ring) is None
    assert auditanchor.write(where, ring, 5, "a" * 64)
    assert not auditanchor.write(where, ring, 4, "b" * 64)
    assert auditanchor.read(where, ring).seq == 5
    assert where.stat().st_mode & 0o077 == 0
    assert auditanchor.write(where, ring, 3, "c" * 64, force=True)  # a restore sets it back
    assert auditanchor.read(where, ring).seq == 3
    forged = json.loads(where.read_text()) | {"seq": 9}
    where.write_text(json.dumps(forged))
    with pytest.raises(auditanchor.AnchorBroken, match="seal does not match"):
        auditanchor.read(where, ring)
    auditanchor.write(where, ring, 4, "d" * 64, force=True)
    with pytest.raises(auditanchor.AnchorBroken, match="seal does not match"):
        auditanchor.read(where, Keyring.generate())  # another keyring's audit key


def test_a_burst_writes_the_file_once_then_its_last_head_after_the_interval(tmp_path):
    ring = Keyring.generate()
    where = tmp_path / "anchor.json"
    auditanchor.committed(where, ring, (1, "1" * 64), every=0.3)
    assert auditanchor.read(where, ring).seq == 1
    for seq in range(2, 40):
        auditanchor.committed(where, ring, (seq, f"{seq:064d}"), every=0.3)
    assert auditanchor.read(where, ring).seq == 1  # within the interval: no file write per event
    deadline = time.monotonic() + 5
    while auditanchor.read(where, ring).seq != 39 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert auditanchor.read(where, ring).seq == 39  # the timer wrote the burst's last head

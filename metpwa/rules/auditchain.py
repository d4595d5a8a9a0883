"""The audit trail's tamper evidence: each event is sealed with HMAC-SHA-256 over its own content
and the seal of the event before it, under a key kept outside the database.

Someone with write access to the database file can change a row, but not re-seal it without the
key, and cannot drop or reorder rows without breaking the chain. The sequence number itself is
not sealed: the chain of seals is what fixes the order, so swapping two rows' numbers shows up
as a break in the links rather than as an edit of both rows.

Plain functions over mappings, so the verifier's judgement is unit-tested without a database.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

GENESIS = "0" * 64

# Every column a reviewer relies on; adding one here needs a new seal version.
SEALED_FIELDS = ("at", "practice_id", "user_id", "client_id", "action", "object_type", "object_id",
                 "outcome", "ip", "device", "detail")


def _canonical_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(row: Mapping) -> bytes:
    values = [_canonical_time(row["at"]) if isinstance(row["at"], datetime) else row["at"]]
    values += [row[name] for name in SEALED_FIELDS[1:]]
    return json.dumps(values, separators=(",", ":"), ensure_ascii=False).encode()


def seal(key: bytes, prev_mac: str, row: Mapping) -> str:
    return hmac.new(key, prev_mac.encode() + b"|" + canonical(row), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Finding:
    kind: str  # edited, deleted, reordered, unsealed, unknown_key, truncated, anchor
    row_id: int | None
    seq: int | None
    message: str


@dataclass
class Summary:
    checked: int = 0
    head_seq: int | None = None
    head_mac: str | None = None
    head_at: datetime | None = None
    # The head kept outside the database (services/auditanchor.py), when one is configured.
    anchor_path: str | None = None
    anchor_seq: int | None = None
    anchor_at: str | None = None


def verify(rows: Iterable[Mapping], key_for: Callable[[int], bytes | None],
           summary: Summary | None = None) -> Iterator[Finding]:
    """Walk the events in sequence order and name every row that breaks the chain.

    rows carry id, seq, prev_mac, mac, key_version and the sealed fields.
    """
    summary = summary if summary is not None else Summary()
    previous: Mapping | None = None
    # Recent seals, to say where a misplaced event really belongs; bounded so memory stays flat.
    recent: dict[str, Mapping] = {}
    for row in rows:
        summary.checked += 1
        expected_seq = previous["seq"] + 1 if previous else 1
        expected_prev = previous["mac"] if previous else GENESIS
        if not row["mac"] or row["seq"] is None:
            yield Finding("unsealed", row["id"], row["seq"],
                          f"event {row['id']} carries no seal: it was inserted outside the app")
            continue
        key = key_for(row["key_version"])
        if key is None:
            yield Finding("unknown_key", row["id"], row["seq"],
                          f"event {row['id']} (#{row['seq']}) was sealed with key version {row['key_version']}, "
                          "which is not in the keyring")
        elif not hmac.compare_digest(seal(key, row["prev_mac"] or "", row), row["mac"]):
            yield Finding("edited", row["id"], row["seq"],
                          f"event {row['id']} (#{row['seq']}, {row['action']}) was edited after it was written")
        if row["seq"] > expected_seq:
            missing = (f"#{expected_seq}" if row["seq"] == expected_seq + 1
                       else f"#{expected_seq}–#{row['seq'] - 1}")
            yield Finding("deleted", row["id"], row["seq"],
                          f"event(s) {missing} before event {row['id']} were deleted")
        elif row["prev_mac"] != expected_prev:
            after = f"event {previous['id']} (#{previous['seq']})" if previous else "the start of the trail"
            message = f"event {row['id']} (#{row['seq']}) is out of order: it was not written after {after}"
            really = recent.get(row["prev_mac"])
            if really is not None:
                message += f" but after event {really['id']}"
            yield Finding("reordered", row["id"], row["seq"], message)
        recent[row["mac"]] = row
        if len(recent) > 5000:
            del recent[next(iter(recent))]
        previous = row
    if previous is not None:
        summary.head_seq = previous["seq"]
        summary.head_mac = previous["mac"]
        summary.head_at = previous["at"]


def check_end(summary: Summary, anchor_seq: int, anchor_mac: str, anchor_at: str,
              mac_at_anchor: str | None) -> list[Finding]:
    """The trail's end against the anchor: it must reach the anchored event, and that event must
    carry the seal the anchor saw (a trail cut and regrown from the cut carries other seals)."""
    head = summary.head_seq or 0
    if head < anchor_seq:
        lost = f"all {anchor_seq} events" if head == 0 else (
            f"event #{anchor_seq}" if head + 1 == anchor_seq else f"events #{head + 1}–#{anchor_seq}")
        ends = "is empty" if head == 0 else f"ends at #{head}"
        return [Finding("truncated", None, head or None,
                        f"the trail {ends} but the anchor written at {anchor_at} saw #{anchor_seq}: {lost} were "
                        "deleted")]
    if mac_at_anchor != anchor_mac:
        return [Finding("truncated", None, anchor_seq,
                        f"event #{anchor_seq} is not the one the anchor written at {anchor_at} saw: the trail was "
                        "cut and written again from there")]
    return []


def check_records(summary: Summary, newest: tuple[str, datetime] | None, slack_seconds: float = 1.0) -> list[Finding]:
    """Records that are written only with an audit event must not be newer than the last event.

    The slack covers an event timed at its flush a moment before its record's own default time."""
    if newest is None:
        return []
    table, at = newest
    if summary.head_at is None:
        return [Finding("truncated", None, None,
                        f"the trail is empty but the database holds records ({table}, written {_canonical_time(at)}): "
                        "its events were deleted")]
    if (at - summary.head_at).total_seconds() > slack_seconds:
        return [Finding("truncated", None, summary.head_seq,
                        f"a {table} record written {_canonical_time(at)} is newer than the last event "
                        f"(#{summary.head_seq}, {_canonical_time(summary.head_at)}): the events after it were deleted")]
    return []

"""The audit chain's judgement, without a database."""

from datetime import UTC, datetime, timedelta

from metpwa.rules import auditchain

KEY = b"k" * 32


def _trail(n: int = 5) -> list[dict]:
    rows, prev = [], auditchain.GENESIS
    start = datetime(2026, 11, 2, 14, 0, tzinfo=UTC)
    for i in range(1, n + 1):
        row = {"id": 100 + i, "seq": i, "key_version": 1, "prev_mac": prev, "at": start + timedelta(seconds=i),
               "practice_id": 1, "user_id": 2, "client_id": 3, "action": "read", "object_type": "Client",
               "object_id": "3", "outcome": "ok", "ip": "10.0.0.4", "device": "iPad", "detail": None}
        row["mac"] = prev = auditchain.seal(KEY, prev, row)
        rows.append(row)
    return rows


def _check(rows):
    return list(auditchain.verify(rows, {1: KEY}.get))


def test_an_untouched_trail_verifies_and_reports_its_head():
    rows = _trail()
    summary = auditchain.Summary()
    assert list(auditchain.verify(rows, {1: KEY}.get, summary)) == []
    assert (summary.checked, summary.head_seq, summary.head_mac) == (5, 5, rows[-1]["mac"])


def test_an_edited_row_is_named_alone():
    rows = _trail()
    rows[2]["detail"] = '{"note": "nothing to see"}'
    assert [(f.kind, f.row_id) for f in _check(rows)] == [("edited", 103)]


def test_a_changed_time_counts_as_an_edit():
    rows = _trail()
    rows[1]["at"] = rows[1]["at"] - timedelta(days=1)
    assert [(f.kind, f.row_id) for f in _check(rows)] == [("edited", 102)]


def test_a_deleted_row_is_named_by_its_place():
    rows = _trail()
    del rows[2]
    findings = _check(rows)
    assert [(f.kind, f.row_id) for f in findings] == [("deleted", 104)]
    assert "#3" in findings[0].message


def test_rows_swapped_in_order_are_named_as_reordered():
    rows = _trail()
    rows[1]["seq"], rows[2]["seq"] = rows[2]["seq"], rows[1]["seq"]
    rows.sort(key=lambda r: r["seq"])
    findings = _check(rows)
    assert {f.kind for f in findings} == {"reordered"}
    assert {f.row_id for f in findings} >= {102, 103}


def test_a_row_sealed_with_a_key_not_in_the_keyring_is_reported():
    rows = _trail()
    rows[0]["key_version"] = 9
    assert [f.kind for f in _check(rows)] == ["unknown_key"]


def test_a_forged_seal_without_the_key_fails():
    rows = _trail()
    rows[3]["action"] = "delete"
    rows[3]["mac"] = auditchain.seal(b"x" * 32, rows[3]["prev_mac"], rows[3])
    assert [(f.kind, f.row_id) for f in _check(rows)][0] == ("edited", 104)

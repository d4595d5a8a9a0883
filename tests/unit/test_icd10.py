"""Unit tests for ICD-10-CM checks on referral codes, including the cached table that spares each worker the 190 MiB package."""

import gzip
import importlib.metadata
import subprocess
import sys
import textwrap
import threading

import pytest

from metpwa.rules import icd10
from metpwa.rules.icd10 import DiagnosisCodeError, Icd10Code, billable_code, lookup, normalize


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    """A cache folder filled by this module's first lookup (the one slow step: about 4 s)."""
    folder = tmp_path_factory.mktemp("icd10-cache")
    icd10.configure(folder)
    yield folder
    icd10.configure(None)


def test_the_cache_file_is_written_on_first_load_and_names_the_package_version(cache_dir):
    path = icd10.cache_path()
    assert path is not None and path.parent == cache_dir
    assert not path.exists()

    assert billable_code("M17.11").billable

    version = importlib.metadata.version("simple-icd-10-cm")
    assert path.exists() and version in path.name
    assert "simple_icd_10_cm" not in sys.modules, "the package is unloaded once the compact table is built"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    assert lines[0] == "code\tbillable\tdescription"
    assert "M17.11\t1\tUnilateral primary osteoarthritis, right knee" in lines
    assert "M17.1\t0\tUnilateral primary osteoarthritis of knee" in lines
    assert not any(line.startswith(("M00-M02\t", "13\t")) for line in lines), "blocks and chapters are not codes"
    assert len(lines) > 90_000


def test_a_fresh_process_reads_only_the_cache_and_never_imports_the_package(cache_dir):
    billable_code("M17.11")  # makes sure the cache exists even when this test runs alone
    path = icd10.cache_path()
    written_at = path.stat().st_mtime_ns
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from metpwa.rules import icd10
        icd10.configure(Path({str(cache_dir)!r}))
        print(icd10.billable_code("m2556 1").code)
        print("simple_icd_10_cm" in sys.modules)
        """
    )
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-W", "error", "-c", script],
        capture_output=True, text=True, timeout=120, check=True,
    )
    assert result.stdout.split() == ["M25.561", "False"]
    assert "simple_icd_10_cm" not in result.stderr, "the 190 MiB package was imported although the cache exists"
    assert path.stat().st_mtime_ns == written_at, "the cache was rebuilt instead of read"


def test_concurrent_first_lookups_read_the_cache_once(cache_dir, monkeypatch):
    billable_code("M17.11")
    icd10.configure(cache_dir)  # forget the table; the cache file stays
    reads = []
    original = icd10._read_cache
    monkeypatch.setattr(icd10, "_read_cache", lambda path: reads.append(path) or original(path))
    barrier = threading.Barrier(8)
    results = []

    def look_up():
        barrier.wait()
        results.append(lookup("M25.561"))

    threads = [threading.Thread(target=look_up) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(reads) == 1
    assert len(results) == 8 and all(result == results[0] for result in results)


@pytest.mark.parametrize(
    ("text", "description"),
    [
        ("M17.11", "Unilateral primary osteoarthritis, right knee"),
        ("M25.561", "Pain in right knee"),
        ("Z96.651", "Presence of right artificial knee joint"),
        ("R26.81", "Unsteadiness on feet"),
        ("S83.511A", "Sprain of anterior cruciate ligament of right knee, initial encounter"),
    ],
)
def test_codes_physical_therapy_orders_use_are_billable(cache_dir, text, description):
    assert billable_code(text) == Icd10Code(code=text, description=description, billable=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("m1711", "M17.11"), (" M17.11 ", "M17.11"), ("M 17 11", "M17.11"), ("s83511a", "S83.511A"), ("M17", "M17"),
     ("M171.1", "M17.11"), ("", ""), ("m00-m02", "M00-M02")],
)
def test_normalize(text, expected):
    assert normalize(text) == expected


def test_lower_case_without_dot_is_accepted(cache_dir):
    assert billable_code("m1711").code == "M17.11"


def test_a_heading_is_refused_with_its_billable_codes_named(cache_dir):
    assert lookup("M17.1") == Icd10Code("M17.1", "Unilateral primary osteoarthritis of knee", billable=False)
    with pytest.raises(DiagnosisCodeError) as caught:
        billable_code("M17.1")
    assert caught.value.message == (
        "M17.1 is a heading, not a billable code; the order needs the full code, e.g. M17.11 or M17.12."
    )
    assert str(caught.value) == caught.value.message


def test_a_category_lists_at_most_four_examples(cache_dir):
    with pytest.raises(DiagnosisCodeError) as caught:
        billable_code("S83.511")  # needs its 7th character
    assert caught.value.message == (
        "S83.511 is a heading, not a billable code; the order needs the full code, e.g. S83.511A, S83.511D or S83.511S."
    )
    with pytest.raises(DiagnosisCodeError) as caught:
        billable_code("M17")
    examples = caught.value.message.split("e.g. ")[1].rstrip(".").replace(" or ", ", ").split(", ")
    assert len(examples) == 4 and all(code.startswith("M17.") for code in examples)


@pytest.mark.parametrize("text", ["XYZ", "Z99.999", "M17.19", "ABCDEFG"])
def test_unknown_codes(cache_dir, text):
    assert lookup(text) is None
    with pytest.raises(DiagnosisCodeError) as caught:
        billable_code(text)
    assert caught.value.message == f"{normalize(text)} is not an ICD-10-CM code: check the order for a typo."


def test_a_block_range_is_refused_as_a_range(cache_dir):
    with pytest.raises(DiagnosisCodeError) as caught:
        billable_code("M00-M02")
    assert caught.value.message.startswith("M00-M02 is a range of codes, not a diagnosis")
    assert lookup("M00-M02") is None


def test_a_chapter_number_is_not_a_code(cache_dir):
    with pytest.raises(DiagnosisCodeError, match="13 is not an ICD-10-CM code"):
        billable_code("13")


def test_a_category_that_shares_its_name_with_a_block_is_kept(cache_dir):
    """B10 is both a block and its only category; the category must still be found."""
    found = lookup("B10")
    assert found is not None and not found.billable


def test_empty_input_asks_for_the_code(cache_dir):
    with pytest.raises(DiagnosisCodeError, match="Enter the diagnosis code"):
        billable_code("  ")


def test_code_set_names_the_installed_package():
    version = importlib.metadata.version("simple-icd-10-cm")
    assert f"ICD-10-CM (simple-icd-10-cm {version})" == icd10.CODE_SET


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not gzip",
        gzip.compress(b"wrong header\nM17.11\t1\tx\n"),
        gzip.compress(b"code\tbillable\tdescription\nM17.11\tyes\tx\n"),
    ],
    ids=["empty", "not-gzip", "wrong-header", "bad-flag"],
)
def test_a_damaged_cache_is_ignored(tmp_path, content):
    path = tmp_path / "cache.tsv.gz"
    path.write_bytes(content)
    assert icd10._read_cache(path) is None

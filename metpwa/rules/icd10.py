"""Checks that a diagnosis code written on a referral exists in ICD-10-CM and is billable, from a compact cached table."""

import bisect
import contextlib
import gc
import gzip
import importlib
import importlib.metadata
import os
import re
import sys
import tempfile
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from metpwa.rules.errors import InputError

_DISTRIBUTION = "simple-icd-10-cm"
_PACKAGE_MODULE = "simple_icd_10_cm"
try:
    _PACKAGE_VERSION = importlib.metadata.version(_DISTRIBUTION)
except importlib.metadata.PackageNotFoundError as error:
    raise ImportError(f"{_DISTRIBUTION} is not installed: it is a runtime dependency of metpwa") from error

# Stored with each referral code, so a later reader knows which edition judged it.
CODE_SET = f"ICD-10-CM ({_DISTRIBUTION} {_PACKAGE_VERSION})"

# The version is in the name so an upgrade of the package builds a new table instead of reading a stale one.
_CACHE_NAME = f"icd10cm-{_DISTRIBUTION}-{_PACKAGE_VERSION}.tsv.gz"
_HEADER = "code\tbillable\tdescription"
_SUGGESTIONS = 4
_RANGE = re.compile(r"[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]+)?-[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]+)?")

Table = dict[str, tuple[bool, str]]


@dataclass(frozen=True)
class Icd10Code:
    code: str
    description: str
    billable: bool


class DiagnosisCodeError(InputError):
    """A diagnosis code was refused; `message` says why, in words for the person reading the order."""

    def __init__(self, message: str) -> None:
        super().__init__("codes", message)


_lock = threading.Lock()
_cache_dir: Path | None = None
_table: Table | None = None
_sorted_codes: list[str] = []


def configure(cache_dir: Path | None) -> None:
    """Where the compact table is cached (the app passes instance/cache); None keeps it in memory only."""
    global _cache_dir, _table, _sorted_codes
    with _lock:
        _cache_dir = Path(cache_dir) if cache_dir is not None else None
        _table = None
        _sorted_codes = []


def cache_path() -> Path | None:
    """The cache file for the installed package version, or None when no cache directory is configured."""
    return _cache_dir / _CACHE_NAME if _cache_dir is not None else None


def normalize(text: str) -> str:
    """Upper case, no spaces, with the dot after the 3rd character: "m1711" becomes "M17.11"."""
    compact = "".join((text or "").split()).upper()
    if "-" in compact:
        # A range such as M00-M02 names a block; it is left as written so the refusal can quote it.
        return compact
    compact = compact.replace(".", "")
    return f"{compact[:3]}.{compact[3:]}" if len(compact) > 3 else compact


def lookup(text: str) -> Icd10Code | None:
    """The ICD-10-CM category, subcategory or code for the text, or None when there is none."""
    code = normalize(text)
    entry = _loaded_table().get(code)
    if entry is None:
        return None
    billable, description = entry
    return Icd10Code(code=code, description=description, billable=billable)


def billable_code(text: str) -> Icd10Code:
    """The billable ICD-10-CM code for the text, or DiagnosisCodeError saying what is wrong with it."""
    code = normalize(text)
    if not code:
        raise DiagnosisCodeError("Enter the diagnosis code exactly as written on the order, e.g. M17.11.")
    if _RANGE.fullmatch(code):
        raise DiagnosisCodeError(
            f"{code} is a range of codes, not a diagnosis: the order needs one full code for each diagnosis."
        )
    found = lookup(code)
    if found is None:
        raise DiagnosisCodeError(f"{code} is not an ICD-10-CM code: check the order for a typo.")
    if not found.billable:
        examples = _billable_examples(found.code)
        hint = f", e.g. {_or_list(examples)}" if examples else ""
        raise DiagnosisCodeError(
            f"{found.code} is a heading, not a billable code; the order needs the full code{hint}."
        )
    return found


def _billable_examples(heading: str) -> list[str]:
    """Up to a few billable codes under a heading, specific ones first.

    "Unspecified" codes are left out when specific ones exist: the referring provider knows the side
    and the site, and payers question unspecified codes.
    """
    table = _loaded_table()
    start = bisect.bisect_right(_sorted_codes, heading)
    under: list[str] = []
    for code in _sorted_codes[start:]:
        if not code.startswith(heading):
            break
        if table[code][0]:
            under.append(code)
    specific = [code for code in under if "unspecified" not in table[code][1].lower()]
    return (specific or under)[:_SUGGESTIONS]


def _or_list(codes: list[str]) -> str:
    if len(codes) == 1:
        return codes[0]
    return f"{', '.join(codes[:-1])} or {codes[-1]}"


def _loaded_table() -> Table:
    # Double-checked: the lock is taken only until the first load in this process has finished.
    table = _table
    if table is not None:
        return table
    with _lock:
        if _table is None:
            _install(_load_or_build())
        assert _table is not None
        return _table


def _install(table: Table) -> None:
    global _table, _sorted_codes
    _sorted_codes = sorted(table)
    _table = table


def _load_or_build() -> Table:
    path = cache_path()
    if path is not None:
        table = _read_cache(path)
        if table is not None:
            return table
    text = _tsv_from_package()
    if path is not None:
        # A read-only or full instance folder costs the next process a rebuild; it must not stop
        # this one from checking codes.
        with contextlib.suppress(OSError):
            _write_cache(path, text)
    table = _parse_tsv(text)
    if table is None:
        raise RuntimeError(f"{_DISTRIBUTION} {_PACKAGE_VERSION} gave no ICD-10-CM codes")
    return table


def _read_cache(path: Path) -> Table | None:
    """The cached table, or None when it is missing or unreadable (it is then rebuilt from the package)."""
    try:
        with gzip.open(path, "rt", encoding="utf-8", newline="\n") as handle:
            text = handle.read()
    except (OSError, EOFError, UnicodeDecodeError):
        return None
    return _parse_tsv(text)


def _parse_tsv(text: str) -> Table | None:
    lines = text.split("\n")
    if lines[0] != _HEADER:
        return None
    table: Table = {}
    for line in lines[1:]:
        if not line:
            continue
        parts = line.split("\t")
        if len(parts) != 3 or parts[1] not in ("0", "1"):
            return None
        table[parts[0]] = (parts[1] == "1", parts[2])
    return table or None


def _write_cache(path: Path, text: str) -> None:
    """Writes to a temporary file and renames it, so another worker never reads a half-written table."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".icd10-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as zipped:
            zipped.write(text.encode("utf-8"))
        # Public code-set data: readable by a worker running as another user than the one who built it.
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _tsv_from_package() -> str:
    """Every category, subcategory and code from simple-icd-10-cm as TSV text (about 4 s, once).

    The package holds a parsed XML tree of about 190 MiB. The result is one string, and the package is
    unloaded again when this function imported it, so the table parsed afterwards lands in freed memory
    and a worker keeps about 35 MiB instead of 190.
    """
    imported_here = _PACKAGE_MODULE not in sys.modules
    with warnings.catch_warnings():
        # simple-icd-10-cm 1.5.0 reads its data with importlib.resources.read_text/open_text, which
        # Python 3.11 deprecates; only that warning is silenced, and only around the import.
        warnings.filterwarnings(
            "ignore", message=r"(read_text|open_text) is deprecated", category=DeprecationWarning
        )
        icd = importlib.import_module(_PACKAGE_MODULE)
    text = "\n".join([_HEADER, *_tsv_rows(icd), ""])
    del icd
    if imported_here:
        for name in [name for name in sys.modules if name.partition(".")[0] == _PACKAGE_MODULE]:
            del sys.modules[name]
        # The code tree links parents and children, so only the cycle collector frees it.
        gc.collect()
    return text


def _tsv_rows(icd: ModuleType) -> Iterator[str]:
    seen: set[str] = set()
    for code in icd.get_all_codes(with_dots=True):
        # Chapters ("13") and blocks ("M00-M02") are not codes; a few blocks share their name with their
        # only category (B10), so asking "is it a category or subcategory" keeps those categories.
        if code in seen or not icd.is_category_or_subcategory(code):
            continue
        seen.add(code)
        # Tabs and line breaks inside a few descriptions would break the TSV, and mean nothing on screen.
        description = " ".join(icd.get_description(code).split())
        yield f"{code}\t{int(icd.is_leaf(code))}\t{description}"

"""Reads free text (assessment findings, plan goals, session notes, report text) and flags wording that diagnoses, treats a condition or names medication, with functional wording to use instead.

The default list is metpwa.standards.scope_terms; a practice removes defaults by key and adds
its own plain phrases. Quoted client words are flagged too: the record must not carry a
diagnosis as the trainer's finding, whoever said it first. When the trainer keeps the wording,
the app records the override on the document; this module only reports.
"""

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from metpwa.standards.scope_terms import (
    CATEGORIES,
    CATEGORY_LABELS,
    CATEGORY_LABELS_MANY,
    CATEGORY_REASONS,
    CATEGORY_SUGGESTIONS,
    DEFAULT_TERMS,
    Category,
    ScopeTerm,
)


@dataclass(frozen=True)
class ScopeFlag:
    """One piece of out-of-scope wording; `text[start:end] == matched`."""

    term: str
    category: Category
    start: int
    end: int
    matched: str
    reason: str
    suggestion: str


@dataclass(frozen=True)
class PracticeTerm:
    """A practice's own entry: a plain phrase, matched literally, never as a regular expression."""

    phrase: str
    category: Category
    reason: str | None = None
    suggestion: str | None = None

    def __post_init__(self) -> None:
        if not self.phrase.split():
            raise ValueError("a practice term needs a phrase")
        if self.category not in CATEGORIES:
            raise ValueError(f"category must be one of {', '.join(CATEGORIES)}")

    @property
    def key(self) -> str:
        return " ".join(self.phrase.split())


@dataclass(frozen=True)
class _Rule:
    term: str
    category: Category
    # Searched in the lower-cased text, so no pattern needs IGNORECASE, which would cost
    # the regex engine its fast literal-prefix scan (about four times slower here).
    pattern: re.Pattern[str]
    # Searched in the text as written.
    exact_case: re.Pattern[str] | None
    after: re.Pattern[str] | None
    # All of a term's exception phrases in one alternation: one search per match, not one per phrase.
    exceptions: re.Pattern[str] | None
    reason: str
    suggestion: str


# The start of each match is checked in code, not by a leading lookbehind, which would
# also defeat the literal-prefix scan; the trailing lookahead costs nothing.
def _ends_on_word(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?:{pattern})(?!\w)")


def _whole_words(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{pattern})(?!\w)")


def _compile_default(term: ScopeTerm) -> _Rule:
    return _Rule(
        term=term.key,
        category=term.category,
        pattern=_ends_on_word(term.pattern),
        exact_case=_ends_on_word("|".join(map(re.escape, term.exact_case))) if term.exact_case else None,
        # Must end exactly where the term starts: searched with endpos at the term's start.
        after=re.compile(rf"(?<!\w)(?:{term.after})\Z") if term.after else None,
        exceptions=_whole_words("|".join(f"(?:{phrase})" for phrase in term.except_in)) if term.except_in else None,
        reason=term.reason,
        suggestion=term.suggestion,
    )


@lru_cache(maxsize=512)
def _compile_practice_term(term: PracticeTerm) -> _Rule:
    words = term.phrase.lower().split()
    pattern = r"\s+".join(re.escape(word) for word in words)
    if words[-1][-1].isalpha():
        # Plurals, as the defaults allow: "bunion" also finds "bunions".
        pattern += "(?:s|es)?"
    return _Rule(
        term=term.key,
        category=term.category,
        pattern=_ends_on_word(pattern),
        exact_case=None,
        after=None,
        exceptions=None,
        reason=term.reason or CATEGORY_REASONS[term.category],
        suggestion=term.suggestion or CATEGORY_SUGGESTIONS[term.category],
    )


# Compiled once at import: the guard runs on every debounced keystroke.
_DEFAULT_RULES = tuple(_compile_default(term) for term in DEFAULT_TERMS)

# How far back "after" context is looked for: the longest context is a drug name plus 40 characters.
_AFTER_WINDOW = 80

_WORD_CHAR = re.compile(r"\w")


def check(
    text: str,
    *,
    added_terms: Iterable[PracticeTerm] = (),
    removed_terms: Iterable[str] = (),
) -> list[ScopeFlag]:
    """Flags in the order they appear; `removed_terms` are default keys, unknown keys are ignored."""
    removed = {key.strip().casefold() for key in removed_terms}
    rules = [rule for rule in _DEFAULT_RULES if rule.term.casefold() not in removed]
    rules.extend(_compile_practice_term(term) for term in added_terms)
    lowered = _lower_keeping_offsets(text)

    found: list[tuple[int, int, int, _Rule]] = []
    for order, rule in enumerate(rules):
        spans = [
            *_word_starts(rule.pattern, lowered),
            *(_word_starts(rule.exact_case, text) if rule.exact_case else ()),
        ]
        if rule.after:
            spans = [
                (start, end)
                for start, end in spans
                if rule.after.search(lowered, max(0, start - _AFTER_WINDOW), start)
            ]
        if rule.exceptions:
            spans = _outside_exceptions(rule.exceptions, lowered, spans)
        found.extend((start, end, order, rule) for start, end in spans)

    return [
        ScopeFlag(
            term=rule.term,
            category=rule.category,
            start=start,
            end=end,
            matched=text[start:end],
            reason=rule.reason,
            suggestion=rule.suggestion,
        )
        for start, end, _, rule in _longest_first(found)
    ]


def what_they_say(flags: Iterable[ScopeFlag]) -> str:
    """The flagged words of one field and what each kind of them does, kinds in the order they first
    appear: "“diagnosed”, “OA” name a diagnosis; “rehab” describes treating a condition"."""
    words: dict[Category, dict[str, str]] = {}
    for flag in flags:
        words.setdefault(flag.category, {}).setdefault(flag.matched.casefold(), f"“{flag.matched}”")
    return "; ".join(
        f"{', '.join(quoted.values())} {(CATEGORY_LABELS_MANY if len(quoted) > 1 else CATEGORY_LABELS)[category]}"
        for category, quoted in words.items()
    )


def _longest_first(found: list[tuple[int, int, int, _Rule]]) -> list[tuple[int, int, int, _Rule]]:
    """Where terms overlap the longest wins ("rotator cuff tear" over "tear", "physical therapy"
    over "therapy"); on a tie, the earlier rule. Returns the survivors in text order."""
    found.sort(key=lambda item: (item[0] - item[1], item[0], item[2]))
    starts: list[int] = []
    ends: list[int] = []
    kept: list[tuple[int, int, int, _Rule]] = []
    for item in found:
        start, end = item[0], item[1]
        # Kept spans never overlap, so sorted by start they are sorted by end too.
        i = bisect_right(starts, start)
        if (i and ends[i - 1] > start) or (i < len(starts) and starts[i] < end):
            continue
        starts.insert(i, start)
        ends.insert(i, end)
        kept.insert(i, item)
    return kept


def _outside_exceptions(
    exceptions: re.Pattern[str], lowered: str, spans: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The spans not inside an exception phrase. The phrases are found once in the whole text, not
    around each match: a note repeating a word 400 times costs one scan, not 400."""
    if not spans:
        return spans
    found = [match.span() for match in exceptions.finditer(lowered)]
    # finditer's matches do not overlap, so the only one that can hold a span is the last one
    # starting at or before it.
    starts = [start for start, _ in found]
    kept = []
    for start, end in spans:
        i = bisect_right(starts, start) - 1
        if i < 0 or found[i][1] < end:
            kept.append((start, end))
    return kept


def _lower_keeping_offsets(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    # A few characters lower-case to two ("İ"); keep those as written so offsets still line up.
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


def _word_starts(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    spans = []
    position = 0
    while match := pattern.search(text, position):
        start, end = match.span()
        if start and _WORD_CHAR.match(text, start - 1):
            # Inside a word ("treat" in "retreat"): try again one character on.
            position = start + 1
            continue
        spans.append((start, end))
        position = max(end, start + 1)
    return spans

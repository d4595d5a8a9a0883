"""Checks each posted intake step, tracks which steps are still missing, finds the answers that call for medical clearance or a fall-risk check, and writes the plain-text summary for the chart and the PDF."""

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from metpwa.rules import parse
from metpwa.standards.intake_form import (
    BODY_REGION_BY_KEY,
    BODY_REGIONS,
    CONDITION_CLEARANCE_REASONS,
    EARLIEST_YEAR,
    FALL_INJURY_CLEARANCE_REASON,
    FALLS_CALLING_FOR_CLEARANCE,
    FALLS_CLEARANCE_REASON,
    ITEM_TEXT_MAX_CHARS,
    LONG_TEXT_MAX_CHARS,
    NO,
    NONE_OF_THESE,
    QUESTION_BY_KEY,
    READINESS_CLEARANCE_REASONS,
    STEADI_FLAG,
    STEADI_KEY_QUESTIONS,
    STEP_BY_KEY,
    STEPS,
    TEXT_MAX_CHARS,
    YES,
    ItemField,
    Question,
    Step,
)

# What one cleaned answer may be; all of it is JSON as stored on IntakeResponse.answers.
Answer = bool | int | str | list[str] | list[dict[str, str | int]]

# Form data as `request.form.to_dict(flat=False)` gives it.
FormData = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class StepResult:
    """One step's posted form, checked.

    `answers` holds the cleaned answers of the step's questions that were answered and apply
    (follow-ups whose condition does not hold are left out); `errors` is keyed by question key, or
    by `<question>-<n>-<field>` for a box in a list row; `raw` is the step's fields exactly as
    posted, to show the form again with what the person typed.
    """

    answers: dict[str, Answer]
    errors: dict[str, str]
    raw: dict[str, list[str]]
    step_key: str

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class SummaryLine:
    section: str
    label: str
    text: str


_REQUIRED_MESSAGES: dict[str, str] = {
    "yes_no": "Please answer yes or no.",
    "choice": "Please choose an answer.",
    "multi": "Please choose at least one answer.",
    "text": "Please fill this in.",
    "long_text": "Please fill this in.",
    "body_map": "Please tap at least one place on the body.",
    "list": "Please add at least one, or answer no above.",
}

_YEAR = re.compile(r"[0-9]{4}", re.ASCII)
# Row indexes beyond four digits are not rows a person added.
_ROW_INDEX = r"(0|[1-9][0-9]{0,3})"

_Clean = tuple[Answer | None, dict[str, str]]


def validate_step(step_key: str, form: FormData) -> StepResult:
    """Never raises on what was posted; an unknown `step_key` is a KeyError (the route answers 404)."""
    step = STEP_BY_KEY[step_key]
    raw = _raw_fields(step, form)
    answers: dict[str, Answer] = {}
    errors: dict[str, str] = {}
    for question in step.questions:
        # The parent comes earlier on the same step, so its cleaned answer is already known; a
        # parent with an error hides its follow-ups until it is fixed.
        if not _shown(question, answers):
            continue
        value, question_errors = _CLEANERS[question.kind](question, raw)
        if question_errors:
            errors.update(question_errors)
        elif value is not None:
            answers[question.key] = value
        elif question.required:
            errors[question.key] = _required_message(question)
    rule = step.at_least_one
    if rule and not any(key in answers or key in errors for key in rule.question_keys):
        errors[rule.question_keys[0]] = rule.message
    return StepResult(answers=answers, errors=errors, raw=raw, step_key=step.key)


def merge_step(answers: Mapping[str, Any], result: StepResult) -> dict[str, Any]:
    """The stored answers with this step's replaced by the result's, so a follow-up answered
    earlier (the number of falls) goes when its parent changes (no falls after all)."""
    step_keys = {question.key for question in STEP_BY_KEY[result.step_key].questions}
    merged = {key: value for key, value in answers.items() if key not in step_keys}
    merged.update(result.answers)
    return merged


def form_values(step_key: str, answers: Mapping[str, Any]) -> dict[str, list[str]]:
    """Stored answers in the shape a posted form has, so a step is shown, and checked, one way
    whether it comes from the draft or from the person's last post. Values of the wrong type
    come out as text and fail the check instead of raising."""
    values: dict[str, list[str]] = {}
    for question in STEP_BY_KEY[step_key].questions:
        if question.key not in answers:
            continue
        value = answers[question.key]
        if question.kind == "list":
            rows = value if isinstance(value, list) else []
            for n, row in enumerate(row for row in rows if isinstance(row, Mapping)):
                for item in question.item_fields:
                    if item.key in row:
                        values[f"{question.key}-{n}-{item.key}"] = [str(row[item.key])]
        elif isinstance(value, bool):
            values[question.key] = [YES if value else NO]
        elif isinstance(value, list):
            values[question.key] = [str(item) for item in value]
        else:
            values[question.key] = [str(value)]
    return values


def list_rows(values: FormData, question_key: str) -> list[tuple[int, dict[str, str]]]:
    """A list question's rows in index order as `(n, {field: text})`, for showing the form again;
    `n` is the index the error keys use. Rows left blank are not answers and are dropped, so the
    form's own spare rows do not pile up each time a save is refused."""
    pattern = _row_pattern(QUESTION_BY_KEY[question_key])
    rows: dict[int, dict[str, str]] = {}
    for name, posted in values.items():
        if match := pattern.fullmatch(name):
            rows.setdefault(int(match[1]), {})[match[2]] = _last(_as_list(posted))
    return sorted((n, row) for n, row in rows.items() if any(text.strip() for text in row.values()))


def missing_steps(answers: Mapping[str, Any]) -> list[str]:
    """Keys of the steps whose stored answers do not yet pass their check, in form order."""
    return [step.key for step in STEPS if not validate_step(step.key, form_values(step.key, answers)).ok]


def next_step(answers: Mapping[str, Any]) -> str | None:
    """The first step still to do, or None when the intake is complete."""
    missing = missing_steps(answers)
    return missing[0] if missing else None


def is_complete(answers: Mapping[str, Any]) -> bool:
    return not missing_steps(answers)


def clearance_reasons(answers: Mapping[str, Any]) -> list[str]:
    """One sentence per answer that calls for medical clearance before exercise; the rules and
    their sources are beside the tables in metpwa.standards.intake_form."""
    applicable = _applicable(answers)
    reasons = [
        reason for key, reason in READINESS_CLEARANCE_REASONS.items() if applicable.get(key) is True
    ]
    conditions = _strings(applicable.get("conditions"))
    reasons.extend(reason for key, reason in CONDITION_CLEARANCE_REASONS.items() if key in conditions)
    falls = applicable.get("fall_count")
    if _is_int(falls) and falls >= FALLS_CALLING_FOR_CLEARANCE:
        reasons.append(FALLS_CLEARANCE_REASON.format(count=falls))
    if applicable.get("fall_injured") is True:
        reasons.append(FALL_INJURY_CLEARANCE_REASON)
    return reasons


def requires_clearance(answers: Mapping[str, Any]) -> bool:
    return bool(clearance_reasons(answers))


def fall_risk_flags(answers: Mapping[str, Any]) -> list[str]:
    """A sentence for the trainer when the CDC STEADI key questions screen positive: a check of
    gait, strength and balance at the first assessment, whether or not clearance is also needed."""
    applicable = _applicable(answers)
    positive = [words for key, words in STEADI_KEY_QUESTIONS if applicable.get(key) is True]
    return [STEADI_FLAG.format(answers=", ".join(positive))] if positive else []


def summary(answers: Mapping[str, Any]) -> list[SummaryLine]:
    """The answered questions as plain text, in form order; follow-ups that no longer apply and
    unanswered questions are left out."""
    applicable = _applicable(answers)
    return [
        SummaryLine(step.title, question.summary_label, text)
        for step in STEPS
        for question in step.questions
        if question.key in applicable and (text := _summary_text(question, applicable[question.key]))
    ]


def _required_message(question: Question) -> str:
    if question.kind == "number":
        return f"Enter a number from {question.minimum} to {question.maximum}."
    if question.kind == "scale":
        return f"Tap a number from {question.minimum} to {question.maximum}."
    return _REQUIRED_MESSAGES[question.kind]


def _raw_fields(step: Step, form: FormData) -> dict[str, list[str]]:
    raw: dict[str, list[str]] = {}
    for question in step.questions:
        if question.kind == "list":
            pattern = _row_pattern(question)
            raw.update((name, _as_list(posted)) for name, posted in form.items() if pattern.fullmatch(name))
        elif question.key in form:
            raw[question.key] = _as_list(form[question.key])
    return raw


def _as_list(posted: Sequence[str] | str) -> list[str]:
    # `to_dict()` without flat=False gives one string per field; list("yes") would be letters.
    return [posted] if isinstance(posted, str) else list(posted)


@cache
def _row_pattern(question: Question) -> re.Pattern[str]:
    """Matches `<question>-<n>-<field>`; group 1 is the row index, group 2 the field."""
    field_keys = "|".join(re.escape(item.key) for item in question.item_fields)
    return re.compile(rf"{re.escape(question.key)}-{_ROW_INDEX}-({field_keys})")


def _shown(question: Question, answers: Mapping[str, Any]) -> bool:
    if question.show_if is None:
        return True
    parent_key, expected = question.show_if
    parent = answers.get(parent_key)
    if isinstance(parent, list):
        return expected in parent
    # `is` for booleans, so a stored 1 never passes for True.
    return parent is expected if isinstance(expected, bool) else parent == expected


def _applicable(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The stored answers of questions that apply: a follow-up counts only while its parent's
    answer still asks for it."""
    applicable: dict[str, Any] = {}
    for step in STEPS:
        for question in step.questions:
            if question.key in answers and _shown(question, applicable):
                applicable[question.key] = answers[question.key]
    return applicable


def _last(posted: Sequence[str]) -> str:
    # A radio group or a text box posts one value; if more arrive, the last one set wins, as it
    # does for a hidden default followed by the control itself.
    return posted[-1] if posted else ""


def _too_long(limit: int) -> str:
    return f"Please keep this to {limit} characters or fewer."


def _clean_yes_no(question: Question, raw: Mapping[str, list[str]]) -> _Clean:
    value = _last(raw.get(question.key, [])).strip().lower()
    if not value:
        return None, {}
    if value in (YES, NO):
        return value == YES, {}
    return None, {question.key: "Please answer yes or no."}


def _clean_choice(question: Question, raw: Mapping[str, list[str]]) -> _Clean:
    value = _last(raw.get(question.key, [])).strip()
    if not value:
        return None, {}
    if value in {option.value for option in question.options}:
        return value, {}
    return None, {question.key: "Please choose one of the answers shown."}


def _clean_multi(question: Question, raw: Mapping[str, list[str]]) -> _Clean:
    chosen = {value.strip() for value in raw.get(question.key, [])} - {""}
    known = [option.value for option in question.options]
    if chosen - set(known):
        return None, {question.key: "Please choose from the answers shown."}
    if NONE_OF_THESE in chosen and len(chosen) > 1:
        none_label = next(option.label for option in question.options if option.value == NONE_OF_THESE)
        return None, {question.key: f"Choose “{none_label}” or the answers that apply, not both."}
    # Stored in the order of the options, so the same choices always read the same way.
    return [value for value in known if value in chosen] or None, {}


def _clean_body_map(question: Question, raw: Mapping[str, list[str]]) -> _Clean:
    chosen = {value.strip() for value in raw.get(question.key, [])} - {""}
    if chosen - BODY_REGION_BY_KEY.keys():
        return None, {question.key: "Please choose places from the body outline."}
    return [region.key for region in BODY_REGIONS if region.key in chosen] or None, {}


def _clean_short_text(question: Question, raw: Mapping[str, list[str]]) -> _Clean:
    value = parse.clean_text(_last(raw.get(question.key, [])), multiline=False)
    if len(value) > TEXT_MAX_CHARS:
        return None, {question.key: _too_long(TEXT_MAX_CHARS)}
    return value or None, {}


def _clean_long_text(question: Question, raw: Mapping[str, list[str]]) -> _Clean:
    value = parse.clean_text(_last(raw.get(question.key, [])), multiline=True)
    if len(value) > LONG_TEXT_MAX_CHARS:
        return None, {question.key: _too_long(LONG_TEXT_MAX_CHARS)}
    return value or None, {}


def _clean_whole_number(question: Question, raw: Mapping[str, list[str]]) -> _Clean:
    value = _last(raw.get(question.key, [])).strip()
    if not value:
        return None, {}
    if question.minimum is not None and question.maximum is not None:
        number = parse.whole_number(value, question.minimum, question.maximum)
        if number is not None:
            return number, {}
    return None, {question.key: _required_message(question)}


def _clean_list(question: Question, raw: Mapping[str, list[str]]) -> _Clean:
    rows: list[dict[str, str | int]] = []
    errors: dict[str, str] = {}
    for n, row in list_rows(raw, question.key):
        texts = {
            item.key: parse.clean_text(row.get(item.key, ""), multiline=False) for item in question.item_fields
        }
        if not any(texts.values()):
            # A blank row the form offered for adding one more: not an answer.
            continue
        cleaned: dict[str, str | int] = {}
        for item in question.item_fields:
            value, error = _clean_item(item, texts[item.key])
            if error:
                errors[f"{question.key}-{n}-{item.key}"] = error
            elif value != "":
                cleaned[item.key] = value
        rows.append(cleaned)
    if len(rows) > question.max_items:
        errors[question.key] = f"Please list no more than {question.max_items}."
    if errors:
        return None, errors
    return rows or None, {}


def _clean_item(item: ItemField, text: str) -> tuple[str | int, str | None]:
    if not text:
        return "", (f"Please fill in the {item.label.lower()}, or clear this row." if item.required else None)
    if len(text) > ITEM_TEXT_MAX_CHARS:
        return "", _too_long(ITEM_TEXT_MAX_CHARS)
    if item.kind == "year":
        this_year = date.today().year
        if _YEAR.fullmatch(text) and EARLIEST_YEAR <= int(text) <= this_year:
            return int(text), None
        return "", f"Enter a year from {EARLIEST_YEAR} to {this_year}, like 2019, or leave it blank."
    return text, None


_CLEANERS: dict[str, Callable[[Question, Mapping[str, list[str]]], _Clean]] = {
    "yes_no": _clean_yes_no,
    "choice": _clean_choice,
    "multi": _clean_multi,
    "text": _clean_short_text,
    "long_text": _clean_long_text,
    "number": _clean_whole_number,
    "scale": _clean_whole_number,
    "list": _clean_list,
    "body_map": _clean_body_map,
}


def _is_int(value: Any) -> bool:
    # bool is an int in Python; a stored True is not a count of falls.
    return isinstance(value, int) and not isinstance(value, bool)


def _strings(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _summary_text(question: Question, value: Any) -> str:
    if question.kind == "yes_no" and isinstance(value, bool):
        return "Yes" if value else "No"
    if question.kind in ("choice", "multi"):
        labels = {option.value: option.label for option in question.options}
        values = value if isinstance(value, list) else [value]
        return "; ".join(labels.get(item, str(item)) for item in values)
    if question.kind == "body_map":
        values = value if isinstance(value, list) else [value]
        return "; ".join(
            BODY_REGION_BY_KEY[item].label if item in BODY_REGION_BY_KEY else str(item) for item in values
        )
    if question.kind == "scale":
        return f"{value}/{question.maximum}"
    if question.kind == "list":
        rows = value if isinstance(value, list) else []
        return "; ".join(_row_text(question, row) for row in rows if isinstance(row, Mapping))
    return str(value)


def _row_text(question: Question, row: Mapping[str, Any]) -> str:
    """The plain boxes, then the bracketed ones: "Lisinopril 10 mg (blood pressure)"."""
    filled = [(item, str(row[item.key])) for item in question.item_fields if str(row.get(item.key, ""))]
    text = " ".join(value for item, value in filled if not item.in_brackets)
    bracketed = ", ".join(value for item, value in filled if item.in_brackets)
    return f"{text} ({bracketed})" if bracketed else text

"""What the plan pages post, read into typed values: the builder (a new version) and an
acknowledgement that came back from the referring provider."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from werkzeug.datastructures import FileStorage, MultiDict

from ...forms import KEEP_SUFFIX, parse_us_date
from ...rules import plan as plan_rules


@dataclass(frozen=True)
class BuilderPost:
    """The builder as posted. Its goal and exercise rows are named by the page as it grows them
    (goals-3-target_value), so `boxes` holds every box by name with all its values, which
    rules.plan.parse_plan checks row by row; `based_on_version` is the version it was opened on
    (None for a first plan), and `keep_reasons` the reasons typed to keep flagged wording."""

    boxes: dict[str, list[str]]
    based_on_version: int | None
    keep_reasons: dict[str, str]

    def shown_again(self, checked: dict[str, list[str]]) -> dict[str, list[str]]:
        """The builder's boxes for the page again: the checked rows, and the reasons typed."""
        return {**checked, **{name + KEEP_SUFFIX: [reason] for name, reason in self.keep_reasons.items()}}


def read_builder(form: MultiDict) -> BuilderPost:
    boxes = form.to_dict(flat=False)
    kept = {name.removesuffix(KEEP_SUFFIX): values[0] for name, values in boxes.items()
            if name.endswith(KEEP_SUFFIX) and values}
    return BuilderPost(boxes, plan_rules.based_on_version(boxes), kept)


@dataclass(frozen=True)
class Acknowledgement:
    received_on: date | None
    method: str
    note: str | None
    document: FileStorage | None


def read_acknowledgement(form: MultiDict, files: MultiDict) -> Acknowledgement:
    return Acknowledgement(parse_us_date(form.get("received_on", "")), form.get("method", ""), form.get("note"),
                           files.get("document"))

"""Figures the hostile suite and the reliability tests print at the end of a run (CI shows them)."""

LINES: list[str] = []


def report(line: str) -> None:
    LINES.append(line)

"""The chart's readiness checklist: what must be on file before a client's first session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ConsentFact:
    key: str
    title: str
    signed_current: bool
    signed_older_version: bool


@dataclass(frozen=True)
class ReadinessFacts:
    demographics_complete: bool
    emergency_contact: bool
    coverage: bool
    self_pay: bool
    referral: bool
    referral_order_on_file: bool
    referral_expires_on: date | None
    intake_complete: bool
    intake_started: bool
    clearance_required: bool
    clearance_recorded: bool
    consents: tuple[ConsentFact, ...]
    today: date


@dataclass(frozen=True)
class ReadinessItem:
    key: str
    label: str
    done: bool
    detail: str = ""


def checklist(facts: ReadinessFacts) -> list[ReadinessItem]:
    """Every item in chart order; a missing one says in a few words what is missing."""
    items = [
        ReadinessItem("demographics", "Name, birth date, sex and a phone or email", facts.demographics_complete,
                      "" if facts.demographics_complete else "Contact details are incomplete."),
        ReadinessItem("emergency_contact", "Emergency contact", facts.emergency_contact,
                      "" if facts.emergency_contact else "No emergency contact on file."),
        ReadinessItem(
            "coverage", "Insurance (or self-pay)", facts.coverage or facts.self_pay,
            "Self-pay" if facts.self_pay and not facts.coverage else
            ("" if facts.coverage else "No insurance plan and not marked self-pay."),
        ),
        _referral_item(facts),
        ReadinessItem(
            "intake", "Health-history intake", facts.intake_complete,
            "" if facts.intake_complete else ("Started, not finished." if facts.intake_started else "Not started."),
        ),
    ]
    if facts.clearance_required:
        items.append(ReadinessItem(
            "clearance", "Medical clearance", facts.clearance_recorded,
            "" if facts.clearance_recorded else "The intake answers call for a provider's clearance before exercise.",
        ))
    for consent in facts.consents:
        detail = ""
        if not consent.signed_current:
            detail = ("Signed an older version: the current version needs a signature."
                      if consent.signed_older_version else "Not signed.")
        items.append(ReadinessItem(f"consent:{consent.key}", consent.title, consent.signed_current, detail))
    return items


def _referral_item(facts: ReadinessFacts) -> ReadinessItem:
    label = "Referral and order"
    if not facts.referral:
        return ReadinessItem("referral", label, False, "No referral recorded.")
    if facts.referral_expires_on is not None and facts.referral_expires_on < facts.today:
        return ReadinessItem("referral", label, False, f"The referral expired on {facts.referral_expires_on:%b} "
                                                       f"{facts.referral_expires_on.day}, {facts.referral_expires_on.year}.")
    if not facts.referral_order_on_file:
        return ReadinessItem("referral", label, False, "The order or prescription document is not on file.")
    return ReadinessItem("referral", label, True)


def blockers(facts: ReadinessFacts) -> list[ReadinessItem]:
    return [item for item in checklist(facts) if not item.done]


def may_start_sessions(facts: ReadinessFacts) -> bool:
    """Sessions wait for a complete chart; clearance, when asked for, above all."""
    return not blockers(facts)

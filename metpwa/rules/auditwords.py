"""How an audit event reads to an owner: "Viewed · plan version 2", "iPad · Safari". The trail
keeps raw values (class names, the whole user-agent string, which the CSV export carries); these
are the words for the screen."""

from __future__ import annotations

import re

# Record kinds in the practice's words; anything not listed reads as its class name split into words.
RECORD_WORDS = {
    "Client": "chart", "Assessment": "assessment", "PlanVersion": "plan version", "SessionLog": "session",
    "SetLog": "set", "OutcomeResult": "outcome measure", "ProgressReport": "progress report",
    "IntakeResponse": "health history", "ConsentSignature": "signed consent", "ConsentTemplate": "consent form",
    "Referral": "referral", "MedicalClearance": "medical clearance", "Coverage": "insurance coverage",
    "EmergencyContact": "emergency contact", "Document": "document", "ReferringProvider": "referring provider",
    "User": "staff member", "EmergencyAccess": "emergency access grant", "Appointment": "appointment",
    "Addendum": "addendum", "Exercise": "library exercise", "Practice": "practice settings",
    "Disclosure": "disclosure",
    "StaffCredential": "credential", "ContinuingEducation": "continuing education entry",
    "TrainingSession": "training session", "TrainingCompletion": "training attendance",
    "HipaaTrainingWaiver": "HIPAA training waiver", "PracticeDocument": "staff document",
    "StaffInvitation": "staff invitation",
}
# What a page that lists many records was (detail "list" or "report" of a read with no single record).
LIST_WORDS = {
    "clients": "the client list", "today": "the Today list", "schedule": "the schedule", "staff": "the staff list",
    "emergency access": "the emergency access page", "audit": "the audit trail",
    "audit verify": "the audit seal check", "disclosures": "the accounting of disclosures",
    "credentials": "a staff member's credentials", "training": "the training page",
    "continuing education": "everyone's continuing education", "my training": "their own training",
    "hipaa gate": "the HIPAA-training-first page",
}


def record_words(object_type: str | None, object_id: str | None) -> str:
    if not object_type:
        return ""
    words = RECORD_WORDS.get(object_type) or re.sub(r"(?<!^)(?=[A-Z])", " ", object_type).lower()
    return f"{words} {object_id}" if object_id else words


def listing_words(detail: dict | None) -> str:
    """For a read with no single record: which page of many records was opened."""
    if not isinstance(detail, dict):
        return ""
    name = detail.get("list") or detail.get("report")
    if not isinstance(name, str):
        return ""
    return LIST_WORDS.get(name, name)


_DEVICES = (("iPad", "iPad"), ("iPhone", "iPhone"), ("Android", "Android"), ("Windows", "Windows"),
            ("Macintosh", "Mac"), ("CrOS", "Chromebook"), ("Linux", "Linux"))
_BROWSERS = (("Edg/", "Edge"), ("CriOS", "Chrome"), ("FxiOS", "Firefox"), ("Firefox/", "Firefox"),
             ("Chrome/", "Chrome"), ("Safari/", "Safari"))


def device_words(user_agent: str | None) -> str:
    """"iPad · Safari" from a user-agent string; "command line" for events with none (CLI, jobs)."""
    if not user_agent:
        return "command line"
    # iPadOS 13+ in desktop mode says Macintosh; the app's own iPads are told apart by touch, which
    # a user-agent cannot show, so it reads as Mac.
    device = next((label for mark, label in _DEVICES if mark in user_agent), "")
    browser = next((label for mark, label in _BROWSERS if mark in user_agent), "")
    words = " · ".join(part for part in (device, browser) if part)
    return words or user_agent[:40]

"""The referral network's words: kinds of referral source, kinds of relationship activity, how a
source wants its reports, and the practice's defaults for when a source has gone quiet and how
small a group of clients may be before its figures are hidden."""

from __future__ import annotations

from enum import StrEnum

SEED_ELEMENT_12 = ("12 core elements, element 12: build relationships with physicians, physical therapists and "
                   "other providers by attending networking events, giving educational sessions and showing "
                   "that MET works; for example quarterly networking events")

# A source with no relationship activity in this many days is listed as gone quiet (issue 19).
QUIET_AFTER_DAYS = 90
# Follow-ups due within this many days are listed on the owner's home screen.
FOLLOW_UP_HORIZON_DAYS = 7
# Figures about fewer clients than this are never shown or sent: a small group could let a
# referring provider recognise the people behind a percentage (issue 19: "no cell under 5").
MIN_CELL_CLIENTS = 5
# A progress report counts as sent on time when it goes out within this many days of falling due
# (practice default; rules/reports.py says when it falls due).
REPORT_SEND_WITHIN_DAYS = 7


class SourceKind(StrEnum):
    """Who refers. The first three are the seed's; the front desk already records nurse practitioners
    and physician assistants (the referral form offers them), so they stay their own kinds."""

    PHYSICIAN = "physician"
    PHYSICAL_THERAPIST = "physical_therapist"
    CHIROPRACTOR = "chiropractor"
    NURSE_PRACTITIONER = "nurse_practitioner"
    PHYSICIAN_ASSISTANT = "physician_assistant"
    OTHER = "other"


SOURCE_KIND_LABELS: dict[SourceKind, str] = {
    SourceKind.PHYSICIAN: "Physician (MD/DO)",
    SourceKind.PHYSICAL_THERAPIST: "Physical therapist",
    SourceKind.CHIROPRACTOR: "Chiropractor",
    SourceKind.NURSE_PRACTITIONER: "Nurse practitioner",
    SourceKind.PHYSICIAN_ASSISTANT: "Physician assistant",
    SourceKind.OTHER: "Other clinician",
}


class ActivityKind(StrEnum):
    NETWORKING_EVENT = "networking_event"
    EDUCATIONAL_SESSION = "educational_session"
    VISIT = "visit"
    CALL = "call"
    OTHER = "other"


ACTIVITY_KIND_LABELS: dict[ActivityKind, str] = {
    ActivityKind.NETWORKING_EVENT: "Networking event",
    ActivityKind.EDUCATIONAL_SESSION: "Educational session (e.g. lunch-and-learn)",
    ActivityKind.VISIT: "Office visit",
    ActivityKind.CALL: "Call",
    ActivityKind.OTHER: "Other",
}


class ReportDelivery(StrEnum):
    """How a source wants progress reports; the disclosure log's method for each (models.reports.Disclosure)."""

    FAX = "fax"
    SECURE_EMAIL = "secure_email"
    PORTAL = "portal"
    MAIL = "mail"


DELIVERY_LABELS: dict[ReportDelivery, str] = {
    ReportDelivery.FAX: "Fax",
    ReportDelivery.SECURE_EMAIL: "Secure email",
    ReportDelivery.PORTAL: "Provider portal",
    ReportDelivery.MAIL: "Mail",
}

"""How long records are kept: what each federal rule asks, and of which records, with its source. The
number of years itself is the practice's setting (RETENTION_YEARS); these say what to weigh."""

from dataclasses import dataclass


@dataclass(frozen=True)
class RetentionRule:
    years: int
    covers: str
    source: str


# Issue 16: "HIPAA requires six years" and "CMS expects 7 years" overstated both. None of these sets
# how long a medical record is kept; state law does, and varies by state (and for minors).
HIPAA_DOCUMENTATION = RetentionRule(
    6,
    "HIPAA documentation (policies and procedures, notices, authorizations, and other actions and"
    " designations the Privacy and Security Rules require in writing), from creation or last effective"
    " date; not the medical record itself",
    "45 CFR 164.530(j)(2); 164.316(b)(2) for the Security Rule",
)
MEDICARE_ORDERING_DOCUMENTATION = RetentionRule(
    7,
    "ordering and certifying documentation of providers and suppliers that furnish, order or certify"
    " Medicare DMEPOS, clinical laboratory, imaging or home health services, from the date of service;"
    " not all Medicare records",
    "42 CFR 424.516(f)",
)
MEDICARE_ADVANTAGE_CONTRACTS = RetentionRule(
    10,
    "records of Medicare Advantage organizations, from the end of the contract period or the completion"
    " of an audit; the plans' contracts usually ask the same of the providers who see their members",
    "42 CFR 422.504(d)",
)

FEDERAL_RULES = (HIPAA_DOCUMENTATION, MEDICARE_ORDERING_DOCUMENTATION, MEDICARE_ADVANTAGE_CONTRACTS)

MEDICAL_RECORDS = (
    "How long medical records are kept is set by state law (and, for minors, often longer), and by the"
    " practice's payer contracts; the practice chooses RETENTION_YEARS to meet the longest that applies."
)

"""Staff training topics, and what HIPAA does and does not say about how often staff are trained.

HIPAA sets no yearly cycle. The Privacy Rule asks a covered entity to train every workforce member on
its policies and procedures "as necessary and appropriate" for their functions, each new member
within a reasonable period after joining, and again when a material change affects their functions
(45 CFR 164.530(b)); the Security Rule asks for a security awareness and training program for the
whole workforce, management included, with periodic security reminders (164.308(a)(5)). Training is
documented and the record kept six years (164.530(j)). Yearly HIPAA training is this practice's own
setting (Practice.hipaa_training_every_months, 12 by default), and so is "before opening any client
record" for new staff: "within a reasonable period" leaves that choice to the practice.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

HIPAA_PRIVACY_TRAINING = ("45 CFR 164.530(b): train all workforce members on PHI policies and procedures as "
                          "necessary and appropriate for their functions; new members within a reasonable period "
                          "after joining; again after a material change")
HIPAA_SECURITY_TRAINING = ("45 CFR 164.308(a)(5)(i): a security awareness and training program for all workforce "
                           "members, including management; (ii)(A) periodic security updates (addressable)")
HIPAA_DOCUMENTATION = "45 CFR 164.530(j): documentation kept six years"
SEED_ELEMENT_10 = ("12 core elements, element 10: regular staff training on assessment techniques, documentation "
                   "standards and HIPAA compliance (../shared/reference/seed-12-core-elements.txt)")

# The practice's settings' defaults, not a legal requirement (see the module's first paragraph).
HIPAA_INTERVAL_MONTHS_DEFAULT = 12
HIPAA_INTERVAL_MONTHS_RANGE = (1, 36)
# A person is told their HIPAA training is coming due this many days before the date.
HIPAA_DUE_SOON_DAYS = 30


class TrainingTopic(StrEnum):
    HIPAA = "hipaa"
    DOCUMENTATION = "documentation"
    ASSESSMENT = "assessment"
    EMERGENCY = "emergency"
    OTHER = "other"

    @property
    def label(self) -> str:
        return TOPICS[self].label


@dataclass(frozen=True)
class Topic:
    topic: TrainingTopic
    label: str
    what: str
    source: str


TOPICS: dict[TrainingTopic, Topic] = {
    topic.topic: topic
    for topic in (
        Topic(TrainingTopic.HIPAA, "HIPAA privacy and security",
              "Who may see and share client records, minimum necessary, passwords and locking the iPad, "
              "reporting a lost device or a wrong fax", f"{HIPAA_PRIVACY_TRAINING}; {HIPAA_SECURITY_TRAINING}"),
        Topic(TrainingTopic.DOCUMENTATION, "Documentation standards",
              "Session notes that describe function, within an MES's scope; signing the same day; addenda "
              "instead of edits", SEED_ELEMENT_10),
        Topic(TrainingTopic.ASSESSMENT, "Assessment technique",
              "Running the outcome measures and the baseline assessment the same way every time",
              SEED_ELEMENT_10),
        Topic(TrainingTopic.EMERGENCY, "Emergency procedures",
              "What to do when a client falls, faints or has chest pain: the practice's emergency plan, the "
              "AED, calling 911", "Practice policy; CPR/AED certification itself is a credential"),
        Topic(TrainingTopic.OTHER, "Other", "Any other in-service training the practice runs", "Practice policy"),
    )
}

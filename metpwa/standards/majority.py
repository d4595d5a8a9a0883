"""The age of majority by state: below it, a parent or legal guardian signs a client's consent forms,
and records are kept at least until the client reaches it plus the practice's retention years.

Issue 16. Each state's own statute; the default of 18 is the rule everywhere not listed. States also
let some minors consent to some care on their own (emancipation, marriage, military service, certain
treatment), which is for the practice's lawyer: metpwa asks a parent or guardian to sign for every
client under the age of majority.
"""

from dataclasses import dataclass

DEFAULT_AGE = 18
DEFAULT_SOURCE = "18, as in every state but Alabama, Nebraska and Mississippi (each state's own statute)"


@dataclass(frozen=True)
class Majority:
    age: int
    source: str


MAJORITY_BY_STATE: dict[str, Majority] = {
    "AL": Majority(19, "Code of Alabama 1975 § 26-1-1(a): 19 years"),
    "NE": Majority(19, "Neb. Rev. Stat. § 43-2101: 19 years"),
    "MS": Majority(21, "Miss. Code Ann. § 1-3-27: 21 years"),
}

# The fifty states and the District of Columbia, as a practice chooses its own.
STATES: tuple[tuple[str, str], ...] = (
    ("AL", "Alabama"), ("AK", "Alaska"), ("AZ", "Arizona"), ("AR", "Arkansas"), ("CA", "California"),
    ("CO", "Colorado"), ("CT", "Connecticut"), ("DE", "Delaware"), ("DC", "District of Columbia"),
    ("FL", "Florida"), ("GA", "Georgia"), ("HI", "Hawaii"), ("ID", "Idaho"), ("IL", "Illinois"),
    ("IN", "Indiana"), ("IA", "Iowa"), ("KS", "Kansas"), ("KY", "Kentucky"), ("LA", "Louisiana"),
    ("ME", "Maine"), ("MD", "Maryland"), ("MA", "Massachusetts"), ("MI", "Michigan"), ("MN", "Minnesota"),
    ("MS", "Mississippi"), ("MO", "Missouri"), ("MT", "Montana"), ("NE", "Nebraska"), ("NV", "Nevada"),
    ("NH", "New Hampshire"), ("NJ", "New Jersey"), ("NM", "New Mexico"), ("NY", "New York"),
    ("NC", "North Carolina"), ("ND", "North Dakota"), ("OH", "Ohio"), ("OK", "Oklahoma"), ("OR", "Oregon"),
    ("PA", "Pennsylvania"), ("RI", "Rhode Island"), ("SC", "South Carolina"), ("SD", "South Dakota"),
    ("TN", "Tennessee"), ("TX", "Texas"), ("UT", "Utah"), ("VT", "Vermont"), ("VA", "Virginia"),
    ("WA", "Washington"), ("WV", "West Virginia"), ("WI", "Wisconsin"), ("WY", "Wyoming"),
)
STATE_NAMES = dict(STATES)


def majority(state: str | None) -> Majority:
    """The age of majority where the practice works; 18 when no state is set."""
    if state and state in MAJORITY_BY_STATE:
        return MAJORITY_BY_STATE[state]
    return Majority(DEFAULT_AGE, DEFAULT_SOURCE)

"""Staff roles and what each may do; checked on the server for every route."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    OWNER = "owner"
    TRAINER = "trainer"
    FRONT_DESK = "front_desk"
    BILLER = "biller"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.OWNER: "Owner",
    Role.TRAINER: "Trainer",
    Role.FRONT_DESK: "Front desk",
    Role.BILLER: "Billing",
}

_ALL = frozenset(Role)

# Minimum necessary (HIPAA 164.502(b)): billing and front desk see who the client
# is and how they pay; only the people who deliver exercise see clinical records.
CAPABILITIES: dict[str, frozenset[Role]] = {
    "clients.view": _ALL,
    "clients.edit": frozenset({Role.OWNER, Role.TRAINER, Role.FRONT_DESK}),
    "clinical.view": frozenset({Role.OWNER, Role.TRAINER}),
    "clinical.write": frozenset({Role.OWNER, Role.TRAINER}),
    "billing.view": frozenset({Role.OWNER, Role.BILLER}),
    # The practice's billing set-up: providers, payers, fees, supervision on record.
    "billing.setup": frozenset({Role.OWNER, Role.BILLER}),
    # Checking a client's coverage with the payer, often at the desk when they arrive.
    "eligibility.record": frozenset({Role.OWNER, Role.FRONT_DESK, Role.BILLER}),
    # Making claims from signed sessions, overriding findings with a reason, exporting them.
    "claims.manage": frozenset({Role.OWNER, Role.BILLER}),
    "staff.manage": frozenset({Role.OWNER}),
    # Everyone keeps their own credentials, continuing education and training attestations.
    "staff.own_records": _ALL,
    "audit.view": frozenset({Role.OWNER}),
    # The referral network: the front desk keeps the providers' details and logs calls and visits.
    "network.view": frozenset({Role.OWNER, Role.FRONT_DESK}),
    "network.edit": frozenset({Role.OWNER, Role.FRONT_DESK}),
    # The owner's readiness dashboard names every client whose record has gaps.
    "readiness.view": frozenset({Role.OWNER}),
}


# Who may open a stored document is decided by its kind (minimum necessary): billing needs the referral
# order behind a claim, front desk files it; a medical clearance letter or a plan signed by the referring
# provider is clinical. A kind not listed here is clinical until someone decides otherwise.
DOCUMENT_CAPABILITIES: dict[str, str] = {
    "referral_order": "clients.view",
    "clearance": "clinical.view",
    "plan_acknowledgement": "clinical.view",
}


def document_capability(kind: str) -> str:
    """The capability needed to open a document of this kind."""
    return DOCUMENT_CAPABILITIES.get(kind, "clinical.view")


# What an owner's emergency (break-glass) grant lends to a role without it: reading, never writing.
EMERGENCY_CAPABILITIES = frozenset({"clinical.view"})

# Roles that must use two-step sign-in: they reach money, every record, and the staff list,
# often from outside the practice.
TWO_FACTOR_ROLES = frozenset({Role.OWNER, Role.BILLER})


def can(role: Role | str, capability: str) -> bool:
    """True when the role holds the capability; unknown capabilities are refused."""
    return Role(role) in CAPABILITIES.get(capability, frozenset())


def holds(person, capability: str, *, under_emergency_grant: bool = False) -> bool:
    """A person's capability (a User, or the request's signed-in principal): their role's, and the
    read-only clinical ones while an owner's emergency grant they started is running. Whether it is
    running is decided where the person is known (services.emergency.holds, access.load_user) and
    passed in, so this module asks no service."""
    return can(person.role, capability) or (under_emergency_grant and capability in EMERGENCY_CAPABILITIES)

"""All models, imported here so Alembic and the app see one complete metadata."""

from .assessment import (
    Addendum,
    Assessment,
    PostureFinding,
    RomMeasurement,
    ScreenFinding,
    StrengthMeasurement,
)
from .audit import AuditEvent
from .billing import (
    BillingProvider,
    ContractedRate,
    EligibilityVerification,
    FeeScheduleEntry,
    Payer,
    PriorAuthorisation,
    RenderingProvider,
    Supervision,
)
from .claims import Claim, ClaimBatch, ClaimDiagnosis, ClaimLine, ClaimOverride, ClaimStatusChange
from .client import Client
from .consent import ConsentSignature, ConsentTemplate, ConsentWithdrawal
from .emergency import EmergencyAccess
from .intake import (
    Coverage,
    Document,
    EmergencyContact,
    IntakeResponse,
    MedicalClearance,
    Referral,
    ReferralDiagnosis,
    ReferringProvider,
)
from .library import Exercise, ScopeTerm
from .measures import OutcomeResult
from .plan import PlanAcknowledgement, PlanExercise, PlanGoal, PlanSignature, PlanVersion
from .practice import Practice, User, lower_email
from .referral_network import RelationshipActivity, RelationshipActivitySource
from .reports import Disclosure, ProgressReport
from .security import LoginFailure, RecoveryCode, StaffInvitation, StaffSession
from .sessions import (
    ACTIVITY_COLUMNS,
    Appointment,
    AppointmentSeries,
    OutboxReceipt,
    SessionExercise,
    SessionLog,
    SetLog,
)
from .staff import (
    ContinuingEducation,
    HipaaTrainingWaiver,
    PracticeDocument,
    StaffCredential,
    TrainingCompletion,
    TrainingSession,
)
from .types import UTCDateTime, utcnow

__all__ = [
    "BillingProvider",
    "Claim",
    "ClaimBatch",
    "ClaimDiagnosis",
    "ClaimLine",
    "ClaimOverride",
    "ClaimStatusChange",
    "ContractedRate",
    "EligibilityVerification",
    "FeeScheduleEntry",
    "Payer",
    "PriorAuthorisation",
    "RenderingProvider",
    "Supervision",
    "Disclosure",
    "EmergencyAccess",
    "RecoveryCode",
    "StaffInvitation",
    "ProgressReport",
    "ACTIVITY_COLUMNS",
    "Appointment",
    "AppointmentSeries",
    "SessionExercise",
    "SessionLog",
    "SetLog",
    "OutboxReceipt",
    "Addendum",
    "Assessment",
    "Exercise",
    "OutcomeResult",
    "PlanAcknowledgement",
    "PlanExercise",
    "PlanGoal",
    "PlanSignature",
    "PlanVersion",
    "PostureFinding",
    "RomMeasurement",
    "ScopeTerm",
    "ScreenFinding",
    "StrengthMeasurement",
    "AuditEvent",
    "Client",
    "ConsentSignature",
    "ConsentTemplate",
    "ConsentWithdrawal",
    "Coverage",
    "Document",
    "EmergencyContact",
    "IntakeResponse",
    "MedicalClearance",
    "Referral",
    "ReferralDiagnosis",
    "ReferringProvider",
    "LoginFailure",
    "Practice",
    "ContinuingEducation",
    "HipaaTrainingWaiver",
    "PracticeDocument",
    "RelationshipActivity",
    "RelationshipActivitySource",
    "StaffCredential",
    "TrainingCompletion",
    "TrainingSession",
    "StaffSession",
    "User",
    "UTCDateTime",
    "lower_email",
    "utcnow",
]

from tend.repairs.models.commitments import (
    Commitment,
    CommitmentCheckIn,
    CommitmentRevision,
    CommitmentSuggestion,
)
from tend.repairs.models.past import PastShare
from tend.repairs.models.personal import (
    OPEN_STAGES,
    SHORT_LIMIT,
    TEXT_LIMIT,
    Entry,
    NeedRequest,
    Participation,
    PracticeSession,
    ReconvenePlan,
    Repair,
    VoiceMessage,
)
from tend.repairs.models.reengagement import (
    Affirmation,
    AgreementItem,
    Proposal,
    Reflection,
    Request,
    RequestAnswer,
    Turn,
)

__all__ = [
    "OPEN_STAGES",
    "SHORT_LIMIT",
    "TEXT_LIMIT",
    "Affirmation",
    "AgreementItem",
    "Commitment",
    "CommitmentCheckIn",
    "CommitmentRevision",
    "CommitmentSuggestion",
    "Entry",
    "NeedRequest",
    "Participation",
    "PastShare",
    "PracticeSession",
    "Proposal",
    "ReconvenePlan",
    "Reflection",
    "Repair",
    "Request",
    "RequestAnswer",
    "Turn",
    "VoiceMessage",
]

"""The names of what people can do in a repair, and the refusal the machine raises."""

from dataclasses import dataclass
from enum import StrEnum


class Action(StrEnum):
    JOIN = "join"
    NOT_YET = "not_yet"
    # Personal: the person's own steps 1-4.
    NOTICE = "notice"
    SKIP_VOICE = "skip_voice"
    PRACTICE = "practice"
    WRITE = "write"
    MARK = "mark"  # honor-the-pain markers, readiness feelings
    GO_TO_STEP = "go_to_step"
    MARK_READY = "mark_ready"
    TAKE_BACK_READY = "take_back_ready"
    PAUSE = "pause"
    RESUME = "resume"
    # Shared: seen by the others.
    VOICE = "voice"
    ASK_NEED = "ask_need"
    ACKNOWLEDGE_NEED = "acknowledge_need"
    PROPOSE_PLAN = "propose_plan"
    ACCEPT_PLAN = "accept_plan"
    NEED_LONGER = "need_longer"
    CLOSE = "close"
    ADD_GUEST = "add_guest"  # someone without an account, present on this one screen
    # Step 5, together.
    START_EARLY = "start_early"  # "let's not wait for the agreed time"
    BEGIN = "begin"
    CONSIDER = "consider"  # the private considerations checklist
    DONE_PHASE = "done_phase"  # "I'm done with this part" / "I accept the agreements"
    PROPOSE = "propose"  # the space, the intention, the way to rebond
    ACCEPT_PROPOSAL = "accept_proposal"
    ADD_AGREEMENT = "add_agreement"
    CHOOSE_SPEAKER = "choose_speaker"
    REFLECT_BACK = "reflect_back"
    ANSWER_REFLECTION = "answer_reflection"
    MAKE_REQUEST = "make_request"
    ANSWER_REQUEST = "answer_request"
    ANSWER_CLEAR = "answer_clear"
    CHOOSE_NEXT = "choose_next"  # after "not clear": listen again, or pause
    AFFIRM = "affirm"
    CONFIRM_REBOND = "confirm_rebond"
    # Step 5 apart.
    CHOOSE_PRESENCE = "choose_presence"  # together in one place, or apart
    SHARE_TURN = "share_turn"  # apart, the speaker types what they share


PERSONAL = frozenset(
    {
        Action.NOTICE,
        Action.SKIP_VOICE,
        Action.PRACTICE,
        Action.WRITE,
        Action.MARK,
        Action.GO_TO_STEP,
        Action.MARK_READY,
        Action.TAKE_BACK_READY,
        Action.PAUSE,
        Action.RESUME,
    }
)
TOGETHER = frozenset(
    {
        Action.START_EARLY,
        Action.BEGIN,
        Action.CONSIDER,
        Action.DONE_PHASE,
        Action.PROPOSE,
        Action.ACCEPT_PROPOSAL,
        Action.ADD_AGREEMENT,
        Action.CHOOSE_SPEAKER,
        Action.REFLECT_BACK,
        Action.ANSWER_REFLECTION,
        Action.MAKE_REQUEST,
        Action.ANSWER_REQUEST,
        Action.ANSWER_CLEAR,
        Action.CHOOSE_NEXT,
        Action.AFFIRM,
        Action.CONFIRM_REBOND,
        Action.CHOOSE_PRESENCE,
        Action.SHARE_TURN,
    }
)
# Answers to what others shared: open to everyone asked, joined or not. Answering
# a time or a need is not joining; nobody is pulled in by it.
RESPONSES = frozenset(
    {Action.ACKNOWLEDGE_NEED, Action.PROPOSE_PLAN, Action.ACCEPT_PLAN, Action.NEED_LONGER}
)


@dataclass
class Refused(Exception):
    """The process does not allow this now; `message` says so kindly."""

    message: str

    def __str__(self) -> str:
        return self.message


# Shared steps come after a private safety check (PROCESS.md, "Before any shared
# step"): giving voice, asking, answering what others shared, getting ready for
# step 5 and everything in it. Steps 2-4 never need it.
SAFETY_GATED = (
    RESPONSES | TOGETHER | {Action.VOICE, Action.ASK_NEED, Action.MARK_READY, Action.ADD_GUEST}
)


@dataclass
class SafetyFirst(Refused):
    """A shared step waits for the person's private safety question to be asked."""

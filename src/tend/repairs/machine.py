"""The Rupture-to-Repair process rules, in one place.

Plain functions over a repair and its participants. Views and actions ask
`refusal()` / `check()` "may this person do this now?" and `next_step()` "what
comes next?"; none of them re-implements a rule. Nothing here touches HTTP, and
nothing here reads what anyone wrote.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

from tend.repairs.models import NeedRequest, Participation, ReconvenePlan, Repair

Step = Participation.Step
Status = Participation.Status

PERSONAL_STEPS: tuple[str, ...] = (Step.ACKNOWLEDGE, Step.STABILIZE, Step.HONOR, Step.REFLECT)

EVENT_KINDS = (
    "repair_opened",
    "repair_closed",
    "participant_joined",
    "participant_not_yet",
    "message_sent",
    "need_asked",
    "need_acknowledged",
    "plan_proposed",
    "plan_agreed",
    "ready_changed",
    "pause_changed",
)


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


def refusal(
    repair: Repair,
    participation: Participation | None,
    action: Action,
    *,
    target: NeedRequest | ReconvenePlan | str | None = None,
) -> str | None:
    """Why `action` is not possible now, or None when it is."""
    if not repair.is_open:
        return _("This repair has ended.")
    if participation is None:
        return _("You are not part of this repair.")
    if action is Action.JOIN:
        if participation.joined:
            return _("You have already joined.")
        return None
    if action is Action.NOT_YET:
        if participation.status != Status.ASKED:
            return _("You have already answered.")
        return None
    if action in RESPONSES:
        return _response_refusal(participation, action, target)
    if not participation.joined:
        return _("Join the repair first, when you are willing.")
    if action in PERSONAL:
        return _personal_refusal(participation, action, target)
    return None


def _personal_refusal(participation: Participation, action: Action, target: object) -> str | None:
    match action:
        case Action.GO_TO_STEP if target not in PERSONAL_STEPS:
            return _("There is no such step.")
        case Action.MARK_READY if participation.paused:
            return _("You are paused. Come back from the pause first.")
        case Action.MARK_READY if participation.ready:
            return _("You are already marked ready.")
        case Action.TAKE_BACK_READY if not participation.ready:
            return _("You are not marked ready.")
        case Action.PAUSE if participation.paused:
            return _("You are already paused.")
        case Action.RESUME if not participation.paused:
            return _("You are not paused.")
    return None


def _response_refusal(participation: Participation, action: Action, target: object) -> str | None:
    user_id = participation.user_id
    match action:
        case Action.ACKNOWLEDGE_NEED:
            assert isinstance(target, NeedRequest)
            if target.author_id == user_id:
                return _("This is your own request.")
        case Action.ACCEPT_PLAN:
            assert isinstance(target, ReconvenePlan)
            if target.status != ReconvenePlan.Status.PROPOSED:
                return _("This time is no longer open; see the current plan.")
            if target.proposed_by_id == user_id:
                return _("You proposed this time; the others answer it.")
        case Action.NEED_LONGER:
            if participation.repair.agreed_plan_id is None:
                return _("There is no agreed time yet. You can propose one.")
    return None


def check(
    repair: Repair,
    participation: Participation | None,
    action: Action,
    *,
    target: NeedRequest | ReconvenePlan | str | None = None,
) -> None:
    reason = refusal(repair, participation, action, target=target)
    if reason is not None:
        raise Refused(reason)


def next_step(step: str) -> str:
    """The personal step that follows `step`; reflecting is the last one."""
    index = PERSONAL_STEPS.index(step)
    return PERSONAL_STEPS[min(index + 1, len(PERSONAL_STEPS) - 1)]


def offers_pause_together(participation: Participation, others: Iterable[Participation]) -> bool:
    """Offer the "pause together" message when someone else has also said they are
    triggered: a trigger in one often sets one off in the other.

    Only what others chose to share counts (opening as triggered, or saying so in a
    message); what they noted privately never does.
    """
    return any(
        other.said_triggered and other.joined
        for other in others
        if other.user_id != participation.user_id
    )


def plan_is_agreed(
    plan: ReconvenePlan, participations: Iterable[Participation], accepted: set[int]
) -> bool:
    """Agreed when everyone else in the repair has accepted it, except those who said
    "not yet": they are not waited for."""
    others = {
        p.user_id
        for p in participations
        if p.user_id != plan.proposed_by_id and p.status != Status.NOT_YET
    }
    return bool(others) and others <= accepted


def everyone_ready(participations: Iterable[Participation]) -> bool:
    """All who joined are ready and none is paused, and there are at least two of them.

    People still asked or saying "not yet" are not waited for: nobody is pulled in.
    """
    joined = [p for p in participations if p.joined]
    return len(joined) >= 2 and all(p.ready and not p.paused for p in joined)

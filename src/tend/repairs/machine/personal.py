"""Rules of steps 1-4: joining, each person's own steps, and answering what others shared."""

from collections.abc import Iterable

from django.utils.translation import gettext as _

from tend.repairs.machine.kinds import PERSONAL, RESPONSES, Action
from tend.repairs.models import NeedRequest, Participation, ReconvenePlan, Repair

Step = Participation.Step
Status = Participation.Status

ANSWERS_TO_STEP_ONE = frozenset({Action.ACKNOWLEDGE_NEED, Action.ACCEPT_PLAN})
PERSONAL_STEPS: tuple[str, ...] = (Step.ACKNOWLEDGE, Step.STABILIZE, Step.HONOR, Step.REFLECT)


def personal_refusal(
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
        return _response_refusal(repair, participation, action, target)
    if not participation.joined:
        return _("Join the repair first, when you are willing.")
    if action is Action.TAKE_BACK_READY and repair.stage != Repair.Stage.PERSONAL:
        return _("You are coming back together now. If you need space, pause.")
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


def _response_refusal(
    repair: Repair, participation: Participation, action: Action, target: object
) -> str | None:
    user_id = participation.user_id
    if action in ANSWERS_TO_STEP_ONE and repair.stage != Repair.Stage.PERSONAL:
        # What was asked before coming back together is answered in person now. (A new
        # time can still be proposed: it is how a pause in step 5 finds its way back.)
        return _("You are coming back together now; answer it there, in person.")
    match action:
        case Action.ACKNOWLEDGE_NEED:
            assert isinstance(target, NeedRequest)
            if target.author_id == user_id:
                return _("This is your own request.")
            if _among(user_id, target, "acknowledged_by"):
                return _("You have already said you hear this.")
        case Action.ACCEPT_PLAN:
            assert isinstance(target, ReconvenePlan)
            if target.status != ReconvenePlan.Status.PROPOSED:
                return _("This time is no longer open; see the current plan.")
            if target.proposed_by_id == user_id:
                return _("You proposed this time; the others answer it.")
            if _among(user_id, target, "accepted_by"):
                return _("You said this time works for you. Waiting for the others.")
        case Action.NEED_LONGER:
            if repair.agreed_plan_id is None:
                return _("There is no agreed time yet. You can propose one.")
    return None


def _among(user_id: int | None, target: NeedRequest | ReconvenePlan, people: str) -> bool:
    """Whether the person is already among those who answered (read from prefetched
    rows when the screen has them; an unsaved target has nobody yet)."""
    if target.pk is None:
        return False
    return user_id in {user.pk for user in getattr(target, people).all()}


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
        # Guests are present only on one screen in step 5; times are agreed before that.
        # Whoever said "not yet" is not waited for, but counts once they do accept.
        if p.user_id is not None
        and p.user_id != plan.proposed_by_id
        and (p.status != Status.NOT_YET or p.user_id in accepted)
    }
    return bool(others) and others <= accepted


def everyone_ready(participations: Iterable[Participation]) -> bool:
    """All who joined are ready and none is paused, and there are at least two of them.

    People still asked or saying "not yet" are not waited for: nobody is pulled in.
    """
    joined = [p for p in participations if p.joined]
    return len(joined) >= 2 and all(p.ready and not p.paused for p in joined)

"""Rules of step 5, coming back together.

A `Scene` is everything the rules need to know about a repair at one moment,
read in one go by `tend.repairs.scene`; the functions here only look at it.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tend.repairs import content
from tend.repairs.machine.kinds import Action
from tend.repairs.machine.personal import everyone_ready
from tend.repairs.models import (
    Participation,
    Proposal,
    Reflection,
    Repair,
    Request,
    Turn,
)

Phase = Repair.Phase
Stage = Repair.Stage
Presence = Repair.Presence

PHASES: tuple[str, ...] = tuple(Phase.values)
STALE = gettext_lazy("Things have moved on since this screen was shown. Here is where you are now.")
# Phases that end when each participant says they are done with them.
DONE_PHASES = frozenset({Phase.CONSIDERATIONS, Phase.AGREEMENTS, Phase.TIPS, Phase.REQUESTS})
# Phases that end when one proposal is agreed by all.
PROPOSAL_PHASES = {
    Phase.SPACE: Proposal.Kind.SPACE,
    Phase.INTENTION: Proposal.Kind.INTENTION,
    Phase.REBOND: Proposal.Kind.REBOND,
}
PHASE_OF = {
    Action.CONSIDER: Phase.CONSIDERATIONS,
    Action.ADD_AGREEMENT: Phase.AGREEMENTS,
    Action.CHOOSE_SPEAKER: Phase.LISTENING,
    Action.REFLECT_BACK: Phase.LISTENING,
    Action.ANSWER_REFLECTION: Phase.LISTENING,
    Action.MAKE_REQUEST: Phase.REQUESTS,
    Action.ANSWER_REQUEST: Phase.REQUESTS,
    Action.ANSWER_CLEAR: Phase.CLEARING,
    Action.CHOOSE_NEXT: Phase.CLEARING,
    Action.AFFIRM: Phase.REBOND,
    Action.CONFIRM_REBOND: Phase.REBOND,
    Action.SHARE_TURN: Phase.LISTENING,
}


@dataclass
class Scene:
    repair: Repair
    participants: list[Participation]  # current members' participations, and guests
    now: datetime
    turns: list[Turn] = field(default_factory=list)  # of the current listening round
    reflections: list[Reflection] = field(default_factory=list)  # of the current turn
    proposals: list[Proposal] = field(default_factory=list)  # open or agreed, this phase
    requests: list[Request] = field(default_factory=list)  # each with `.answers_list`
    accepted: dict[int, set[int]] = field(default_factory=dict)  # proposal id -> participations

    @property
    def joined(self) -> list[Participation]:
        return [p for p in self.participants if p.joined]

    @property
    def turn(self) -> Turn | None:
        return next((t for t in self.turns if t.heard_at is None), None)

    @property
    def last_reflection(self) -> Reflection | None:
        return self.reflections[-1] if self.reflections else None

    @property
    def open_proposal(self) -> Proposal | None:
        return next((p for p in self.proposals if p.status == Proposal.Status.PROPOSED), None)

    @property
    def agreed_proposal(self) -> Proposal | None:
        return next((p for p in self.proposals if p.status == Proposal.Status.AGREED), None)


# --- The gate -----------------------------------------------------------------------------


def can_begin(scene: Scene) -> bool:
    """Step 5 opens when everyone who joined is ready and the agreed time has come, or
    everyone agreed to start now."""
    if scene.repair.stage != Stage.PERSONAL or not everyone_ready(scene.participants):
        return False
    plan = scene.repair.agreed_plan
    if plan is None or plan.meet_at <= scene.now:
        return True
    return all(p.start_early for p in scene.joined)


def is_together(scene: Scene) -> bool:
    """Step 5 is running: it began, and nobody has paused it since."""
    return scene.repair.stage == Stage.TOGETHER and everyone_ready(scene.participants)


# --- Together or apart ---------------------------------------------------------------------


def is_apart(scene: Scene) -> bool:
    """The people said they are in different places (unsaid reads as together)."""
    return scene.repair.presence == Presence.APART


def space_settings(scene: Scene) -> tuple[content.Option, ...]:
    """What the space may be: a room or outdoors together; a call or messages apart."""
    return content.APART_SETTINGS if is_apart(scene) else content.SETTINGS


def space_postures(scene: Scene) -> tuple[content.Option, ...]:
    return content.APART_POSTURES if is_apart(scene) else content.POSTURES


def rebond_ways(scene: Scene) -> tuple[content.RebondWay, ...]:
    """The ways to reconnect that fit where the people are."""
    return content.APART_REBOND_WAYS if is_apart(scene) else content.REBOND_WAYS


def writes_message(choice: str) -> bool:
    """A way to reconnect that is written and sent here, together or apart."""
    way = content.find(content.REBOND_WAYS, choice) or content.find(
        content.APART_REBOND_WAYS, choice
    )
    return way is not None and way.writes_message


# --- Listening ----------------------------------------------------------------------------


def rotation(
    order: Sequence[Participation], first: Participation
) -> list[tuple[Participation, Participation]]:
    """Who speaks and who reflects, starting with `first`: each speaker's listener is
    the next person round the circle, so everyone speaks and everyone reflects."""
    start = next(i for i, p in enumerate(order) if p.pk == first.pk)
    circle = [*order[start:], *order[:start]]
    return [(circle[i], circle[(i + 1) % len(circle)]) for i in range(len(circle))]


def turn_stage(scene: Scene) -> str:
    """ "choose" (who speaks first), "reflect" (the listener's move), "confirm" (the
    speaker's), or "done" when everyone in this round has been heard."""
    if not scene.turns:
        return "choose"
    if scene.turn is None:
        return "done"
    last = scene.last_reflection
    return "confirm" if last is not None and not last.answer else "reflect"


# --- Moving on ----------------------------------------------------------------------------


def next_phase(phase: str, listening_round: int = 1) -> str | None:
    """The phase after `phase`; None after rebonding, when the repair is complete.

    A listening round after the first is one more round for what was still unnamed
    ("not clear"): it leads back to the clearing check, not to requests again."""
    if phase == Phase.LISTENING and listening_round > 1:
        return Phase.CLEARING
    index = PHASES.index(phase)
    return PHASES[index + 1] if index + 1 < len(PHASES) else None


def requests_settled(scene: Scene) -> bool:
    """Every request has an answer from each of the other joined participants."""
    joined = {p.pk for p in scene.joined}
    for request in scene.requests:
        answered = {a.responder_id for a in request.answers_list}
        if not (joined - {request.requester_id}) <= answered:
            return False
    return True


def clearing_outcome(scene: Scene) -> str:
    """ "waiting" until everyone answered; then "clear" only if all said yes."""
    answers = [p.clear for p in scene.joined]
    if any(a is None for a in answers):
        return "waiting"
    return "clear" if all(answers) else "not_clear"


def phase_complete(scene: Scene) -> bool:
    phase = scene.repair.phase
    joined = scene.joined
    if phase in PROPOSAL_PHASES and phase != Phase.REBOND:
        return scene.agreed_proposal is not None
    if phase == Phase.LISTENING:
        return turn_stage(scene) == "done"
    if phase == Phase.CLEARING:
        return clearing_outcome(scene) == "clear"
    if phase == Phase.REBOND:
        return scene.agreed_proposal is not None and all(p.rebonded for p in joined)
    done = all(p.phase_done == phase for p in joined)
    if phase == Phase.REQUESTS:
        return done and requests_settled(scene)
    return done


def waiting_for(scene: Scene) -> list[Participation]:
    """Who has yet to say they are done, in a part that ends when everyone says so
    (answering requests has its own "waiting": the answers themselves)."""
    phase = scene.repair.phase
    if phase not in DONE_PHASES or phase == Phase.REQUESTS:
        return []
    return [p for p in scene.joined if p.phase_done != phase]


def seconds_to_meeting(scene: Scene) -> int | None:
    """Whole seconds (rounded up) until the agreed time, while step 5 waits for it."""
    plan = scene.repair.agreed_plan
    if scene.repair.stage != Stage.PERSONAL or plan is None or plan.meet_at <= scene.now:
        return None
    return int((plan.meet_at - scene.now).total_seconds()) + 1


def proposal_is_agreed(scene: Scene, proposal: Proposal) -> bool:
    accepted = scene.accepted.get(proposal.pk, set())
    others = {p.pk for p in scene.joined if p.pk != proposal.proposed_by_id}
    return others <= accepted


# --- What each person may do now ------------------------------------------------------------


def together_refusal(
    scene: Scene,
    actor: Participation,
    action: Action,
    *,
    target: object = None,
    at_phase: str | None = None,
) -> str | None:
    repair = scene.repair
    if not actor.joined:
        return _("Join the repair first, when you are willing.")
    if action is Action.START_EARLY:
        if repair.stage != Stage.PERSONAL:
            return _("Coming back together has already begun.")
        plan = repair.agreed_plan
        if plan is None or plan.meet_at <= scene.now:
            return _("There is no agreed time to wait for.")
        if not actor.ready:
            return _("Say you are ready first, when you are.")
        if actor.start_early:
            return _("You have already said so. Waiting for the others.")
        return None
    if action is Action.BEGIN:
        if repair.stage != Stage.PERSONAL:
            return _("Coming back together has already begun.")
        if not everyone_ready(scene.participants):
            return _("Not everyone is ready yet. There is no rush.")
        if not can_begin(scene):
            return _("The agreed time has not come yet, unless everyone agrees to start now.")
        return None
    if repair.stage != Stage.TOGETHER:
        return _("Coming back together has not begun yet.")
    if not is_together(scene):
        return _("Someone needs a pause. You will continue when everyone is ready again.")
    if at_phase is not None and at_phase != repair.phase:
        return str(STALE)
    wanted = PHASE_OF.get(action)
    if wanted is not None and wanted != repair.phase:
        return _("That belongs to another part of coming back together.")
    return _phase_refusal(scene, actor, action, target)


def _phase_refusal(
    scene: Scene, actor: Participation, action: Action, target: object
) -> str | None:
    phase = scene.repair.phase
    match action:
        case Action.DONE_PHASE if phase not in DONE_PHASES:
            return _("This part ends when everyone agrees.")
        case Action.DONE_PHASE if actor.phase_done == phase:
            return _("You have already said so. Waiting for the others.")
        case Action.PROPOSE if phase not in PROPOSAL_PHASES:
            return _("There is nothing to propose in this part.")
        case Action.PROPOSE if scene.agreed_proposal is not None:
            return _("You have already agreed on this together.")
        case Action.AFFIRM if scene.agreed_proposal is None or not writes_message(
            scene.agreed_proposal.choice
        ):
            return _("Words of affirmation are for when you chose them to reconnect.")
        case Action.ACCEPT_PROPOSAL:
            assert isinstance(target, Proposal)
            if target.status != Proposal.Status.PROPOSED or target.pk not in {
                p.pk for p in scene.proposals
            }:
                return _("That proposal is no longer open.")
            if target.proposed_by_id == actor.pk:
                return _("You proposed it; the others answer.")
            if actor.pk in scene.accepted.get(target.pk, set()):
                return _("You have already agreed. Waiting for the others.")
        case Action.CHOOSE_SPEAKER if scene.turns:
            return _("The order of speaking is already chosen.")
        case Action.REFLECT_BACK:
            return _reflect_refusal(scene, actor)
        case Action.CHOOSE_PRESENCE:
            return _presence_refusal(scene, target)
        case Action.SHARE_TURN:
            return _share_refusal(scene, actor)
        case Action.ANSWER_REFLECTION:
            turn = scene.turn
            if turn is None or turn_stage(scene) != "confirm":
                return _("There is no reflection waiting for an answer.")
            if turn.speaker_id != actor.pk:
                return _("Only the one who spoke can say whether they were heard.")
        case Action.ANSWER_REQUEST:
            assert isinstance(target, Request)
            if target.requester_id == actor.pk:
                return _("This is your own request; the others answer it.")
            if any(a.responder_id == actor.pk for a in target.answers_list):
                return _("You have already answered this request.")
        case Action.ANSWER_CLEAR if actor.clear is not None:
            return _("You have already answered.")
        case Action.CHOOSE_NEXT if clearing_outcome(scene) != "not_clear":
            return _("That choice comes once everyone has answered and someone is not clear.")
        case Action.CONFIRM_REBOND if scene.agreed_proposal is None:
            return _("First agree together on a way to reconnect.")
        case Action.CONFIRM_REBOND if actor.rebonded:
            return _("You have already confirmed. Waiting for the others.")
    return None


def _presence_refusal(scene: Scene, target: object) -> str | None:
    # Changeable at any part of step 5: people may move, or a call may drop.
    if target is not None and target not in Presence.values:
        return _("Please choose together or apart.")
    if target is not None and target == scene.repair.presence:
        return _("That is already the choice.")
    return None


def _share_refusal(scene: Scene, actor: Participation) -> str | None:
    """Apart, the speaker may type what they share while their listener has yet to
    reflect it back (again after "not quite": the speaker adds to it)."""
    if not is_apart(scene):
        return _("Typing what you share is for when you are apart. Together, say it aloud.")
    turn = scene.turn
    if turn is None:
        return _("Nobody is speaking right now.")
    if turn.speaker_id != actor.pk:
        return _("Only the one speaking types what they share.")
    if turn_stage(scene) != "reflect":
        return _("Your listener has reflected back. Answer them first.")
    return None


def _reflect_refusal(scene: Scene, actor: Participation) -> str | None:
    turn = scene.turn
    if turn is None:
        return _("Nobody is speaking right now.")
    if turn.speaker_id == actor.pk:
        return _("You are the one speaking; your listener reflects back.")
    if turn.listener_id != actor.pk:
        return _("Another person is reflecting this turn. You will have yours.")
    if turn_stage(scene) != "reflect":
        return _("Your reflection is with the speaker. Wait for their answer.")
    return None

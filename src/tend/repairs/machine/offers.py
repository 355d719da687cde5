"""What a person may do in a repair right now: the one source every screen is drawn from.

A screen shows a control only when the machine would allow its move now, so it never
offers a move that would be refused, and a live update can redraw the whole screen
from the same answer. `offers()` asks the same refusal functions the actions ask; it
adds no rule of its own.
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from tend.repairs.machine.kinds import Action
from tend.repairs.machine.personal import personal_refusal
from tend.repairs.machine.reengagement import Scene, together_refusal
from tend.repairs.models import NeedRequest, Participation, ReconvenePlan

# The moves drawn on the repair's own screens (the frame, the Together panel, the stage).
# A person's private steps 1-4 (noticing, practising, writing) live on their own pages.
FRAME = (
    Action.JOIN,
    Action.NOT_YET,
    Action.PAUSE,
    Action.RESUME,
    Action.CLOSE,
    Action.MARK_READY,
    Action.TAKE_BACK_READY,
    Action.PROPOSE_PLAN,
    Action.NEED_LONGER,
    Action.ADD_GUEST,
)
UNTARGETED_TOGETHER = (
    Action.START_EARLY,
    Action.BEGIN,
    Action.CONSIDER,
    Action.DONE_PHASE,
    Action.PROPOSE,
    Action.ADD_AGREEMENT,
    Action.CHOOSE_SPEAKER,
    Action.MAKE_REQUEST,
    Action.ANSWER_CLEAR,
    Action.CHOOSE_NEXT,
    Action.AFFIRM,
    Action.CONFIRM_REBOND,
    Action.CHOOSE_PRESENCE,
)

Move = tuple[Action, int | None]


@dataclass(frozen=True)
class Offers:
    """The moves one person may make now, each with its target's id (or None).

    Templates ask `may.pause` (truthy when offered) and `need.pk in may.acknowledge_need`.
    """

    moves: frozenset[Move]

    def __getitem__(self, action: str) -> frozenset[int | None]:
        return frozenset(target for kind, target in self.moves if kind == action)

    def __contains__(self, move: object) -> bool:
        return move in self.moves

    def __iter__(self) -> Iterator[Move]:
        return iter(self.moves)

    def allows(self, action: Action, target: int | None = None) -> bool:
        return (action, target) in self.moves


def offers(
    scene: Scene,
    person: Participation,
    needs: Iterable[NeedRequest] = (),
    plans: Iterable[ReconvenePlan] = (),
) -> Offers:
    """Every move `person` may make now, as the actions would judge it.

    The safety gate is left out on purpose: a control leads to the private safety
    question when needed, and nobody's screen may differ by that private answer.
    """
    repair = scene.repair
    moves: set[Move] = set()
    if person.user_id is not None:  # guests act only through step 5 on one screen
        for action in FRAME:
            if personal_refusal(repair, person, action) is None:
                moves.add((action, None))
        for need in needs:
            if personal_refusal(repair, person, Action.ACKNOWLEDGE_NEED, target=need) is None:
                moves.add((Action.ACKNOWLEDGE_NEED, need.pk))
        for plan in plans:
            if personal_refusal(repair, person, Action.ACCEPT_PLAN, target=plan) is None:
                moves.add((Action.ACCEPT_PLAN, plan.pk))
    if not repair.is_open or not person.joined:
        return Offers(frozenset(moves))
    for action in UNTARGETED_TOGETHER:
        if together_refusal(scene, person, action) is None:
            moves.add((action, None))
    targets: list[tuple[Action, object]] = []
    if scene.open_proposal is not None:
        targets.append((Action.ACCEPT_PROPOSAL, scene.open_proposal))
    if scene.turn is not None:
        targets.append((Action.REFLECT_BACK, scene.turn))
        targets.append((Action.SHARE_TURN, scene.turn))
        if scene.last_reflection is not None:
            targets.append((Action.ANSWER_REFLECTION, scene.last_reflection))
    targets.extend((Action.ANSWER_REQUEST, request) for request in scene.requests)
    for action, target in targets:
        if together_refusal(scene, person, action, target=target) is None:
            moves.add((action, target.pk))  # type: ignore[attr-defined]
    return Offers(frozenset(moves))


@dataclass(frozen=True)
class ScreenOffers:
    """What the people on one screen may do now: for each move, who here may make it.

    One screen can speak for several people (`tend.repairs.screen`); the stage asks
    `who(action, target)` and draws one control per person it names, in screen order.
    """

    people: tuple[Participation, ...]
    each: dict[int, Offers]

    def who(self, action: Action, target: int | None = None) -> list[Participation]:
        return [p for p in self.people if self.each[p.pk].allows(action, target)]

    def anyone(self, action: Action, target: int | None = None) -> bool:
        return any(self.each[p.pk].allows(action, target) for p in self.people)


def screen_offers(scene: Scene, people: Sequence[Participation]) -> ScreenOffers:
    """`offers()` for everyone on one screen."""
    return ScreenOffers(tuple(people), {p.pk: offers(scene, p) for p in people})

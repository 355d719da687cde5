"""The Rupture-to-Repair process rules, in one place.

Plain functions over a repair and its participants. Views and actions ask
`refusal()` / `check()` "may this person do this now?" and `next_step()` /
`next_phase()` "what comes next?"; none of them re-implements a rule. Nothing here
touches HTTP, and nothing here reads what anyone wrote.

- `kinds`: the actions, and `Refused`;
- `personal`: steps 1-4, joining, and answering what others shared;
- `reengagement`: step 5, compassionate re-engagement, from the gate to rebonding.
"""

from django.utils.translation import gettext as _

from tend.care import safety
from tend.repairs.machine.kinds import (
    PERSONAL,
    RESPONSES,
    SAFETY_GATED,
    TOGETHER,
    Action,
    Refused,
    SafetyFirst,
)
from tend.repairs.machine.offers import Offers, ScreenOffers, offers, screen_offers
from tend.repairs.machine.personal import (
    PERSONAL_STEPS,
    Status,
    Step,
    everyone_ready,
    next_step,
    offers_pause_together,
    plan_is_agreed,
)
from tend.repairs.machine.personal import personal_refusal as refusal
from tend.repairs.machine.reengagement import (
    Scene,
    can_begin,
    clearing_outcome,
    is_apart,
    is_together,
    next_phase,
    phase_complete,
    proposal_is_agreed,
    rebond_ways,
    rotation,
    seconds_to_meeting,
    space_postures,
    space_settings,
    together_refusal,
    turn_stage,
    waiting_for,
)
from tend.repairs.models import NeedRequest, Participation, ReconvenePlan, Repair


def safety_gate(repair: Repair, participation: Participation, action: Action) -> None:
    """Raises `SafetyFirst` when a shared step waits for the person's safety check.

    Kept apart from `refusal()`, which answers from the repair alone. The server knows
    only whether the question was asked: the answer is sealed on the person's device,
    and that device closes the shared steps to them while it is "no" (`private.js`).
    The gate protects that person from being drawn in; nobody else gains by passing it.
    """
    if action not in SAFETY_GATED or participation.user_id is None:
        return  # guests take part only on their host's screen
    if not safety.asked(participation.user_id, repair.relationship_id):
        raise SafetyFirst(_("Before a shared step, there is one private question."))


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
    assert participation is not None
    safety_gate(repair, participation, action)


def check_together(
    scene: Scene,
    actor: Participation | None,
    action: Action,
    *,
    target: object = None,
    at_phase: str | None = None,
) -> None:
    """The same question for step 5, asked of a `Scene` (see `tend.repairs.scene`)."""
    if actor is None or not scene.repair.is_open:
        reason = refusal(scene.repair, actor, action)
    else:
        reason = together_refusal(scene, actor, action, target=target, at_phase=at_phase)
    if reason is not None:
        raise Refused(reason)
    assert actor is not None
    safety_gate(scene.repair, actor, action)


__all__ = [
    "PERSONAL",
    "PERSONAL_STEPS",
    "RESPONSES",
    "TOGETHER",
    "Action",
    "Offers",
    "Refused",
    "SafetyFirst",
    "Scene",
    "ScreenOffers",
    "Status",
    "Step",
    "can_begin",
    "check",
    "check_together",
    "clearing_outcome",
    "everyone_ready",
    "is_apart",
    "is_together",
    "next_phase",
    "next_step",
    "offers",
    "offers_pause_together",
    "phase_complete",
    "plan_is_agreed",
    "proposal_is_agreed",
    "rebond_ways",
    "refusal",
    "rotation",
    "safety_gate",
    "screen_offers",
    "seconds_to_meeting",
    "space_postures",
    "space_settings",
    "turn_stage",
    "waiting_for",
]

"""The Rupture-to-Repair process rules, in one place.

Plain functions over a repair and its participants. Views and actions ask
`refusal()` / `check()` "may this person do this now?" and `next_step()` /
`next_phase()` "what comes next?"; none of them re-implements a rule. Nothing here
touches HTTP, and nothing here reads what anyone wrote.

- `kinds`: the actions, and `Refused`;
- `personal`: steps 1-4, joining, and answering what others shared;
- `together`: step 5, from the gate to rebonding.
"""

from tend.repairs.machine.kinds import PERSONAL, RESPONSES, TOGETHER, Action, Refused
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
from tend.repairs.machine.together import (
    Scene,
    can_begin,
    clearing_outcome,
    is_together,
    next_phase,
    phase_complete,
    proposal_is_agreed,
    rotation,
    together_refusal,
    turn_stage,
)
from tend.repairs.models import NeedRequest, Participation, ReconvenePlan, Repair

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
    # Step 5: one kind for every change of the shared screen; clients re-read it.
    "together_changed",
    "repair_completed",
    "commitment_changed",
)


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


__all__ = [
    "EVENT_KINDS",
    "PERSONAL",
    "PERSONAL_STEPS",
    "RESPONSES",
    "TOGETHER",
    "Action",
    "Refused",
    "Scene",
    "Status",
    "Step",
    "can_begin",
    "check",
    "check_together",
    "clearing_outcome",
    "everyone_ready",
    "is_together",
    "next_phase",
    "next_step",
    "offers_pause_together",
    "phase_complete",
    "plan_is_agreed",
    "proposal_is_agreed",
    "refusal",
    "rotation",
    "turn_stage",
]

"""Reads a repair's step 5 as one `Scene` for the state machine and the screens."""

from django.utils import timezone

from tend.repairs.machine import Scene
from tend.repairs.machine.together import PROPOSAL_PHASES
from tend.repairs.models import Participation, Proposal, Repair


def participants(repair: Repair) -> list[Participation]:
    """Participations of people still in the relationship, and the repair's guests."""
    members = repair.participations.filter(
        user__membership__relationship_id=repair.relationship_id,
        user__membership__left_at__isnull=True,
    )
    guests = repair.participations.filter(user__isnull=True)
    return list((members | guests).select_related("user").distinct().order_by("pk"))


def load(repair: Repair) -> Scene:
    scene = Scene(repair=repair, participants=participants(repair), now=timezone.now())
    if repair.stage != Repair.Stage.TOGETHER:
        return scene
    phase = repair.phase
    if phase == Repair.Phase.LISTENING:
        scene.turns = list(repair.turns.filter(round=repair.listening_round).order_by("position"))
        if scene.turn is not None:
            scene.reflections = list(scene.turn.reflections.order_by("created_at", "pk"))
    kind = PROPOSAL_PHASES.get(phase)
    if kind is not None:
        scene.proposals = list(
            repair.proposals.filter(kind=kind).exclude(status=Proposal.Status.REPLACED)
        )
        for proposal in scene.proposals:
            scene.accepted[proposal.pk] = set(proposal.accepted_by.values_list("pk", flat=True))
    if phase == Repair.Phase.REQUESTS:
        scene.requests = list(repair.requests.order_by("created_at", "pk"))
        for request in scene.requests:
            request.answers_list = list(request.answers.all())
    return scene

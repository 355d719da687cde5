"""Reads a repair's step 5 as one `Scene` for the state machine and the screens."""

from collections.abc import Iterable

from django.db.models import Exists, Model, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from tend.core.prepared import Prepared
from tend.gardens.models import Membership
from tend.repairs.machine import Scene
from tend.repairs.machine.reengagement import PROPOSAL_PHASES
from tend.repairs.models import Participation, Proposal, Repair, RequestAnswer


def _still_here(repair_id: int, relationship_id: int) -> QuerySet[Participation]:
    # One filter with an EXISTS, not two querysets joined with `|`: combining
    # querysets re-copies every expression of both.
    member = Membership.objects.current().filter(
        user=OuterRef("user"), relationship_id=relationship_id
    )
    return (
        Participation.objects.filter(repair_id=repair_id)
        .filter(Q(Exists(member)) | Q(user__isnull=True))
        .select_related("user")
        .order_by("pk")
    )


# On every repair page and move: its SQL compiled once (tend.core.prepared).
_participants = Prepared(_still_here)


def participants(repair: Repair) -> list[Participation]:
    """Participations of people still in the relationship, and the repair's guests."""
    return rows_of(repair, _participants(repair.pk, repair.relationship_id))


def rows_of[M: Model](repair: Repair, rows: Iterable[M]) -> list[M]:
    """A repair's rows read by a prepared query, each given the repair already read,
    as `repair.participations` and the like would."""
    found = list(rows)
    for row in found:
        row.repair = repair  # type: ignore[attr-defined]
    return found


def load(repair: Repair) -> Scene:
    """The step as the rules and the screens read it, in a fixed number of queries
    whatever the number of people, turns, proposals and requests."""
    scene = Scene(repair=repair, participants=participants(repair), now=timezone.now())
    if repair.stage != Repair.Stage.TOGETHER:
        return scene
    phase = repair.phase
    if phase == Repair.Phase.LISTENING:
        turns = repair.turns.filter(round=repair.listening_round).order_by("position")
        scene.turns = list(turns.select_related("speaker__user", "listener__user"))
        if scene.turn is not None:
            scene.reflections = list(scene.turn.reflections.order_by("created_at", "pk"))
    kind = PROPOSAL_PHASES.get(phase)
    if kind is not None:
        proposals = repair.proposals.filter(kind=kind).exclude(status=Proposal.Status.REPLACED)
        scene.proposals = list(
            proposals.select_related("proposed_by__user").prefetch_related("accepted_by")
        )
        for proposal in scene.proposals:
            scene.accepted[proposal.pk] = {p.pk for p in proposal.accepted_by.all()}
    if phase == Repair.Phase.REQUESTS:
        answers = RequestAnswer.objects.select_related("responder__user").order_by("pk")
        scene.requests = list(
            repair.requests.order_by("created_at", "pk")
            .select_related("requester__user")
            .prefetch_related(Prefetch("answers", queryset=answers))
        )
        for request in scene.requests:
            request.answers_list = list(request.answers.all())
    return scene

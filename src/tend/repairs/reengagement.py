"""Every change in step 5. Like the personal actions, each one checks the state
machine, writes in one transaction and records its event there; the repair's row
lock makes two people pressing at the same instant queue, so nothing is lost and
no phase is skipped or advanced twice.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from tend.live.events import emit
from tend.repairs import content, from_plan, machine, scene
from tend.repairs.events import RepairEvent
from tend.repairs.machine import Action, Scene
from tend.repairs.models import (
    Affirmation,
    AgreementItem,
    Commitment,
    CommitmentRevision,
    Participation,
    Proposal,
    Reflection,
    Repair,
    Request,
    RequestAnswer,
    Turn,
)
from tend.repairs.repeats import same_as

Phase = Repair.Phase


def _lock(repair: Repair) -> Scene:
    locked = (
        Repair.objects.select_for_update(of=("self",))
        .select_related("agreed_plan")
        .get(pk=repair.pk)
    )
    return scene.load(locked)


def _actor(current: Scene, actor: Participation) -> Participation:
    # The freshly read participation: flags like phase_done may have changed meanwhile.
    return next((p for p in current.participants if p.pk == actor.pk), actor)


def _changed(
    repair: Repair, actor: Participation, kind: RepairEvent = RepairEvent.TOGETHER_CHANGED
) -> None:
    emit(repair.relationship_id, kind, actor_id=actor.user_id, repair_id=repair.pk)


def _advance(current: Scene, actor: Participation) -> None:
    """Moves to the next phase when this one is complete (at most one step)."""
    repair = current.repair
    if not machine.phase_complete(current):
        return
    following = machine.next_phase(repair.phase, repair.listening_round)
    if following is None:
        repair.stage = Repair.Stage.COMPLETED
        repair.completed_at = timezone.now()
        repair.save(update_fields=["stage", "completed_at"])
        _changed(repair, actor, RepairEvent.REPAIR_COMPLETED)
        return
    repair.phase = following
    fields = ["phase"]
    if following == Phase.LISTENING:
        repair.listening_round += 1
        fields.append("listening_round")
    if following == Phase.CLEARING:
        Participation.objects.filter(repair=repair).update(clear=None)
    repair.save(update_fields=fields)


def begin_if_possible(repair: Repair, actor: Participation) -> bool:
    """Opens step 5 when the gate allows: called when someone becomes ready, agrees
    to start early, or the agreed time comes."""
    current = scene.load(repair)
    if not machine.can_begin(current):
        return False
    repair.stage = Repair.Stage.TOGETHER
    repair.phase = Phase.CONSIDERATIONS
    repair.together_at = timezone.now()
    repair.save(update_fields=["stage", "phase", "together_at"])
    AgreementItem.objects.bulk_create(
        AgreementItem(repair=repair, key=agreement.key) for agreement in content.DEFAULT_AGREEMENTS
    )
    from_plan.add_agreements(repair)
    _changed(repair, actor)
    return True


@transaction.atomic
def begin(repair: Repair, actor: Participation) -> None:
    current = _lock(repair)
    machine.check_together(current, _actor(current, actor), Action.BEGIN)
    begin_if_possible(current.repair, actor)


@transaction.atomic
def start_early(repair: Repair, actor: Participation) -> None:
    current = _lock(repair)
    actor = _actor(current, actor)
    machine.check_together(current, actor, Action.START_EARLY)
    if not actor.start_early:
        actor.start_early = True
        actor.save(update_fields=["start_early"])
        _changed(current.repair, actor)
        begin_if_possible(current.repair, actor)


@transaction.atomic
def consider(repair: Repair, actor: Participation, sealed: str, at_phase: str) -> None:
    """The private considerations checklist, sealed on the device: no event, nobody else
    ever sees it, and the server cannot read it."""
    current = _lock(repair)
    actor = _actor(current, actor)
    machine.check_together(current, actor, Action.CONSIDER, at_phase=at_phase)
    actor.considerations = sealed
    actor.save(update_fields=["considerations"])


@transaction.atomic
def done_with_phase(repair: Repair, actor: Participation, at_phase: str) -> None:
    current = _lock(repair)
    actor = _actor(current, actor)
    machine.check_together(current, actor, Action.DONE_PHASE, at_phase=at_phase)
    actor.phase_done = current.repair.phase
    actor.save(update_fields=["phase_done"])
    _advance(scene.load(current.repair), actor)
    _changed(current.repair, actor)


@transaction.atomic
def propose(
    repair: Repair,
    actor: Participation,
    at_phase: str,
    *,
    text: str = "",
    choice: str = "",
    detail: str = "",
) -> Proposal:
    current = _lock(repair)
    actor = _actor(current, actor)
    machine.check_together(current, actor, Action.PROPOSE, at_phase=at_phase)
    kind = machine.reengagement.PROPOSAL_PHASES[current.repair.phase]
    latest = max(current.proposals, key=lambda p: p.pk, default=None)
    if latest is not None and same_as(
        latest, proposed_by_id=actor.pk, text=text, choice=choice, detail=detail
    ):
        return latest
    current.repair.proposals.filter(kind=kind).exclude(status=Proposal.Status.REPLACED).update(
        status=Proposal.Status.REPLACED
    )
    proposal = Proposal.objects.create(
        repair=current.repair, kind=kind, proposed_by=actor, text=text, choice=choice, detail=detail
    )
    _agree_if_accepted(scene.load(current.repair), proposal, actor)
    _changed(current.repair, actor)
    return proposal


@transaction.atomic
def accept(repair: Repair, actor: Participation, proposal: Proposal, at_phase: str) -> None:
    current = _lock(repair)
    actor = _actor(current, actor)
    proposal = next((p for p in current.proposals if p.pk == proposal.pk), proposal)
    machine.check_together(
        current, actor, Action.ACCEPT_PROPOSAL, target=proposal, at_phase=at_phase
    )
    if proposal.accepted_by.filter(pk=actor.pk).exists():
        return  # the second press of a double tap, while the others have yet to answer
    proposal.accepted_by.add(actor)
    _agree_if_accepted(scene.load(current.repair), proposal, actor)
    _changed(current.repair, actor)


def _agree_if_accepted(current: Scene, proposal: Proposal, actor: Participation) -> None:
    if machine.proposal_is_agreed(current, proposal):
        proposal.status = Proposal.Status.AGREED
        proposal.save(update_fields=["status"])
        _advance(scene.load(current.repair), actor)


@transaction.atomic
def add_agreement(repair: Repair, actor: Participation, text: str, at_phase: str) -> None:
    current = _lock(repair)
    actor = _actor(current, actor)
    machine.check_together(current, actor, Action.ADD_AGREEMENT, at_phase=at_phase)
    if any(item.text == text for item in current.repair.agreements.filter(added_by=actor)):
        return  # added already: the same agreement twice would ask for everyone's yes again
    AgreementItem.objects.create(repair=current.repair, text=text, added_by=actor)
    # A new agreement needs everyone's yes again.
    current.repair.participations.filter(phase_done=Phase.AGREEMENTS).update(phase_done="")
    _changed(current.repair, actor)


@transaction.atomic
def choose_first_speaker(
    repair: Repair, actor: Participation, first: Participation, at_phase: str
) -> None:
    current = _lock(repair)
    actor = _actor(current, actor)
    machine.check_together(current, actor, Action.CHOOSE_SPEAKER, at_phase=at_phase)
    order = current.joined
    first = next(p for p in order if p.pk == first.pk)
    Turn.objects.bulk_create(
        Turn(
            repair=current.repair,
            round=current.repair.listening_round,
            position=position,
            speaker=speaker,
            listener=listener,
        )
        for position, (speaker, listener) in enumerate(machine.rotation(order, first))
    )
    _changed(current.repair, actor)


@transaction.atomic
def reflect_back(
    repair: Repair,
    actor: Participation,
    turn: Turn,
    at_phase: str,
    *,
    heard: str,
    body: str,
    said_aloud: bool,
) -> Reflection:
    current = _lock(repair)
    actor = _actor(current, actor)
    machine.check_together(current, actor, Action.REFLECT_BACK, at_phase=at_phase)
    if current.turn is None or current.turn.pk != turn.pk:
        raise machine.Refused(str(machine.reengagement.STALE))
    reflection = Reflection.objects.create(
        turn=current.turn, heard=heard, body=body, said_aloud=said_aloud
    )
    _changed(current.repair, actor)
    return reflection


@transaction.atomic
def answer_reflection(
    repair: Repair,
    actor: Participation,
    reflection: Reflection,
    at_phase: str,
    *,
    heard: bool,
    correction: str = "",
) -> None:
    current = _lock(repair)
    actor = _actor(current, actor)
    machine.check_together(current, actor, Action.ANSWER_REFLECTION, at_phase=at_phase)
    last = current.last_reflection
    if last is None or last.pk != reflection.pk:
        raise machine.Refused(str(machine.reengagement.STALE))
    last.answer = Reflection.Answer.YES if heard else Reflection.Answer.PARTLY
    last.correction = "" if heard else correction
    last.answered_at = timezone.now()
    last.save(update_fields=["answer", "correction", "answered_at"])
    if heard:
        turn = current.turn
        assert turn is not None
        turn.heard_at = timezone.now()
        turn.save(update_fields=["heard_at"])
        _advance(scene.load(current.repair), actor)
    _changed(current.repair, actor)


@transaction.atomic
def make_request(
    repair: Repair, actor: Participation, text: str, review_on: date, at_phase: str
) -> Request:
    current = _lock(repair)
    actor = _actor(current, actor)
    machine.check_together(current, actor, Action.MAKE_REQUEST, at_phase=at_phase)
    latest = current.repair.requests.filter(requester=actor).order_by("pk").last()
    if latest is not None and same_as(latest, text=text, review_on=review_on):
        return latest
    request = Request.objects.create(
        repair=current.repair, requester=actor, text=text, review_on=review_on
    )
    _changed(current.repair, actor)
    return request


@transaction.atomic
def answer_request(
    repair: Repair,
    actor: Participation,
    request: Request,
    at_phase: str,
    *,
    answer: str,
    change: str = "",
) -> None:
    """Answers one request; a yes (or a yes with a change) becomes a commitment of the
    relationship, owned by the one who said yes."""
    current = _lock(repair)
    actor = _actor(current, actor)
    request = next((r for r in current.requests if r.pk == request.pk), request)
    if not hasattr(request, "answers_list"):
        request.answers_list = list(request.answers.all())
    machine.check_together(current, actor, Action.ANSWER_REQUEST, target=request, at_phase=at_phase)
    RequestAnswer.objects.create(request=request, responder=actor, answer=answer, change=change)
    if answer != RequestAnswer.Answer.NOT_NOW:
        text = change if answer == RequestAnswer.Answer.YES_WITH_CHANGE and change else request.text
        commitment = Commitment.objects.create(
            relationship_id=current.repair.relationship_id,
            repair=current.repair,
            request=request,
            owner=actor.user,
            owner_name=actor.name,
            text=text,
            review_on=request.review_on,
        )
        CommitmentRevision.objects.create(
            commitment=commitment,
            text=text,
            review_on=request.review_on,
            status=commitment.status,
            edited_by=actor.user,
        )
    _advance(scene.load(current.repair), actor)
    _changed(current.repair, actor)


@transaction.atomic
def answer_clear(repair: Repair, actor: Participation, clear: bool, at_phase: str) -> None:
    current = _lock(repair)
    actor = _actor(current, actor)
    machine.check_together(current, actor, Action.ANSWER_CLEAR, at_phase=at_phase)
    actor.clear = clear
    actor.save(update_fields=["clear"])
    _advance(scene.load(current.repair), actor)
    _changed(current.repair, actor)


@transaction.atomic
def choose_next(repair: Repair, actor: Participation, listen_again: bool, at_phase: str) -> None:
    """After someone is not clear: another round of listening for what is still
    unnamed, or time apart for personal reflection (everyone back to steps 2-4)."""
    current = _lock(repair)
    actor = _actor(current, actor)
    machine.check_together(current, actor, Action.CHOOSE_NEXT, at_phase=at_phase)
    repair = current.repair
    participations = Participation.objects.filter(repair=repair)
    if listen_again:
        repair.phase = Phase.LISTENING
        repair.listening_round += 1
        repair.save(update_fields=["phase", "listening_round"])
        participations.update(clear=None)
    else:
        # Back to personal steps; they meet again at the clearing check, once all are ready.
        participations.filter(user__isnull=False).update(ready=False, clear=None)
        participations.filter(user__isnull=True).update(clear=None)
    _changed(repair, actor)


@transaction.atomic
def affirm(repair: Repair, actor: Participation, text: str, at_phase: str) -> Affirmation:
    current = _lock(repair)
    actor = _actor(current, actor)
    machine.check_together(current, actor, Action.AFFIRM, at_phase=at_phase)
    latest = current.repair.affirmations.filter(author=actor).order_by("pk").last()
    if latest is not None and same_as(latest, text=text):
        return latest
    affirmation = Affirmation.objects.create(repair=current.repair, author=actor, text=text)
    _changed(current.repair, actor)
    return affirmation


@transaction.atomic
def confirm_rebond(repair: Repair, actor: Participation, at_phase: str) -> None:
    current = _lock(repair)
    actor = _actor(current, actor)
    machine.check_together(current, actor, Action.CONFIRM_REBOND, at_phase=at_phase)
    actor.rebonded = True
    actor.save(update_fields=["rebonded"])
    _changed(current.repair, actor)
    _advance(scene.load(current.repair), actor)


# --- Apart: where the people are, and what the speaker types ---------------------------------


@transaction.atomic
def choose_presence(repair: Repair, actor: Participation, presence: str, at_phase: str) -> None:
    """Together in one place or apart; anyone who joined may say it, and change it."""
    current = _lock(repair)
    actor = _actor(current, actor)
    # The same choice again (a double tap, or two people at once) is refused kindly.
    machine.check_together(
        current, actor, Action.CHOOSE_PRESENCE, target=presence, at_phase=at_phase
    )
    current.repair.presence = presence
    current.repair.save(update_fields=["presence"])
    _changed(current.repair, actor, RepairEvent.PRESENCE_CHANGED)


@transaction.atomic
def share_turn(repair: Repair, actor: Participation, turn: Turn, at_phase: str, text: str) -> None:
    """Apart, the speaker's typed words for this turn, kept as they write (each save
    replaces the last) and shown live to the others who joined."""
    current = _lock(repair)
    actor = _actor(current, actor)
    machine.check_together(current, actor, Action.SHARE_TURN, at_phase=at_phase)
    turn_now = current.turn
    if turn_now is None or turn_now.pk != turn.pk:
        raise machine.Refused(str(machine.reengagement.STALE))
    if turn_now.shared == text:
        return  # nothing new (a double submit, or the same words saved twice)
    turn_now.shared = text
    turn_now.save(update_fields=["shared"])
    _changed(current.repair, actor, RepairEvent.TURN_SHARED)

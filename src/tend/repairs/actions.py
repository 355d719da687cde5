"""Every change to a repair. Each action checks the state machine, writes in one
transaction, and records its event there. Personal actions record no event: the
others must not be able to tell when someone works on their own steps.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from tend.accounts.models import User
from tend.gardens.access import current_members
from tend.gardens.models import Relationship
from tend.live.events import emit
from tend.repairs import machine, reengagement, scene
from tend.repairs.events import RepairEvent
from tend.repairs.machine import Action
from tend.repairs.models import (
    Entry,
    NeedRequest,
    Participation,
    PracticeSession,
    ReconvenePlan,
    Repair,
    VoiceMessage,
)
from tend.repairs.repeats import same_as

Status = Participation.Status


def _locked(repair: Repair) -> Repair:
    """Re-reads the repair holding its row lock, so two people acting at once queue and
    a repair closed meanwhile takes no more writes."""
    return Repair.objects.select_for_update().get(pk=repair.pk)


def _locked_for(repair: Repair, participation: Participation) -> Repair:
    """Locks the repair, then re-reads the person's participation under that lock.

    The view read the participation before the lock, so a double tap's second press
    would decide on what the first is changing. Waiting here for the first to commit,
    it then sees that change, and the state machine refuses the repeat kindly ("you
    are already ready"): one change, one event.
    """
    locked = _locked(repair)
    participation.refresh_from_db()
    return locked


def _emit(repair: Repair, kind: RepairEvent, actor_id: int | None, **ids: int) -> None:
    # The actor by id: `participation.user` would be read again after `_locked_for`'s
    # refresh (one query in every move, before its commit).
    emit(repair.relationship_id, kind, actor_id=actor_id, repair_id=repair.pk, **ids)


def open_repair(user: User, relationship: Relationship, opening: str) -> Repair:
    """Opens a repair, or returns the one already open (everyone meets in the same one)."""
    while True:
        try:
            return _create_repair(user, relationship, opening)
        except IntegrityError:
            # Someone else opened one a moment before: join theirs instead. (Should it end
            # in the instant between, the loop opens the next one.)
            existing = Repair.objects.open().filter(relationship=relationship).first()
            if existing is not None:
                break
    participation = participation_of(existing, user)
    if not participation.joined:
        try:
            join(existing, participation)
        except machine.Refused:
            # The same person's other tap joined it an instant before: that is enough.
            participation.refresh_from_db()
            if not participation.joined:
                raise
    if opening == Repair.Opening.TRIGGERED and not participation.said_triggered:
        participation.said_triggered = True
        participation.save(update_fields=["said_triggered"])
    return existing


@transaction.atomic
def _create_repair(user: User, relationship: Relationship, opening: str) -> Repair:
    repair = Repair.objects.create(relationship=relationship, opened_by=user, opening=opening)
    now = timezone.now()
    for member in current_members(relationship):
        is_opener = member.pk == user.pk
        Participation.objects.create(
            repair=repair,
            user=member,
            status=Status.JOINED if is_opener else Status.ASKED,
            joined_at=now if is_opener else None,
            said_triggered=is_opener and opening == Repair.Opening.TRIGGERED,
        )
    _emit(repair, RepairEvent.REPAIR_OPENED, user.pk)
    return repair


def participation_of(repair: Repair, user: User) -> Participation:
    """The member's participation; one is made for members who arrived after the opening."""
    participation, _created = Participation.objects.get_or_create(repair=repair, user=user)
    return participation


@transaction.atomic
def join(repair: Repair, participation: Participation) -> None:
    machine.check(_locked_for(repair, participation), participation, Action.JOIN)
    participation.status = Status.JOINED
    participation.joined_at = timezone.now()
    participation.save(update_fields=["status", "joined_at"])
    _emit(repair, RepairEvent.PARTICIPANT_JOINED, participation.user_id)


@transaction.atomic
def not_yet(repair: Repair, participation: Participation) -> None:
    machine.check(_locked_for(repair, participation), participation, Action.NOT_YET)
    participation.status = Status.NOT_YET
    participation.save(update_fields=["status"])
    _emit(repair, RepairEvent.PARTICIPANT_NOT_YET, participation.user_id)


@transaction.atomic
def save_notice(
    repair: Repair, participation: Participation, *, notice: str, own_words: str
) -> None:
    """Step 1's noticing, both parts sealed on the person's device (`tend.core.e2e`):
    `notice` holds the ticks, state and intensity; `own_words` their few words."""
    machine.check(_locked(repair), participation, Action.NOTICE)
    if participation.notice != notice:
        participation.notice = notice
        participation.save(update_fields=["notice"])
    write_entry(repair, participation, "notice_words", own_words)


@transaction.atomic
def write_entry(
    repair: Repair,
    participation: Participation,
    key: str,
    text: str,
    bring: bool | None = None,
    shared: str | None = None,
) -> Entry:
    """Saves one private answer (sealed on the device). Saving the same text twice changes
    nothing, so a double submit or a retried autosave is harmless.

    `bring` with `shared`: the owner's deliberate copy for the conversation, decrypted on
    their device and sent as shared text; without `bring`, any shared copy is deleted."""
    machine.check(_locked(repair), participation, Action.WRITE)
    entry, _created = Entry.objects.get_or_create(participation=participation, key=key)
    changed = []
    if entry.text != text:
        entry.text = text
        changed.append("text")
    if bring is not None:
        copy = (shared or "") if bring else ""
        if entry.bring != bring:
            entry.bring = bring
            changed.append("bring")
        if entry.shared != copy:
            entry.shared = copy
            changed.append("shared")
    if changed:
        entry.save(update_fields=[*changed, "updated_at"])
    return entry


@transaction.atomic
def go_to_step(repair: Repair, participation: Participation, step: str) -> None:
    machine.check(_locked(repair), participation, Action.GO_TO_STEP, target=step)
    if participation.step != step:
        participation.step = step
        participation.save(update_fields=["step"])


@transaction.atomic
def skip_voice(repair: Repair, participation: Participation) -> None:
    """ "Not now": straight on to stabilizing."""
    machine.check(_locked(repair), participation, Action.SKIP_VOICE)
    participation.voice_skipped = True
    participation.step = Participation.Step.STABILIZE
    participation.save(update_fields=["voice_skipped", "step"])


@transaction.atomic
def send_message(
    repair: Repair, participation: Participation, text: str, template: str = ""
) -> VoiceMessage:
    machine.check(_locked_for(repair, participation), participation, Action.VOICE)
    latest = repair.messages.filter(author=participation.user).order_by("sent_at", "pk").last()
    if latest is not None and same_as(latest, text=text, template=template):
        return latest
    message = VoiceMessage.objects.create(
        repair=repair, author=participation.user, text=text, template=template
    )
    if not participation.said_triggered:
        participation.said_triggered = True
        participation.save(update_fields=["said_triggered"])
    _emit(repair, RepairEvent.MESSAGE_SENT, participation.user_id, subject_id=message.pk)
    return message


@transaction.atomic
def ask_need(
    repair: Repair, participation: Participation, need: str, own_words: str = ""
) -> NeedRequest:
    machine.check(_locked_for(repair, participation), participation, Action.ASK_NEED)
    latest = repair.needs.filter(author=participation.user).order_by("asked_at", "pk").last()
    if latest is not None and same_as(latest, need=need, own_words=own_words):
        return latest
    request = NeedRequest.objects.create(
        repair=repair, author=participation.user, need=need, own_words=own_words
    )
    _emit(repair, RepairEvent.NEED_ASKED, participation.user_id, subject_id=request.pk)
    return request


@transaction.atomic
def acknowledge_need(repair: Repair, participation: Participation, request: NeedRequest) -> None:
    repair = _locked(repair)
    if request.acknowledged_by.filter(pk=participation.user_id).exists():
        return  # a second tap changes nothing
    machine.check(repair, participation, Action.ACKNOWLEDGE_NEED, target=request)
    request.acknowledged_by.add(participation.user)
    _emit(repair, RepairEvent.NEED_ACKNOWLEDGED, participation.user_id, subject_id=request.pk)


@transaction.atomic
def propose_plan(
    repair: Repair,
    participation: Participation,
    meet_at: datetime,
    place: str,
    *,
    longer: bool = False,
) -> ReconvenePlan:
    """Proposes when and where to come back reengagement. It replaces any open proposal,
    and, for "I need longer", the agreed plan too, until the new one is agreed."""
    repair = _locked_for(repair, participation)
    participation.repair = repair
    action = Action.NEED_LONGER if longer else Action.PROPOSE_PLAN
    machine.check(repair, participation, action)
    mine = repair.plans.filter(status=ReconvenePlan.Status.PROPOSED, proposed_by=participation.user)
    latest = mine.order_by("pk").last()
    extension = longer or repair.agreed_plan_id is not None
    if latest is not None and same_as(latest, meet_at=meet_at, place=place, is_extension=extension):
        return latest
    superseded = repair.plans.filter(status=ReconvenePlan.Status.PROPOSED)
    if longer:
        superseded = repair.plans.exclude(status=ReconvenePlan.Status.REPLACED)
    superseded.update(status=ReconvenePlan.Status.REPLACED)
    plan = ReconvenePlan.objects.create(
        repair=repair,
        proposed_by=participation.user,
        meet_at=meet_at,
        place=place,
        is_extension=longer or repair.agreed_plan_id is not None,
    )
    if longer and repair.agreed_plan_id is not None:
        repair.agreed_plan = None
        repair.save(update_fields=["agreed_plan"])
    _emit(repair, RepairEvent.PLAN_PROPOSED, participation.user_id, subject_id=plan.pk)
    _agree_if_everyone_accepted(repair, plan, participation.user)
    return plan


@transaction.atomic
def accept_plan(repair: Repair, participation: Participation, plan: ReconvenePlan) -> None:
    repair = _locked_for(repair, participation)
    plan.refresh_from_db()
    machine.check(repair, participation, Action.ACCEPT_PLAN, target=plan)
    if plan.accepted_by.filter(pk=participation.user_id).exists():
        return  # the second press of a double tap, while the others have yet to answer
    plan.accepted_by.add(participation.user)
    _agree_if_everyone_accepted(repair, plan, participation.user)


def _agree_if_everyone_accepted(repair: Repair, plan: ReconvenePlan, actor: User) -> None:
    accepted = set(plan.accepted_by.values_list("pk", flat=True))
    if machine.plan_is_agreed(plan, scene.participants(repair), accepted):
        plan.status = ReconvenePlan.Status.AGREED
        plan.save(update_fields=["status"])
        repair.plans.filter(status=ReconvenePlan.Status.AGREED).exclude(pk=plan.pk).update(
            status=ReconvenePlan.Status.REPLACED
        )
        repair.agreed_plan = plan
        repair.save(update_fields=["agreed_plan"])
        _emit(repair, RepairEvent.PLAN_AGREED, actor.pk, subject_id=plan.pk)


@transaction.atomic
def start_practice(repair: Repair, participation: Participation, before: str) -> PracticeSession:
    """A practice begun; which one and how strong it felt are sealed in `before`."""
    machine.check(_locked(repair), participation, Action.PRACTICE)
    return PracticeSession.objects.create(participation=participation, before=before)


@transaction.atomic
def finish_practice(
    repair: Repair, participation: Participation, session: PracticeSession, after: str
) -> None:
    machine.check(_locked(repair), participation, Action.PRACTICE)
    session.after = after
    session.finished_at = session.finished_at or timezone.now()
    session.save(update_fields=["after", "finished_at"])


SEALED_MARKS = frozenset({"marks", "readiness"})


@transaction.atomic
def set_marks(repair: Repair, participation: Participation, **sealed: str) -> None:
    """Honor-the-pain markers (`marks`) or readiness feelings (`readiness`), each one
    envelope sealed on the device. Nothing the process decides reads them: being ready
    is the person's own move ("I am ready", `mark_ready`)."""
    machine.check(_locked(repair), participation, Action.MARK)
    if not set(sealed) <= SEALED_MARKS:
        raise ValueError(f"unknown marks: {sorted(set(sealed) - SEALED_MARKS)}")
    for name, value in sealed.items():
        setattr(participation, name, value)
    participation.save(update_fields=list(sealed))


@transaction.atomic
def mark_ready(repair: Repair, participation: Participation, ready: bool) -> None:
    action = Action.MARK_READY if ready else Action.TAKE_BACK_READY
    repair = _locked_for(repair, participation)
    machine.check(repair, participation, action)
    participation.ready = ready
    participation.save(update_fields=["ready"])
    _emit(repair, RepairEvent.READY_CHANGED, participation.user_id)
    if ready and repair.stage == Repair.Stage.PERSONAL:
        reengagement.begin_if_possible(repair, participation)


@transaction.atomic
def set_paused(
    repair: Repair, participation: Participation, paused: bool, *, at_step: str = ""
) -> None:
    """`at_step`: the personal step whose page the pause was asked from, where coming
    back leads (pages are only read, so the pause is what records it)."""
    repair = _locked_for(repair, participation)
    machine.check(repair, participation, Action.PAUSE if paused else Action.RESUME)
    participation.paused = paused
    fields = ["paused"]
    if (
        paused
        and at_step != participation.step
        and machine.refusal(repair, participation, Action.GO_TO_STEP, target=at_step) is None
    ):
        participation.step = at_step
        fields.append("step")
    if paused and repair.stage == Repair.Stage.TOGETHER:
        # Coming back together resumes once everyone, this person too, is ready again.
        participation.ready = False
        fields.append("ready")
    participation.save(update_fields=fields)
    _emit(repair, RepairEvent.PAUSE_CHANGED, participation.user_id)


@transaction.atomic
def close_repair(repair: Repair, participation: Participation) -> None:
    locked = _locked(repair)
    machine.check(locked, participation, Action.CLOSE)
    locked.stage = repair.stage = Repair.Stage.CLOSED
    locked.closed_at = repair.closed_at = timezone.now()
    locked.save(update_fields=["stage", "closed_at"])
    _emit(locked, RepairEvent.REPAIR_CLOSED, participation.user_id)


@transaction.atomic
def add_guest(repair: Repair, host: Participation, name: str) -> Participation:
    """A person without an account, present with the host on one screen. They have no
    steps of their own to walk here, so they come in joined and ready."""
    machine.check(_locked_for(repair, host), host, Action.ADD_GUEST)
    # Two guests of one name on one screen would be one guest added twice.
    guest = repair.participations.filter(user__isnull=True, guest_name=name).first()
    if guest is not None:
        return guest
    guest = Participation.objects.create(
        repair=repair,
        guest_name=name,
        status=Status.JOINED,
        joined_at=timezone.now(),
        ready=True,
    )
    _emit(repair, RepairEvent.PARTICIPANT_JOINED, host.user_id)
    if repair.stage == Repair.Stage.PERSONAL:
        reengagement.begin_if_possible(repair, host)
    return guest

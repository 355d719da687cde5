"""Every change to a relationship's history: notes, themes and sharing a past repair.

Each runs in one transaction under the repair's row lock, checks again with fresh
data, and records its event, so two presses of the same button change things once.
Views have already checked membership and that the person may see the record.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tend.accounts.models import User
from tend.gardens.access import current_members
from tend.history.events import HistoryEvent
from tend.history.models import LearnedNote, Theme, theme_key
from tend.live.events import emit
from tend.live.models import Event
from tend.repairs.machine import Refused
from tend.repairs.models import OPEN_STAGES, Participation, PastShare, Repair


def _lock(repair: Repair) -> Repair:
    return Repair.objects.select_for_update().get(pk=repair.pk)


def took_part(repair: Repair) -> list[int]:
    """The accounts of those who joined the repair (a guest has none)."""
    return list(
        Participation.objects.filter(
            repair=repair, status=Participation.Status.JOINED, user__isnull=False
        ).values_list("user_id", flat=True)
    )


def _refuse_unless_took_part(repair: Repair, user: User) -> None:
    if repair.stage in OPEN_STAGES:
        raise Refused(_("This repair is still under way."))
    if user.pk not in took_part(repair):
        raise Refused(_("Only those who took part in this repair can do that."))


def voters(repair: Repair) -> set[int]:
    """Who agrees a theme: those who took part and are still members."""
    members = set(current_members(repair.relationship_id).values_list("pk", flat=True))
    return set(took_part(repair)) & members


# --- What we learned ---------------------------------------------------------------------


@transaction.atomic
def save_note(repair: Repair, user: User, *, helped: str, next_time: str) -> None:
    """Adds, changes or (when both are left empty) removes one's own note."""
    repair = _lock(repair)
    _refuse_unless_took_part(repair, user)
    if repair.stage != Repair.Stage.COMPLETED:
        raise Refused(_("Notes on what you learned belong to repairs you came through."))
    note = LearnedNote.objects.filter(repair=repair, author=user).first()
    if not helped and not next_time:
        if note is None:
            return
        note.delete()
    elif note is None:
        LearnedNote.objects.create(repair=repair, author=user, helped=helped, next_time=next_time)
    elif (note.helped, note.next_time) == (helped, next_time):
        return  # a double submit changes nothing
    else:
        note.helped, note.next_time, note.updated_at = helped, next_time, timezone.now()
        note.save(update_fields=["helped", "next_time", "updated_at"])
    emit(
        repair.relationship_id,
        HistoryEvent.LEARNED_CHANGED,
        actor_id=user.pk,
        repair_id=repair.pk,
    )


# --- Themes ------------------------------------------------------------------------------


def agreed_theme(repair: Repair) -> Theme | None:
    return repair.themes.filter(status=Theme.Status.AGREED).last()


def _agree_if_all(repair: Repair, theme: Theme) -> None:
    if voters(repair) <= set(theme.accepted_by.values_list("pk", flat=True)):
        repair.themes.filter(status=Theme.Status.AGREED).update(status=Theme.Status.REPLACED)
        theme.status = Theme.Status.AGREED
        theme.save(update_fields=["status"])


@transaction.atomic
def propose_theme(repair: Repair, user: User, text: str) -> Theme:
    repair = _lock(repair)
    _refuse_unless_took_part(repair, user)
    pending = repair.themes.filter(status=Theme.Status.PROPOSED).last()
    if pending is not None and pending.key == theme_key(text):
        # The same words as the open proposal: agreeing to it (or a double submit).
        if not pending.accepted_by.filter(pk=user.pk).exists():
            _accept(repair, user, pending)
        return pending
    agreed = agreed_theme(repair)
    if pending is None and agreed is not None and agreed.key == theme_key(text):
        return agreed  # already the theme: nothing changes
    if pending is not None:
        pending.status = Theme.Status.REPLACED
        pending.save(update_fields=["status"])
    theme = Theme.objects.create(repair=repair, text=" ".join(text.split()), proposed_by=user)
    _accept(repair, user, theme)  # the one who proposes agrees
    return theme


@transaction.atomic
def agree_theme(repair: Repair, user: User, theme: Theme) -> None:
    repair = _lock(repair)
    _refuse_unless_took_part(repair, user)
    theme = Theme.objects.get(pk=theme.pk)
    if theme.accepted_by.filter(pk=user.pk).exists() and theme.status != Theme.Status.REPLACED:
        return  # already agreed (a double submit)
    if theme.status != Theme.Status.PROPOSED:
        raise Refused(_("That theme has been changed since. Here is where it stands now."))
    _accept(repair, user, theme)


def _accept(repair: Repair, user: User, theme: Theme) -> None:
    theme.accepted_by.add(user)
    _agree_if_all(repair, theme)
    emit(
        repair.relationship_id,
        HistoryEvent.THEME_CHANGED,
        actor_id=user.pk,
        repair_id=repair.pk,
        subject_id=theme.pk,
    )


# --- Sharing a past repair ---------------------------------------------------------------


def share_candidates(repair: Repair) -> list[User]:
    """Current members who did not take part: those a record could be shared with."""
    return list(current_members(repair.relationship_id).exclude(pk__in=took_part(repair)))


@transaction.atomic
def agree_to_share(repair: Repair, user: User, member: User) -> None:
    """One participant's consent (offering, or agreeing to another's offer) to show the
    record to `member`; it is shown once everyone who took part has agreed."""
    repair = _lock(repair)
    _refuse_unless_took_part(repair, user)
    if member.pk not in {m.pk for m in share_candidates(repair)}:
        raise Refused(_("This can be shared only with a member who did not take part in it."))
    _share, made = PastShare.objects.get_or_create(repair=repair, member=member, by=user)
    if made:
        emit(
            repair.relationship_id,
            HistoryEvent.SHARE_CHANGED,
            actor_id=user.pk,
            repair_id=repair.pk,
            subject_id=member.pk,
        )


@transaction.atomic
def withdraw_share(repair: Repair, user: User, member: User) -> None:
    """Takes one's consent back: the record is hidden from `member` again."""
    repair = _lock(repair)
    _refuse_unless_took_part(repair, user)
    removed, _kinds = PastShare.objects.filter(repair=repair, member=member, by=user).delete()
    if removed:
        emit(
            repair.relationship_id,
            HistoryEvent.SHARE_CHANGED,
            actor_id=user.pk,
            repair_id=repair.pk,
            subject_id=member.pk,
        )


def member_left(event: Event) -> None:
    """Someone left: what was shared with them lapses, so that coming back asks everyone
    who took part again. Runs in the transaction of the leaving (a `tend.live.events`
    subscriber); their own consents to show others stay, as what they gave."""
    PastShare.objects.filter(
        repair__relationship_id=event.relationship_id, member_id=event.subject_id
    ).delete()

"""From a relationship's events to the people who should hear of them.

`event_recorded` subscribes to the event log (`tend.live.events.subscribe`, from
`NotifyConfig.ready`), so it runs inside the transaction that records the event, in a
savepoint of its own: a notification exists if and only if its event does (the unread
count a page re-fetches when the event reaches it always finds it), and should notify
fail, the change itself still commits (and it is logged).

It composes from the event alone, its kind and ids: which kinds are news, and the
words for each, are notify's own (tend.notify.kinds). It knows no feature's models.
"""

from tend.accounts.models import User
from tend.live.models import Event
from tend.notify import actions, kinds
from tend.notify.models import Preference
from tend.notify.quiet import preferences_of


def event_recorded(event: Event) -> None:
    if event.kind in kinds.EVENT_KINDS:
        notify_members(event)


def notify_members(event: Event) -> None:
    """The current members other than the one who acted, each on their channels."""
    recipients = list(
        User.objects.filter(
            is_active=True,
            membership__relationship_id=event.relationship_id,
            membership__left_at__isnull=True,
        ).exclude(pk=event.actor_id)
    )
    saved = {p.user_id: p for p in Preference.objects.filter(user__in=recipients)}
    for user in recipients:
        preference = saved.get(user.pk) or preferences_of(user)
        actions.notify(
            user,
            preference,
            event.kind,
            relationship_id=event.relationship_id,
            repair_id=event.repair_id,
            subject_id=event.subject_id,
            event_id=event.pk,
        )

"""Notify's part of deleting an account: everything kept to reach the person.

Their notifications, reminders, choices and push subscriptions go. None of these
holds what anyone wrote, and none is in the export (privacy.md, "Taking your data
with you"), so notify contributes no part to it.
"""

from tend.accounts import contributions
from tend.accounts.models import User
from tend.notify.models import Notification, Preference, PushSubscription, Reminder


def delete(user: User) -> None:
    for model in (Notification, Reminder, Preference, PushSubscription):
        model.objects.filter(user=user).delete()


contributions.contribute(__name__, delete=delete)

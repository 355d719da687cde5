"""Moving the cast's repair along, for the notification tests."""

from datetime import datetime

from django.core import mail

from tend.notify import worker
from tend.notify.models import Preference
from tend.repairs import actions
from tend.repairs.models import ReconvenePlan
from tests.conftest import Cast


def agree_plan(cast: Cast) -> ReconvenePlan:
    """ben joins the repair and accepts ada's proposed time: it is agreed."""
    ben = actions.participation_of(cast.repair, cast.ben)
    actions.join(cast.repair, ben)
    actions.accept_plan(cast.repair, ben, cast.plan)
    cast.plan.refresh_from_db()
    assert cast.plan.status == ReconvenePlan.Status.AGREED
    return cast.plan


def need_longer(cast: Cast, meet_at: datetime) -> ReconvenePlan:
    ada = actions.participation_of(cast.repair, cast.ada)
    return actions.propose_plan(cast.repair, ada, meet_at, "the kitchen", longer=True)


def drain(worker_id: str = "test") -> int:
    """Runs the worker until it is idle; returns how much it did."""
    done = 0
    while worker.process_one(worker_id):
        done += 1
    return done


def prefer(user, **choices) -> Preference:  # type: ignore[no-untyped-def]
    preference, _ = Preference.objects.get_or_create(user=user)
    for name, value in choices.items():
        setattr(preference, name, value)
    preference.save()
    return preference


def sent_to(address: str) -> list[mail.EmailMessage]:
    return [message for message in mail.outbox if address in message.to]

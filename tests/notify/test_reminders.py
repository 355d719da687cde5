"""Reminders of an agreed time and of review dates: made, moved and cancelled with the
plan, on a frozen clock (time-machine), never with sleeps."""

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.core import mail

from tend.notify.models import Notification, Reminder
from tend.repairs import actions
from tend.repairs.models import Commitment
from tests.conftest import Cast
from tests.notify.helpers import agree_plan, drain, need_longer, prefer

START = datetime(2026, 6, 1, 17, 0, tzinfo=UTC)  # the cast is made at 17:00; the time is 20:00


@pytest.fixture
def clock(db):  # type: ignore[no-untyped-def]
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def agreed(clock, cast: Cast) -> Cast:
    agree_plan(cast)
    return cast


def reconvene(user) -> list[Reminder]:  # type: ignore[no-untyped-def]
    return list(Reminder.objects.filter(user=user, kind="reconvene", cancelled_at__isnull=True))


def test_an_agreed_time_gets_one_reminder_each_fifteen_minutes_before(agreed: Cast) -> None:
    meet_at = agreed.plan.meet_at
    assert meet_at == START + timedelta(hours=3)
    for person in (agreed.ada, agreed.ben):
        (reminder,) = reconvene(person)
        assert reminder.due_at == meet_at - timedelta(minutes=15)
        assert reminder.target_at == meet_at
    assert reconvene(agreed.eli) == []


def test_a_proposed_time_is_not_yet_reminded_of(clock, cast: Cast) -> None:
    assert not Reminder.objects.filter(kind="reconvene").exists()


def test_each_person_chooses_their_own_lead_time(clock, cast: Cast, as_user) -> None:
    response = as_user(cast.ada).post(
        "/notifications/settings/",
        {
            "detail": "neutral",
            "reconvene_lead_minutes": "60",
            "quiet_start": "22:00",
            "quiet_end": "07:00",
        },
    )
    assert response.status_code == 302
    agree_plan(cast)
    assert reconvene(cast.ada)[0].due_at == cast.plan.meet_at - timedelta(hours=1)
    assert reconvene(cast.ben)[0].due_at == cast.plan.meet_at - timedelta(minutes=15)


def test_changing_the_lead_time_moves_a_reminder_already_made(agreed: Cast, as_user) -> None:
    as_user(agreed.ben).post(
        "/notifications/settings/", {"detail": "neutral", "reconvene_lead_minutes": "5"}
    )
    assert reconvene(agreed.ben)[0].due_at == agreed.plan.meet_at - timedelta(minutes=5)


def test_nothing_is_sent_before_it_is_due_and_it_is_sent_once_when_due(agreed: Cast, clock) -> None:
    drain()
    assert not Notification.objects.filter(kind="reconvene").exists()

    clock.move_to(agreed.plan.meet_at - timedelta(minutes=15))
    drain()
    drain()

    assert Notification.objects.filter(kind="reconvene", user=agreed.ada).count() == 1
    assert Notification.objects.filter(kind="reconvene", user=agreed.ben).count() == 1
    assert all(r.done_at is not None for r in Reminder.objects.filter(kind="reconvene"))


def test_i_need_longer_moves_the_reminders_to_the_new_time_once_agreed(agreed: Cast, clock) -> None:
    later = agreed.plan.meet_at + timedelta(days=1)
    plan = need_longer(agreed, later)

    # The agreed plan is taken back: no reminder until the new time is agreed.
    assert reconvene(agreed.ada) == [] and reconvene(agreed.ben) == []
    actions.accept_plan(agreed.repair, actions.participation_of(agreed.repair, agreed.ben), plan)
    for person in (agreed.ada, agreed.ben):
        (reminder,) = reconvene(person)
        assert reminder.target_at == later
        assert reminder.due_at == later - timedelta(minutes=15)

    # The old time passes in silence.
    clock.move_to(START + timedelta(hours=3))
    drain()
    assert not Notification.objects.filter(kind="reconvene").exists()


@pytest.mark.parametrize("ending", ["closed", "completed"])
def test_a_repair_that_ends_cancels_its_reminders(agreed: Cast, clock, ending: str) -> None:
    if ending == "closed":
        actions.close_repair(agreed.repair, actions.participation_of(agreed.repair, agreed.ada))
    else:
        _complete(agreed)
    assert reconvene(agreed.ada) == [] and reconvene(agreed.ben) == []

    clock.move_to(agreed.plan.meet_at)
    drain()
    assert not Notification.objects.filter(kind="reconvene").exists()


def _complete(cast: Cast) -> None:
    """Marks the repair completed the way step 5's last move does, with its event."""
    from tend.live.events import emit
    from tend.repairs.models import Repair

    with __import__("django").db.transaction.atomic():
        Repair.objects.filter(pk=cast.repair.pk).update(
            stage=Repair.Stage.COMPLETED, completed_at=START
        )
        emit(cast.us.pk, "repair_completed", actor_id=cast.ada.pk, repair_id=cast.repair.pk)


def test_a_reminder_already_due_is_checked_again_when_it_fires(agreed: Cast, clock) -> None:
    # The repair ends by a path that records no reminder change: the worker still
    # notices, when the reminder falls due, that there is nothing to remind of.
    from tend.repairs.models import Repair

    Repair.objects.filter(pk=agreed.repair.pk).update(stage=Repair.Stage.CLOSED)
    clock.move_to(agreed.plan.meet_at - timedelta(minutes=10))
    drain()
    assert not Notification.objects.filter(kind="reconvene").exists()
    assert Reminder.objects.filter(kind="reconvene", cancelled_at__isnull=False).count() == 2


def test_a_former_member_is_not_reminded(agreed: Cast, clock) -> None:
    from tend.gardens.actions import leave_relationship

    leave_relationship(agreed.ben, agreed.us)
    assert reconvene(agreed.ben) == []
    assert len(reconvene(agreed.ada)) == 1


def test_a_time_agreed_inside_the_lead_time_is_reminded_at_once(clock, cast: Cast) -> None:
    ada = actions.participation_of(cast.repair, cast.ada)
    soon = START + timedelta(minutes=5)
    plan = actions.propose_plan(cast.repair, ada, soon, "")
    ben = actions.participation_of(cast.repair, cast.ben)
    actions.join(cast.repair, ben)
    actions.accept_plan(cast.repair, ben, plan)
    assert reconvene(cast.ben)[0].due_at == START


# Quiet hours


def test_email_waits_for_the_end_of_quiet_hours_in_the_persons_time_zone(clock, cast: Cast) -> None:
    cast.ben.time_zone = "Europe/Berlin"
    cast.ben.save()
    prefer(cast.ben, email=["message_sent"], quiet_start=time(22), quiet_end=time(7))
    clock.move_to(datetime(2026, 6, 1, 23, 30, tzinfo=UTC))  # 01:30 in Berlin
    actions.send_message(cast.repair, actions.participation_of(cast.repair, cast.ada), "a message")
    drain()
    assert mail.outbox == []
    # In tend it shows at once: it makes no sound.
    assert Notification.objects.filter(user=cast.ben, kind="message_sent").exists()

    clock.move_to(datetime(2026, 6, 2, 4, 59, tzinfo=UTC))  # 06:59 in Berlin
    drain()
    assert mail.outbox == []
    clock.move_to(datetime(2026, 6, 2, 5, 0, tzinfo=UTC))  # 07:00 in Berlin
    drain()
    assert [m.to for m in mail.outbox] == [[cast.ben.email]]


def _agree_at(cast: Cast, meet_at: datetime) -> None:
    ada = actions.participation_of(cast.repair, cast.ada)
    plan = actions.propose_plan(cast.repair, ada, meet_at, "")
    ben = actions.participation_of(cast.repair, cast.ben)
    actions.join(cast.repair, ben)
    actions.accept_plan(cast.repair, ben, plan)


@pytest.mark.parametrize("asked", [True, False])
def test_a_reminder_of_an_agreed_time_in_quiet_hours_is_sent_only_if_asked(
    clock, cast: Cast, asked: bool
) -> None:
    prefer(cast.ben, email=["reconvene"], reconvene_in_quiet=asked)  # quiet 22:00-07:00 UTC
    meet_at = datetime(2026, 6, 1, 23, 0, tzinfo=UTC)
    _agree_at(cast, meet_at)

    clock.move_to(meet_at - timedelta(minutes=15))
    drain()
    assert len(mail.outbox) == (1 if asked else 0)

    # Not asked: it would wait until 07:00, but the time has passed by then: dropped.
    clock.move_to(datetime(2026, 6, 2, 7, 0, tzinfo=UTC))
    drain()
    assert len(mail.outbox) == (1 if asked else 0)


# Commitments


def test_a_commitment_is_reminded_of_on_its_review_date_at_nine_local(clock, cast: Cast) -> None:
    cast.ada.time_zone = "America/New_York"
    cast.ada.save()
    from tend.repairs import commitments

    review_on = START.date() + timedelta(days=3)
    commitments.edit(
        cast.ben, cast.commitment, text="Say so kindly.", review_on=review_on, status="active"
    )
    ada = Reminder.objects.get(user=cast.ada, kind="commitment_review")
    assert ada.due_at == datetime(2026, 6, 4, 13, 0, tzinfo=UTC)  # 09:00 in New York
    ben = Reminder.objects.get(user=cast.ben, kind="commitment_review")
    assert ben.due_at == datetime(2026, 6, 4, 9, 0, tzinfo=UTC)

    clock.move_to(datetime(2026, 6, 4, 9, 0, tzinfo=UTC))
    drain()
    assert list(
        Notification.objects.filter(kind="commitment_review").values_list("user", flat=True)
    ) == [cast.ben.pk]
    clock.move_to(datetime(2026, 6, 4, 13, 0, tzinfo=UTC))
    drain()
    assert Notification.objects.filter(kind="commitment_review").count() == 2


def test_a_commitment_kept_or_let_go_is_not_reminded_of(clock, cast: Cast) -> None:
    from tend.repairs import commitments

    review_on = START.date() + timedelta(days=3)
    commitments.edit(
        cast.ben, cast.commitment, text="Say so kindly.", review_on=review_on, status="active"
    )
    commitments.edit(
        cast.ben,
        cast.commitment,
        text="Say so kindly.",
        review_on=review_on,
        status=Commitment.Status.KEPT,
    )
    assert not Reminder.objects.filter(kind="commitment_review", cancelled_at__isnull=True).exists()

"""From events to in-app notifications: the other current members, never the actor."""

from tend.live.models import Event
from tend.notify.models import Notification
from tend.repairs import actions, reengagement
from tend.repairs.models import Commitment
from tests.conftest import Cast
from tests.notify.helpers import agree_plan
from tests.sealed import sealed


def kinds_of(user) -> list[str]:  # type: ignore[no-untyped-def]
    return list(
        Notification.objects.filter(user=user).order_by("pk").values_list("kind", flat=True)
    )


def test_the_other_member_hears_of_what_ada_did_and_ada_does_not(cast: Cast) -> None:
    # The cast: ada opened a repair, asked for space and proposed a time.
    assert kinds_of(cast.ben) == ["repair_opened", "need_asked", "plan_proposed"]
    assert kinds_of(cast.ada) == []


def test_nobody_outside_the_relationship_hears_anything(cast: Cast) -> None:
    for outsider in (cast.cy, cast.dee, cast.eli):  # cy is in another, eli left
        assert kinds_of(outsider) == []


def test_each_notification_names_its_event_and_nothing_more(cast: Cast) -> None:
    note = Notification.objects.get(user=cast.ben, kind="need_asked")
    event = Event.objects.get(pk=note.event_id)
    assert (note.relationship_id, note.repair_id, note.subject_id) == (
        event.relationship_id,
        event.repair_id,
        event.subject_id,
    )
    fields = {f.name for f in Notification._meta.get_fields()}
    assert not fields & {"text", "body", "title", "message"}


def test_agreeing_a_time_tells_the_one_who_proposed_it(cast: Cast) -> None:
    agree_plan(cast)
    assert kinds_of(cast.ada) == ["plan_agreed"]
    # ben joined (no notification: joining is not news worth a buzz) and accepted.
    assert kinds_of(cast.ben)[-1] == "plan_proposed"


def test_personal_steps_notify_nobody(cast: Cast) -> None:
    ada = actions.participation_of(cast.repair, cast.ada)
    before = Notification.objects.count()
    actions.write_entry(cast.repair, ada, "honor:what_hurts", sealed())
    actions.go_to_step(cast.repair, ada, "stabilize")
    assert Notification.objects.count() == before


def test_step_five_moves_are_not_notified(cast: Cast) -> None:
    ada = actions.participation_of(cast.repair, cast.ada)
    ben = actions.participation_of(cast.repair, cast.ben)
    actions.join(cast.repair, ben)
    for part in (ada, ben):
        actions.mark_ready(cast.repair, part, True)
    before = Notification.objects.count()
    reengagement.done_with_phase(cast.repair, ada, "considerations")
    assert Event.objects.filter(kind="together_changed").exists()
    assert Notification.objects.count() == before


def test_a_message_reaches_the_others_as_news_only(cast: Cast) -> None:
    ada = actions.participation_of(cast.repair, cast.ada)
    actions.send_message(cast.repair, ada, "SECRET-WORDS-19 I am flooded")
    note = Notification.objects.get(user=cast.ben, kind="message_sent")
    assert "SECRET-WORDS-19" not in str(note.__dict__)


def test_a_commitment_changed_by_ben_is_news_for_ada(cast: Cast, as_user) -> None:
    from tend.repairs import commitments

    commitments.edit(
        cast.ben,
        cast.commitment,
        text="Say so kindly.",
        review_on=cast.commitment.review_on,
        status=Commitment.Status.ACTIVE,
    )
    assert kinds_of(cast.ada) == ["commitment_changed"]


def test_a_failing_fan_out_never_stops_the_change(cast: Cast, monkeypatch, caplog) -> None:
    from tend.notify import fanout

    def broken(event):  # type: ignore[no-untyped-def]
        raise RuntimeError("SECRET-IN-ERROR")

    monkeypatch.setattr(fanout, "notify_members", broken)
    ada = actions.participation_of(cast.repair, cast.ada)
    actions.send_message(cast.repair, ada, "hello")

    assert cast.repair.messages.count() == 1
    assert "fan-out of event" in caplog.text
    assert "SECRET-IN-ERROR" not in caplog.text


def test_notify_composes_from_the_event_alone(cast: Cast) -> None:
    """Kind and ids are all it reads: it looks up no repair, plan or commitment (these
    ids name none), even for a kind that also moves reminders."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from tend.notify import fanout, kinds
    from tend.repairs.events import RepairEvent

    cast.us.refresh_from_db()
    with transaction.atomic():
        event = Event.objects.create(
            relationship=cast.us,
            seq=cast.us.last_seq + 1,
            kind=RepairEvent.PLAN_AGREED,
            actor=cast.ada,
            repair_id=987654,
            subject_id=876543,
        )
        with CaptureQueriesContext(connection) as queries:
            fanout.event_recorded(event)

    note = Notification.objects.get(user=cast.ben, event=event)
    assert (note.kind, note.repair_id, note.subject_id) == ("plan_agreed", 987654, 876543)
    assert (
        kinds.sentence(note.kind, kinds.Detail.KIND) == "A time to come back together was agreed."
    )
    assert not [q["sql"] for q in queries.captured_queries if "repairs_" in q["sql"]]

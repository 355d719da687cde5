"""The worker: claims, retries with back-off, the loop, and `tend worker`."""

import gc
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tend.cli import main
from tend.notify import worker
from tend.notify.models import Notification, Reminder
from tests.conftest import Cast
from tests.notify.helpers import drain, prefer

START = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def _due_reminders(cast: Cast, count: int) -> list[Reminder]:
    """`count` commitment reminders for ada and ben, all due now."""
    now = timezone.now()
    return Reminder.objects.bulk_create(
        Reminder(
            user=person,
            relationship=cast.us,
            kind="commitment_review",
            subject_id=cast.commitment.pk,
            target_at=now - timedelta(minutes=n),
            due_at=now - timedelta(minutes=n),
        )
        for n in range(count)
        for person in (cast.ada, cast.ben)
    )


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_send_one_reminder_twice(cast: Cast) -> None:
    for person in (cast.ada, cast.ben):
        prefer(person, email=["commitment_review"], quiet_start=None, quiet_end=None)
    reminders = _due_reminders(cast, 15)
    mail.outbox = []
    start = threading.Barrier(2)
    did: Counter[str] = Counter()
    errors: list[BaseException] = []

    def work(name: str) -> None:
        try:
            start.wait()
            while worker.process_one(name):
                did[name] += 1
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    claimed = Counter(Reminder.objects.values_list("claimed_by", flat=True))
    assert sum(claimed.values()) == len(reminders)
    assert set(claimed) <= {"one", "two"}
    # One notification per reminder, one email per notification, one run per task.
    assert Notification.objects.filter(kind="commitment_review").count() == len(reminders)
    assert len(mail.outbox) == len(reminders)
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == len(reminders)
    assert all(len(r.worker_ids) == 1 for r in DBTaskResult.objects.all())


def test_a_claimed_reminder_is_not_claimed_again(cast: Cast) -> None:
    (first, second) = _due_reminders(cast, 1)
    assert worker.claim_reminder("one").pk == first.pk
    assert worker.claim_reminder("two").pk == second.pk
    assert worker.claim_reminder("three") is None


def test_a_cancelled_reminder_is_never_claimed(cast: Cast) -> None:
    for reminder in _due_reminders(cast, 1):
        Reminder.objects.filter(pk=reminder.pk).update(cancelled_at=timezone.now())
    assert worker.claim_reminder("one") is None


def test_a_failing_send_is_retried_with_growing_pauses_and_logged_without_text(
    cast: Cast, monkeypatch, caplog
) -> None:
    from tend.notify import emails

    prefer(cast.ben, email=["message_sent"], quiet_start=None, quiet_end=None)
    failures = {"left": 2}
    real_send = emails.send

    def flaky(notification, preference):  # type: ignore[no-untyped-def]
        if failures["left"]:
            failures["left"] -= 1
            raise ConnectionRefusedError("smtp.example: SECRET-ADDRESS-77")
        real_send(notification, preference)

    monkeypatch.setattr(emails, "send", flaky)
    with time_machine.travel(START, tick=False) as clock:
        from tend.repairs import actions

        ada = actions.participation_of(cast.repair, cast.ada)
        actions.send_message(cast.repair, ada, "TEXT-MARKER-55")
        mail.outbox = []
        drain()
        assert mail.outbox == []
        clock.shift(timedelta(seconds=59))
        drain()
        assert mail.outbox == []  # the first pause is a minute
        clock.shift(timedelta(seconds=1))
        drain()
        assert mail.outbox == []  # failed again: now five minutes
        clock.shift(timedelta(minutes=5))
        drain()
    assert len(mail.outbox) == 1
    assert "try 2 of 6 in 60s" in caplog.text
    assert "try 3 of 6 in 300s" in caplog.text
    for secret in ("SECRET-ADDRESS-77", "TEXT-MARKER-55", cast.ben.email, "Ben"):
        assert secret not in caplog.text


def test_a_send_that_keeps_failing_is_given_up_after_six_tries(
    cast: Cast, monkeypatch, caplog
) -> None:
    from tend.notify import emails

    prefer(cast.ben, email=["message_sent"], quiet_start=None, quiet_end=None)
    monkeypatch.setattr(emails, "send", lambda n, p: (_ for _ in ()).throw(OSError("down")))
    with time_machine.travel(START, tick=False) as clock:
        from tend.repairs import actions

        actions.send_message(cast.repair, actions.participation_of(cast.repair, cast.ada), "hello")
        for _ in range(8):
            drain()
            clock.shift(timedelta(hours=4))
    assert "gave up sending notification" in caplog.text
    assert DBTaskResult.objects.filter(task_path="tend.notify.delivery.deliver").count() == 6


def test_the_loop_works_until_stopped_and_never_sleeps_in_tests(cast: Cast) -> None:
    _due_reminders(cast, 2)
    stop = threading.Event()
    idles = []

    def idle() -> None:
        idles.append(Reminder.objects.filter(done_at__isnull=True).count())
        stop.set()

    worker.run(stop, interval=3600, worker_id="loop", on_idle=idle)

    assert idles == [0]


def test_stale_claims_of_a_worker_that_died_are_released(cast: Cast) -> None:
    (one, two) = _due_reminders(cast, 1)
    Reminder.objects.filter(pk=one.pk).update(
        claimed_at=timezone.now() - timedelta(hours=1), claimed_by="dead"
    )
    Reminder.objects.filter(pk=two.pk).update(claimed_at=timezone.now(), claimed_by="alive")
    assert worker.release_stale_claims() == 1
    assert worker.claim_reminder("new").pk == one.pk


def test_tend_worker_runs_until_stopped(cast: Cast, monkeypatch, capsys) -> None:
    _due_reminders(cast, 1)
    real_run = worker.run

    def run_once(stop, **kwargs):  # type: ignore[no-untyped-def]
        real_run(stop, on_idle=stop.set, **kwargs)

    monkeypatch.setattr(worker, "run", run_once)
    assert main(["worker", "--interval", "1"]) == 0
    assert "sending reminders and notifications" in capsys.readouterr().out
    assert not Reminder.objects.filter(done_at__isnull=True, cancelled_at__isnull=True).exists()


def test_the_worker_help_says_what_it_does(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["worker", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "reminders" in out and "never send one twice" in out


@pytest.mark.django_db(transaction=True)
def test_tend_serve_runs_a_worker_thread_beside_the_server_and_stops_it(monkeypatch) -> None:
    import uvicorn

    seen = {}

    def fake_run(server, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen["threads"] = [t.name for t in threading.enumerate()]
        server.started = True

    monkeypatch.setattr(uvicorn.Server, "run", fake_run)
    try:
        assert main(["serve", "--no-migrate", "--worker"]) == 0
    finally:
        gc.unfreeze()  # serve froze what this test process had loaded
    assert "tend-worker" in seen["threads"]
    assert "tend-worker" not in [t.name for t in threading.enumerate()]

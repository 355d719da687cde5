"""The worker: due reminders and queued tasks, one at a time.

`process_one()` does one unit of work and says whether there was any; `run()` loops
on it until told to stop. Both kinds of work are claimed so that two workers never do
the same thing twice, on SQLite and PostgreSQL alike:

- a reminder by a conditional UPDATE (`... SET claimed_at = now WHERE id = ? AND
  claimed_at IS NULL`): of two workers, one updates a row, the other none;
- a task by django-tasks-db's own claim (a row lock with SKIP LOCKED on PostgreSQL,
  an exclusive transaction on SQLite).
"""

import logging
import secrets
import threading
from collections.abc import Callable
from datetime import timedelta

from django.db import close_old_connections, connection, transaction
from django.db.models import F
from django.db.utils import OperationalError
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from tend.notify import actions, reminders, wakeup
from tend.notify.models import Reminder
from tend.notify.quiet import preferences_of

log = logging.getLogger(__name__)

# A claim older than this belongs to a worker that died mid-way: it is released.
STALE_CLAIM = timedelta(minutes=15)
REMINDER_BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30))


def new_worker_id() -> str:
    return f"tend-{secrets.token_hex(8)}"


def claim_reminder(worker_id: str) -> Reminder | None:
    """Claims the earliest due reminder, or returns None when none is due."""
    now = timezone.now()
    due = (
        Reminder.objects.pending()
        .filter(due_at__lte=now)
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)[:10]
    )
    for pk in list(due):
        claimed = Reminder.objects.filter(
            pk=pk, claimed_at__isnull=True, cancelled_at__isnull=True
        ).update(claimed_at=now, claimed_by=worker_id, attempts=F("attempts") + 1)
        if claimed == 1:
            return Reminder.objects.select_related("user").get(pk=pk)
        # Another worker took it a moment before: try the next one.
    return None


def fire(reminder: Reminder) -> None:
    """A claimed reminder: made into a notification (if it is still wanted), which is
    then shown in tend and queued for email and push."""
    with transaction.atomic():
        if reminders.still_wanted(reminder):
            actions.notify(
                reminder.user,
                preferences_of(reminder.user),
                reminder.kind,
                relationship_id=reminder.relationship_id,
                repair_id=reminder.repair_id,
                subject_id=reminder.subject_id,
                reminder_id=reminder.pk,
            )
            Reminder.objects.filter(pk=reminder.pk).update(done_at=timezone.now())
        else:
            Reminder.objects.filter(pk=reminder.pk).update(cancelled_at=timezone.now())


def _release(reminder: Reminder, error: Exception) -> None:
    if reminder.attempts > len(REMINDER_BACKOFF):
        Reminder.objects.filter(pk=reminder.pk).update(cancelled_at=timezone.now())
        log.error(
            "notify: gave up on reminder %s after %s tries (%s)",
            reminder.pk,
            reminder.attempts,
            type(error).__name__,
        )
        return
    pause = REMINDER_BACKOFF[reminder.attempts - 1]
    Reminder.objects.filter(pk=reminder.pk).update(
        claimed_at=None, claimed_by="", due_at=timezone.now() + pause
    )
    log.warning(
        "notify: reminder %s failed (%s); trying again in %ss",
        reminder.pk,
        type(error).__name__,
        int(pause.total_seconds()),
    )


def release_stale_claims() -> int:
    return Reminder.objects.filter(
        claimed_at__lt=timezone.now() - STALE_CLAIM,
        done_at__isnull=True,
        cancelled_at__isnull=True,
    ).update(claimed_at=None, claimed_by="")


_task_runner = Worker(
    queue_names=["default"],
    interval=0,
    batch=True,
    backend_name="default",
    startup_delay=False,
    max_tasks=None,
    worker_id="tend",
    excluded_queue_names=[],
)


def run_one_task(worker_id: str) -> bool:
    """Runs one ready task from the queue, if there is one."""
    tasks = DBTaskResult.objects.ready().filter(backend_name="default")
    try:
        with exclusive_transaction(tasks.db):
            result = tasks.get_locked()
            if result is None:
                return False
            result.claim(worker_id)
    except OperationalError as error:
        if is_locked_database_exception(error):
            return False  # busy: another worker holds the queue; look again soon
        raise
    _task_runner.run_task(result)
    return True


def process_one(worker_id: str = "tend") -> bool:
    """One unit of work: a due reminder, else a queued task. False when idle."""
    reminder = claim_reminder(worker_id)
    if reminder is not None:
        try:
            fire(reminder)
        except Exception as error:
            _release(reminder, error)
        return True
    return run_one_task(worker_id)


def run(
    stop: threading.Event,
    *,
    interval: float,
    worker_id: str | None = None,
    on_idle: Callable[[], None] | None = None,
) -> None:
    """Works until `stop` is set: everything due, then a wait of `interval` seconds
    (cut short by `wake()`). `on_idle` is called at each wait (tests stop it there)."""
    worker_id = worker_id or new_worker_id()
    log.info("notify: worker %s started", worker_id)
    try:
        release_stale_claims()
        while not stop.is_set():
            try:
                while not stop.is_set() and process_one(worker_id):
                    pass
            except Exception as error:  # the database went away: keep going
                log.error("notify: worker error (%s)", type(error).__name__)
            finally:
                _tidy()
            if on_idle is not None:
                on_idle()
            if stop.is_set():
                break
            wakeup.wait(interval)
    finally:
        _tidy()
        log.info("notify: worker %s stopped", worker_id)


def _tidy() -> None:
    # Like a request's end: drop a connection that broke. (Never inside a transaction,
    # as when a test runs the loop within its own.)
    if not connection.in_atomic_block:
        close_old_connections()


def start_thread() -> tuple[threading.Event, threading.Thread]:
    """A worker in a thread of this process (beside `tend serve`)."""
    from django.conf import settings

    stop = threading.Event()
    thread = threading.Thread(
        target=run,
        args=(stop,),
        kwargs={"interval": settings.NOTIFY_WORKER_INTERVAL},
        name="tend-worker",
        daemon=True,
    )
    thread.start()
    return stop, thread


def stop_thread(stop: threading.Event, thread: threading.Thread, timeout: float = 10) -> None:
    stop.set()
    wakeup.wake()
    thread.join(timeout)

"""SQLite's writers wait in one fair line (tend.core.sqlite): the write lock goes to
whoever waited longest, and a wait past the limit is `Busy` (a 503), not a 500."""

import threading
import time

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client

from tend.accounts.models import User
from tend.accounts.sessions import SEEN_AT
from tend.core.busy import Busy
from tend.core.sqlite.base import Line
from tests.conftest import make_user


def test_the_line_hands_the_lock_to_the_longest_waiter() -> None:
    line = Line()
    assert line.acquire(timeout=1)
    order: list[str] = []

    def wait(name: str) -> None:
        assert line.acquire(timeout=5)
        order.append(name)
        line.release()

    first = threading.Thread(target=wait, args=("first",))
    first.start()
    time.sleep(0.1)
    second = threading.Thread(target=wait, args=("second",))
    second.start()
    time.sleep(0.1)
    line.release()
    first.join(5)
    second.join(5)
    assert order == ["first", "second"]


def test_a_wait_past_the_limit_gives_up_and_leaves_the_line() -> None:
    line = Line()
    line.acquire(timeout=1)
    began = time.monotonic()
    assert not line.acquire(timeout=0.2)
    assert time.monotonic() - began >= 0.2
    line.release()
    assert line.acquire(timeout=0.1)  # the one who gave up is not handed the lock


sqlite_only = pytest.mark.skipif(settings.DATABASE_IS_POSTGRES, reason="SQLite's writer line")


def _hold_a_transaction(user_pk: int, seconds: float, holding: threading.Event) -> None:
    try:
        with transaction.atomic():
            User.objects.filter(pk=user_pk).update(display_name="First")
            holding.set()
            time.sleep(seconds)
    finally:
        connection.close()


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_second_writer_waits_for_the_first_then_writes() -> None:
    user = make_user("ada")
    holding = threading.Event()
    first = threading.Thread(target=_hold_a_transaction, args=(user.pk, 0.5, holding))
    first.start()
    holding.wait(5)

    began = time.monotonic()
    User.objects.filter(pk=user.pk).update(display_name="Second")
    first.join(5)

    assert time.monotonic() - began >= 0.3
    user.refresh_from_db()
    assert user.display_name == "Second"


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_writer_that_gets_no_turn_in_time_is_busy(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    user = make_user("ada")
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "timeout", 0.2)
    holding = threading.Event()
    first = threading.Thread(target=_hold_a_transaction, args=(user.pk, 1.0, holding))
    first.start()
    holding.wait(5)

    with pytest.raises(Busy, match="database is locked"), transaction.atomic():
        User.objects.filter(pk=user.pk).update(display_name="Second")
    first.join(5)

    # Its place in line was given up: the next write goes straight through.
    User.objects.filter(pk=user.pk).update(display_name="Third")
    user.refresh_from_db()
    assert user.display_name == "Third"


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_minutes_last_used_does_not_hold_a_page_up_in_the_writer_line() -> None:
    """Bookkeeping waits for its turn to write only briefly (tend.core.busy.briefly):
    in a busy moment the page is answered at once and the next request records it. It
    waited the full 20 s before, a page thread held in the line behind people's moves."""
    ada, ben = make_user("ada"), make_user("ben")
    client = Client()
    client.force_login(ada)
    assert client.get("/home/").status_code == 200
    session = client.session
    a_while_ago = session[SEEN_AT] - 120  # the minute's "last used" is due
    session[SEEN_AT] = a_while_ago
    session.save()
    holding = threading.Event()
    first = threading.Thread(target=_hold_a_transaction, args=(ben.pk, 4.0, holding))
    first.start()
    holding.wait(5)

    began = time.monotonic()
    response = client.get("/home/")
    took = time.monotonic() - began
    first.join(10)

    assert response.status_code == 200
    assert took < 3.0
    assert client.session[SEEN_AT] == a_while_ago  # skipped in the busy moment
    client.get("/home/")
    assert client.session[SEEN_AT] > a_while_ago  # and recorded at the next request


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_last_used_near_the_idle_limit_waits_its_full_turn() -> None:
    """Skipped for too long, "last used" would sign an active person out at the idle
    limit: past half of it, the bookkeeping waits for its turn like any write."""
    ada, ben = make_user("ada"), make_user("ben")
    client = Client()
    client.force_login(ada)
    assert client.get("/home/").status_code == 200
    session = client.session
    long_ago = session[SEEN_AT] - int(settings.SESSION_IDLE_TIMEOUT.total_seconds() * 0.6)
    session[SEEN_AT] = long_ago
    session.save()
    holding = threading.Event()
    first = threading.Thread(target=_hold_a_transaction, args=(ben.pk, 2.0, holding))
    first.start()
    holding.wait(5)

    response = client.get("/home/")
    first.join(10)

    assert response.status_code == 200
    assert client.session[SEEN_AT] > long_ago

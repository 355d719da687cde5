"""Reading a page writes nothing: a person's "last used" is written at most once a
minute, and never for what the page fetches by itself (the event stream). On SQLite a
write waits for the one writer at a time, so every needless write on a read slows
everyone's moves down."""

from datetime import UTC, datetime, timedelta

import time_machine
from django.contrib.auth import get_user
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from tend.accounts import sessions
from tend.accounts.middleware import SessionSafetyMiddleware
from tend.accounts.session_store import SessionStore
from tend.core.busy import Busy
from tests.accounts.helpers import signed_in
from tests.conftest import Cast

START = datetime(2026, 5, 3, 9, 0, tzinfo=UTC)
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _writes(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]


def test_pages_read_within_the_minute_write_nothing(cast: Cast) -> None:
    with time_machine.travel(START, tick=False) as clock:
        phone = signed_in(cast.ada)
        clock.shift(timedelta(seconds=50))
        pages = ("/home/", f"/r/{cast.us.pk}/", f"/r/{cast.us.pk}/repairs/{cast.repair.pk}/")
        with CaptureQueriesContext(connection) as queries:
            for page in pages:
                assert phone.get(page).status_code == 200
        # Not the session, not the device list: nothing at all.
        assert _writes(queries) == []


def test_after_the_minute_one_read_records_it_then_the_next_writes_nothing(cast: Cast) -> None:
    with time_machine.travel(START, tick=False) as clock:
        phone = signed_in(cast.ada)
        clock.shift(timedelta(seconds=61))
        with CaptureQueriesContext(connection) as first:
            phone.get("/home/")
        with CaptureQueriesContext(connection) as second:
            phone.get("/home/")
    # The device's row and the session, each once (the response does not save the
    # session a second time), then nothing.
    assert [
        t
        for t in ("accounts_devicesession", "django_session")
        for sql in _writes(first)
        if t in sql
    ] == ["accounts_devicesession", "django_session"]
    assert _writes(second) == []


def _request(client, path: str, **headers: str):  # type: ignore[no-untyped-def]
    request = RequestFactory().get(path, headers=headers)
    request.session = client.session
    request.user = get_user(request)
    return request


def test_the_event_stream_never_writes_activity(cast: Cast) -> None:
    with time_machine.travel(START, tick=False) as clock:
        phone = signed_in(cast.ada)
        clock.shift(timedelta(minutes=5))
        request = _request(phone, f"/r/{cast.us.pk}/events/", Accept="text/event-stream")
        seen = request.session[sessions.SEEN_AT]
        with CaptureQueriesContext(connection) as queries:
            assert SessionSafetyMiddleware(lambda r: None).process_request(request) is None
    assert _writes(queries) == []
    assert request.session[sessions.SEEN_AT] == seen
    assert not request.session.modified


def test_a_busy_database_skips_last_used_rather_than_fail_the_read(cast: Cast, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def busy(*args: object, **kwargs: object) -> int:
        raise Busy(20.0)

    with time_machine.travel(START, tick=False) as clock:
        phone = signed_in(cast.ada)
        clock.shift(timedelta(minutes=2))
        monkeypatch.setattr("django.db.models.query.QuerySet.update", busy)
        request = _request(phone, "/home/")
        seen = request.session[sessions.SEEN_AT]
        assert SessionSafetyMiddleware(lambda r: None).process_request(request) is None
    # Still the old moment: the next request tries again.
    assert request.session[sessions.SEEN_AT] == seen


def test_the_minute_is_saved_before_the_view_so_the_response_has_nothing_to_write(
    cast: Cast,
) -> None:
    with time_machine.travel(START, tick=False) as clock:
        phone = signed_in(cast.ada)
        clock.shift(timedelta(minutes=2))
        request = _request(phone, "/home/")
        assert SessionSafetyMiddleware(lambda r: None).process_request(request) is None

        stored = SessionStore(request.session.session_key).load()
    assert stored[sessions.SEEN_AT] == int((START + timedelta(minutes=2)).timestamp())
    # A busy moment at the end of the request could no longer fail it.
    assert not request.session.modified

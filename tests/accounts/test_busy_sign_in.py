"""Signing up or in when the database is too busy: the new session is saved with the
sign-in's own writes, so whichever write finds no turn, the person gets either the
busy page (nothing saved: no account, no session) or is signed in, never a 400 or 500
with a traceback, and never an account left without a session.

Before, the session was saved with the response, after the view: a busy moment there
became Django's SessionInterrupted (a 400, logged with a traceback), the account
already made and the person not signed in ("email taken" when they tried again)."""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client

from tend.accounts.models import DeviceSession, User
from tend.accounts.session_store import SessionStore
from tend.core.busy import Busy
from tests.conftest import PASSWORD, make_user

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@contextmanager
def busy_at(write: int) -> Iterator[list[int]]:
    """The `write`-th write statement from now on (1 is the first) finds the database
    busy, as the writer line or a full pool would: the statement raises Busy. Yields a
    one-item list that holds how many writes were tried."""
    tried = [0]

    def wrapper(execute: Callable, sql: str, params: object, many: bool, context: dict):  # type: ignore[no-untyped-def, type-arg]
        if sql.lstrip()[:7].upper().startswith(WRITES):
            tried[0] += 1
            if tried[0] == write:
                raise Busy(20.0)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield tried


def _signed_in_as(client: Client) -> int | None:
    """Whose session the client's cookie holds in the database, if anyone's."""
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    if cookie is None or not cookie.value:
        return None
    data = SessionStore(cookie.value).load()
    return int(data[SESSION_KEY]) if SESSION_KEY in data else None


def _visit(client: Client) -> None:
    client.get("/login/")  # an anonymous visitor, as a browser is


def _every_busy_moment(
    send: Callable[[Client], object],
    check: Callable,  # type: ignore[type-arg]
    before: Callable[[Client], None] = _visit,
) -> int:
    """Sends the request once for each of its writes finding the database busy; returns
    how many writes the request makes when none does."""
    write = 1
    while True:
        client = Client()
        before(client)
        with busy_at(write) as tried:
            response = send(client)
        busy = tried[0] >= write
        check(client, response, busy)
        if not busy:
            return tried[0]
        write += 1
        assert write < 50, "the request kept writing"


@pytest.mark.django_db(transaction=True)
def test_sign_up_when_busy_is_a_503_that_saved_nothing_or_a_signed_in_account(
    caplog: pytest.LogCaptureFixture,
) -> None:
    email = "fay@example.com"

    def send(client: Client) -> object:
        return client.post(
            "/signup/", {"display_name": "Fay", "email": email, "password": PASSWORD}
        )

    def check(client: Client, response, busy: bool) -> None:  # type: ignore[no-untyped-def]
        if busy:
            assert response.status_code == 503, response.content[:300]
            assert response["Retry-After"]
            # Nothing saved: the email is still free to sign up with again.
            assert not User.objects.filter(email=email).exists()
            assert _signed_in_as(client) is None
            assert not DeviceSession.objects.exists()
        else:
            assert response.status_code == 302
            user = User.objects.get(email=email)
            assert _signed_in_as(client) == user.pk
            assert DeviceSession.objects.filter(user=user).count() == 1
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert "SessionInterrupted" not in caplog.text

    with caplog.at_level(logging.WARNING):
        writes = _every_busy_moment(send, check)
    assert writes >= 2  # the account and its session, at least


@pytest.mark.django_db(transaction=True)
def test_log_in_when_busy_is_a_503_that_saved_nothing_or_signed_in(
    caplog: pytest.LogCaptureFixture,
) -> None:
    user = make_user("ada")

    def send(client: Client) -> object:
        return client.post("/login/", {"username": user.email, "password": PASSWORD})

    def check(client: Client, response, busy: bool) -> None:  # type: ignore[no-untyped-def]
        if busy:
            assert response.status_code == 503, response.content[:300]
            assert _signed_in_as(client) is None
            assert not DeviceSession.objects.exists()
            # The half-made session was rolled back with the rest.
            assert not [s for s in Session.objects.all() if SESSION_KEY in s.get_decoded()]
        else:
            assert response.status_code == 302
            assert _signed_in_as(client) == user.pk
            assert DeviceSession.objects.filter(user=user).count() == 1
            client.logout()
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert "SessionInterrupted" not in caplog.text

    with caplog.at_level(logging.WARNING):
        writes = _every_busy_moment(send, check)
    assert writes >= 2


@pytest.mark.django_db
def test_a_session_that_did_not_change_is_not_written_again(db: None) -> None:
    store = SessionStore()
    store["tend.example"] = "kept"
    store.save()
    again = SessionStore(store.session_key)
    again["tend.example"] = "kept"  # the same value: modified, yet nothing changed
    assert again.modified
    with busy_at(1) as tried:
        again.save()  # no write at all: a busy database cannot fail it
    assert tried[0] == 0
    again["tend.example"] = "new"
    with busy_at(99) as tried:
        again.save()
    assert tried[0] == 1
    assert SessionStore(store.session_key).load()["tend.example"] == "new"


@pytest.mark.django_db(transaction=True)
def test_a_new_password_when_busy_is_a_503_that_changed_nothing_or_kept_this_device(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A new password gives the session a new key and hash, saved with the change: else
    a busy save after the view left the password changed and this device signed out
    (a 400, with a traceback)."""
    user = make_user("ada")
    current, tried = [PASSWORD], [""]

    def sign_in(client: Client) -> None:
        response = client.post("/login/", {"username": user.email, "password": current[0]})
        assert response.status_code == 302

    def send(client: Client) -> object:
        tried[0] = "another calm long walk" if current[0] == PASSWORD else PASSWORD
        return client.post(
            "/password/change/",
            {"old_password": current[0], "new_password1": tried[0], "new_password2": tried[0]},
        )

    def check(client: Client, response, busy: bool) -> None:  # type: ignore[no-untyped-def]
        if busy:
            assert response.status_code == 503, response.content[:300]
        else:
            assert response.status_code == 302
            current[0] = tried[0]
        user.refresh_from_db()
        assert user.check_password(current[0])  # changed only when not busy
        assert _signed_in_as(client) == user.pk  # this device stays signed in either way
        assert DeviceSession.objects.filter(user=user).count() == 1
        client.logout()
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert "SessionInterrupted" not in caplog.text

    with caplog.at_level(logging.WARNING):
        _every_busy_moment(send, check, sign_in)

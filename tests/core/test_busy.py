"""A write that found no turn in time: a 503 with Retry-After that keeps the form,
never a 500 with a traceback."""

import logging

import pytest
from django.db import OperationalError

from tend.core.busy import Busy, is_busy
from tests.conftest import Cast, client_for

VOICE = "/r/{}/repairs/{}/voice/"


@pytest.fixture
def busy_writes(monkeypatch):  # type: ignore[no-untyped-def]
    def no_turn(*args: object, **kwargs: object) -> None:
        raise Busy(20.0)

    monkeypatch.setattr("tend.repairs.actions.send_message", no_turn)


def test_a_busy_moment_answers_503_and_keeps_what_was_typed(
    cast: Cast, busy_writes: None, caplog: pytest.LogCaptureFixture
) -> None:
    client = client_for(cast.ada)
    with caplog.at_level(logging.INFO):
        response = client.post(
            VOICE.format(cast.us.pk, cast.repair.pk), {"text": "I felt alone <b>& unheard</b>"}
        )

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    # The same form, to send again as it was (escaped like any value on a page).
    assert f'action="{VOICE.format(cast.us.pk, cast.repair.pk)}"' in page
    assert 'name="text" value="I felt alone &lt;b&gt;&amp; unheard&lt;/b&gt;"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert "no-store" in response["Cache-Control"]
    # A warning, never an error with a traceback, and never the words themselves.
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "felt alone" not in caplog.text


def test_a_password_is_never_put_back_into_the_page(db: None, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def no_turn(*args: object, **kwargs: object) -> None:
        raise Busy(20.0)

    monkeypatch.setattr("tend.accounts.forms.SignUpForm.save", no_turn)
    response = client_for(None).post(
        "/signup/",
        {"display_name": "Fay", "email": "fay@example.com", "password": "a secret phrase 42"},
    )

    assert response.status_code == 503
    page = response.content.decode()
    assert "a secret phrase 42" not in page
    assert 'value="fay@example.com"' in page
    assert "your password is not kept" in page


def test_what_counts_as_busy() -> None:
    assert is_busy(Busy(1.0))
    assert is_busy(OperationalError("database is locked"))
    assert not is_busy(OperationalError("no such table: x"))
    assert not is_busy(ValueError("database is locked"))

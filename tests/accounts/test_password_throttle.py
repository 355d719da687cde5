"""Password guesses: one count per account, whatever path and address they come from.

django-axes pauses one account from one address; tend.accounts.throttle slows the
account from every address at once. Both must see every password check in tend.
"""

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import get_user
from django.test import Client
from django.utils import timezone

from tend.accounts.models import PasswordThrottle, User
from tend.accounts.throttle import wait_after
from tend.repairs import actions, screen
from tests.conftest import PASSWORD, Cast, client_for

WRONG = "not the right one"
NEW = "a new and quiet path"


@pytest.fixture
def frozen() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def address(n: int) -> str:
    return f"198.51.{n // 250}.{n % 250 + 1}"


def log_in(email: str, password: str, n: int) -> object:
    return Client(REMOTE_ADDR=address(n)).post("/login/", {"username": email, "password": password})


def one_screen(cast: Cast) -> str:
    return f"/r/{cast.us.pk}/repairs/{cast.repair.pk}/one-screen/"


def present(cast: Cast, client: Client, password: str, **extra: str) -> object:
    ben = actions.participation_of(cast.repair, cast.ben)
    return client.post(
        one_screen(cast), {"present-member": ben.pk, "present-password": password}, **extra
    )


def ben_is_on_adas_screen(cast: Cast, client: Client) -> bool:
    ben = actions.participation_of(cast.repair, cast.ben)
    request = type("R", (), {"session": client.session})()
    return ben.pk in screen.added(request, cast.repair)  # type: ignore[arg-type]


def _page(response: object) -> str:
    token = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')
    return token.sub(r"\1<token>", response.content.decode())  # type: ignore[attr-defined]


# 1. The one-screen "who is here" field was an unlimited password oracle.


def test_the_one_screen_password_field_pauses_like_the_login(cast: Cast) -> None:
    client = client_for(cast.ada)
    for n in range(7):
        present(cast, client, f"guess {n}")

    response = present(cast, client, PASSWORD)

    assert response.status_code == 429  # type: ignore[attr-defined]
    assert not ben_is_on_adas_screen(cast, client)


def test_the_right_password_on_the_one_screen_still_adds_the_member(cast: Cast) -> None:
    client = client_for(cast.ada)

    response = present(cast, client, PASSWORD)

    assert response.status_code == 302  # type: ignore[attr-defined]
    assert ben_is_on_adas_screen(cast, client)


def test_guesses_on_the_one_screen_count_towards_bens_login_lockout(cast: Cast) -> None:
    client = client_for(cast.ada)
    for n in range(5):
        present(cast, client, f"guess {n}")

    # Ben himself, from the same address, is paused there: the guesses were his account's.
    response = Client().post("/login/", {"username": "ben@example.test", "password": PASSWORD})

    assert response.status_code == 429
    assert AccessAttempt.objects.filter(username="ben@example.test").exists()


# 2. Many addresses: the account is slowed, whichever address guesses.


def test_forty_addresses_slow_the_account(cast: Cast, frozen: object) -> None:
    statuses = [log_in("ada@example.test", WRONG, n).status_code for n in range(40)]  # type: ignore[attr-defined]

    assert statuses[:10] == [400] * 10
    assert statuses[10:] == [429] * 30
    assert "Please wait 1 second" in log_in("ada@example.test", WRONG, 99).content.decode()  # type: ignore[attr-defined]


def test_the_right_password_during_the_wait_confirms_nothing(
    cast: Cast, frozen: time_machine.Traveller
) -> None:
    for n in range(10):
        log_in("ada@example.test", WRONG, n)

    client = Client(REMOTE_ADDR=address(50))
    right = client.post("/login/", {"username": "ada@example.test", "password": PASSWORD})
    wrong = log_in("ada@example.test", WRONG, 51)

    assert right.status_code == wrong.status_code == 429  # type: ignore[attr-defined]
    assert _page(right) == _page(wrong)
    assert right["Retry-After"] == "1"
    assert not get_user(client).is_authenticated


def test_after_the_wait_the_right_password_works(
    cast: Cast, frozen: time_machine.Traveller
) -> None:
    for n in range(10):
        log_in("ada@example.test", WRONG, n)
    frozen.shift(timedelta(seconds=1))

    assert log_in("ada@example.test", PASSWORD, 60).status_code == 302  # type: ignore[attr-defined]
    assert not PasswordThrottle.objects.exists()  # the count starts again


def test_the_wait_doubles_with_each_failure_up_to_the_cap(
    cast: Cast, frozen: time_machine.Traveller, settings: object
) -> None:
    for n in range(10):
        log_in("ada@example.test", WRONG, n)
    waits = []
    for n in range(12):
        response = log_in("ada@example.test", WRONG, 20 + n)
        waits.append(int(response["Retry-After"]))  # type: ignore[index]
        frozen.shift(timedelta(seconds=waits[-1]))
        assert log_in("ada@example.test", WRONG, 40 + n).status_code == 400  # type: ignore[attr-defined]

    assert waits == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]
    assert wait_after(10**6) == timedelta(seconds=900)


def test_an_unknown_email_is_slowed_alike(cast: Cast, frozen: object) -> None:
    # Otherwise the answer would tell which emails have an account.
    statuses = [log_in("nobody@example.test", WRONG, n).status_code for n in range(11)]  # type: ignore[attr-defined]

    assert statuses == [400] * 10 + [429]
    assert "nobody" not in str(list(PasswordThrottle.objects.values()))


def test_other_accounts_are_not_slowed(cast: Cast, frozen: object) -> None:
    for n in range(20):
        log_in("ada@example.test", WRONG, n)

    assert log_in("ben@example.test", PASSWORD, 30).status_code == 302  # type: ignore[attr-defined]


def test_a_password_reset_ends_the_wait(cast: Cast, frozen: object, mailoutbox: list) -> None:
    for n in range(12):
        log_in("ada@example.test", WRONG, n)
    client = Client()
    client.post("/password/reset/", {"email": "ada@example.test"})
    link = re.search(r"http://testserver(/password/reset/\S+)", mailoutbox[0].body)
    assert link is not None
    form = client.get(link.group(1), follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})

    assert log_in("ada@example.test", NEW, 70).status_code == 302  # type: ignore[attr-defined]


def test_old_failures_are_forgotten_after_a_day(cast: Cast, frozen: time_machine.Traveller) -> None:
    for n in range(9):
        log_in("ada@example.test", WRONG, n)
    frozen.shift(timedelta(days=1, seconds=1))

    statuses = [log_in("ada@example.test", WRONG, 20 + n).status_code for n in range(10)]  # type: ignore[attr-defined]

    assert statuses == [400] * 10


# Every path that checks a password counts on the same account.

type Attempt = Callable[[Cast, str, int], object]


def _login(cast: Cast, password: str, n: int) -> object:
    return log_in("ben@example.test", password, n)


def _signed_in_ben(cast: Cast, n: int) -> Client:
    client = client_for(cast.ben)
    client.defaults["REMOTE_ADDR"] = address(n)
    return client


def _one_screen(cast: Cast, password: str, n: int) -> object:
    client = client_for(cast.ada)
    return present(cast, client, password, REMOTE_ADDR=address(n))


def _export(cast: Cast, password: str, n: int) -> object:
    return _signed_in_ben(cast, n).post("/account/export/", {"password": password})


def _email(cast: Cast, password: str, n: int) -> object:
    return _signed_in_ben(cast, n).post(
        "/account/email/", {"email": "ben.new@example.test", "password": password}
    )


def _password(cast: Cast, password: str, n: int) -> object:
    return _signed_in_ben(cast, n).post(
        "/password/change/",
        {"old_password": password, "new_password1": NEW, "new_password2": NEW},
    )


def _delete(cast: Cast, password: str, n: int) -> object:
    return _signed_in_ben(cast, n).post("/account/delete/", {"password": password})


PATHS: dict[str, Attempt] = {
    "login": _login,
    "one-screen": _one_screen,
    "export": _export,
    "email": _email,
    "password": _password,
    "delete": _delete,
}


@pytest.mark.parametrize("path", PATHS)
def test_every_password_check_counts_on_the_account(cast: Cast, frozen: object, path: str) -> None:
    attempt = PATHS[path]
    for n in range(10):
        assert attempt(cast, WRONG, n).status_code == 400, n  # type: ignore[attr-defined]

    right = attempt(cast, PASSWORD, 30)
    login = log_in("ben@example.test", PASSWORD, 31)

    assert right.status_code == 429  # type: ignore[attr-defined]
    assert "Please wait" in right.content.decode()  # type: ignore[attr-defined]
    assert login.status_code == 429  # type: ignore[attr-defined]
    cast.ben.refresh_from_db()
    assert cast.ben.email == "ben@example.test"
    assert cast.ben.check_password(PASSWORD)


@pytest.mark.parametrize("path", PATHS)
def test_every_password_check_waits_when_the_login_does(
    cast: Cast, frozen: object, path: str
) -> None:
    for n in range(10):
        log_in("ben@example.test", WRONG, n)

    response = PATHS[path](cast, PASSWORD, 40)

    assert response.status_code == 429  # type: ignore[attr-defined]
    assert User.objects.filter(email="ben@example.test").exists()


def test_no_password_is_checked_outside_the_one_place() -> None:
    source = Path(__file__).parents[2] / "src" / "tend"
    found = [
        f"{path.relative_to(source)}: {line.strip()}"
        for path in source.rglob("*.py")
        if path.name != "confirm.py"
        for line in path.read_text().splitlines()
        if re.search(r"\b(authenticate|check_password)\(", line)
    ]

    assert found == []


@pytest.mark.django_db(transaction=True)
def test_guesses_sent_at_once_cannot_slip_in_ahead_of_the_wait(frozen: object) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    from tend.accounts.throttle import PasswordWait, claim_attempt

    def attempt(_: int) -> bool:
        try:
            claim_attempt("ada@example.test")
            return True
        except PasswordWait:
            return False
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        allowed = sum(pool.map(attempt, range(40)))

    assert allowed == 10

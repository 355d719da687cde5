"""Session timeouts (OWASP ASVS 5.0 §7.3): 30 minutes idle, 12 hours at most."""

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import time_machine
from django.conf import settings
from django.contrib.auth import get_user
from django.urls import reverse

from tend.accounts.models import DeviceSession
from tests.accounts.helpers import signed_in
from tests.conftest import Cast

START = datetime(2026, 5, 3, 9, 0, tzinfo=UTC)
HOME = "/home/"
KIND = "For your privacy you were signed out after a while."


def test_the_defaults_are_30_minutes_idle_and_12_hours_in_all() -> None:
    assert timedelta(minutes=30) == settings.SESSION_IDLE_TIMEOUT
    assert timedelta(hours=12) == settings.SESSION_ABSOLUTE_TIMEOUT
    # The cookie outlives neither.
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60


def test_an_idle_session_ends_with_a_kind_message_and_comes_back_after_login(
    cast: Cast,
) -> None:
    page = reverse("relationship", args=[cast.us.pk])
    with time_machine.travel(START, tick=False) as clock:
        phone = signed_in(cast.ada)
        clock.shift(timedelta(minutes=30))
        assert phone.get(page).status_code == 200  # never before the idle time
        clock.shift(timedelta(minutes=31))

        response = phone.get(page)

        assert response.status_code == 302
        assert response["Location"] == f"/login/?next={page}"
        assert not get_user(phone).is_authenticated
        assert not DeviceSession.objects.filter(user=cast.ada).exists()
        login_page = phone.get(response["Location"]).content.decode()
        assert KIND in login_page


def test_using_tend_keeps_the_session_alive(cast: Cast) -> None:
    with time_machine.travel(START, tick=False) as clock:
        phone = signed_in(cast.ada)
        for _ in range(8):  # two hours, a tap every quarter of an hour
            clock.shift(timedelta(minutes=15))
            assert phone.get(HOME).status_code == 200


def test_a_session_ends_after_12_hours_however_busy(cast: Cast) -> None:
    with time_machine.travel(START, tick=False) as clock:
        phone = signed_in(cast.ada)
        for _ in range(35):  # 11 h 40 min of use
            clock.shift(timedelta(minutes=20))
            assert phone.get(HOME).status_code == 200
        clock.shift(timedelta(minutes=20))

        response = phone.get(HOME)

        assert response["Location"].startswith("/login/")
        assert not get_user(phone).is_authenticated


def test_live_updates_do_not_count_as_use(cast: Cast) -> None:
    # A phone left open on a page keeps fetching what the others change: it must still
    # time out, and the page is sent to the login page rather than swapping in a fragment.
    page = reverse("relationship", args=[cast.us.pk])
    fragment = reverse("relationship_members", args=[cast.us.pk])
    htmx = {"HX-Request": "true", "HX-Current-URL": f"http://testserver{page}"}
    with time_machine.travel(START, tick=False) as clock:
        phone = signed_in(cast.ada)
        for _ in range(3):
            clock.shift(timedelta(minutes=10))
            assert phone.get(fragment, headers=htmx).status_code == 200
        clock.shift(timedelta(minutes=2))

        response = phone.get(fragment, headers=htmx)

    assert response.status_code == 200
    assert response.content == b""
    assert response["HX-Redirect"] == f"/login/?next={page}"
    assert not get_user(phone).is_authenticated


def test_a_form_sent_with_htmx_counts_as_use(cast: Cast) -> None:
    with time_machine.travel(START, tick=False) as clock:
        phone = signed_in(cast.ada)
        clock.shift(timedelta(minutes=20))
        phone.post(
            reverse("profile"), {"display_name": "Ada", "time_zone": "UTC"}, HTTP_HX_REQUEST="true"
        )
        clock.shift(timedelta(minutes=20))
        assert phone.get(HOME).status_code == 200


def test_the_live_stream_of_a_timed_out_session_tells_the_page_to_reload(cast: Cast) -> None:
    stream = reverse("relationship_events", args=[cast.us.pk])
    with time_machine.travel(START, tick=False) as clock:
        phone = signed_in(cast.ada)
        clock.shift(timedelta(minutes=40))

        response = phone.get(stream, HTTP_ACCEPT="text/event-stream")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/event-stream")
    assert response.content == b'data: {"kind": "closed"}\n\n'
    assert not get_user(phone).is_authenticated


def test_a_timed_out_form_goes_to_login_without_acting(cast: Cast) -> None:
    with time_machine.travel(START, tick=False) as clock:
        phone = signed_in(cast.ada)
        clock.shift(timedelta(hours=1))

        response = phone.post(reverse("profile"), {"display_name": "Not Ada", "time_zone": "UTC"})

    assert response["Location"] == "/login/"
    cast.ada.refresh_from_db()
    assert cast.ada.display_name == "Ada"


def test_a_bad_setting_stops_start_up_with_a_clear_message(tmp_path) -> None:  # type: ignore[no-untyped-def]
    for name, value in (
        ("TEND_SESSION_IDLE_MINUTES", "half an hour"),
        ("TEND_SESSION_IDLE_MINUTES", "0"),
        ("TEND_SESSION_MAX_HOURS", "99999"),
    ):
        env = os.environ | {"TEND_DATA_DIR": str(tmp_path), name: value}
        env.pop("DATABASE_URL", None)
        result = subprocess.run(
            [sys.executable, "-c", "import tend.settings"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode != 0
        assert name in result.stderr


def test_the_timeouts_follow_the_environment(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = os.environ | {
        "TEND_DATA_DIR": str(tmp_path),
        "TEND_SESSION_IDLE_MINUTES": "5",
        "TEND_SESSION_MAX_HOURS": "2",
    }
    env.pop("DATABASE_URL", None)
    code = (
        "import tend.settings as s; "
        "print(s.SESSION_IDLE_TIMEOUT.seconds, s.SESSION_ABSOLUTE_TIMEOUT.seconds, "
        "s.SESSION_COOKIE_AGE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["300", "7200", "7200"]

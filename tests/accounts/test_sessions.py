"""Where you are signed in: listed with device and network, and each can be signed out."""

from datetime import UTC, datetime, timedelta

import time_machine
from django.conf import settings
from django.contrib.auth import get_user
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tend.accounts.models import DeviceSession
from tests.accounts.helpers import LAPTOP, PHONE, signed_in
from tests.conftest import Cast, client_for

SESSIONS = "/account/sessions/"
HOME = "/home/"


def _key(client) -> str:  # type: ignore[no-untyped-def]
    return client.session.session_key


def test_signing_in_lists_the_device_with_its_network_only(cast: Cast) -> None:
    phone = signed_in(cast.ada, agent=PHONE, address="192.0.2.44")

    row = DeviceSession.objects.get(user=cast.ada)

    assert row.session_key == _key(phone)
    assert row.device == "Chrome on Android"
    assert row.network == "192.0.2.x"
    # Nothing of the full address or the raw browser string is kept anywhere in the row.
    stored = " ".join(str(v) for v in DeviceSession.objects.values().get().values())
    assert "192.0.2.44" not in stored
    assert "Pixel" not in stored


def test_the_page_lists_each_device_and_marks_this_one(cast: Cast) -> None:
    phone = signed_in(cast.ada, agent=PHONE, address="192.0.2.44")
    laptop = signed_in(cast.ada, agent=LAPTOP, address="2001:db8:abcd:1::5")

    page = laptop.get(SESSIONS).content.decode()

    assert "Chrome on Android" in page
    assert "Network: 192.0.2.x" in page
    assert "Firefox on Linux" in page
    assert "Network: 2001:db8:abcd::/48" in page
    this_device = "<strong>this device</strong>"
    assert page.index("Firefox on Linux") < page.index(this_device) < page.index("Chrome")
    assert page.count(this_device) == 1
    assert "Signed in:" in page and "Last used:" in page
    # The session keys are bearer secrets: never on a page.
    assert _key(phone) not in page and _key(laptop) not in page


def test_times_are_shown_to_the_minute_in_the_persons_zone(cast: Cast) -> None:
    cast.ada.time_zone = "Asia/Tokyo"
    cast.ada.save()
    with time_machine.travel(datetime(2026, 5, 3, 5, 2, 40, tzinfo=UTC), tick=False):
        signed_in(cast.ada)
        page = signed_in(cast.ada, agent=LAPTOP).get(SESSIONS).content.decode()

    assert "Signed in: 3 May 2026, 14:02" in page
    assert "Last used: 3 May 2026, 14:02" in page


def test_nobody_sees_anyone_elses_devices(cast: Cast) -> None:
    signed_in(cast.ada, agent=PHONE)

    page = signed_in(cast.ben, agent=LAPTOP).get(SESSIONS).content.decode()

    assert "Firefox on Linux" in page
    assert "Chrome on Android" not in page


def test_ending_one_device_signs_it_out_on_its_next_request(cast: Cast) -> None:
    phone = signed_in(cast.ada, agent=PHONE)
    laptop = signed_in(cast.ada, agent=LAPTOP)
    row = DeviceSession.objects.get(session_key=_key(phone))

    response = laptop.post(reverse("account_session_end", args=[row.pk]))

    assert response.status_code == 302
    assert response["Location"] == SESSIONS
    assert not DeviceSession.objects.filter(pk=row.pk).exists()
    assert not Session.objects.filter(session_key=row.session_key).exists()
    assert "That device is signed out." in laptop.get(SESSIONS).content.decode()
    assert phone.get(HOME)["Location"].startswith("/login/")
    assert not get_user(phone).is_authenticated
    assert laptop.get(HOME).status_code == 200


def test_ending_all_others_keeps_this_device(cast: Cast) -> None:
    phone = signed_in(cast.ada, agent=PHONE)
    other_phone = signed_in(cast.ada, agent=PHONE, address="203.0.113.9")
    laptop = signed_in(cast.ada, agent=LAPTOP)
    ben = signed_in(cast.ben)

    response = laptop.post(reverse("account_sessions_end_others"))

    assert response.status_code == 302
    page = laptop.get(SESSIONS).content.decode()
    assert "Your other devices are signed out." in page
    assert "Sign out all my other devices" not in page  # nothing left to sign out
    assert phone.get(HOME)["Location"].startswith("/login/")
    assert other_phone.get(HOME)["Location"].startswith("/login/")
    assert laptop.get(HOME).status_code == 200
    assert ben.get(HOME).status_code == 200  # someone else's sessions are not touched
    assert list(DeviceSession.objects.filter(user=cast.ada)) == [
        DeviceSession.objects.get(session_key=_key(laptop))
    ]


def test_ending_all_others_when_there_are_none_says_so(cast: Cast) -> None:
    laptop = signed_in(cast.ada, agent=LAPTOP)

    laptop.post(reverse("account_sessions_end_others"))

    assert "You were not signed in anywhere else." in laptop.get(SESSIONS).content.decode()


def test_ending_this_device_from_the_list_logs_out_here(cast: Cast) -> None:
    laptop = signed_in(cast.ada, agent=LAPTOP)
    row = DeviceSession.objects.get(session_key=_key(laptop))

    response = laptop.post(reverse("account_session_end", args=[row.pk]))

    assert response["Location"] == "/login/"
    assert not get_user(laptop).is_authenticated
    assert not DeviceSession.objects.filter(user=cast.ada).exists()


def test_someone_elses_device_cannot_be_ended_and_is_not_revealed(cast: Cast) -> None:
    ada = signed_in(cast.ada)
    ben = signed_in(cast.ben, agent=LAPTOP)
    adas = DeviceSession.objects.get(session_key=_key(ada))

    response = ben.post(reverse("account_session_end", args=[adas.pk]))

    assert response.status_code == 404
    assert ada.get(HOME).status_code == 200


def test_unknown_or_absurd_ids_are_404_not_500(cast: Cast) -> None:
    laptop = signed_in(cast.ada, agent=LAPTOP)

    for session_id in ("0", "999999", str(2**63), "9" * 40):
        response = laptop.post(f"/account/sessions/{session_id}/end/")
        assert response.status_code == 404, session_id
    assert laptop.post("/account/sessions/-1/end/").status_code == 404
    assert laptop.post("/account/sessions/abc/end/").status_code == 404


def test_logging_out_removes_the_device(cast: Cast) -> None:
    phone = signed_in(cast.ada)
    laptop = signed_in(cast.ada, agent=LAPTOP)

    phone.post(reverse("logout"))

    assert list(DeviceSession.objects.values_list("device", flat=True)) == ["Firefox on Linux"]
    assert "Chrome on Android" not in laptop.get(SESSIONS).content.decode()


def test_last_used_is_written_at_most_once_a_minute(cast: Cast) -> None:
    start = datetime(2026, 5, 3, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as clock:
        phone = signed_in(cast.ada)
        clock.shift(timedelta(seconds=30))
        with CaptureQueriesContext(connection) as queries:
            assert phone.get(HOME).status_code == 200
        writes = [q["sql"] for q in queries if "accounts_devicesession" in q["sql"]]
        assert writes == []
        assert DeviceSession.objects.get().last_seen_at == start

        clock.shift(timedelta(seconds=45))
        phone.get(HOME)

    assert DeviceSession.objects.get().last_seen_at == start + timedelta(seconds=75)


def test_the_list_clears_sessions_that_ended_by_themselves(cast: Cast) -> None:
    start = datetime(2026, 5, 3, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as clock:
        signed_in(cast.ada, agent=PHONE)  # then left alone on the table
        clock.shift(timedelta(minutes=45))
        laptop = signed_in(cast.ada, agent=LAPTOP)

        page = laptop.get(SESSIONS).content.decode()

    assert "Chrome on Android" not in page
    assert DeviceSession.objects.filter(user=cast.ada).count() == 1


def test_a_session_signed_in_before_the_device_list_gets_a_row(cast: Cast) -> None:
    # force_login runs Django's login() without a browser; the row appears regardless,
    # and so does one for a session whose row was lost.
    client = client_for(cast.ada)
    DeviceSession.objects.all().delete()

    page = client.get(SESSIONS).content.decode()

    assert page.count("<strong>this device</strong>") == 1
    assert DeviceSession.objects.filter(user=cast.ada).count() == 1


def test_the_session_keeps_its_row_when_its_key_changes(cast: Cast) -> None:
    laptop = signed_in(cast.ada, agent=LAPTOP)
    session = laptop.session
    old_key = session.session_key
    session.cycle_key()  # what Django does after a password change
    session.save()
    laptop.cookies["sessionid"] = str(session.session_key)

    laptop.get(HOME)

    row = DeviceSession.objects.get(user=cast.ada)
    assert row.session_key == session.session_key != old_key
    assert row.device == "Firefox on Linux"


def test_a_session_past_its_expiry_date_is_not_read(cast: Cast) -> None:
    # The session's query is prepared (by its key alone): its expiry is compared after.
    client = client_for(cast.ada)
    assert client.get(HOME).status_code == 200
    key = _key(client)
    Session.objects.filter(session_key=key).update(
        expire_date=datetime.now(UTC) - timedelta(seconds=1)
    )
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert _key(client) != key


def test_an_unknown_or_odd_session_key_is_a_stranger_not_an_error(cast: Cast) -> None:
    client = client_for(cast.ada)
    # A NUL arrives through a quoted cookie's octal escape ("\000"); PostgreSQL
    # refuses it in a query.
    for odd in ["x" * 8, "0" * 40, "é" * 32, "'; --" * 8, "k" * 4000, "abc\x00defghijkl"]:
        client.cookies[settings.SESSION_COOKIE_NAME] = odd
        response = client.get(HOME)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")

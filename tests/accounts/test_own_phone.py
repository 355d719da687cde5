""" "This is my own phone": signed in longer, private pages locked when idle.

From the locked state, the quick way into a repair and its prepared messages work at
once; every other route waits for an unlock (passkey or password) that comes back to
where the person was.
"""

from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user
from django.test import Client
from django.urls import get_resolver, reverse

from tend.accounts import sessions
from tend.accounts.lock import reachable
from tend.accounts.models import DeviceSession
from tend.repairs.models import Repair, VoiceMessage
from tests.accounts.authenticator import SoftPasskey
from tests.accounts.helpers import signed_in
from tests.accounts.test_passkeys import _json, add_passkey
from tests.accounts.test_vault import give_key, wrapped
from tests.conftest import PASSWORD, Cast
from tests.sealed import sealed
from tests.test_access import ROUTES

START = datetime(2026, 5, 3, 9, 0, tzinfo=UTC)
IDLE = timedelta(minutes=32)
# What a locked phone reaches without unlocking: the public pages, signing out, the
# unlock itself, and the quick way into a repair.
OPEN_WHEN_LOCKED = {
    "landing", "healthz", "security_txt", "favicon", "signup", "login", "logout",
    "password_reset", "password_reset_done", "password_reset_confirm",
    "password_reset_complete", "invitation", "help", "service_worker",
    "passkey_sign_in_options", "passkey_sign_in", "unlock", "unlock_options",
    "unlock_passkey", "repair_go", "repair_quick", "choose_language",
}  # fmt: skip


def own_phone(client: Client) -> None:
    assert client.post(reverse("account_own_phone"), {"own_phone": "on"}).status_code == 302


def locked(cast: Cast, clock: time_machine.Traveller) -> Client:
    phone = signed_in(cast.ada)
    own_phone(phone)
    clock.shift(IDLE)
    return phone


def test_the_default_is_30_days() -> None:
    assert timedelta(days=30) == settings.OWN_PHONE_LIFETIME


def test_off_by_default_and_on_for_this_device_only(cast: Cast) -> None:
    phone, laptop = signed_in(cast.ada), signed_in(cast.ada)
    page = phone.get(reverse("account_sessions")).content.decode()
    assert "This is my own phone" in page and "shared phone" in page
    own_phone(phone)
    assert phone.session.get_expiry_age() == 30 * 24 * 3600
    rows = {row.session_key: row.own_phone for row in DeviceSession.objects.filter(user=cast.ada)}
    assert rows == {phone.session.session_key: True, laptop.session.session_key: False}
    listed = laptop.get(reverse("account_sessions")).content.decode()
    assert "my own phone" in listed
    assert phone.post(reverse("account_own_phone"), {"own_phone": "off"}).status_code == 302
    assert not DeviceSession.objects.filter(own_phone=True).exists()
    assert not sessions.is_own_phone(phone.session)


def test_an_own_phone_locks_instead_of_signing_out(cast: Cast) -> None:
    page = reverse("relationship", args=[cast.us.pk])
    with time_machine.travel(START, tick=False) as clock:
        phone = locked(cast, clock)
        response = phone.get(page)
        assert response.status_code == 302
        assert response["Location"] == f"/unlock/?next={quote(page, safe='')}"
        assert get_user(phone).is_authenticated
        unlock = phone.get(response["Location"])
        assert unlock.status_code == 200
        assert "Welcome back" in unlock.content.decode()
        # htmx gets a redirect of the whole page, a stream its "closed" event.
        fragment = phone.get(
            page, headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{page}"}
        )
        assert fragment["HX-Redirect"].startswith("/unlock/?next=")
        stream = phone.get(
            reverse("relationship_events", args=[cast.us.pk]),
            headers={"Accept": "text/event-stream"},
        )
        assert b'"closed"' in stream.content
        # Quick actions do not lift the lock.
        phone.get(reverse("help"))
        clock.shift(timedelta(minutes=2))
        assert phone.get(page).status_code == 302


def test_an_own_phone_stays_signed_in_for_30_days_not_longer(cast: Cast) -> None:
    with time_machine.travel(START, tick=False) as clock:
        phone = locked(cast, clock)
        clock.shift(timedelta(days=29))
        assert phone.get(reverse("help")).status_code == 200
        assert get_user(phone).is_authenticated
        clock.shift(timedelta(days=1))
        response = phone.get(reverse("home"))
        assert response["Location"].startswith("/login/")
        assert not get_user(phone).is_authenticated


def test_without_it_idle_still_signs_out(cast: Cast) -> None:
    with time_machine.travel(START, tick=False) as clock:
        phone = signed_in(cast.ada)
        clock.shift(IDLE)
        assert phone.get(reverse("home"))["Location"].startswith("/login/")


def test_unlocking_with_the_password_returns_to_where_one_was(cast: Cast) -> None:
    page = reverse("relationship", args=[cast.us.pk])
    with time_machine.travel(START, tick=False) as clock:
        phone = locked(cast, clock)
        before = phone.session.session_key
        wrong = phone.post("/unlock/", {"password": "not it", "next": page})
        assert wrong.status_code == 400
        response = phone.post("/unlock/", {"password": PASSWORD, "next": page})
        assert response.status_code == 302 and response["Location"] == page
        assert phone.session.session_key != before
        assert phone.get(page).status_code == 200
        row = DeviceSession.objects.get(session_key=phone.session.session_key)
        assert row.own_phone
        # It locks again after the next idle while.
        clock.shift(IDLE)
        assert phone.get(page).status_code == 302


def test_unlocking_with_ones_own_passkey_only(cast: Cast) -> None:
    page = reverse("home")
    with time_machine.travel(START, tick=False) as clock:
        phone = signed_in(cast.ada)
        give_key(cast.ada)
        mine = SoftPasskey()
        by_prf = wrapped()
        add_passkey(phone, mine, vault_wrapped=by_prf)
        bens = SoftPasskey()
        add_passkey(signed_in(cast.ben), bens)
        own_phone(phone)
        clock.shift(IDLE)
        options = _json(phone, reverse("unlock_options")).json()
        refused = _json(phone, "/unlock/passkey/", {"credential": bens.get(options)})
        assert refused.status_code == 400
        assert phone.get(page).status_code == 302
        _json(phone, "/unlock/passkey/", raw=b"{oops")  # malformed: 400, still locked
        assert phone.get(page).status_code == 302
        options = _json(phone, reverse("unlock_options")).json()
        response = _json(phone, f"/unlock/passkey/?next={page}", {"credential": mine.get(options)})
        assert response.status_code == 200
        # With the key wrapped by this passkey's PRF output, for the device to unwrap.
        assert response.json() == {
            "next": page,
            "vault": {"user": str(cast.ada.pk), "wrapped": by_prf},
        }
        assert phone.get(page).status_code == 200


def test_from_the_lock_a_repair_opens_and_a_prepared_message_goes_at_once(cast: Cast) -> None:
    with time_machine.travel(START, tick=False) as clock:
        phone = signed_in(cast.cy)  # one relationship: Family
        own_phone(phone)
        clock.shift(IDLE)
        shortcut = phone.get("/go/triggered/")
        assert shortcut.status_code == 200
        assert shortcut.content.decode().count('type="submit" class="button"') == 1
        response = phone.post("/go/triggered/", {"relationship": cast.family.pk})
        repair = Repair.objects.open().get(relationship=cast.family)
        quick = reverse("repair_quick", args=[cast.family.pk, repair.pk])
        assert response["Location"] == quick
        page = phone.get(quick).content.decode()
        assert "The others know" in page
        sent = phone.post(quick, {"template": "need_a_moment"})
        assert sent.status_code == 302
        message = VoiceMessage.objects.get(repair=repair)
        assert message.author == cast.cy and message.template == "need_a_moment"
        assert phone.post(quick, {"template": "made-up"}).status_code == 400
        # The repair's own pages still wait for the unlock.
        assert phone.get(reverse("repair", args=[cast.family.pk, repair.pk]))[
            "Location"
        ].startswith("/unlock/")


def test_what_a_locked_phone_may_reach_is_exactly_this() -> None:
    reached = set()
    for name in ROUTES:
        if name.startswith("repair_move:"):
            continue
        path = reverse(name, kwargs=_kwargs(name))
        if reachable(path):
            reached.add(name)
    assert reached == OPEN_WHEN_LOCKED


def _kwargs(name: str) -> dict[str, object]:
    pattern = get_resolver().reverse_dict.getlist(name)[0][0][0][1]
    values = {"relationship_id": 1, "repair_id": 1, "opening": "triggered", "key": "k"}
    return {
        key: values.get(key, "x" if key in ("token", "uidb64", "name", "slug") else 1)
        for key in pattern
    }


@pytest.mark.parametrize("name", sorted(n for n in ROUTES if n not in OPEN_WHEN_LOCKED))
def test_every_private_route_waits_for_the_unlock(cast: Cast, name: str) -> None:
    route = ROUTES[name]
    with time_machine.travel(START, tick=False) as clock:
        phone = locked(cast, clock)
        url = route.url(cast)
        data = route.post_data(cast) if callable(route.post_data) else route.post_data
        for response in (
            phone.get(url, headers={"Accept": "text/event-stream"} if route.streaming else {}),
            phone.post(url, data),
        ):
            if route.streaming and response.get("Content-Type") == "text/event-stream":
                assert b'"closed"' in response.content
                continue
            assert response.status_code == 302, f"{name}: {response.status_code}"
            assert response["Location"].startswith("/unlock/"), name
        assert get_user(phone).is_authenticated


def test_a_locked_phone_may_change_its_own_language_but_not_the_accounts(cast: Cast) -> None:
    with time_machine.travel(START, tick=False) as clock:
        phone = locked(cast, clock)
        response = phone.post(reverse("choose_language"), {"language": "de"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    cast.ada.refresh_from_db()
    assert cast.ada.language != "de"


def test_a_form_sent_while_locked_comes_back_to_its_page(cast: Cast) -> None:
    page = reverse("profile")
    with time_machine.travel(START, tick=False) as clock:
        phone = locked(cast, clock)
        response = phone.post(
            page, {"display_name": "Someone else"}, headers={"Referer": f"http://testserver{page}"}
        )
        assert response["Location"] == f"/unlock/?next={quote(page, safe='')}"
        cast.ada.refresh_from_db()
        assert cast.ada.display_name == "Ada"


def test_a_locked_phones_stream_ends_at_once(cast: Cast) -> None:
    with time_machine.travel(START, tick=False) as clock:
        phone = signed_in(cast.ada)
        own_phone(phone)
        key = phone.session.session_key
        assert sessions.until_of(sessions.load(key), cast.ada, datetime.now(UTC)) is not None
        clock.shift(IDLE)
        assert sessions.until_of(sessions.load(key), cast.ada, datetime.now(UTC)) is None
        # ... while it stays on the device list, to be signed out from elsewhere.
        laptop = signed_in(cast.ada)
        assert "my own phone" in laptop.get(reverse("account_sessions")).content.decode()


def test_lock_now_locks_an_own_phone_only(cast: Cast) -> None:
    phone = signed_in(cast.ada)
    response = phone.post(reverse("account_lock"))
    assert response["Location"] == reverse("account_sessions")
    assert phone.get(reverse("home")).status_code == 200  # not an own phone: nothing locks
    own_phone(phone)
    assert phone.post(reverse("account_lock"))["Location"] == reverse("unlock")
    assert phone.get(reverse("home"))["Location"].startswith("/unlock/")


def test_a_locked_quick_page_never_shows_the_private_safety_answer(cast: Cast) -> None:
    from tend.care import safety

    with time_machine.travel(START, tick=False) as clock:
        phone = locked(cast, clock)
        quick = reverse("repair_quick", args=[cast.us.pk, cast.repair.pk])
        safety.record(cast.ada, cast.us, sealed())  # "no", sealed on her phone
        page = phone.get(quick).content.decode()
        assert "do not feel safe" not in page
        assert "one private question" in page and 'name="template"' not in page
        # Locked, her phone holds no key and cannot read her sealed answer: whatever it
        # is, the words to the others wait until she unlocks.
        safety.record(cast.ada, cast.us, sealed())  # "yes"
        assert 'name="template"' not in phone.get(quick).content.decode()

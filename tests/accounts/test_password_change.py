"""Changing the password: needs the current one, keeps this device, signs out the others."""

import re
from urllib.parse import urlsplit

from django.contrib.auth import get_user
from django.core import mail
from django.urls import reverse

from tend.accounts.models import DeviceSession
from tests.accounts.helpers import LAPTOP, PHONE, signed_in
from tests.conftest import PASSWORD, Cast

CHANGE = "/password/change/"
HOME = "/home/"
NEW = "a new slow river"


def _change(client, old: str = PASSWORD, new: str = NEW):  # type: ignore[no-untyped-def]
    return client.post(CHANGE, {"old_password": old, "new_password1": new, "new_password2": new})


def test_the_page_says_plainly_that_other_devices_are_signed_out(cast: Cast) -> None:
    page = signed_in(cast.ada).get(CHANGE).content.decode()

    assert "A new password signs you out on all your other devices." in page


def test_a_new_password_keeps_this_device_and_ends_the_others(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    phone = signed_in(cast.ada, agent=PHONE)
    laptop = signed_in(cast.ada, agent=LAPTOP)
    ben = signed_in(cast.ben)

    with django_capture_on_commit_callbacks(execute=True):
        response = _change(laptop)

    assert response.status_code == 302
    assert response["Location"] == reverse("profile")
    page = laptop.get(reverse("account_sessions")).content.decode()
    assert "Your other devices are signed out." in page
    assert "Chrome on Android" not in page
    row = DeviceSession.objects.get(user=cast.ada)
    assert row.session_key == laptop.session.session_key  # followed the session's new key
    assert row.device == "Firefox on Linux"
    assert phone.get(HOME)["Location"].startswith("/login/")
    assert ben.get(HOME).status_code == 200
    assert [m.to for m in mail.outbox] == [["ada@example.test"]]
    assert "/password/reset/" in mail.outbox[0].body


def test_a_wrong_current_password_changes_nothing(cast: Cast) -> None:
    phone = signed_in(cast.ada, agent=PHONE)
    laptop = signed_in(cast.ada, agent=LAPTOP)

    response = _change(laptop, old="not it")

    assert response.status_code == 400
    cast.ada.refresh_from_db()
    assert cast.ada.check_password(PASSWORD)
    assert phone.get(HOME).status_code == 200
    assert mail.outbox == []


def test_wrong_current_passwords_count_towards_the_lockout(cast: Cast) -> None:
    client = signed_in(cast.ada)

    statuses = [_change(client, old=f"guess {n}").status_code for n in range(5)]

    assert statuses == [400, 400, 400, 400, 429]
    assert _change(client).status_code == 429
    cast.ada.refresh_from_db()
    assert cast.ada.check_password(PASSWORD)
    assert get_user(client).is_authenticated


def test_a_password_reset_by_email_signs_out_every_device(cast: Cast, client) -> None:  # type: ignore[no-untyped-def]
    phone = signed_in(cast.ada, agent=PHONE)
    client.post("/password/reset/", {"email": "ada@example.test"})
    link = re.search(r"https?://\S+", mail.outbox[0].body)
    assert link is not None
    form = client.get(urlsplit(link.group()).path, follow=True)

    response = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})

    assert response.status_code == 302
    assert not DeviceSession.objects.filter(user=cast.ada).exists()
    assert phone.get(HOME)["Location"].startswith("/login/")

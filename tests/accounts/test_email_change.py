"""Changing the login email: needs the current password, refuses a taken address, and
can sign out the other devices."""

from django.contrib.auth import get_user
from django.core import mail
from django.urls import reverse

from tend.accounts.models import DeviceSession
from tests.accounts.helpers import LAPTOP, PHONE, signed_in
from tests.conftest import PASSWORD, Cast

EMAIL = "/account/email/"
HOME = "/home/"


def _change(client, email: str, password: str = PASSWORD, **extra: str):  # type: ignore[no-untyped-def]
    return client.post(EMAIL, {"email": email, "password": password, **extra})


def test_the_page_asks_for_the_new_email_and_the_current_password(cast: Cast) -> None:
    page = signed_in(cast.ada).get(EMAIL).content.decode()

    assert 'name="email"' in page
    assert 'autocomplete="current-password"' in page
    assert 'name="sign_out_others"' in page and "checked" in page  # on unless unticked
    assert "ada@example.test" in page


def test_the_right_password_changes_the_email_and_signs_out_other_devices(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    phone = signed_in(cast.ada, agent=PHONE)
    laptop = signed_in(cast.ada, agent=LAPTOP)

    with django_capture_on_commit_callbacks(execute=True):
        response = _change(laptop, "  Ada.New@Example.Test ", sign_out_others="on")

    assert response.status_code == 302
    assert response["Location"] == reverse("profile")
    cast.ada.refresh_from_db()
    assert cast.ada.email == "ada.new@example.test"
    assert "Your new email is saved." in laptop.get(reverse("profile")).content.decode()
    assert phone.get(HOME)["Location"].startswith("/login/")
    assert DeviceSession.objects.filter(user=cast.ada).count() == 1
    # A neutral note to the old address, which does not give away the new one.
    assert [m.to for m in mail.outbox] == [["ada@example.test"]]
    assert "ada.new" not in f"{mail.outbox[0].subject} {mail.outbox[0].body}"


def test_the_new_email_is_the_one_to_log_in_with(cast: Cast, client) -> None:  # type: ignore[no-untyped-def]
    _change(signed_in(cast.ada), "ada.new@example.test")

    old = client.post("/login/", {"username": "ada@example.test", "password": PASSWORD})
    new = client.post("/login/", {"username": "ada.new@example.test", "password": PASSWORD})

    assert old.status_code == 400
    assert new.status_code == 302
    assert get_user(client).pk == cast.ada.pk


def test_other_devices_can_stay_signed_in(cast: Cast) -> None:
    phone = signed_in(cast.ada, agent=PHONE)
    laptop = signed_in(cast.ada, agent=LAPTOP)

    response = _change(laptop, "ada.new@example.test")  # the box unticked: not sent

    assert response.status_code == 302
    assert phone.get(HOME).status_code == 200
    assert DeviceSession.objects.filter(user=cast.ada).count() == 2


def test_a_wrong_password_changes_nothing(cast: Cast) -> None:
    phone = signed_in(cast.ada, agent=PHONE)
    laptop = signed_in(cast.ada, agent=LAPTOP)

    response = _change(laptop, "ada.new@example.test", "not my password", sign_out_others="on")

    assert response.status_code == 400
    assert "That password is not right. Your email is unchanged." in response.content.decode()
    cast.ada.refresh_from_db()
    assert cast.ada.email == "ada@example.test"
    assert phone.get(HOME).status_code == 200
    assert mail.outbox == []


def test_a_taken_email_is_refused_whatever_its_case(cast: Cast) -> None:
    client = signed_in(cast.ada)

    for taken in ("ben@example.test", "BEN@Example.TEST"):
        response = _change(client, taken)
        assert response.status_code == 400
        assert "Another account already uses this email." in response.content.decode()
    cast.ada.refresh_from_db()
    assert cast.ada.email == "ada@example.test"


def test_the_same_email_is_not_a_change(cast: Cast) -> None:
    response = _change(signed_in(cast.ada), "ADA@example.test")

    assert response.status_code == 400
    assert "That is already your email." in response.content.decode()


def test_bad_input_is_a_400_with_a_message_never_a_500(cast: Cast) -> None:
    client = signed_in(cast.ada)

    for data in (
        {},
        {"email": "not an email", "password": PASSWORD},
        {"email": "x" * 300 + "@example.test", "password": PASSWORD},
        {"email": "ada.new@example.test"},
        {"email": "ada.new@example.test\x00", "password": PASSWORD},
    ):
        response = client.post(EMAIL, data)
        assert response.status_code == 400, data
        assert 'role="alert"' in response.content.decode()
    cast.ada.refresh_from_db()
    assert cast.ada.email == "ada@example.test"


def test_wrong_passwords_count_towards_the_login_lockout(cast: Cast) -> None:
    client = signed_in(cast.ada)

    statuses = [_change(client, "ada.new@example.test", f"guess {n}").status_code for n in range(6)]

    assert statuses[:4] == [400] * 4
    assert statuses[-1] == 429  # django-axes: this account is paused from this address
    assert _change(client, "ada.new@example.test").status_code == 429
    cast.ada.refresh_from_db()
    assert cast.ada.email == "ada@example.test"
    assert get_user(client).is_authenticated

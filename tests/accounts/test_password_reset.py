"""Password reset by email, without telling anyone which addresses have accounts."""

import re
from urllib.parse import urlsplit

from django.contrib.auth import get_user
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD, Cast

RESET = "/password/reset/"
NEW_PASSWORD = "a new slow river"


def without_csrf_tokens(content: bytes) -> str:
    return re.sub(r"[A-Za-z0-9]{32,}", "<token>", content.decode())


def reset_link(body: str) -> str:
    match = re.search(r"https?://\S+", body)
    assert match, body
    return urlsplit(match.group()).path


def test_asking_for_a_reset_sends_one_mail_with_a_link(cast: Cast, client: Client) -> None:
    response = client.post(RESET, {"email": "ada@example.test"})

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.test"]
    assert "/password/reset/" in message.body


def test_the_reset_link_lets_you_choose_a_new_password(cast: Cast, client: Client) -> None:
    client.post(RESET, {"email": "ADA@example.test"})
    link = reset_link(mail.outbox[0].body)

    # Django swaps the token for a session marker, then shows the form.
    opened = client.get(link, follow=True)
    assert opened.status_code == 200
    assert "Choose a new password" in opened.content.decode()
    form_url = opened.redirect_chain[-1][0]

    saved = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert saved.status_code == 302
    assert saved["Location"] == reverse("password_reset_complete")
    cast.ada.refresh_from_db()
    assert cast.ada.check_password(NEW_PASSWORD)
    assert not cast.ada.check_password(PASSWORD)
    fresh = Client()
    assert fresh.post("/login/", {"username": "ada@example.test", "password": NEW_PASSWORD})[
        "Location"
    ] == reverse("home")
    assert get_user(fresh).pk == cast.ada.pk


def test_a_reset_link_works_once(cast: Cast, client: Client) -> None:
    client.post(RESET, {"email": "ada@example.test"})
    link = reset_link(mail.outbox[0].body)
    opened = client.get(link, follow=True)
    client.post(
        opened.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    again = Client().get(link, follow=True)

    assert "This link no longer works" in again.content.decode()


def test_a_weak_new_password_is_refused(cast: Cast, client: Client) -> None:
    client.post(RESET, {"email": "ada@example.test"})
    opened = client.get(reset_link(mail.outbox[0].body), follow=True)

    response = client.post(
        opened.redirect_chain[-1][0], {"new_password1": "12345678", "new_password2": "12345678"}
    )

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    cast.ada.refresh_from_db()
    assert cast.ada.check_password(PASSWORD)


def test_an_unknown_email_sends_nothing_but_looks_the_same(cast: Cast) -> None:
    known = Client().post(RESET, {"email": "ada@example.test"}, follow=True)
    mail.outbox.clear()

    unknown = Client().post(RESET, {"email": "nobody@example.test"}, follow=True)

    assert mail.outbox == []
    assert unknown.status_code == known.status_code == 200
    assert unknown.redirect_chain == known.redirect_chain
    assert without_csrf_tokens(unknown.content) == without_csrf_tokens(known.content)

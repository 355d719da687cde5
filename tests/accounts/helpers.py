"""Signing in as a real browser would, from a given device and network."""

from django.test import Client

from tend.accounts.models import User
from tests.conftest import PASSWORD

PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36"
)
LAPTOP = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def signed_in(user: User, *, agent: str = PHONE, address: str = "192.0.2.44") -> Client:
    """A client that logged in through the login page (not force_login), so the sign-in
    signal sees a real browser's headers."""
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    response = client.post("/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()
    return client

"""Plain words on the landing page, at sign-up and on the help page."""

import pytest
from django.test import Client

PAGES = ["/", "/signup/", "/help/"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_the_plain_words_are_there(client: Client, url: str) -> None:
    html = client.get(url).content.decode()
    assert "tend is not therapy and not a crisis service." in html
    assert "Nobody monitors it" in html
    assert "Use a device that others cannot open" in html
    assert "What you write in your own steps stays yours." in html
    assert "The others see only what you choose to bring" in html
    assert "that you have joined, are ready, or have paused" in html
    assert 'href="/help/">If you are in danger or crisis, get help now.</a>' in html

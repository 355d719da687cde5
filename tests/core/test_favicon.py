"""Every page names its icon, and /favicon.ico answers, so no browser meets a 404."""

import re

from django.test import Client

from tests.conftest import Cast, client_for


def test_favicon_ico_is_an_icon_for_anyone(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
    assert client.head("/favicon.ico").status_code == 200


def test_pages_link_their_icons_and_the_links_answer(client: Client, cast: Cast) -> None:
    for page_client, url in ((client, "/"), (client_for(cast.ada), f"/r/{cast.us.pk}/")):
        page = page_client.get(url, follow=True).content.decode()
        icons = re.findall(r'<link rel="icon" href="([^"]+)"', page)
        # Content-hashed names (tend.core.static): favicon.<hash>.ico
        assert any(re.search(r"/favicon\.[0-9a-f]{12}\.ico$", icon) for icon in icons)
        assert any(icon.endswith(".svg") for icon in icons)
        for icon in icons:
            assert client.get(icon).status_code == 200, icon

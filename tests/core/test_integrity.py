"""Subresource Integrity on every script and stylesheet, and the release's static hash.

Every <script src> and <link href> naming one of tend's files carries the sha384 of the
file as stored and served; `tend manage static_hash` prints one SHA-256 over them all.
"""

import base64
import hashlib
import re
from io import StringIO

from django.core.management import call_command
from django.test import Client

from tend.core.static import release_hash
from tests.conftest import Cast, client_for

TAG = re.compile(r"<(?:script|link)\b[^>]*>")


def check_page(client: Client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.content.decode()
    checked = 0
    for tag in TAG.findall(page):
        found = re.search(r'\s(?:src|href)="(/static/[^"]+\.(?:js|css))"', tag)
        if not found:
            continue
        integrity = re.search(r'integrity="sha384-([^"]+)"', tag)
        assert integrity, f"{url}: no integrity on {tag}"
        served = client.get(found.group(1))
        body = b"".join(served.streaming_content) if served.streaming else served.content
        assert base64.b64decode(integrity.group(1)) == hashlib.sha384(body).digest(), tag
        checked += 1
    return checked


def test_every_script_and_stylesheet_has_its_integrity(cast: Cast) -> None:
    assert check_page(Client(), "/login/") >= 6  # htmx, tend's scripts, styles
    ada = client_for(cast.ada)
    for url in ["/home/", "/profile/", "/account/passkeys/", f"/r/{cast.us.pk}/"]:
        assert check_page(ada, url) >= 5, url  # htmx, tend.js, quick exit, two styles
    # And the repair screens' scripts, collected as one file (tend.core.bundles).
    assert check_page(ada, f"/r/{cast.us.pk}/repairs/{cast.repair.pk}/") >= 6


def test_the_release_hash_is_one_line_and_stable() -> None:
    out = StringIO()
    call_command("static_hash", stdout=out)
    digest, count = release_hash()
    assert out.getvalue().strip() == f"{digest}  ({count} static files)"
    assert re.fullmatch(r"[0-9a-f]{64}", digest) and count > 10
    assert release_hash() == (digest, count)

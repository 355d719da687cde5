"""Headers every response carries, and /.well-known/security.txt (RFC 9116)."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import Cast, client_for
from tests.core.test_configuration import run_tend

DENIED = ["camera", "microphone", "geolocation", "payment", "usb", "bluetooth", "serial"]
ALLOWED_HERE = ["clipboard-write", "publickey-credentials-get", "publickey-credentials-create"]


def policy_of(response: object) -> dict[str, str]:
    header = response["Permissions-Policy"]  # type: ignore[index]
    return dict(item.split("=", 1) for item in header.split(", "))


@pytest.mark.parametrize(
    "url",
    ["/", "/login/", "/healthz", "/static/tend/css/tend.css", "/no-such-page/", "/home/"],
)
def test_every_response_denies_the_features_tend_does_not_use(db: None, url: str) -> None:
    policy = policy_of(Client().get(url))

    for feature in DENIED:
        assert policy[feature] == "()", feature
    for feature in ALLOWED_HERE:
        assert policy[feature] == "(self)", feature


def test_signed_in_pages_carry_it_too(cast: Cast) -> None:
    response = client_for(cast.ada).get(f"/r/{cast.us.pk}/")

    assert policy_of(response)["camera"] == "()"


def _security_txt(client: Client) -> dict[str, str]:
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    return dict(line.split(": ", 1) for line in response.content.decode().splitlines())


def test_security_txt_says_whom_to_tell_until_when(db: None) -> None:
    fields = _security_txt(Client())

    assert fields["Contact"] == "mailto:tend@localhost"
    expires = datetime.strptime(fields["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert (
        datetime.now(UTC) + timedelta(days=150) < expires < datetime.now(UTC) + timedelta(days=365)
    )
    assert fields["Preferred-Languages"] == "en"
    assert "Canonical" not in fields  # only for an https origin


def test_security_txt_uses_the_configured_contact_and_origin(db: None, settings: object) -> None:
    settings.SECURITY_CONTACT = "https://example.org/security"  # type: ignore[attr-defined]
    settings.SITE_ORIGIN = "https://tend.example.org"  # type: ignore[attr-defined]

    fields = _security_txt(Client())

    assert fields["Contact"] == "https://example.org/security"
    assert fields["Canonical"] == "https://tend.example.org/.well-known/security.txt"


def test_a_bad_security_contact_stops_start_up(tmp_path: Path) -> None:
    result = run_tend(["manage", "check"], tmp_path, TEND_SECURITY_CONTACT="admin@example.org")

    assert result.returncode != 0
    assert "TEND_SECURITY_CONTACT must be a mailto:, https: or tel: address" in result.stderr

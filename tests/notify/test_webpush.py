"""Web Push for real: a local endpoint plays the push service and the browser. It
receives the request tend sends, checks the VAPID authorization (an ES256-signed JWT
for this endpoint's origin, and tend's public key) and decrypts the aes128gcm payload
with the browser's keys, as a phone would."""

import base64
import json
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.core import mail

from tend.notify import webpush
from tend.notify.models import PushSubscription
from tend.repairs import actions
from tests.conftest import Cast
from tests.notify.helpers import drain, prefer


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class PushService:
    """A push service on 127.0.0.1 that answers with `status` and keeps what it got."""

    url: str
    received: list[dict] = field(default_factory=list)
    status: int = 201


@pytest.fixture
def push_service() -> Iterator[PushService]:
    service = PushService(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            service.received.append(
                {"path": self.path, "headers": dict(self.headers), "body": body}
            )
            self.send_response(service.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    service.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield service
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Browser:
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes
    endpoint: str

    def subscription(self, user) -> PushSubscription:  # type: ignore[no-untyped-def]
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return PushSubscription.objects.create(
            user=user, endpoint=self.endpoint, p256dh=b64url(public), auth=b64url(self.auth)
        )


def a_browser(service: PushService, name: str) -> Browser:
    return Browser(
        ec.generate_private_key(ec.SECP256R1()),
        secrets.token_bytes(16),
        f"{service.url}/push/{name}",
    )


def verify_vapid(authorization: str, audience: str) -> dict:
    """Checks `vapid t=<jwt>, k=<key>` as a push service does; returns the claims."""
    scheme, _, rest = authorization.partition(" ")
    assert scheme == "vapid"
    parts = dict(part.strip().split("=", 1) for part in rest.split(","))
    assert parts["k"] == webpush.application_server_key()
    head, claims, signature = parts["t"].split(".")
    assert json.loads(unb64url(head)) == {"typ": "JWT", "alg": "ES256"}
    raw = unb64url(signature)
    assert len(raw) == 64
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(parts["k"]))
    public.verify(  # raises InvalidSignature if it was not signed by tend's key
        encode_dss_signature(int.from_bytes(raw[:32]), int.from_bytes(raw[32:])),
        f"{head}.{claims}".encode(),
        ec.ECDSA(hashes.SHA256()),
    )
    decoded = json.loads(unb64url(claims))
    assert decoded["aud"] == audience
    assert time.time() < decoded["exp"] <= time.time() + 24 * 3600
    return decoded


def test_a_real_push_reaches_the_browser_encrypted_and_signed(
    cast: Cast, push_service: PushService
) -> None:
    prefer(cast.ben, quiet_start=None, quiet_end=None)
    browser = a_browser(push_service, "ben")
    browser.subscription(cast.ben)

    actions.send_message(
        cast.repair, actions.participation_of(cast.repair, cast.ada), "SECRET-TEXT-3"
    )
    drain()

    (request,) = push_service.received
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert request["path"] == "/push/ben"
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["ttl"] == str(24 * 3600)
    claims = verify_vapid(headers["authorization"], push_service.url)
    assert claims["sub"] == "mailto:tend@localhost"
    assert b"SECRET-TEXT-3" not in request["body"]

    plain = http_ece.decrypt(
        request["body"],
        private_key=browser.private_key,
        auth_secret=browser.auth,
        version="aes128gcm",
    )
    payload = json.loads(plain)
    note = cast.ben.notifications.get(kind="message_sent")
    assert payload == {
        "title": "tend",
        "body": "There is something new for you in tend.",
        "url": f"/notifications/{note.pk}/",
        "tag": f"tend-{note.pk}",
    }


def test_each_device_gets_its_own_and_the_actor_none(cast: Cast, push_service: PushService) -> None:
    prefer(cast.ben, quiet_start=None, quiet_end=None)
    a_browser(push_service, "ben-phone").subscription(cast.ben)
    a_browser(push_service, "ben-laptop").subscription(cast.ben)
    a_browser(push_service, "ada-phone").subscription(cast.ada)

    actions.send_message(cast.repair, actions.participation_of(cast.repair, cast.ada), "hi")
    drain()

    assert sorted(r["path"] for r in push_service.received) == [
        "/push/ben-laptop",
        "/push/ben-phone",
    ]


@pytest.mark.parametrize("status", [404, 410])
def test_a_subscription_the_service_says_is_gone_is_removed(
    cast: Cast, push_service: PushService, status: int
) -> None:
    prefer(cast.ben, quiet_start=None, quiet_end=None)
    a_browser(push_service, "old").subscription(cast.ben)
    push_service.status = status

    actions.send_message(cast.repair, actions.participation_of(cast.repair, cast.ada), "hi")
    drain()

    assert len(push_service.received) == 1
    assert not PushSubscription.objects.exists()


def test_a_push_service_error_is_retried_later_for_that_device_only(
    cast: Cast, push_service: PushService, caplog
) -> None:
    import time_machine
    from django.utils import timezone

    prefer(cast.ben, quiet_start=None, quiet_end=None)
    a_browser(push_service, "flaky").subscription(cast.ben)
    push_service.status = 503
    with time_machine.travel(timezone.now(), tick=False) as clock:
        actions.send_message(cast.repair, actions.participation_of(cast.repair, cast.ada), "x")
        drain()
        push_service.status = 201
        clock.shift(60)
        drain()
    assert len(push_service.received) == 2
    assert PushSubscription.objects.count() == 1
    assert "push service answered 503" in caplog.text or "PushFailed" in caplog.text
    assert push_service.url not in caplog.text  # the endpoint is never logged


def test_push_and_email_are_each_their_own_choice(cast: Cast, push_service: PushService) -> None:
    # ben turned push off and gets a plain email instead, as the story asks.
    prefer(cast.ben, push=[], email=["message_sent"], quiet_start=None, quiet_end=None)
    a_browser(push_service, "ben").subscription(cast.ben)
    mail.outbox = []
    actions.send_message(cast.repair, actions.participation_of(cast.repair, cast.ada), "x")
    drain()
    assert push_service.received == []
    assert [m.to for m in mail.outbox] == [[cast.ben.email]]


def test_the_vapid_key_is_made_once_and_kept_in_the_data_folder(settings, tmp_path) -> None:
    settings.DATA_DIR = tmp_path
    settings.NOTIFY_VAPID_PRIVATE_KEY = ""
    webpush.private_pem.cache_clear()
    try:
        first = webpush.application_server_key()
        # The fresh key signs, on the first run as on later ones.
        webpush._vapid().sign({"aud": "https://push.example", "sub": "mailto:a@b.c"})
        webpush.private_pem.cache_clear()
        webpush._vapid().sign({"aud": "https://push.example", "sub": "mailto:a@b.c"})
        assert webpush.application_server_key() == first
        key_file = tmp_path / "vapid_private_key.pem"
        assert key_file.stat().st_mode & 0o777 == 0o600
        assert len(unb64url(first)) == 65 and unb64url(first)[0] == 4
    finally:
        webpush.private_pem.cache_clear()


def test_the_vapid_key_may_come_from_the_environment(settings, tmp_path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    settings.DATA_DIR = tmp_path
    settings.NOTIFY_VAPID_PRIVATE_KEY = pem
    webpush.private_pem.cache_clear()
    try:
        public = key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        assert webpush.application_server_key() == b64url(public)
        assert not (tmp_path / "vapid_private_key.pem").exists()
    finally:
        webpush.private_pem.cache_clear()

"""The Web Push channel: VAPID keys, a discreet payload, and sending it.

The key pair is made on first run and kept in the data folder (or given by
TEND_VAPID_PRIVATE_KEY[_FILE]). Payloads are encrypted for the browser (aes128gcm):
the push service in between sees neither the words nor the link.
"""

import base64
import functools
import json
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from tend import env
from tend.notify import kinds
from tend.notify.models import Notification, Preference, PushSubscription, Reminder

if TYPE_CHECKING:
    from py_vapid import Vapid

# cryptography and py_vapid too are imported where a key is made or used: this module
# comes with notify's signal receivers, and would otherwise load them at every start.

TIMEOUT_SECONDS = 20
# How long a push service keeps a message for a phone that is offline.
TTL_NEWS = timedelta(days=1)
TTL_TEST = timedelta(hours=1)


def _new_private_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@functools.cache
def private_pem() -> str:
    configured = settings.NOTIFY_VAPID_PRIVATE_KEY
    if configured:
        return configured.strip() + "\n"
    pem = env.file_made_once(settings.DATA_DIR / "vapid_private_key.pem", _new_private_pem)
    # One final newline exactly: py_vapid reads the lines between the PEM's first and last.
    return pem.strip() + "\n"


def _vapid() -> "Vapid":
    from py_vapid import Vapid

    return Vapid.from_pem(private_pem().encode())


def application_server_key() -> str:
    """The public key browsers subscribe with: the uncompressed point, base64url."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = serialization.load_pem_private_key(private_pem().encode(), password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    raw = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def payload(notification: Notification, preference: Preference) -> dict[str, str]:
    """What the phone shows, in the recipient's own language."""
    name = notification.relationship.name if notification.relationship_id else ""
    with translation.override(notification.user.speaks):
        body = kinds.sentence(notification.kind, preference.detail, name)
    return {
        "title": "tend",
        "body": body,
        "url": reverse("notification_open", args=[notification.pk]),
        # One notification on the lock screen per item, replaced rather than stacked.
        "tag": f"tend-{notification.pk}",
    }


def ttl(notification: Notification) -> int:
    """Seconds the push service keeps it for an offline phone: a reminder of an agreed
    time is worth keeping until that time, and no longer."""
    if notification.kind == kinds.TEST:
        return int(TTL_TEST.total_seconds())
    reminder = notification.reminder
    if reminder is not None and reminder.kind == Reminder.Kind.RECONVENE:
        left = (reminder.target_at - timezone.now()).total_seconds()
        return max(60, int(left))
    return int(TTL_NEWS.total_seconds())


def send(
    subscription: PushSubscription, notification: Notification, preference: Preference
) -> bool:
    """Sends it; False when the subscription is gone (404 or 410). Other failures raise."""
    # Imported here: pywebpush brings in aiohttp and requests, most of a second of every
    # start-up, for the worker's sends alone.
    from pywebpush import WebPushException, webpush

    try:
        webpush(
            subscription_info={
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=json.dumps(payload(notification, preference)),
            vapid_private_key=_vapid(),
            vapid_claims={"sub": settings.NOTIFY_VAPID_CONTACT},
            content_encoding="aes128gcm",
            ttl=ttl(notification),
            timeout=TIMEOUT_SECONDS,
        )
    except WebPushException as error:
        status = getattr(error.response, "status_code", None)
        if status in (404, 410):
            return False
        # The exception's message quotes the response body: raise a plain one instead.
        raise PushFailed(f"push service answered {status}") from None
    return True


class PushFailed(Exception):
    pass

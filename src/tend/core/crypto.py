"""Encryption at rest for what people write privately.

Keys come from `TEND_ENCRYPTION_KEYS` (comma-separated Fernet keys, newest first)
or, by default, a file in the data folder created on first use. Rotation: put a new
key first and keep the old ones after it; old rows stay readable, new writes use
the new key, and `tend manage reencrypt` rewrites old rows with it.
"""

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from tend import env

if TYPE_CHECKING:
    from cryptography.fernet import MultiFernet

# cryptography is imported where a key is first used, not with the models whose fields
# use it: every start of `tend serve` would otherwise load it before its first answer.

KEYS_FILE = "encryption_keys"


def _load_keys() -> list[bytes]:
    from cryptography.fernet import Fernet

    raw = env.text("TEND_ENCRYPTION_KEYS")
    if not raw:
        path = Path(settings.DATA_DIR) / KEYS_FILE
        made = env.file_made_once(path, lambda: Fernet.generate_key().decode())
        raw = ",".join(made.split())
    keys = [key.strip().encode() for key in raw.split(",") if key.strip()]
    if not keys:
        raise ImproperlyConfigured("TEND_ENCRYPTION_KEYS holds no key")
    for key in keys:
        try:
            Fernet(key)
        except ValueError:
            raise ImproperlyConfigured(
                "TEND_ENCRYPTION_KEYS: each key must be a urlsafe base64 Fernet key"
            ) from None
    return keys


@functools.cache
def _fernet() -> "MultiFernet":
    from cryptography.fernet import Fernet, MultiFernet

    return MultiFernet([Fernet(key) for key in _load_keys()])


def reset_keys() -> None:
    """Forget the loaded keys (after rotation, and in tests)."""
    _fernet.cache_clear()


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    from cryptography.fernet import InvalidToken

    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "A stored text cannot be decrypted with the configured keys; an old key is missing "
            "from TEND_ENCRYPTION_KEYS."
        ) from None


def rotate(token: str) -> str:
    return _fernet().rotate(token.encode()).decode()

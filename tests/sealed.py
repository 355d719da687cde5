"""Stand-ins for values sealed on a person's device (`tend.core.e2e`).

The server cannot open an envelope, so server-side tests need only the right shape: a
real envelope would be made by vault.js in the browser (see tests/e2e/test_private_fields.py).
"""

import base64
import os


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sealed(size: int = 32) -> str:
    """A well-formed envelope of random bytes (12-byte IV, `size` bytes of ciphertext)."""
    return f"e2e1.{_b64(os.urandom(12))}.{_b64(os.urandom(size))}"

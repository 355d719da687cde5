"""End-to-end encrypted values: ciphertext made on the person's device, never plaintext.

The browser (`static/tend/js/vault.js`, `tendVault.encryptText`) seals a private value
with the person's own key, which the server never holds. What reaches the server is an
*envelope*: ``e2e1.`` + base64url (no padding) of the 12-byte AES-GCM IV + ``.`` +
base64url (no padding) of the ciphertext with its 16-byte tag. The server can store it,
hand it back to its owner and count it; it cannot read it. So that a slip in the page
(or an old script) can never store plaintext in its place, every field that holds one
refuses anything that is not exactly that shape.

An empty string stays allowed: "nothing written here" (the server sees that a field is
empty or not; docs/privacy.md says so).
"""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

PREFIX = "e2e1."
# The IV (12 bytes) is exactly 16 base64url characters; the ciphertext and its tag (at
# least 16 bytes) at least 22. The upper bound keeps a row from growing without end:
# room for the longest answer (5,000 characters of up to 4 bytes each) and its JSON.
_B64 = r"[A-Za-z0-9_-]"
MAX_LENGTH = 40_000
ENVELOPE = re.compile(rf"e2e1\.{_B64}{{16}}\.{_B64}{{22,}}")

NOT_AN_ENVELOPE = _(
    "This private answer did not arrive sealed on your device, so it was not saved. "
    "Private notes need JavaScript and your key unlocked on this device; please reload "
    "the page and try again. What you wrote is still on your screen."
)


def is_envelope(value: object) -> bool:
    """True for exactly the envelope format above (and nothing longer than MAX_LENGTH)."""
    if not isinstance(value, str) or len(value) > MAX_LENGTH:
        return False
    if ENVELOPE.fullmatch(value) is None:
        return False
    # The last base64url group cannot be of length 1 mod 4 (it would hold no whole byte).
    return len(value.rsplit(".", 1)[1]) % 4 != 1


def validate_envelope(value: object) -> None:
    """Django validator: an envelope, or empty."""
    if value in ("", None):
        return
    if not is_envelope(value):
        raise ValidationError(NOT_AN_ENVELOPE, code="not_e2e")


class EnvelopeField(models.TextField):
    """A model field that only ever holds an envelope (or nothing).

    It refuses plaintext on every save, not only through forms: a bug elsewhere in the
    server can fail loudly, but cannot quietly store what was meant to be private.
    """

    default_validators = [validate_envelope]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value not in ("", None) and not is_envelope(value):
            raise ValueError("EnvelopeField refuses plaintext")
        return value

    def formfield(self, **kwargs: Any) -> forms.Field:  # type: ignore[override]
        return EnvelopeFormField(required=not self.blank, **kwargs)


class EnvelopeFormField(forms.CharField):
    """A form field for one envelope: anything else is a clear 400, never a 500."""

    default_error_messages = {"not_e2e": NOT_AN_ENVELOPE}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("strip", False)
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault(
            "error_messages", {"max_length": NOT_AN_ENVELOPE, "required": NOT_AN_ENVELOPE}
        )
        super().__init__(max_length=MAX_LENGTH, **kwargs)
        self.validators.append(validate_envelope)

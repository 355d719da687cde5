from typing import Any

from django.db import models

from tend.core import crypto


class EncryptedTextField(models.TextField):
    """Text stored encrypted (Fernet); Python code only ever sees plain text.

    It cannot be searched or ordered by content, and that is the point.
    """

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))

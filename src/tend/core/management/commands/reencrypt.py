"""Rewrites every encrypted text with the newest key, after a rotation.

Put the new key first in TEND_ENCRYPTION_KEYS (or the keys file) and keep the old
ones after it; run this; then the old keys can be removed.
"""

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from tend.core import crypto
from tend.core.fields import EncryptedTextField


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args: Any, **options: Any) -> None:
        crypto.reset_keys()
        total = 0
        for model in apps.get_models():
            fields = [f for f in model._meta.get_fields() if isinstance(f, EncryptedTextField)]
            if not fields:
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            pk = connection.ops.quote_name(model._meta.pk.column)
            for field in fields:
                column = connection.ops.quote_name(field.column)
                # Raw SQL: the tokens are rotated as they are, never decrypted into Python
                # objects or signals.
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(f"SELECT {pk}, {column} FROM {table}")  # noqa: S608
                    rows = [(key, token) for key, token in cursor.fetchall() if token]
                    for key, token in rows:
                        cursor.execute(
                            f"UPDATE {table} SET {column} = %s WHERE {pk} = %s",  # noqa: S608
                            [crypto.rotate(token), key],
                        )
                    total += len(rows)
        self.stdout.write(f"Re-encrypted {total} stored texts with the newest key.")

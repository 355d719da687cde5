"""`tend manage static_hash`: one SHA-256 over the static files this server sends.

Published with each release (docs/keys.md), so that anyone can check that a server runs
the scripts that were released: the scripts that hold each person's private-data key.
"""

from typing import Any

from django.core.management.base import BaseCommand

from tend.core.static import collect, release_hash


class Command(BaseCommand):
    help = "Print one SHA-256 over the collected static files (collected first if needed)."

    def handle(self, *args: Any, **options: Any) -> None:
        collect()
        digest, count = release_hash()
        self.stdout.write(f"{digest}  ({count} static files)")

"""Each app's part of a person's export and of deleting their account.

Accounts knows no app above it: an app that keeps rows about a person contributes, in
its own `account_data` module, what of them goes into the export and how they go when
the account is deleted. Those modules are found by name when accounts is ready (as
Django's admin finds `admin` modules), and register themselves with `contribute`.

Parts run in the order of `INSTALLED_APPS` (gardens, repairs, care, notify), inside the
one transaction of `delete_account`, before the account's own rows go.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tend.accounts.models import User

Data = dict[str, Any]


@dataclass(frozen=True)
class Part:
    owner: str  # the contributing module, e.g. "tend.repairs.account_data"
    # Top-level keys of the export: only what this person may see (privacy.md).
    export: Callable[[User], Data] | None = None
    # Removes what the person wrote and what is kept about them; leaves the others' own.
    delete: Callable[[User], None] | None = None


_parts: dict[str, Part] = {}


def contribute(
    owner: str,
    *,
    export: Callable[[User], Data] | None = None,
    delete: Callable[[User], None] | None = None,
) -> None:
    # Keyed by owner, so a module imported twice still contributes once.
    _parts[owner] = Part(owner, export, delete)


def parts() -> tuple[Part, ...]:
    return tuple(_parts.values())


def exported(user: User) -> Data:
    found: Data = {}
    for part in parts():
        if part.export is not None:
            found |= part.export(user)
    return found


def delete(user: User) -> None:
    for part in parts():
        if part.delete is not None:
            part.delete(user)

"""The choices a plan offers for needs and ways to rebond, given by the process above.

Plans knows nothing of repairs: repairs offers its step-1 needs and its ways to rebond
here from its `AppConfig.ready`, and a plan stores their keys. It also says whether a
relationship has come through a repair yet, which is when the offer to make a plan
first appears.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.functional import Promise

from tend.gardens.models import Relationship


@dataclass(frozen=True)
class Choice:
    key: str
    label: str | Promise


_needs: list[Choice] = []
_rebond_ways: list[Choice] = []
_repaired: list[Callable[[Relationship], bool]] = []


def offer(
    *,
    needs: Iterable[Choice],
    rebond_ways: Iterable[Choice],
    repaired: Callable[[Relationship], bool],
) -> None:
    _needs[:] = needs
    _rebond_ways[:] = rebond_ways
    _repaired[:] = [repaired]


def needs() -> list[Choice]:
    return list(_needs)


def rebond_ways() -> list[Choice]:
    return list(_rebond_ways)


def has_repaired(relationship: Relationship) -> bool:
    """Whether the relationship has come through a repair together (never, without one)."""
    return any(check(relationship) for check in _repaired)


def labels(choices: list[Choice], keys: Iterable[str]) -> list[str]:
    """The labels of the keys still offered, in the keys' order."""
    by_key = {c.key: str(c.label) for c in choices}
    return [by_key[k] for k in keys if k in by_key]

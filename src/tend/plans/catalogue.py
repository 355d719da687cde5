"""The choices a plan offers for needs and ways to rebond, given by the process above.

Plans knows nothing of repairs: repairs offers its step-1 needs and its ways to rebond
here from its `AppConfig.ready`, and a plan stores their keys. It also says whether a
relationship has come through a repair yet, which is when the offer to make a plan
first appears.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import BooleanField, Exists, Value
from django.utils.functional import Promise


@dataclass(frozen=True)
class Choice:
    key: str
    label: str | Promise


_needs: list[Choice] = []
_rebond_ways: list[Choice] = []
# A query expression, over a relationship's row, true once it has come through a repair.
_repaired: list[Callable[[], Exists]] = []


def offer(
    *,
    needs: Iterable[Choice],
    rebond_ways: Iterable[Choice],
    repaired: Callable[[], Exists],
) -> None:
    _needs[:] = needs
    _rebond_ways[:] = rebond_ways
    _repaired[:] = [repaired]


def needs() -> list[Choice]:
    return list(_needs)


def rebond_ways() -> list[Choice]:
    return list(_rebond_ways)


def has_repaired() -> Exists | Value:
    """An expression, annotated on a relationship, true once it has come through a repair
    together (never, with no process to say so); part of the panel's one query."""
    if not _repaired:
        return Value(False, output_field=BooleanField())
    return _repaired[0]()


def labels(choices: list[Choice], keys: Iterable[str]) -> list[str]:
    """The labels of the keys still offered, in the keys' order."""
    by_key = {c.key: str(c.label) for c in choices}
    return [by_key[k] for k in keys if k in by_key]

from datetime import UTC, datetime, timedelta
from typing import Any

from django import template
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    """`mapping|get_item:key`, for dictionaries keyed by content keys."""
    return mapping.get(key)


@register.filter
def as_list(value: Any) -> list[Any]:
    return [value]


@register.filter
def duration(value: timedelta) -> str:
    """A length of time in words, e.g. "2 hours, 5 minutes"."""
    start = datetime(2000, 1, 1, tzinfo=UTC)
    return timesince(start, start + value)

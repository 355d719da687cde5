from datetime import timedelta
from typing import Any

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tend.core.templatetags.when import meeting_time
from tend.repairs import content

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
    """A length of time in words, at most two units: "less than a minute", "5 minutes",
    "2 hours and 5 minutes", "3 days and 1 hour"."""
    minutes = int(value.total_seconds()) // 60
    if minutes < 1:
        return _("less than a minute")
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if minutes and not days:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    if len(parts) == 1:
        return parts[0]
    return _("%(larger)s and %(smaller)s") % {"larger": parts[0], "smaller": parts[1]}


# Shared with other apps' pages (tend.core.templatetags.when).
register.filter(meeting_time)


@register.inclusion_tag("repairs/why.html")
def why_this_step(key: str) -> dict[str, Any]:
    """The optional "Why this step?" disclosure of one of the five steps."""
    return {
        "why": content.find(content.WHYS, key),
        "label": content.WHY_LABEL,
        "short": content.WHY_SHORT,
    }

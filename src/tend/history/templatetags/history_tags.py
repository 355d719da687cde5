from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import ngettext

from tend.history.records import Past

register = template.Library()


@register.filter
def came_up(past: Past) -> str:
    """ "This has come up 3 times since March": how often its theme came up, in words."""
    since = timezone.localtime(past.theme_since)
    month = date_format(since, "F" if since.year == timezone.localdate().year else "F Y")
    return ngettext(
        "This has come up %(count)d time since %(month)s.",
        "This has come up %(count)d times since %(month)s.",
        past.theme_count,
    ) % {"count": past.theme_count, "month": month}

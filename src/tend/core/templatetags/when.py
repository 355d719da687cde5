"""Times in words, for any app's templates: `{% load when %}`."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def meeting_time(value: datetime) -> str:
    """When people agreed to meet, in the reader's own time zone (the active one):
    "Monday 30 November at 14:00", with the year when it is not this year's."""
    local = timezone.localtime(value)
    # Translators: date formats (Django's `date` filter letters): give your
    # language's order, e.g. German "l, j. F".
    day = _("l j F") if local.year == timezone.localdate().year else _("l j F Y")
    return _("%(day)s at %(time)s") % {
        "day": date_format(local, day),
        # Translators: a time format (Django's `date` filter letters).
        "time": date_format(local, _("H:i")),
    }

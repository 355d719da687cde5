"""The languages tend offers, for the footer's chooser: `{% load languages %}`."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def languages_offered() -> list[tuple[str, str]]:
    """Each in its own name, untranslated (Django's `get_available_languages` would give
    "Englisch" to a German page): a person finds their language whatever the page's."""
    return list(settings.LANGUAGES)

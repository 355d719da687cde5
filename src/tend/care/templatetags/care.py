from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag(takes_context=True)
def quick_exit_url(context: template.Context) -> str:
    """The quick-exit address, also on pages rendered without a request (the CSRF failure
    page), where context processors do not run: the button must never point at tend."""
    return context.get("quick_exit_url") or settings.QUICK_EXIT_URL

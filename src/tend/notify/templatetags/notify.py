from django import template
from django.template.context import Context

from tend.notify import kinds

register = template.Library()

# The link re-fetches its count on each live event of a kind that notifies someone.
TRIGGER = ", ".join(f"tend:{kind} from:body" for kind in sorted(kinds.EVENT_KINDS))


@register.inclusion_tag("notify/nav_item.html", takes_context=True)
def notify_nav_item(context: Context) -> dict[str, object]:
    """The nav's link to the notifications page, with the unread count."""
    from tend.notify.views import unread_count

    user = context.get("user")
    count = unread_count(user) if user is not None and user.is_authenticated else 0
    return {"count": count, "trigger": TRIGGER}

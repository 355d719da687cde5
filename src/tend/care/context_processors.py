from django.conf import settings
from django.http import HttpRequest


def care(request: HttpRequest) -> dict[str, str]:
    """Where the quick-exit button leads (TEND_QUICK_EXIT_URL), for every page."""
    return {"quick_exit_url": settings.QUICK_EXIT_URL}

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.deprecation import MiddlewareMixin


class PersonalPagesMiddleware:
    """Shows times in the person's own time zone, and keeps pages out of caches.

    Nearly every page shows something personal, and a shared phone's back button or
    a proxy must never replay one; static files are served before this runs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response


class PermissionsPolicyMiddleware(MiddlewareMixin):
    """Adds the Permissions-Policy header (settings.PERMISSIONS_POLICY) to every response.

    A MiddlewareMixin, so it runs in either mode: first in the chain, a sync-only one
    would push every request, static files and event streams included, through a thread.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        policy = settings.PERMISSIONS_POLICY.items()
        response.headers.setdefault(
            "Permissions-Policy", ", ".join(f"{feature}={allow}" for feature, allow in policy)
        )
        return response

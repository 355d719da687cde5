import zoneinfo

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.deprecation import MiddlewareMixin


class PersonalPagesMiddleware(MiddlewareMixin):
    """Shows times in the person's own time zone, and keeps pages out of caches.

    Nearly every page shows something personal, and a shared phone's back button or
    a proxy must never replay one; static files are served before this runs.
    """

    def process_request(self, request: HttpRequest) -> None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
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


class HeadMiddleware(MiddlewareMixin):
    """Answers HEAD exactly as GET, without the body (RFC 9110, 9.3.2).

    Views are written for GET (`require_GET`, `require_http_methods(["GET", ...])`); a
    monitor, a link checker or a browser's HEAD must not get 405 from them. The view
    runs as for GET; the body is dropped here, after CommonMiddleware has set the
    Content-Length of the GET, which HEAD reports. An endless stream is closed unread.
    """

    def process_request(self, request: HttpRequest) -> None:
        if request.method == "HEAD":
            request.method = "GET"
            request.tend_head = True  # type: ignore[attr-defined]

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if not getattr(request, "tend_head", False):
            return response
        request.method = "HEAD"
        if response.streaming:
            response.close()
            bodiless = HttpResponse(status=response.status_code, headers=dict(response.items()))
            bodiless.cookies = response.cookies
            return bodiless
        response.content = b""
        return response

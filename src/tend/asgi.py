"""The ASGI application: the event stream's own small app, then pages.

An open event stream is served outside Django's request handler (`live.serve`), so
an idle one holds no thread. It still gets every check and header a page gets: who
may stream is decided by the same rules (`live.access`), and its response passes
through the same header middleware as Django's responses. A stream it leaves to
Django goes to Django's ASGI handler (the stream's view is async). Every other
request is a page, answered in one pooled thread (`core.handler`).
"""

import functools
import os
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tend.settings")
django.setup(set_prefix=False)  # as Django's get_asgi_application()

from django.conf import settings  # noqa: E402
from django.core.handlers.asgi import ASGIHandler  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402  (after Django's setup)
from django.middleware.clickjacking import XFrameOptionsMiddleware  # noqa: E402
from django.middleware.csp import ContentSecurityPolicyMiddleware  # noqa: E402
from django.middleware.security import SecurityMiddleware  # noqa: E402

from tend.core.handler import PageHandler  # noqa: E402
from tend.core.middleware import PermissionsPolicyMiddleware, PersonalPagesMiddleware  # noqa: E402
from tend.live.serve import StreamApp  # noqa: E402


@functools.cache
def _django_handler() -> ASGIHandler:
    # Made the first time a stream is left to it (rare: a stream asked for with POST,
    # or for a host not allowed), not at every start: it builds a second middleware
    # chain, and with it a second index of the static files.
    return ASGIHandler()


async def django_application(scope: dict[str, Any], receive: Any, send: Any) -> None:
    await _django_handler()(scope, receive, send)


def _unused(request: HttpRequest) -> HttpResponse:
    raise AssertionError("only their hooks are called")


# In the order Django applies them to a response: the innermost (last listed) first.
# (Made for each stream: they read their settings when made.)
_HEADERS = [
    PersonalPagesMiddleware,
    XFrameOptionsMiddleware,
    ContentSecurityPolicyMiddleware,
    SecurityMiddleware,
    PermissionsPolicyMiddleware,
]


def _before(request: HttpRequest) -> HttpResponse | None:
    """The HTTPS redirect, in production: Django's handler answers it."""
    return SecurityMiddleware(_unused).process_request(request)


def _after(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    for middleware in _HEADERS:
        response = middleware(_unused).process_response(request, response)
    return response


application = StreamApp(django_application, PageHandler(settings.SERVER_THREADS), _before, _after)

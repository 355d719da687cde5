"""The event stream behind Django's request handler.

In production `tend.asgi` serves the stream before Django's handler (`live.serve`),
so an idle stream holds no thread. This view answers what that app leaves to Django
(a request that is not plainly a signed-in member's: no session, a timed-out one, a
bad Last-Event-ID, a full server) and any server that is not `tend.asgi` (Django's
test client, a WSGI server), with the same core and the same checks.
"""

from asgiref.sync import sync_to_async
from django.db import connection
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tend.live import access, limits
from tend.live.stream import start

# A full server is rarely full for long: streams close as pages do.
RETRY_AFTER_SECONDS = 30


def last_seq_of(header: str | None, parameter: str | None) -> int | None:
    # Browsers resend the last id they saw as a header when they reconnect by themselves;
    # the query parameter serves the first connection and clients that cannot set headers.
    raw = header or parameter or "0"
    try:
        value = int(raw)
    except ValueError:
        return None
    return value if value >= 0 else None


def _release_connection() -> None:
    connection.close()  # looked up here, in the thread that opened it


@require_GET
async def stream(request: HttpRequest, relationship_id: int) -> HttpResponse:
    session_key = request.session.session_key
    # In this request's thread, where the middleware read the session already.
    allowed = (
        await sync_to_async(access.admit)(session_key, relationship_id) if session_key else None
    )
    if allowed is None or session_key is None:
        raise Http404
    # Give that thread's connection back now, or every open stream would hold one from
    # the pool for its life.
    await sync_to_async(_release_connection)()
    last_seq = last_seq_of(request.headers.get("Last-Event-ID"), request.GET.get("last_event_id"))
    if last_seq is None:
        return HttpResponseBadRequest("Last-Event-ID must be a whole number.")
    try:
        body = start(allowed, session_key, relationship_id, last_seq)
    except limits.Full:
        return busy()
    return StreamingHttpResponse(body, content_type="text/event-stream", headers=STREAM_HEADERS)


def busy() -> HttpResponse:
    response = HttpResponse(
        _("Live updates are busy. Trying again shortly."),
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


STREAM_HEADERS = {
    "Cache-Control": "no-store",
    "X-Accel-Buffering": "no",  # proxies must pass events through at once
}

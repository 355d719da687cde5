from asgiref.sync import sync_to_async
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tend.gardens.access import get_membership_for
from tend.live import limits
from tend.live.stream import EventStream

# A full server is rarely full for long: streams close as pages do.
RETRY_AFTER_SECONDS = 30


def _last_seq(request: HttpRequest) -> int | None:
    # Browsers resend the last id they saw as a header when they reconnect by themselves;
    # the query parameter serves the first connection and clients that cannot set headers.
    raw = request.headers.get("Last-Event-ID") or request.GET.get("last_event_id") or "0"
    try:
        value = int(raw)
    except ValueError:
        return None
    return value if value >= 0 else None


def _release_connection() -> None:
    connection.close()  # looked up here, in the thread that opened it


@require_GET
async def stream(request: HttpRequest, relationship_id: int) -> HttpResponse:
    user = await request.auser()
    await sync_to_async(get_membership_for)(user, relationship_id)
    last_seq = _last_seq(request)
    if last_seq is None:
        return HttpResponseBadRequest("Last-Event-ID must be a whole number.")
    # The session and membership reads borrowed a connection in this request's thread;
    # give it back now, or every open stream would hold one from the pool for its life.
    await sync_to_async(_release_connection)()
    try:
        slot = limits.streams.take(user.pk, request.session.session_key or "")
    except limits.Full:
        busy = HttpResponse(
            _("Live updates are busy. Trying again shortly."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        busy["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return busy
    response = StreamingHttpResponse(
        EventStream(slot, relationship_id, last_seq), content_type="text/event-stream"
    )
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"  # proxies must pass events through at once
    return response

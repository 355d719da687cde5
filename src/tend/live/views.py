from asgiref.sync import sync_to_async
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.views.decorators.http import require_GET

from tend.gardens.access import get_membership_for
from tend.live.stream import event_stream


def _last_seq(request: HttpRequest) -> int | None:
    # Browsers resend the last id they saw as a header when they reconnect by themselves;
    # the query parameter serves the first connection and clients that cannot set headers.
    raw = request.headers.get("Last-Event-ID") or request.GET.get("last_event_id") or "0"
    try:
        value = int(raw)
    except ValueError:
        return None
    return value if value >= 0 else None


@require_GET
async def stream(request: HttpRequest, relationship_id: int) -> HttpResponse:
    user = await request.auser()
    await sync_to_async(get_membership_for)(user, relationship_id)
    last_seq = _last_seq(request)
    if last_seq is None:
        return HttpResponseBadRequest("Last-Event-ID must be a whole number.")
    response = StreamingHttpResponse(
        event_stream(user.pk, relationship_id, last_seq), content_type="text/event-stream"
    )
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"  # proxies must pass events through at once
    return response

"""The event stream, served in front of Django's request handler.

Django's ASGI handler gives every request a thread of its own until its response
ends: for an endless stream, a thread (and the memory around it) for the stream's
whole life. This ASGI app answers a signed-in member's stream itself, with one check
in a worker thread, and then pumps the stream to `send` on the event loop, holding
no thread and no database connection while it waits.

It answers only the plain case. Anything else goes to Django unchanged, and the
same core (`live.stream`) answers there through `live.views.stream`, with every
middleware: another method, a bad host or Last-Event-ID, no session, a session
that timed out (Django signs it out with its kind message), one that Django's
session middleware still has something to write to, a non-member (404), a full
server (503).
"""

import asyncio
import contextvars
import io
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from tend.live import limits, views
from tend.live.stream import EventStream, admit, start

type Scope = dict[str, Any]
type Receive = Callable[[], Any]
type Send = Callable[[dict[str, Any]], Any]
type App = Callable[[Scope, Receive, Send], Any]
# Whatever Django's middleware would do before the view (None: go on) and after it
# (the response's headers), for the stream answered here.
type Before = Callable[[HttpRequest], HttpResponse | None]
type After = Callable[[HttpRequest, HttpResponse], HttpResponse]
type Start = dict[str, Any]  # the ASGI response start message


class StreamApp:
    """`django` is Django's ASGI handler, for the streams left to it; `pages` serves
    every other request."""

    def __init__(self, django: App, pages: App, before: Before, after: After) -> None:
        self.django = django
        self.pages = pages
        self.before = before
        self.after = after

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        relationship_id = _stream_of(scope)
        if relationship_id is None:
            await self.pages(scope, receive, send)  # most requests: on at once
            return
        # What the opening sets in its context (the person's time zone, Django's
        # locals) stays with it: this task's context lasts as long as the stream.
        opened = await asyncio.create_task(
            self._open(scope, relationship_id), context=contextvars.copy_context()
        )
        if opened is None:
            await self.django(scope, receive, send)
        else:
            await self._serve(*opened, receive, send)

    async def _open(self, scope: Scope, relationship_id: int) -> tuple[Start, EventStream] | None:
        """The stream's start message (status and headers) and its body, or None to
        leave it to Django. Only these stay: the request and the response objects
        made here are dropped once the stream has begun."""
        if scope["method"] != "GET":
            return None
        request = ASGIRequest(scope, io.BytesIO())
        try:
            request.get_host()
        except DisallowedHost:
            return None
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        last_seq = views.last_seq_of(
            request.headers.get("Last-Event-ID"), request.GET.get("last_event_id")
        )
        if not session_key or last_seq is None or self.before(request) is not None:
            return None
        allowed = await admit(session_key, relationship_id)
        if allowed is None or not allowed.settled:
            return None
        try:
            body = start(allowed, session_key, relationship_id, last_seq)
        except limits.Full:
            return None
        response = self.after(
            request,
            HttpResponse(content_type="text/event-stream", headers=views.STREAM_HEADERS),
        )
        headers = [
            (name.encode("latin-1"), value.encode("latin-1")) for name, value in response.items()
        ]
        return {"type": "http.response.start", "status": 200, "headers": headers}, body

    async def _serve(self, start: Start, body: EventStream, receive: Receive, send: Send) -> None:
        me = asyncio.current_task()
        assert me is not None
        gone = False

        async def watch() -> None:
            nonlocal gone
            while (await receive())["type"] != "http.disconnect":
                pass
            gone = True
            me.cancel()

        chunks = aiter(body)
        watcher = asyncio.get_running_loop().create_task(watch())
        try:
            await send(start)
            start.clear()  # sent: an open stream keeps none of its headers
            async for chunk in chunks:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b""})
        except asyncio.CancelledError:
            if not gone:
                raise
            me.uncancel()  # the client left: the stream simply ends
        finally:
            watcher.cancel()
            await chunks.aclose()  # type: ignore[attr-defined]
            body.close()


def _stream_of(scope: Scope) -> int | None:
    """The relationship of an event stream's URL, whatever the method; None for any
    other request. (Not the URL's match: it holds every pattern tried before it, ~4 KB
    that an open stream would keep for its life.)"""
    if scope["type"] != "http":
        return None
    path = scope["path"].removeprefix(scope.get("root_path", ""))
    if not path.endswith("/events/"):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.kwargs["relationship_id"] if match.func is views.stream else None

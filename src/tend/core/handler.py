"""Pages: every request but an event stream, answered whole in one thread of a pool.

Django's ASGI handler starts a thread for every request (its thread-sensitive
context) and hops between that thread and the event loop for each middleware hook,
each signal and the view: dozens of hand-overs a page, most of a page's cost on a
small machine. tend's views and middleware are synchronous, so here a request goes
to a thread once, as under a WSGI server: its body read on the event loop, then the
request-started signal, the synchronous middleware chain and the view, and the
response's close (the request-finished signal, which gives the thread's database
connection back, unless other pages wait: see _keep_connection_while_busy) all in one
thread of a fixed pool, whose threads are reused. The response goes back to the event
loop to be sent.

The request is Django's own ASGIRequest, built from the same scope as before; only
the hand-overs change. A client who leaves mid-request no longer cancels the view:
its work completes, and the answer goes nowhere.

Event streams (async, endless) are not served here: `tend.asgi` sends them to the
stream's own app or to Django's ASGI handler.
"""

import asyncio
import contextvars
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from typing import IO, Any

from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers import base
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpResponseBase
from django.urls import set_script_prefix

type Send = Callable[[dict[str, Any]], Awaitable[None]]


class PageHandler(ASGIHandler):
    def __init__(self, threads: int) -> None:
        base.BaseHandler.__init__(self)
        self.load_middleware(is_async=False)
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="tend-page")
        # Database connections kept between pages while the server is busy
        # (_keep_connection_while_busy), each by the pool thread that opened it.
        self._guard = threading.Lock()
        self._handed = 0  # requests handed to the pool and not yet answered
        self._answering = 0  # of them, those a pool thread is answering now
        self._kept: set[BaseDatabaseWrapper] = set()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Send) -> None:
        if scope["type"] != "http":
            raise ValueError(f"tend serves HTTP, not {scope['type']}")
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        loop = asyncio.get_running_loop()
        with closing(body_file):
            with self._guard:
                self._handed += 1
            try:
                # A fresh context per request, as each ASGI request has: nothing a
                # request activates (time zone, language) is left for the next one
                # in that thread.
                answer = await loop.run_in_executor(
                    self.pool,
                    contextvars.Context().run,
                    self._in_pool,
                    scope,
                    body_file,
                    send,
                    loop,
                )
            finally:
                with self._guard:
                    self._handed -= 1
        if answer is not None:
            start, content = answer
            await send(start)
            await send({"type": "http.response.body", "body": content})

    def _in_pool(self, *request: Any) -> tuple[dict[str, Any], bytes] | None:
        """In a pool thread: one request answered (`_respond`), counted for the
        connections kept meanwhile."""
        with self._guard:
            self._answering += 1
        try:
            return self._respond(*request)
        finally:
            self._give_back_connections()

    def _respond(
        self,
        scope: dict[str, Any],
        body_file: IO[bytes],
        send: Send,
        loop: asyncio.AbstractEventLoop,
    ) -> tuple[dict[str, Any], bytes] | None:
        """The response, closed, to send; or None when it was a streamed one and sent
        from here as it was read."""
        set_script_prefix(get_script_prefix(scope))
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, response = self.create_request(scope, body_file)
        if request is not None:
            response = self.get_response(request)
        response._handler_class = self.__class__  # type: ignore[attr-defined]
        try:
            if not response.streaming:
                return _start(response), response.content  # type: ignore[attr-defined]

            def sent(message: dict[str, Any]) -> None:
                asyncio.run_coroutine_threadsafe(send(message), loop).result()

            sent(_start(response))
            for chunk in response:
                if chunk:
                    sent({"type": "http.response.body", "body": chunk, "more_body": True})
            sent({"type": "http.response.body"})
            return None
        finally:
            self._keep_connection_while_busy()
            response.close()

    def _keep_connection_while_busy(self) -> None:
        """SQLite reads its whole schema again on every new connection, a millisecond
        or more of a page's few: while other pages are being answered or wait their
        turn, this thread keeps its connection for its next one. Once no page is being
        answered, every kept connection is closed (_give_back_connections): on SQLite
        one connection left open keeps the file handles of every other that closes
        (streams open and close theirs), and a server at rest holds none."""
        mine = connections[DEFAULT_DB_ALIAS]
        if mine.vendor != "sqlite" or mine.connection is None:
            return
        with self._guard:
            if self._handed > 1:
                mine.close_at = None  # not closed by the request's end
                self._kept.add(mine)

    def _give_back_connections(self) -> None:
        """At the end of each page: the last one answered closes the kept connections."""
        with self._guard:
            self._answering -= 1
            if self._answering or not self._kept:
                return
            # No page is being answered: no pool thread touches its connection before
            # it takes the guard again, so each can be closed from this thread.
            for kept in self._kept:
                kept.inc_thread_sharing()
                try:
                    kept.close()
                finally:
                    kept.dec_thread_sharing()
            self._kept.clear()


def _start(response: HttpResponseBase) -> dict[str, Any]:
    """The ASGI start message, headers and cookies as Django's ASGI handler sends them."""
    headers = [
        (bytes(name.encode("ascii")), bytes(value.encode("latin1")))
        for name, value in response.items()
    ]
    for cookie in response.cookies.values():
        headers.append((b"Set-Cookie", cookie.OutputString().encode("ascii")))
    return {"type": "http.response.start", "status": response.status_code, "headers": headers}

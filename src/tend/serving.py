"""uvicorn's HTTP/1.1 protocol, with a deadline and a size limit for request headers.

uvicorn times out an idle keep-alive connection, but not one that sends half a
request and then waits: each such connection holds a socket (an open file) for as
long as the client likes, and enough of them exhaust the server's. Here a request's
headers must arrive in full within `TEND_HEADER_TIMEOUT_SECONDS` of the connection
opening (or of the next request on it beginning), and within 64 KiB; otherwise the
connection is closed.

Both this deadline and uvicorn's idle limit between two requests are the client's: what
it sent in time counts, however late the server reads it. A server whose event loop runs
late (a machine so busy that the process gets a sliver of a core) can wake past a
deadline with the request already waiting in the socket, and uvloop runs its due timers
before it reads: closing then threw away a request sent in time (the client saw
"Server disconnected without sending a response", or a reset, and nothing was logged).
So a deadline that runs out first looks again a moment later, after the loop has read
what is waiting; only a connection still without its request is closed.
"""

import asyncio
import logging
from typing import Any

from django.conf import settings
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

MAX_HEADER_BYTES = 64 * 1024
# How long after a deadline runs out it is looked at again: any wait puts the loop's
# reading of the sockets in between (uvloop and asyncio alike); a slow client gains
# nothing measurable.
LOOK_AGAIN_SECONDS = 0.1
log = logging.getLogger(__name__)


class GuardedHttpProtocol(HttpToolsProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_deadline: asyncio.TimerHandle | None = None
        self._header_bytes = 0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_headers()

    def data_received(self, data: bytes) -> None:
        if self._header_deadline is not None:
            self._header_bytes += len(data)
            if self._header_bytes > MAX_HEADER_BYTES:
                self._headers_arrived()
                self.send_400_response("Request headers too large.")
                return
        super().data_received(data)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._await_headers()  # the next request on a kept-alive connection

    def on_headers_complete(self) -> None:
        self._headers_arrived()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._headers_arrived()
        super().connection_lost(exc)

    def _await_headers(self) -> None:
        # Armed once per request: a byte now and then does not push the deadline back.
        if self._header_deadline is None:
            self._header_bytes = 0
            self._header_deadline = self.loop.call_later(
                settings.SERVER_HEADER_TIMEOUT_SECONDS, self._headers_too_slow
            )

    def _headers_arrived(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _headers_too_slow(self) -> None:
        # Looked at again once the loop has read what is waiting: headers that arrived
        # in time cancel this handle (on_headers_complete) before it runs.
        self._header_deadline = self.loop.call_later(
            LOOK_AGAIN_SECONDS, self._headers_still_missing
        )

    def _headers_still_missing(self) -> None:
        self._header_deadline = None
        if not self.transport.is_closing():
            # Said in the log: to the client it is only a connection closed unanswered
            # (a slow client, or one whose own machine is too busy to send in time).
            log.warning(
                "header timeout: closed a connection without complete headers after %d s",
                settings.SERVER_HEADER_TIMEOUT_SECONDS,
            )
            self.transport.close()

    def _unsupported_upgrade_warning(self) -> None:
        # tend serves no WebSocket (`tend serve` starts uvicorn without one): a request
        # asking to upgrade is answered as the plain request it also is. uvicorn's own
        # warnings would tell the operator to install a WebSocket library.
        pass

    def timeout_keep_alive_handler(self) -> None:
        # The same for the idle limit between requests: a next request that arrived in
        # time cancels this handle (data_received) before it runs.
        self.timeout_keep_alive_task = self.loop.call_later(
            LOOK_AGAIN_SECONDS, super().timeout_keep_alive_handler
        )

"""Requests to tend's ASGI application itself (`tend.asgi.application`), the way
uvicorn makes them, so that the event stream is served as in production: by the
stream's own app in front of Django's handler, or by Django where it defers."""

import asyncio
from collections.abc import AsyncIterator
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlsplit

from tend.asgi import application

READ_TIMEOUT = 5.0


class Response:
    def __init__(self, start: dict[str, Any], messages: "asyncio.Queue[dict[str, Any]]") -> None:
        self.status_code: int = start["status"]
        self.headers = {
            name.decode("latin-1").lower(): value.decode("latin-1")
            for name, value in start["headers"]
        }
        self._messages = messages
        self._ended = False
        self._disconnect: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.task: asyncio.Task[None] | None = None

    def __getitem__(self, name: str) -> str:
        return self.headers[name.lower()]

    def __contains__(self, name: str) -> bool:
        return name.lower() in self.headers

    @property
    def streaming(self) -> bool:
        # Django's CommonMiddleware gives every whole response its length.
        return "content-length" not in self.headers

    async def _next(self, timeout: float) -> bytes:
        if self._ended:
            raise StopAsyncIteration
        message = await asyncio.wait_for(self._messages.get(), timeout)
        if message["type"] == "app.ended":
            self._ended = True
            raise message.get("error") or AssertionError("ended without finishing the body")
        if not message.get("more_body", False):
            self._ended = True
            if not message.get("body"):
                raise StopAsyncIteration
        return message.get("body", b"")

    @property
    def streaming_content(self) -> AsyncIterator[bytes]:
        return Chunks(self)

    async def content(self) -> bytes:
        body = b""
        with_timeout = READ_TIMEOUT
        try:
            while True:
                body += await self._next(with_timeout)
        except StopAsyncIteration:
            return body

    async def aclose(self) -> None:
        """The client goes away."""
        if not self._disconnect.done():
            self._disconnect.set_result(None)
        if self.task is not None:
            await asyncio.wait_for(asyncio.shield(self.task), READ_TIMEOUT)


class Chunks:
    def __init__(self, response: Response) -> None:
        self.response = response

    def __aiter__(self) -> "Chunks":
        return self

    async def __anext__(self) -> bytes:
        return await self.response._next(READ_TIMEOUT)


async def get(
    url: str, cookies: SimpleCookie | None = None, *, secure: bool = False, **headers: str
) -> Response:
    parts = urlsplit(url)
    raw = [(b"host", b"testserver")]
    if cookies:
        jar = "; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items())
        raw.append((b"cookie", jar.encode()))
    raw += [(name.lower().encode(), value.encode()) for name, value in headers.items()]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "https" if secure else "http",
        "path": parts.path,
        "raw_path": parts.path.encode(),
        "query_string": parts.query.encode(),
        "root_path": "",
        "headers": raw,
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 443 if secure else 80),
    }
    messages: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    started: asyncio.Future[Response] = asyncio.get_running_loop().create_future()
    response: Response | None = None
    requested = False

    async def receive() -> dict[str, Any]:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        while response is None:
            await asyncio.sleep(0.01)
        await response._disconnect
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal response
        if message["type"] == "http.response.start":
            response = Response(message, messages)
            started.set_result(response)
        else:
            await messages.put(message)

    async def run() -> None:
        try:
            await application(scope, receive, send)
        except BaseException as error:
            await messages.put({"type": "app.ended", "error": error})
            if not started.done():
                started.set_exception(error)
            raise
        await messages.put({"type": "app.ended"})

    task = asyncio.get_running_loop().create_task(run())
    result = await asyncio.wait_for(started, READ_TIMEOUT)
    result.task = task
    return result

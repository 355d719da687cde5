"""A raw asyncio HTTP/1.1 client: event streams by the thousand, and timed requests.

httpx costs the client more CPU per stream than the server spends, on the same two
cores, and skews latency at hundreds of streams; a bare socket does not. Streams send
`Accept: text/event-stream`, as browsers do (tend treats those requests as not being
the person's activity).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

BROWSER_ENCODINGS = "gzip, deflate, br, zstd"


def _request(method: str, host: str, path: str, cookie: str, headers: dict[str, str]) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def _read_head(reader: asyncio.StreamReader) -> tuple[int, dict[str, str]]:
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    head_bytes: int


class Connection:
    """One kept-alive connection for requests one after another."""

    def __init__(self, host: str, port: int, cookie: str = "") -> None:
        self.host, self.port, self.cookie = host, port, cookie
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self,
        method: str,
        path: str,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        sent: Callable[[], None] | None = None,
    ) -> Response:
        reused = self.writer is not None and not self.writer.is_closing()
        try:
            return await self._request(method, path, body, headers, sent)
        except (asyncio.IncompleteReadError, ConnectionResetError):
            if not reused:
                raise
            # The server closed the kept-alive connection while it was idle: once more.
            await self.close()
            return await self._request(method, path, body, headers, sent)

    async def _request(
        self,
        method: str,
        path: str,
        body: bytes,
        headers: dict[str, str] | None,
        sent: Callable[[], None] | None,
    ) -> Response:
        if self.writer is None or self.writer.is_closing():
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        extra = dict(headers or {})
        if body or method == "POST":
            extra["Content-Length"] = str(len(body))
        self.writer.write(
            _request(method, f"{self.host}:{self.port}", path, self.cookie, extra) + body
        )
        if sent is not None:
            sent()
        await self.writer.drain()
        status, response_headers = await _read_head(self.reader)
        if response_headers.get("transfer-encoding") == "chunked":
            content = b""
            while size := int((await self.reader.readline()).strip() or b"0", 16):
                content += await self.reader.readexactly(size)
                await self.reader.readline()
            await self.reader.readline()
        else:
            length = int(response_headers.get("content-length", "0"))
            content = await self.reader.readexactly(length) if length else b""
        if response_headers.get("connection", "").lower() == "close":
            await self.close()
        head = sum(len(k) + len(v) + 4 for k, v in response_headers.items()) + 17
        return Response(status, response_headers, content, head)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
            self.writer = None


@dataclass
class Streams:
    """Many open event streams, and when each event reached each of them."""

    host: str
    port: int
    path: str
    cookies: list[str]
    opened: int = 0
    failures: list[str] = field(default_factory=list)
    arrivals: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))
    gaps: int = 0
    _waiters: dict[int, tuple[int, asyncio.Event]] = field(default_factory=dict)
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    async def open(self, count: int, at_once: int = 200, timeout: float = 300.0) -> float:
        """Opens `count` more streams (cookies taken in turn); seconds it took. Stops at
        `timeout`: `opened` then says how many did."""
        gate = asyncio.Semaphore(at_once)
        began = time.perf_counter()
        first = len(self._tasks)

        async def one(index: int) -> None:
            async with gate:
                ready = asyncio.Event()
                task = asyncio.create_task(
                    self._read(self.cookies[index % len(self.cookies)], ready)
                )
                self._tasks.append(task)
                waiting = asyncio.create_task(ready.wait())
                await asyncio.wait({task, waiting}, return_when=asyncio.FIRST_COMPLETED)
                waiting.cancel()

        try:
            await asyncio.wait_for(
                asyncio.gather(*(one(i) for i in range(first, first + count))), timeout
            )
        except TimeoutError:
            self.failures.append(f"opening timed out after {timeout:.0f} s")
        return time.perf_counter() - began

    async def _read(self, cookie: str, ready: asyncio.Event) -> None:
        try:
            reader, writer = await asyncio.open_connection(self.host, self.port, limit=2**16)
        except OSError as error:
            self.failures.append(repr(error))
            return
        try:
            writer.write(
                _request(
                    "GET",
                    f"{self.host}:{self.port}",
                    self.path,
                    cookie,
                    {"Accept": "text/event-stream", "Cache-Control": "no-cache"},
                )
            )
            status, headers = await _read_head(reader)
            if status != 200:
                self.failures.append(f"GET {self.path}: {status}")
                return
            chunked = headers.get("transfer-encoding") == "chunked"
            last = None
            seq = None
            counted = False
            async for raw in reader:
                line = raw.strip().decode()
                if chunked and line and all(c in "0123456789abcdefABCDEF" for c in line):
                    continue  # a chunk size line
                if line.startswith("retry:") and not counted:
                    counted = True
                    self.opened += 1
                    ready.set()
                elif line.startswith("id:"):
                    seq = int(line[3:])
                elif line.startswith("data:") and seq is not None:
                    self._arrived(seq, time.perf_counter())
                    if last is not None and seq != last + 1:
                        self.gaps += 1
                    last, seq = seq, None
        except (OSError, asyncio.IncompleteReadError) as error:
            self.failures.append(repr(error))
        finally:
            writer.close()

    def _arrived(self, seq: int, at: float) -> None:
        self.arrivals[seq].append(at)
        waiter = self._waiters.get(seq)
        if waiter and len(self.arrivals[seq]) >= waiter[0]:
            waiter[1].set()

    async def wait_for(self, seq: int, timeout: float) -> bool:
        """True once event `seq` reached every open stream within `timeout` seconds."""
        done = asyncio.Event()
        self._waiters[seq] = (self.opened, done)
        if len(self.arrivals[seq]) >= self.opened:
            return True
        try:
            await asyncio.wait_for(done.wait(), timeout)
            return True
        except TimeoutError:
            return False
        finally:
            self._waiters.pop(seq, None)

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()

"""Streams that the browser closes end quietly: a real `tend serve`, 200 streams opened
and dropped (some mid-request), and not one traceback or warning in its log."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.servers import Server, fresh_database, run_server, server_env, stop

# The churn itself is the benchmark's (bench/stream_churn.py, which can do 1,000).
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from harness import relationship_of
from stream_churn import run, trouble_in


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    base_url = os.environ.get("DATABASE_URL")
    env = {"TEND_LOG_LEVEL": "WARNING", "TEND_SERVER_LOG_LEVEL": "warning"}
    log = tmp_path / "server.log"
    if base_url:
        with (
            fresh_database(base_url) as database_url,
            run_server(server_env(tmp_path, database_url, **env), log) as running,
        ):
            yield running
    else:
        with run_server(server_env(tmp_path, None, **env), log) as running:
            yield running


def test_two_hundred_streams_opened_and_dropped_leave_no_traceback(server: Server) -> None:
    _took, trouble, log = run(server, streams=200, at_once=50)
    assert trouble == [], log[-5000:]


def test_streams_open_when_the_server_stops_end_their_responses(server: Server) -> None:
    """Stopping the server (a deploy, a restart) ends each open stream's response, so
    browsers reconnect to the next server; none is cancelled with a traceback."""

    people, relationship_id = relationship_of(server, 1)
    path = f"/r/{relationship_id}/events/?last_event_id=0"
    cookies = dict(people[0].client.cookies)

    async def hold_then_stop(count: int) -> list[str]:
        async with (
            httpx.AsyncClient(base_url=server.url, cookies=cookies, timeout=30) as client,
            contextlib.AsyncExitStack() as stack,
        ):
            streams = [
                await stack.enter_async_context(client.stream("GET", path)) for _ in range(count)
            ]
            lines = [aiter(s.aiter_lines()) for s in streams]
            for line in lines:
                assert (await anext(line)).startswith("retry:")
            stopping = asyncio.create_task(asyncio.to_thread(stop, server))
            # Each response now comes to its end (no error): read to it.
            endings = [[text async for text in line] for line in lines]
            await stopping
            return ["".join(ending) for ending in endings]

    endings = asyncio.run(hold_then_stop(20))
    assert len(endings) == 20
    log = server.log_path.read_text(errors="replace")
    assert trouble_in(log) == [], log[-5000:]
    assert "timeout graceful shutdown exceeded" not in log


def test_pages_dropped_mid_request_leave_no_traceback(server: Server) -> None:
    """A person who navigates away while a page (or a live redraw) is being made closes
    its connection mid-request. With a sync-only middleware in the chain, that left a
    dead executor in the request's context and a "CurrentThreadExecutor already quit"
    traceback at the end of the request; every middleware is asynchronous now."""
    people, relationship_id = relationship_of(server, 1)
    cookie = "; ".join(f"{k}={v}" for k, v in people[0].client.cookies.items())
    host, port = server.url.removeprefix("http://").split(":")
    paths = [f"/r/{relationship_id}/", "/home/", "/notifications/"]

    async def drop(path: str, after: float) -> None:
        _reader, writer = await asyncio.open_connection(host, int(port))
        request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\n\r\n"
        writer.write(request.encode())
        await writer.drain()
        await asyncio.sleep(after)  # somewhere in the middle of making the page
        writer.close()  # gone before the answer, as a navigating browser is
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()

    async def churn() -> None:
        for _round in range(10):
            await asyncio.gather(*(drop(paths[i % len(paths)], (i % 15) / 300) for i in range(30)))

    asyncio.run(churn())
    for _ in range(3):  # let the server finish what it was doing before reading its log
        people[0].get("/healthz")
    log = server.log_path.read_text(errors="replace")
    assert trouble_in(log) == [], log[-5000:]

"""Opens and drops many event streams against a real `tend serve`, then reads the
server's log for tracebacks: a stream the browser closes (a page left, a tab shut, a
phone asleep) must end quietly.

    uv run python bench/stream_churn.py [--streams 1000] [--at-once 50] [--postgres URL]

Half the streams are opened, some read up to their first line (`retry:`), and
dropped by the client; the other half are requested on a bare socket that hangs up
within 30 ms, while the server may still be checking the session. A few static
files and HEAD requests come first. Prints how many streams were opened and what
the server log holds; exits 1 on any traceback or warning of the kind named below.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time

import httpx
from harness import Person, Server, relationship_of, tend_server

# What the server must never write when a client goes away.
TROUBLE = ("Traceback", "CurrentThreadExecutor already quit", "must consume synchronous")


async def _one(client: httpx.AsyncClient, path: str, read_first: bool) -> None:
    async with client.stream("GET", path) as response:
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code}")
        if read_first:
            async for line in response.aiter_lines():
                if line.startswith("retry:"):
                    break
    # Leaving the block closes the connection: the client has gone.


async def _abandoned(server: Server, path: str, cookie: str, wait: float) -> None:
    """Sends the request and hangs up before (or as) the answer starts: the server is
    still checking the session and membership when the client goes."""
    host, port = server.url.removeprefix("http://").split(":")
    _reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\n"
        "Accept: text/event-stream\r\n\r\n".encode()
    )
    await writer.drain()
    await asyncio.sleep(wait)
    writer.close()
    await writer.wait_closed()


async def churn(
    server: Server, person: Person, relationship_id: int, streams: int, at_once: int
) -> None:
    cookies = dict(person.client.cookies)
    path = f"/r/{relationship_id}/events/?last_event_id={person.last_seq(relationship_id)}"
    gate = asyncio.Semaphore(at_once)
    limits = httpx.Limits(max_connections=at_once, max_keepalive_connections=0)
    async with httpx.AsyncClient(
        base_url=server.url, cookies=cookies, timeout=30, limits=limits
    ) as client:
        cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())

        async def bounded(index: int) -> None:
            async with gate:
                if index % 2:
                    await _abandoned(server, path, cookie, wait=(index % 31) / 1000)
                else:
                    await _one(client, path, read_first=index % 4 != 0)

        await asyncio.gather(*(bounded(i) for i in range(streams)))


def trouble_in(log: str) -> list[str]:
    return [line for line in log.splitlines() if any(word in line for word in TROUBLE)]


def run(server: Server, streams: int, at_once: int) -> tuple[float, list[str], str]:
    people, relationship_id = relationship_of(server, 1)
    # Pages and their static files too: a file streamed from a synchronous iterator
    # made the ASGI handler warn, and HEAD answers as GET.
    for path in ("/static/tend/css/tend.css", "/static/tend/js/tend.js", "/favicon.ico"):
        people[0].get(path)
        people[0].client.head(path).raise_for_status()
    people[0].client.head(f"/r/{relationship_id}/").raise_for_status()
    started = time.monotonic()
    asyncio.run(churn(server, people[0], relationship_id, streams, at_once))
    took = time.monotonic() - started
    # The server notices each disconnect on its own time: ask it something after the
    # last one, so that any late traceback is written before the log is read.
    for _ in range(3):
        people[0].get("/healthz")
        time.sleep(0.5)
    for person in people:
        person.close()
    log = server.log_path.read_text(errors="replace")
    return took, trouble_in(log), log


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--at-once", type=int, default=50)
    parser.add_argument("--postgres", default=None, help="a PostgreSQL URL (default SQLite)")
    parser.add_argument("--show-log", action="store_true", help="print the whole server log")
    args = parser.parse_args()
    with tend_server(args.postgres) as server:
        took, trouble, log = run(server, args.streams, args.at_once)
    print(f"{args.streams} streams opened and dropped in {took:.1f}s, {args.at_once} at once")
    print(f"{len(trouble)} troubling lines in the server log")
    for line in trouble[:20]:
        print("  " + line)
    if args.show_log:
        print(log)
    return 1 if trouble else 0


if __name__ == "__main__":
    sys.exit(main())

"""Live fan-out: how fast an event reaches many open event streams, and what they cost.

Starts a real `tend serve` (SQLite in a temporary data folder, or with `--postgres URL`
a fresh database on that PostgreSQL server), makes a relationship of `--members` people
through the ordinary forms, opens `--streams` SSE streams on it (spread over the
members, like several phones and tabs), then makes `--events` changes over HTTP: the
first member pausing and resuming an open repair, one `pause_changed` event each.

It prints:

- server memory (VmRSS) before and after opening the streams, and KB per idle stream;
- delivery latency, one event at a time, from the write's HTTP response (and from the
  moment the write was sent) to each stream's receipt: p50 / p95 / p99 / max;
- throughput with writes back to back: events per second fully delivered to every
  stream, deliveries per second, and server CPU per event.

Loopback only; every wait is bounded; it stops by itself. Run: `make bench`, or
`uv run python bench/live_fanout.py --streams 500 --events 200 [--postgres URL]`.
Client and server share the machine, so the figures include the client's own work.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections import defaultdict
from dataclasses import dataclass, field

import httpx
from harness import (
    Person,
    cpu_seconds,
    load_average,
    relationship_of,
    rss_kb,
    summary_ms,
    tend_server,
    threads,
)

OPEN_TIMEOUT = 180.0  # seconds for all streams to open
DELIVERY_TIMEOUT = 30.0  # seconds for one event to reach every stream (> keep-alive)


@dataclass
class Fanout:
    """Receipts of every stream, and a way to wait until an event reached them all."""

    streams: int
    opened: int = 0
    all_open: asyncio.Event = field(default_factory=asyncio.Event)
    receipts: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))
    complete: dict[int, asyncio.Event] = field(default_factory=dict)
    out_of_order: int = 0
    failures: list[str] = field(default_factory=list)

    def done(self, seq: int) -> asyncio.Event:
        if seq not in self.complete:
            self.complete[seq] = asyncio.Event()
            if len(self.receipts.get(seq, ())) >= self.streams:
                self.complete[seq].set()
        return self.complete[seq]

    def received(self, seq: int, at: float) -> None:
        times = self.receipts[seq]
        times.append(at)
        if len(times) >= self.streams:
            self.done(seq).set()


async def read_stream(
    client: httpx.AsyncClient, path: str, fanout: Fanout, ready: asyncio.Event | None = None
) -> None:
    last = None
    try:
        async with client.stream("GET", path) as response:
            if response.status_code != 200:
                fanout.failures.append(f"GET {path}: {response.status_code}")
                return
            seq = None
            async for line in response.aiter_lines():
                if line.startswith("retry:"):
                    fanout.opened += 1
                    if ready is not None:
                        ready.set()
                    if fanout.opened == fanout.streams:
                        fanout.all_open.set()
                elif line.startswith("id:"):
                    seq = int(line[3:])
                elif line.startswith("data:") and seq is not None:
                    fanout.received(seq, time.perf_counter())
                    if last is not None and seq != last + 1:
                        fanout.out_of_order += 1
                    last, seq = seq, None
    except (httpx.HTTPError, asyncio.CancelledError) as error:
        if not isinstance(error, asyncio.CancelledError):
            fanout.failures.append(f"{path}: {error!r}")
        raise


class Writer:
    """The first member, pausing and resuming the repair: one event per request."""

    def __init__(self, person: Person, relationship_id: int, repair_id: int) -> None:
        self.person = person
        self.base = f"/r/{relationship_id}/repairs/{repair_id}"
        self.paused = False

    def write(self) -> tuple[float, float]:
        """Makes one change; returns when it was sent and when its response came."""
        action = "resume" if self.paused else "pause"
        sent = time.perf_counter()
        response = self.person.post(f"{self.base}/{action}/")
        answered = time.perf_counter()
        if response.status_code != 302:
            raise RuntimeError(f"{action} answered {response.status_code}")
        self.paused = not self.paused
        return sent, answered


async def run(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    extra = {"TEND_DB_POOL_SIZE": str(args.pool_size)} if args.pool_size else {}
    with tend_server(args.postgres, **extra) as server:
        pid = server.process.pid
        people, relationship_id = relationship_of(server, args.members)
        repair_id = people[0].open_repair(relationship_id)
        writer = Writer(people[0], relationship_id, repair_id)
        # Warm up: the first stream and the first writes load what they need.
        for _ in range(4):
            writer.write()
        first_seq = people[0].last_seq(relationship_id)
        print(
            f"server: {'PostgreSQL' if args.postgres else 'SQLite'}, pid {pid}; "
            f"{args.members} members, set up in {time.perf_counter() - started:.1f} s; "
            f"{load_average()}"
        )

        clients = [
            httpx.AsyncClient(
                base_url=server.url,
                cookies=person.client.cookies,
                limits=httpx.Limits(max_connections=None, max_keepalive_connections=None),
                timeout=httpx.Timeout(30.0, read=90.0, pool=None),
            )
            for person in people
        ]
        path = f"/r/{relationship_id}/events/?last_event_id={first_seq}"
        # One stream opened and closed first, so that the baseline includes its imports.
        warm = Fanout(streams=1)
        task = asyncio.create_task(read_stream(clients[0], path, warm))
        await asyncio.wait_for(warm.all_open.wait(), 30)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await asyncio.sleep(1)
        rss_before, threads_before = rss_kb(pid), threads(pid)

        fanout = Fanout(streams=args.streams)
        gate = asyncio.Semaphore(50)  # connections being opened at once

        async def open_one(index: int) -> None:
            async with gate:
                ready = asyncio.Event()
                task = asyncio.create_task(
                    read_stream(clients[index % len(clients)], path, fanout, ready)
                )
                tasks.append(task)
                waiting = asyncio.create_task(ready.wait())
                await asyncio.wait({task, waiting}, return_when=asyncio.FIRST_COMPLETED)
                waiting.cancel()

        tasks: list[asyncio.Task[None]] = []
        opening = time.perf_counter()
        try:
            await asyncio.wait_for(
                asyncio.gather(*(open_one(i) for i in range(args.streams))), OPEN_TIMEOUT
            )
            if fanout.opened < args.streams:
                print(f"only {fanout.opened} of {args.streams} streams opened:")
                print(*sorted(set(fanout.failures))[:5], sep="\n  ")
                return
            open_seconds = time.perf_counter() - opening
            await asyncio.sleep(2)  # let every stream reach its wait
            rss_open, threads_open = rss_kb(pid), threads(pid)
            per_stream = (rss_open - rss_before) / args.streams
            print(
                f"streams: {args.streams} opened in {open_seconds:.1f} s; server RSS "
                f"{rss_before / 1024:.1f} MB before, {rss_open / 1024:.1f} MB after "
                f"-> {per_stream:.1f} KB per idle stream; server threads "
                f"{threads_before} before, {threads_open} after"
            )

            # 1. Latency: one event at a time, each waited for on every stream.
            seq = first_seq
            from_response, from_request, write_times = [], [], []
            late = 0
            for _ in range(args.events):
                seq += 1
                sent, answered = await asyncio.to_thread(writer.write)
                write_times.append(answered - sent)
                try:
                    await asyncio.wait_for(fanout.done(seq).wait(), DELIVERY_TIMEOUT)
                except TimeoutError:
                    late += args.streams - len(fanout.receipts[seq])
                for at in fanout.receipts[seq]:
                    from_response.append(at - answered)
                    from_request.append(at - sent)
                await asyncio.sleep(args.gap / 1000)
            print(f"latency, {args.events} events one at a time to {args.streams} streams:")
            print(f"  from the write's response: {summary_ms(from_response)}")
            print(f"  from the write being sent: {summary_ms(from_request)}")
            print(f"  the write itself (POST):   {summary_ms(write_times)}")
            early = sum(1 for value in from_response if value < 0)
            if early:
                print(
                    f"  ({early} of {len(from_response)} deliveries came before the write's "
                    "own response: the bus fires on commit, before the response is sent)"
                )
            rss_used = rss_kb(pid)

            # 2. Throughput: writes back to back; done when the last reached every stream.
            cpu_start, client_start = cpu_seconds(pid), time.process_time()
            begin = time.perf_counter()
            for _ in range(args.events):
                await asyncio.to_thread(writer.write)
            seq += args.events
            writes_done = time.perf_counter()
            try:
                await asyncio.wait_for(fanout.done(seq).wait(), DELIVERY_TIMEOUT)
            except TimeoutError:
                late += args.streams - len(fanout.receipts[seq])
            elapsed = time.perf_counter() - begin
            cpu_used = cpu_seconds(pid) - cpu_start
            client_used = time.process_time() - client_start
            print(f"throughput, {args.events} events back to back to {args.streams} streams:")
            print(
                f"  writes {args.events / (writes_done - begin):.0f}/s; all delivered "
                f"after {elapsed:.2f} s -> {args.events / elapsed:.0f} events/s, "
                f"{args.events * args.streams / elapsed:.0f} deliveries/s; server CPU "
                f"{cpu_used * 1000 / args.events:.1f} ms per event "
                f"({cpu_used * 1e6 / (args.events * args.streams):.0f} µs per delivery); "
                f"this client's CPU {client_used * 1000 / args.events:.1f} ms per event"
            )
            print(
                f"server RSS after the events: {rss_used / 1024:.1f} MB; "
                f"missing deliveries: {late}; out-of-order or gaps: {fanout.out_of_order}"
            )
            if fanout.failures:
                print("stream failures:", *fanout.failures[:5], sep="\n  ")
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            for client in clients:
                await client.aclose()
            for person in people:
                person.close()
    print(f"done in {time.perf_counter() - started:.0f} s; {load_average()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--streams", type=int, default=200, help="open SSE streams (200)")
    parser.add_argument("--events", type=int, default=100, help="events per phase (100)")
    parser.add_argument("--members", type=int, default=4, help="people in the relationship (4)")
    parser.add_argument(
        "--gap", type=float, default=20, help="ms between events in the latency phase (20)"
    )
    parser.add_argument(
        "--postgres", metavar="URL", help="a PostgreSQL server URL; a fresh database is made"
    )
    parser.add_argument(
        "--pool-size", type=int, help="the server's TEND_DB_POOL_SIZE (PostgreSQL; default 10)"
    )
    args = parser.parse_args()
    if args.streams < 1 or args.events < 1 or not 1 <= args.members <= 50:
        parser.error("--streams and --events must be at least 1, --members 1 to 50")
    asyncio.run(run(args))


if __name__ == "__main__":
    main()

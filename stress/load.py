"""LOAD: many couples doing a full repair at once against one `tend serve`.

Each couple signs up, makes a relationship, opens a repair, joins, answers the safety
question, marks ready, and goes through step 5 from the considerations to the rebond,
the way a browser would: step pages, moves posted with htmx, private answers (the safety
answer, the considerations) sealed as the device seals them, and one live event stream
(SSE) open per person the whole time. Asserts: every request answered as expected
(0 errors), no server error, no traceback in the server log, every repair completed,
every person's sealed considerations stored exactly as sent, every stream received the
events of its relationship in order without a gap, and the event log gapless. Reports
p50/p95/p99 of every request's latency.

    uv run python stress/load.py --database sqlite|postgres   (STRESS_LOAD_COUPLES=200)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.sealed import sealed

from stress.common import (
    AsyncPerson,
    ConnectionTrouble,
    Refusal,
    Result,
    TendServer,
    couple,
    env_int,
    form_value,
    gaps,
    percentile,
    ready_repair,
    speakers,
    sql,
    tend_server,
)

# How many couples connect and sign up at once (the rest wait their turn to start).
STARTING_AT_ONCE = 25
DEADLINE_SECONDS = 1500


class Stream:
    """One person's open event stream: the seqs it received, in order."""

    def __init__(self, person: AsyncPerson, relationship: int) -> None:
        self.person = person
        self.relationship = relationship
        self.seqs: list[int] = []
        self.error = ""
        self.task: asyncio.Task[None] | None = None
        self.opened = asyncio.Event()

    async def run(self) -> None:
        path = f"/r/{self.relationship}/events/?last_event_id=0"
        try:
            async with self.person.client.stream(
                "GET", path, timeout=None, headers={"Accept": "text/event-stream"}
            ) as response:
                if response.status_code != 200:
                    self.error = f"stream answered {response.status_code}"
                    return
                self.opened.set()
                async for line in response.aiter_lines():
                    if line.startswith("id: "):
                        self.seqs.append(int(line[4:]))
        except (asyncio.CancelledError, GeneratorExit):
            raise
        except Exception as error:
            self.error = repr(error)
        finally:
            self.opened.set()

    def start(self) -> None:
        self.task = asyncio.create_task(self.run())

    async def stop(self) -> None:
        if self.task:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task


async def loop_lag(lags: list[float]) -> None:
    """How late this client's own event loop runs: a timer of 0.5 s, measured."""
    while True:
        asked = time.monotonic()
        await asyncio.sleep(0.5)
        lags.append(time.monotonic() - asked - 0.5)


async def move(person: AsyncPerson, path: str, name: str, phase: str, **data: object) -> str:
    """One step-5 move as htmx posts it from the stage showing `phase` (the script knows
    the phase: each couple moves one at a time); returns the new stage."""
    response = await person.post(f"{path}together/{name}/", {"phase": phase, **data}, htmx=True)
    return (await person.expect(response, 200)).text


async def stage(person: AsyncPerson, path: str) -> str:
    return (await person.expect(await person.get(path + "together/", htmx=True), 200)).text


async def full_repair(
    base_url: str,
    tag: str,
    streams: list[Stream],
    starting: asyncio.Semaphore,
    everyone: list[AsyncPerson],
    considered: dict[tuple[int, str], str],
) -> tuple[int, list[AsyncPerson]]:
    """One couple from signing up to "we came back together"; returns the relationship.
    Its two people join `everyone` at once: a couple that fails still counts its timings.
    Each person's acknowledged sealed considerations go into `considered`, by (repair,
    email)."""
    async with starting:  # sign-ups hash passwords: not all at the very same moment
        a, b, relationship = await couple(base_url, tag)
    people = [a, b]
    everyone.extend(people)
    for person in people:
        stream = Stream(person, relationship)
        streams.append(stream)
        stream.start()
        await stream.opened.wait()
    repair, path = await ready_repair(a, b, relationship)
    for person in people:  # the pages a person opens on the way
        await person.expect(await person.get(path), 200)
    for person in people:
        # The ticked considerations, sealed on the device (the server cannot read them);
        # once answered 200 they must be stored, whatever happens to the couple later.
        envelope = sealed()
        await move(person, path, "consider", "considerations", considerations=envelope)
        considered[repair, person.email] = envelope
        await move(person, path, "done", "considerations")
    await move(
        a,
        path,
        "propose",
        "space",
        text="the kitchen table",
        choice="indoors",
        detail="facing_each_other",
    )
    await move(b, path, "accept", "space", proposal=form_value(await stage(b, path), "proposal"))
    await move(b, path, "propose", "intention", text="Find our way back to trust.")
    await move(
        a, path, "accept", "intention", proposal=form_value(await stage(a, path), "proposal")
    )
    for phase in ("agreements", "tips"):
        for person in people:
            await move(person, path, "done", phase)
    ids = speakers(await stage(a, path))
    await move(a, path, "first-speaker", "listening", speaker=ids[a.name])
    for speaker, listener in ((a, b), (b, a)):
        turn = form_value(await stage(listener, path), "turn")
        await move(listener, path, "reflect", "listening", turn=turn, heard="You felt alone.")
        reflection = form_value(await stage(speaker, path), "reflection")
        await move(
            speaker, path, "answer-reflection", "listening", reflection=reflection, heard="yes"
        )
    soon = (date.today() + timedelta(days=14)).isoformat()
    await move(a, path, "request", "requests", text="Tell me when you need space.", review_on=soon)
    request_id = form_value(await stage(b, path), "request")
    await move(b, path, "answer-request", "requests", request=request_id, answer="yes")
    for person in people:
        await move(person, path, "done", "requests")
    for person in people:
        await move(person, path, "clear", "clearing", clear="yes")
    await move(a, path, "propose", "rebond", choice="long_hug")
    await move(b, path, "accept", "rebond", proposal=form_value(await stage(b, path), "proposal"))
    for person in people:
        await move(person, path, "rebonded", "rebond")
    summary = await stage(a, path)
    if "You came back together" not in summary:
        raise Refusal(f"couple {tag}: the repair did not complete")
    await a.expect(await a.get(f"/r/{relationship}/"), 200)
    return relationship, people


async def run(server: TendServer, couples: int, result: Result) -> None:
    streams: list[Stream] = []
    people: list[AsyncPerson] = []
    starting = asyncio.Semaphore(STARTING_AT_ONCE)
    done: dict[int, int] = {}
    considered: dict[tuple[int, str], str] = {}

    async def one(index: int) -> None:
        try:
            relationship, _pair = await full_repair(
                server.url, f"{index:04d}", streams, starting, people, considered
            )
            done[relationship] = index
        except Refusal as refusal:
            result.fail(f"couple failed: {str(refusal)[:200]}")
        except ConnectionTrouble as trouble:
            result.fail(
                f"couple error: {str(trouble).split(':')[0]} lost its connection",
                str(trouble),
            )
        except Exception as error:
            result.fail(f"couple error: {error!r}"[:300])

    began = time.monotonic()
    lags: list[float] = []
    watch = asyncio.create_task(loop_lag(lags))
    try:
        await asyncio.wait_for(
            asyncio.gather(*(one(i) for i in range(couples))), timeout=DEADLINE_SECONDS
        )
    except TimeoutError:
        # Reported with everything else measured, rather than a traceback and no result.
        result.fail(f"deadline: couples still at work after {DEADLINE_SECONDS} s")
    finally:
        watch.cancel()
    took = time.monotonic() - began
    # Every stream must have everything its relationship logged, in order, no gap.
    log_lengths = {}
    from stress.common import event_log

    for relationship, events in event_log(server).items():
        log_lengths[relationship] = len(events)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if all(
            len(s.seqs) >= log_lengths.get(s.relationship, 0) or s.error
            for s in streams
            if s.relationship in done
        ):
            break
        await asyncio.sleep(0.2)
    for stream in streams:
        await stream.stop()
    for stream in streams:
        if stream.relationship not in done:
            continue
        expected = list(range(1, log_lengths.get(stream.relationship, 0) + 1))
        if stream.error:
            result.fail(f"stream error: {stream.error[:200]}")
        elif stream.seqs != expected:
            result.fail(
                "stream missed or reordered events",
                f"relationship {stream.relationship}: got {stream.seqs[:50]}, "
                f"want 1..{len(expected)}",
            )
    latencies: list[float] = []
    idle: list[float] = []
    requests = 0
    busy = 0
    stalled = 0
    for person in people:
        stalled += person.stalled
        latencies += person.latencies
        idle += person.connected_idle
        requests += len(person.latencies)
        busy += person.busy
        for error in person.server_errors:
            result.fail(f"5xx: {error}")
        await person.aclose()
    for problem in gaps(server):
        result.fail(f"event log gap: {problem}")
    for problem in sealed_mismatches(server, considered):
        result.fail("sealed considerations not stored as sent", problem)
    for block in server.tracebacks():
        result.fail(f"server log: {block.splitlines()[0][:200]}", block)
    result.counts.update(
        couples=couples,
        completed=len(done),
        requests=requests,
        busy_resent=busy,
        client_stall_resent=stalled,
        streams=len(streams),
        errors=len(result.failures) + sum(result.known.values()),
        seconds=round(took, 1),
        requests_per_second=round(requests / took, 1) if took else 0,
        p50_ms=round(percentile(latencies, 50) * 1000, 1),
        p95_ms=round(percentile(latencies, 95) * 1000, 1),
        p99_ms=round(percentile(latencies, 99) * 1000, 1),
        max_ms=round(max(latencies, default=0) * 1000, 1),
        # This client's own lateness: how late its event loop woke (asked for 0.5 s),
        # and how long a new connection sat open before the request went out on it.
        client_lag_p99_ms=round(percentile(lags, 99) * 1000, 1),
        client_lag_max_ms=round(max(lags, default=0) * 1000, 1),
        connected_idle_max_ms=round(max(idle, default=0) * 1000, 1),
        header_timeouts=server.log_text().count("header timeout: closed a connection"),
    )
    if len(done) != couples:
        result.fail(f"{couples - len(done)} couple(s) did not complete")


def sealed_mismatches(server: TendServer, considered: dict[tuple[int, str], str]) -> list[str]:
    """Each (repair, email) whose stored considerations are not the envelope sent: the
    server keeps ciphertext it cannot check, so only the very bytes sent will do."""
    stored = {
        (repair, email): value
        for repair, email, value in sql(
            server,
            "SELECT p.repair_id, u.email, p.considerations FROM repairs_participation p "
            "JOIN accounts_user u ON u.id = p.user_id",
        )
    }
    return [
        f"repair {repair}, {email}: stored {stored.get((repair, email))!r:.60}, sent {sent:.60}"
        for (repair, email), sent in considered.items()
        if stored.get((repair, email)) != sent
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--couples", type=int, default=env_int("STRESS_LOAD_COUPLES", 200))
    args = parser.parse_args()
    result = Result("load", args.database)
    # Every person keeps a stream open: PostgreSQL needs a pool for the busy moments.
    with tend_server(args.database, TEND_DB_POOL_SIZE="40") as server:
        asyncio.run(run(server, args.couples, result))
    result.emit()
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())

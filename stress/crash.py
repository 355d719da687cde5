"""CRASH: `tend serve` killed with SIGKILL at random moments while two people write,
then started again (--no-migrate), over and over.

Two members of one relationship, in an open repair, write without pause: the first
sends messages, asks for needs and saves a private answer (sealed on the device, as
the page's script sends it: a fresh envelope each time), the second asks for needs and
toggles the pause. Every write carries a unique text; a write is acknowledged when the
server answered it with a redirect (302: done; a refusal would be 303). While they
write, the server is killed at a random moment (after 1-6 acknowledged writes and
0-0.3 s more, so mostly in the middle of a write), then restarted on the same port.
After each kill, before the restart, once the database has settled (PostgreSQL may
still commit what the dead server sent it just before the kill), the database is read
directly, in one snapshot (through the app's own models in this process, so the
messages and needs are decrypted; the private answer the server cannot decrypt is
compared as the envelope sent), and must show:

  - every acknowledged message and need, exactly once (0 acknowledged writes lost, none
    recorded twice), and no more rows than were attempted;
  - for each of them, its event (message_sent / need_asked naming the row), and no such
    event for a row that does not exist: an event exists if and only if its change did;
  - the event log gapless: seq 1..N per relationship, N = the relationship's last_seq;
  - the pause as last acknowledged, or as a toggle sent after it and never answered
    left it (the answer, not the write, may be what a kill lost);
  - the private answer (one row, saved over) as last acknowledged, byte for byte, or
    as a save sent after it and never answered left it.

And nothing answered 500 or more, and the log has no traceback.

    uv run python stress/crash.py --database sqlite|postgres   (STRESS_CRASH_RESTARTS=100)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.sealed import sealed

from stress.common import (
    AsyncPerson,
    Result,
    TendServer,
    couple,
    data_folder,
    env_int,
    gaps,
    percentile,
)

ENTRY = "honor:what_hurts"  # the private answer the first person saves over and over
ACKED_BEFORE_KILL = (1, 6)  # acknowledged writes in each burst before the kill...
KILL_DELAY = (0.0, 0.3)  # ...then this many seconds more: the kill lands anywhere


@dataclass
class Writer:
    """One person writing in a loop; what they were told is the truth to check."""

    name: str
    client: httpx.Client
    csrf: str
    path: str
    kinds: tuple[str, ...]
    acked: dict[str, set[str]] = field(default_factory=lambda: {"message": set(), "need": set()})
    attempted: dict[str, int] = field(default_factory=lambda: {"message": 0, "need": 0})
    paused_acked: bool | None = None
    # Toggles sent since the last acknowledged one and left without an answer: killed
    # with the server (perhaps after its COMMIT), or timed out while the server, slow
    # but alive, may still carry them out. Each may be what the pause ends as, across
    # kills: a toggle carried out just before one kill is still the state after the next.
    unanswered: set[bool] = field(default_factory=set)
    # The same for the private answer: the envelope last acknowledged, and those sent
    # since and left without an answer.
    entry_acked: str = ""
    entry_unanswered: set[str] = field(default_factory=set)
    timed_out: int = 0
    writes: int = 0
    acknowledged: int = 0
    server_errors: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    history: list[str] = field(default_factory=list)  # the toggles, for a failure's story
    story: dict[str, str] = field(default_factory=dict)  # text -> what the client saw

    def post(self, path: str, data: dict[str, str]) -> int | None:
        """The status, 0 for a redirect out of the repair (to the log-in page, say: no
        write), or None when the server was killed before it answered."""
        began = time.monotonic()
        try:
            response = self.client.post(
                path, data={**data, "csrfmiddlewaretoken": self.csrf}, timeout=10
            )
        except httpx.TimeoutException:
            self.timed_out += 1
            return None  # no answer in time: not acknowledged, yet it may still be done
        except httpx.HTTPError:
            return None  # killed mid-request: not acknowledged
        self.latencies.append(time.monotonic() - began)
        if response.status_code >= 500:
            self.server_errors.append(f"POST {path} -> {response.status_code}")
        if response.is_redirect and not response.headers["location"].startswith(self.path):
            return 0
        return response.status_code

    def one(self, step: int) -> None:
        kind = self.kinds[step % len(self.kinds)]
        self.writes += 1
        if kind in ("message", "need"):
            text = f"{self.name}-{kind}-{secrets.token_hex(6)}"
            self.attempted[kind] += 1
            if kind == "message":
                status = self.post(self.path + "voice/", {"text": text})
            else:
                status = self.post(self.path + "needs/", {"need": "solitude", "own_words": text})
            self.story[text] = f"{kind} answered {status} at {time.time():.3f}"
            if status == 302:
                self.acked[kind].add(text)
                self.acknowledged += 1
            elif status is not None:
                self.unexpected.append(f"{kind} answered {status}")
        elif kind == "entry":
            self.save_entry()
        else:
            wanted = kind == "pause"
            status = self.post(self.path + ("pause/" if wanted else "resume/"), {})
            self.history.append(f"{kind}:{status}")
            if status is None:
                self.unanswered.add(wanted)
            if status == 302:
                self.paused_acked = wanted
                self.unanswered = set()  # done, after whatever came before it
                self.acknowledged += 1
            elif status is not None:
                self.unexpected.append(f"{kind} answered {status}")

    def save_entry(self) -> None:
        """Saves the private answer anew: a fresh envelope, as the device seals each save."""
        envelope = sealed()
        status = self.post(self.path + f"answers/{ENTRY}/", {"text": envelope})
        if status is None:
            self.entry_unanswered.add(envelope)
        elif status == 302:
            self.entry_acked = envelope
            self.entry_unanswered = set()  # done, after whatever came before it
            self.acknowledged += 1
        else:
            self.unexpected.append(f"entry answered {status}")


def run(database: str, restarts: int, result: Result) -> None:
    with data_folder(database) as (folder, database_url):
        server = TendServer(folder, database_url, forked=True)
        first_start = server.start()
        try:
            crash_loop(server, restarts, result, first_start)
        finally:
            server.stop()


def setup_people(server: TendServer) -> tuple[list[Writer], int, int]:
    async def make() -> tuple[AsyncPerson, AsyncPerson, int, int]:
        a, b, relationship = await couple(server.url, "crash")
        repair = await a.open_repair(relationship)
        path = f"/r/{relationship}/repairs/{repair}/"
        await b.expect(await b.post(path + "join/"), 302)
        for person in (a, b):
            await person.feel_safe(relationship)
        return a, b, relationship, repair

    a, b, relationship, repair = asyncio.run(make())
    path = f"/r/{relationship}/repairs/{repair}/"
    writers = []
    for person, kinds in (
        (a, ("message", "need", "entry")),
        (b, ("need", "pause", "need", "resume")),
    ):
        client = httpx.Client(base_url=server.url, cookies=person.client.cookies)
        writers.append(Writer(person.name, client, person.csrf, path, kinds))
    return writers, relationship, repair


def django_for(server: TendServer) -> None:
    """This process reads the server's database through the app's own models."""
    for key in [k for k in os.environ if k.startswith(("TEND_", "DJANGO_"))]:
        del os.environ[key]
    os.environ.pop("DATABASE_URL", None)
    os.environ.update({k: v for k, v in server.env.items() if k.startswith("TEND_")})
    if server.database_url:
        os.environ["DATABASE_URL"] = server.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "tend.settings"
    import django

    django.setup()


def check(
    server: TendServer, writers: list[Writer], repair_id: int, users: tuple[int, int]
) -> list[str]:
    from django.db import connection, connections, transaction

    from tend.live.models import Event
    from tend.repairs.models import Entry, NeedRequest, Participation, VoiceMessage

    problems: list[str] = []
    unsettled = server.settle()
    if unsettled:
        problems.append(f"database not settled after the kill: {unsettled}")
    try:
        # One snapshot for every query, so that the reads agree with one another.
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            message_list = [
                (m.text, m.pk) for m in VoiceMessage.objects.filter(repair_id=repair_id)
            ]
            need_list = [
                (n.own_words, n.pk, n.asked_at)
                for n in NeedRequest.objects.filter(repair_id=repair_id)
            ]
            messages = {text: pk for text, pk in message_list}
            needs = {text: pk for text, pk, _at in need_list}
            message_rows = VoiceMessage.objects.filter(repair_id=repair_id).count()
            need_rows = NeedRequest.objects.filter(repair_id=repair_id).count()
            events = {
                (kind, subject)
                for kind, subject in Event.objects.filter(
                    repair_id=repair_id, kind__in=("message_sent", "need_asked")
                ).values_list("kind", "subject_id")
            }
            paused = Participation.objects.get(repair_id=repair_id, user_id=users[1]).paused
            entry = Entry.objects.filter(
                participation__repair_id=repair_id, participation__user_id=users[0], key=ENTRY
            ).values_list("text", flat=True)
            saved = entry[0] if entry else ""
    finally:
        connections.close_all()
    acked_messages = set().union(*(w.acked["message"] for w in writers))
    acked_needs = set().union(*(w.acked["need"] for w in writers))
    lost = (acked_messages - messages.keys()) | (acked_needs - needs.keys())
    if lost:
        problems.append(f"acknowledged writes lost: {sorted(lost)[:5]}")
    texts = [m[0] for m in message_list] + [n[0] for n in need_list]
    twice = sorted({t for t in texts if texts.count(t) > 1})
    if twice:
        rows = [n for n in need_list if n[0] in twice] + [m for m in message_list if m[0] in twice]
        stories = [w.story.get(t, "") for t in twice for w in writers]
        problems.append(f"a write was recorded twice: {rows[:4]} {[s for s in stories if s]}")
    elif message_rows != len(message_list) or need_rows != len(need_list):
        problems.append("rows counted and rows listed differ: the reads saw different states")
    if message_rows > sum(w.attempted["message"] for w in writers) or need_rows > sum(
        w.attempted["need"] for w in writers
    ):
        problems.append("more rows than writes attempted")
    wanted = {("message_sent", pk) for pk in messages.values()}
    wanted |= {("need_asked", pk) for pk in needs.values()}
    if wanted - events:
        problems.append(f"rows without their event: {sorted(wanted - events)[:5]}")
    if events - wanted:
        problems.append(f"events without their row: {sorted(events - wanted)[:5]}")
    toggler = writers[1]
    if toggler.paused_acked is not None and paused not in (
        {toggler.paused_acked} | toggler.unanswered
    ):
        problems.append(
            f"pause is {paused}, acknowledged {toggler.paused_acked} "
            f"(toggles: {' '.join(toggler.history[-8:])})"
        )
    saver = writers[0]
    if saved not in {saver.entry_acked} | saver.entry_unanswered:
        problems.append(
            f"private answer is {saved[:24]!r}…, acknowledged {saver.entry_acked[:24]!r}… "
            f"({len(saver.entry_unanswered)} unanswered since)"
        )
    problems += [f"event log: {gap}" for gap in gaps(server)]
    return problems


def crash_loop(server: TendServer, restarts: int, result: Result, first_start: float) -> None:
    writers, relationship, repair = setup_people(server)
    django_for(server)
    from tend.accounts.models import User

    users = (
        User.objects.get(display_name=writers[0].name).pk,
        User.objects.get(display_name=writers[1].name).pk,
    )
    rng = random.Random(env_int("STRESS_SEED", random.randrange(2**31)))
    restart_times: list[float] = []
    began = time.monotonic()
    for number in range(1, restarts + 1):
        stop = threading.Event()

        def write(writer: Writer, stop: threading.Event = stop) -> None:
            step = 0
            while not stop.is_set():
                writer.one(step)
                step += 1

        threads = [threading.Thread(target=write, args=(w,)) for w in writers]
        for thread in threads:
            thread.start()
        # Some writes acknowledged, then a kill at a random moment, mid-write mostly.
        acked = sum(w.acknowledged for w in writers) + rng.randint(*ACKED_BEFORE_KILL)
        deadline = time.monotonic() + 20
        while sum(w.acknowledged for w in writers) < acked and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(rng.uniform(*KILL_DELAY))
        server.kill9()
        writers[1].history.append(f"kill{number}")
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        for problem in check(server, writers, repair, users):
            result.fail(problem, f"after kill {number}")
        restart_times.append(server.start())
        if number % 10 == 0:
            print(f"  {number} restarts, {time.monotonic() - began:.0f}s", flush=True)
    for problem in check(server, writers, repair, users):
        result.fail(problem, "at the end")
    for writer in writers:
        for error in writer.server_errors:
            result.fail(f"5xx: {error}")
        for answer in writer.unexpected:
            result.fail(f"unexpected answer: {answer}")
    for block in server.tracebacks():
        result.fail(f"server log: {block.splitlines()[0][:200]}", block)
    result.counts.update(
        restarts=restarts,
        writes=sum(w.writes for w in writers),
        acknowledged=sum(w.acknowledged for w in writers),
        errors=len(result.failures) + sum(result.known.values()),
        first_start_s=round(first_start, 1),
        restart_p50_s=round(percentile(restart_times, 50), 2),
        restart_max_s=round(max(restart_times, default=0), 2),
        in_flight_after_kill=server.in_flight_after_kill,
        timed_out=sum(w.timed_out for w in writers),
        seconds=round(time.monotonic() - began, 1),
    )
    del relationship


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--restarts", type=int, default=env_int("STRESS_CRASH_RESTARTS", 100))
    args = parser.parse_args()
    result = Result("crash", args.database)
    run(args.database, args.restarts, result)
    result.emit()
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())

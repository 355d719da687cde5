"""RACE: concurrent, conflicting moves against one `tend serve`, checked against the
event log and the final state.

Couples (several at once, each in its own relationship) go through rounds; in each
round requests are fired at the same moment (asyncio.gather):

  - double taps of a sealed save (the safety answer, a private answer, each a fresh
    envelope as the device seals it, sent twice at once): both answered as one is, and
    exactly one row, holding that envelope;
  - double taps: pause x2, resume x2, "I am ready" x2, "not ready" x2 (steps 1-4), and
    pause x2 / resume x2 / ready x2 again in step 5: each pair must record exactly one
    change (one event) and leave the state asked for;
  - both members "ready" at once: step 5 must begin exactly once;
  - both members press "done" twice each with the same `phase`: the phase must move on
    exactly one step, and each accepted move (200) must have exactly one event;
  - a proposal accepted twice at once; both members proposing at once, then the
    proposal accepted twice at once: exactly one step on, one event per accepted move.

Also: no answer of 500 or more, the event log gapless, no traceback in the log.
"Moves" counts every request fired concurrently.

    uv run python stress/race.py --database sqlite|postgres   (STRESS_RACE_MOVES=1000)
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.sealed import sealed

from stress.common import (
    AsyncPerson,
    Refusal,
    Result,
    TendServer,
    couple,
    env_int,
    form_value,
    gaps,
    sql,
    tend_server,
)

MOVES_PER_COUPLE = 39  # what rounds() fires for one couple
AT_ONCE = 8  # couples racing at the same time
STEP5 = ("together_changed", "repair_completed")


class Couple:
    def __init__(
        self, server: TendServer, a: AsyncPerson, b: AsyncPerson, relationship: int
    ) -> None:
        self.server = server
        self.a, self.b = a, b
        self.relationship = relationship
        self.repair = 0
        self.path = ""
        self.moves = 0
        users = dict(
            sql(
                server,
                "SELECT email, id FROM accounts_user WHERE email IN (%s, %s)",
                [a.email, b.email],
            )
        )
        self.user = {a.name: users[a.email], b.name: users[b.email]}

    def last_seq(self) -> int:
        rows = sql(
            self.server,
            "SELECT last_seq FROM gardens_relationship WHERE id = %s",
            [self.relationship],
        )
        return int(rows[0][0])

    def events_since(self, seq: int) -> list[tuple[str, int]]:
        return [
            (kind, actor)
            for kind, actor in sql(
                self.server,
                "SELECT kind, actor_id FROM live_event WHERE relationship_id = %s AND seq > %s "
                "ORDER BY seq",
                [self.relationship, seq],
            )
        ]

    def state(self, person: AsyncPerson) -> tuple[bool, bool]:
        paused, ready = sql(
            self.server,
            "SELECT paused, ready FROM repairs_participation WHERE repair_id = %s AND user_id = %s",
            [self.repair, self.user[person.name]],
        )[0]
        return bool(paused), bool(ready)

    def phase(self) -> tuple[str, str]:
        stage, phase = sql(
            self.server, "SELECT stage, phase FROM repairs_repair WHERE id = %s", [self.repair]
        )[0]
        return stage, phase

    async def fire(self, *calls: tuple[AsyncPerson, str, dict[str, object]]) -> list[int]:
        """Posts every call at the same moment; returns the statuses."""
        self.moves += len(calls)
        responses = await asyncio.gather(
            *(person.post(path, data, htmx="/together/" in path) for person, path, data in calls)
        )
        return [response.status_code for response in responses]


async def double_tap(
    pair: Couple,
    result: Result,
    person: AsyncPerson,
    move: str,
    data: dict[str, object],
    kind: str,
    want: tuple[bool, bool],
) -> None:
    """The same personal move twice at once: one change, one event, the state asked for."""
    before = pair.last_seq()
    statuses = await pair.fire((person, pair.path + move, data), (person, pair.path + move, data))
    if any(s >= 500 for s in statuses):
        return  # counted as a 5xx by the person
    mine = [k for k, actor in pair.events_since(before) if actor == pair.user[person.name]]
    if mine.count(kind) != 1:
        result.fail(
            f"double {move.rstrip('/')} recorded {mine.count(kind)} {kind} events",
            f"relationship {pair.relationship}: statuses {statuses}, events {mine}",
        )
    if pair.state(person) != want:
        result.fail(f"double {move.rstrip('/')} left (paused, ready) = {pair.state(person)}")


async def phase_race(
    pair: Couple,
    result: Result,
    label: str,
    calls: list[tuple[AsyncPerson, str, dict]],
    want_phase: str,
) -> None:
    """Conflicting step-5 moves at once: one step on, and one event per accepted move."""
    before = pair.last_seq()
    statuses = await pair.fire(*calls)
    if any(s >= 500 for s in statuses):
        return
    events = [k for k, _actor in pair.events_since(before) if k in STEP5]
    accepted = statuses.count(200)
    if len(events) != accepted:
        result.fail(
            f"{label}: {accepted} moves accepted but {len(events)} step-5 events",
            f"relationship {pair.relationship}: statuses {statuses}",
        )
    if set(statuses) - {200, 409}:
        result.fail(f"{label}: unexpected answers {sorted(set(statuses))}")
    _stage, phase = pair.phase()
    if phase != want_phase:
        result.fail(f"{label}: phase is {phase}, not {want_phase}", f"statuses {statuses}")


async def sealed_double_tap(
    pair: Couple,
    result: Result,
    label: str,
    call: tuple[AsyncPerson, str, dict[str, object]],
    envelope: str,
    stored: tuple[str, list[object]],
) -> None:
    """The same sealed save twice at once (a double tap, an autosave and its retry): both
    redirected as one save is (302), and `stored` (a query and its parameters) finds
    exactly one row, holding `envelope`: the server cannot read it, so only the very
    value sent will do."""
    statuses = await pair.fire(call, call)
    if any(s >= 500 for s in statuses):
        return  # counted as a 5xx by the person
    if set(statuses) != {302}:
        result.fail(f"{label}: answered {statuses}", f"relationship {pair.relationship}")
    rows = sql(pair.server, *stored)
    if rows != [(envelope,)]:
        result.fail(
            f"{label}: {len(rows)} row(s), {'not ' if rows else ''}the envelope sent",
            f"relationship {pair.relationship}: {[str(r[0])[:30] for r in rows]}",
        )


async def answer_safety_twice(pair: Couple, result: Result, person: AsyncPerson) -> None:
    """The first safety answer, "yes", tapped twice: one answer kept."""
    envelope = sealed()
    call = (person, f"/r/{pair.relationship}/safety/", {"sealed": envelope, "proceed": "on"})
    query = "SELECT sealed FROM care_safetyanswer WHERE user_id = %s AND relationship_id = %s"
    params: list[object] = [pair.user[person.name], pair.relationship]
    await sealed_double_tap(pair, result, "safety answer x2", call, envelope, (query, params))


async def save_entry_twice(pair: Couple, result: Result, person: AsyncPerson) -> None:
    """A private answer's first save, tapped twice: one entry."""
    envelope = sealed()
    call = (person, pair.path + "answers/honor:what_hurts/", {"text": envelope})
    query = (
        "SELECT e.text FROM repairs_entry e JOIN repairs_participation p "
        "ON p.id = e.participation_id "
        "WHERE p.repair_id = %s AND p.user_id = %s AND e.key = 'honor:what_hurts'"
    )
    params: list[object] = [pair.repair, pair.user[person.name]]
    await sealed_double_tap(pair, result, "private answer x2", call, envelope, (query, params))


def done(person: AsyncPerson, pair: Couple, phase: str) -> tuple[AsyncPerson, str, dict]:
    return (person, pair.path + "together/done/", {"phase": phase})


async def stage(person: AsyncPerson, pair: Couple) -> str:
    return (await person.expect(await person.get(pair.path + "together/", htmx=True), 200)).text


async def rounds(pair: Couple, result: Result) -> None:
    a, b = pair.a, pair.b
    pair.repair = await a.open_repair(pair.relationship)
    pair.path = f"/r/{pair.relationship}/repairs/{pair.repair}/"
    await b.expect(await b.post(pair.path + "join/"), 302)
    await answer_safety_twice(pair, result, a)
    await b.feel_safe(pair.relationship)
    # Steps 1-4: double taps.
    await save_entry_twice(pair, result, a)
    await double_tap(pair, result, a, "pause/", {}, "pause_changed", (True, False))
    await double_tap(pair, result, a, "resume/", {}, "pause_changed", (False, False))
    await double_tap(pair, result, a, "ready/", {"ready": "yes"}, "ready_changed", (False, True))
    await double_tap(pair, result, a, "ready/", {"ready": "no"}, "ready_changed", (False, False))
    # Both ready at once: step 5 begins exactly once.
    before = pair.last_seq()
    await pair.fire(
        (a, pair.path + "ready/", {"ready": "yes"}), (b, pair.path + "ready/", {"ready": "yes"})
    )
    begun = [k for k, _ in pair.events_since(before) if k == "together_changed"]
    if pair.phase() != ("together", "considerations") or len(begun) != 1:
        result.fail(
            f"both ready at once: {pair.phase()} with {len(begun)} begin events",
            f"relationship {pair.relationship}",
        )
        return
    # Step 5: everyone presses done twice with the same phase.
    both_done = [
        done(a, pair, "considerations"),
        done(a, pair, "considerations"),
        done(b, pair, "considerations"),
        done(b, pair, "considerations"),
    ]
    await phase_race(pair, result, "done x4 (considerations)", both_done, "space")
    # A proposal, accepted twice at once.
    await a.expect(
        await a.post(
            pair.path + "together/propose/",
            {
                "phase": "space",
                "text": "the table",
                "choice": "indoors",
                "detail": "facing_each_other",
            },
            htmx=True,
        ),
        200,
    )
    pair.moves += 1
    proposal = form_value(await stage(b, pair), "proposal")
    accept = (b, pair.path + "together/accept/", {"phase": "space", "proposal": proposal})
    await phase_race(pair, result, "accept x2 (space)", [accept, accept], "intention")
    # Both propose at once; then the open proposal is accepted twice at once.
    propose = {"phase": "intention", "text": "Trust again."}
    await phase_race(
        pair,
        result,
        "propose x2 (intention)",
        [
            (a, pair.path + "together/propose/", propose),
            (b, pair.path + "together/propose/", propose),
        ],
        "intention",
    )
    for person in (a, b):  # whoever did not make the open proposal can accept it
        page = await stage(person, pair)
        if 'name="proposal"' in page:
            accept = (
                person,
                pair.path + "together/accept/",
                {"phase": "intention", "proposal": form_value(page, "proposal")},
            )
            await phase_race(pair, result, "accept x2 (intention)", [accept, accept], "agreements")
            break
    else:
        result.fail("propose x2 (intention): nobody can accept the open proposal")
        return
    for phase, following in (("agreements", "tips"), ("tips", "listening")):
        calls = [
            done(a, pair, phase),
            done(b, pair, phase),
            done(a, pair, phase),
            done(b, pair, phase),
        ]
        await phase_race(pair, result, f"done x4 ({phase})", calls, following)
    # Step 5: double taps of pause, resume and ready.
    await double_tap(pair, result, b, "pause/", {}, "pause_changed", (True, False))
    await double_tap(pair, result, b, "resume/", {}, "pause_changed", (False, False))
    await double_tap(pair, result, b, "ready/", {"ready": "yes"}, "ready_changed", (False, True))


async def run(server: TendServer, moves: int, result: Result) -> None:
    couples = max(1, -(-moves // MOVES_PER_COUPLE))
    gate = asyncio.Semaphore(AT_ONCE)
    pairs: list[Couple] = []

    async def one(index: int) -> None:
        async with gate:
            try:
                a, b, relationship = await couple(server.url, f"r{index:03d}")
                pair = Couple(server, a, b, relationship)
                pairs.append(pair)
                await rounds(pair, result)
            except Refusal as refusal:
                result.fail(f"couple failed: {str(refusal)[:200]}")
            except Exception as error:
                result.fail(f"couple error: {error!r}"[:300])

    began = time.monotonic()
    await asyncio.wait_for(asyncio.gather(*(one(i) for i in range(couples))), timeout=1200)
    for pair in pairs:
        for person in (pair.a, pair.b):
            for error in person.server_errors:
                result.fail(f"5xx: {error}")
            await person.aclose()
    for problem in gaps(server):
        result.fail(f"event log gap: {problem}")
    for block in server.tracebacks():
        result.fail(f"server log: {block.splitlines()[0][:200]}", block)
    result.counts.update(
        couples=couples,
        moves=sum(p.moves for p in pairs),
        errors=len(result.failures) + sum(result.known.values()),
        seconds=round(time.monotonic() - began, 1),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--moves", type=int, default=env_int("STRESS_RACE_MOVES", 1000))
    args = parser.parse_args()
    result = Result("race", args.database)
    with tend_server(args.database, TEND_DB_POOL_SIZE="40") as server:
        asyncio.run(run(server, args.moves, result))
    result.emit()
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())

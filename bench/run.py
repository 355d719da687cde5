"""`make bench`: tend against a bare Django project on the same uvicorn, in one run.

Each measure runs on tend, then on the bare baseline (bench/bare/), one after the
other, and prints tend's figure, bare's, their ratio and the load average at that
moment; everything is also written to bench/results/<UTC time>.json. Loopback only;
every wait is bounded and the run stops by itself (about 10 minutes; `--quick` or
BENCH_QUICK=1: about 3). See bench/README.md for how to read it.

    uv run python bench/run.py [--quick] [--only NAME ...] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gzip
import json
import os
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import httpx
from harness import (
    ROOT,
    STATIC_ROOT,
    Person,
    cpu_seconds,
    percentile,
    relationship_of,
    rss_kb,
    threads,
)
from tests.e2e.servers import free_port, fresh_database, server_env
from wire import BROWSER_ENCODINGS, Connection, Streams

BARE = Path(__file__).resolve().parent / "bare"
RESULTS = Path(__file__).resolve().parent / "results"
KEEPALIVE = 10  # seconds, for both servers: an idle window sees every stream's keep-alive
HOST = "127.0.0.1"
MEASURES = ("startup", "weight", "mix", "idle", "latency", "postgres")


@dataclass
class Plan:
    idle_streams: tuple[int, ...]
    latency_streams: tuple[int, ...]
    events: int
    mix_seconds: float
    restarts: int
    members: int


FULL = Plan((1000, 3000, 10000), (10, 200), 50, 15, 9, 11)
QUICK = Plan((1000,), (10, 200), 15, 5, 1, 3)


# -- servers ---------------------------------------------------------------------------


@dataclass
class Proc:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"


def _await_health(proc: Proc, timeout: float = 240.0) -> float:
    """Seconds until /healthz answered 200 (polled every 20 ms)."""
    began = time.perf_counter()
    while time.perf_counter() - began < timeout:
        if proc.process.poll() is not None:
            raise RuntimeError(f"{proc.name} exited:\n{proc.log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{proc.url}/healthz", timeout=1).status_code == 200:
                return time.perf_counter() - began
        except httpx.HTTPError:
            pass
        time.sleep(0.02)
    raise RuntimeError(f"{proc.name} did not answer /healthz in {timeout:.0f} s")


def start(name: str, command: list[str], env: dict[str, str], log: Path) -> tuple[Proc, float]:
    port = free_port()
    began = time.perf_counter()
    with log.open("ab") as out:
        process = subprocess.Popen(
            [*command, "--port", str(port)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    proc = Proc(name, process, port, log)
    _await_health(proc)
    return proc, time.perf_counter() - began


def stop(proc: Proc) -> None:
    if proc.process.poll() is None:
        proc.process.send_signal(signal.SIGTERM)
        try:
            proc.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.process.kill()
            proc.process.wait(timeout=5)


TEND = [sys.executable, "-m", "tend.cli", "serve", "--graceful-timeout", "1"]
BARE_CMD = [
    sys.executable,
    "-m",
    "uvicorn",
    "asgi:application",
    "--app-dir",
    str(BARE),
    "--lifespan",
    "off",
    "--http",
    "httptools",
    "--log-level",
    "warning",
]


def tend_env(data_dir: Path, database_url: str | None = None, **extra: str) -> dict[str, str]:
    return server_env(
        data_dir,
        database_url,
        TEND_LOG_LEVEL="WARNING",
        TEND_SERVER_LOG_LEVEL="warning",
        TEND_KEEPALIVE_SECONDS=str(KEEPALIVE),
        TEND_MAX_STREAMS="30000",
        TEND_STREAMS_PER_SESSION="1000",
        TEND_STREAMS_PER_ACCOUNT="1000",
        TEND_DB_POOL_SIZE="20",
        TEND_STATIC_ROOT=str(STATIC_ROOT),
        **extra,
    )


def bare_env(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    env = server_env(data_dir, database_url)
    env.update(BARE_DATA_DIR=str(data_dir), BARE_KEEPALIVE_SECONDS=str(KEEPALIVE))
    env["PYTHONPATH"] = str(BARE)
    env["DJANGO_SETTINGS_MODULE"] = "settings"
    subprocess.run(
        [sys.executable, str(BARE / "manage.py"), "migrate", "-v", "0"], env=env, check=True
    )
    return env


# -- results -------------------------------------------------------------------------


class Report:
    def __init__(self, quick: bool) -> None:
        self.rows: list[dict[str, object]] = []
        self.started = datetime.now(UTC)
        self.quick = quick

    def add(self, measure: str, unit: str, tend: float | None, bare: float | None) -> None:
        ratio = tend / bare if tend is not None and bare else None
        load = os.getloadavg()[0]
        self.rows.append(
            {
                "measure": measure,
                "unit": unit,
                "tend": tend,
                "bare": bare,
                "ratio": ratio,
                "load_average": round(load, 2),
            }
        )
        shown = [f"{v:10.1f}" if isinstance(v, float | int) else f"{'—':>10}" for v in (tend, bare)]
        ratio_text = f"{ratio:7.2f}x" if ratio is not None else f"{'—':>8}"
        print(
            f"{measure:<62} {unit:<7}{shown[0]}{shown[1]} {ratio_text}  load {load:.2f}", flush=True
        )

    def note(self, text: str) -> None:
        self.rows.append({"note": text})
        print(f"  {text}", flush=True)

    def save(self) -> Path:
        RESULTS.mkdir(exist_ok=True)
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip()
        path = RESULTS / f"{self.started:%Y%m%dT%H%M%SZ}.json"
        path.write_text(
            json.dumps(
                {
                    "started": self.started.isoformat(),
                    "commit": commit,
                    "quick": self.quick,
                    "cores": os.cpu_count(),
                    "keepalive_seconds": KEEPALIVE,
                    "rows": self.rows,
                    "load_average_end": os.getloadavg(),
                },
                indent=1,
            )
        )
        return path


def cookie_of(person: Person) -> str:
    return "; ".join(f"{name}={value}" for name, value in person.client.cookies.items())


def ms(values: list[float], p: float) -> float:
    return percentile(values, p) * 1000


# -- measures ------------------------------------------------------------------------


def measure_startup(
    report: Report,
    plan: Plan,
    tend: Proc,
    tend_env_: dict[str, str],
    bare: Proc,
    bare_env_: dict[str, str],
) -> tuple[Proc, Proc]:
    """Restart to first 200 on /healthz, interleaved, the median of `plan.restarts`."""
    tend_times, bare_times = [], []
    for _ in range(plan.restarts):
        stop(tend)
        tend, seconds = start("tend", TEND, tend_env_, tend.log)
        tend_times.append(seconds)
        stop(bare)
        bare, seconds = start("bare", BARE_CMD, bare_env_, bare.log)
        bare_times.append(seconds)
    report.add(
        "restart to first 200 on /healthz (median)",
        "s",
        percentile(tend_times, 50),
        percentile(bare_times, 50),
    )
    report.note(
        f"{plan.restarts} restarts each: tend {min(tend_times):.2f}-{max(tend_times):.2f} s, "
        f"bare {min(bare_times):.2f}-{max(bare_times):.2f} s"
    )
    return tend, bare


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.icons: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        rel = set(a.get("rel", "").split())
        if tag == "script" and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "link" and rel & {"stylesheet", "manifest", "preload", "modulepreload"}:
            self.urls.append(a["href"])
        elif tag == "link" and "icon" in rel:
            self.icons.append((a["href"], a.get("type", "")))


async def measure_weight(report: Report, tend: Proc, pages: dict[str, tuple[str, str]]) -> None:
    """A first visit to each page as Chromium fetches it: the page, its scripts and
    stylesheets, the manifest and one icon (the SVG), each as compressed as Chromium
    accepts; bodies, and bodies with response headers (HTTP/1.1)."""
    headers = {"Accept-Encoding": BROWSER_ENCODINGS}
    worst = 0
    for label, (path, cookie) in pages.items():
        conn = Connection(HOST, tend.port, cookie)
        page = await conn.request("GET", path, headers=headers)
        html = (
            gzip.decompress(page.body)
            if page.headers.get("content-encoding") == "gzip"
            else page.body
        )
        found = _Assets()
        found.feed(html.decode())
        svg = [href for href, kind in found.icons if kind == "image/svg+xml"]
        icon = svg[:1] or [href for href, _ in found.icons[:1]]
        body, head, revalidate = len(page.body), page.head_bytes, 0
        for url in [*found.urls, *icon]:
            asset = await conn.request("GET", url, headers=headers)
            body += len(asset.body)
            head += asset.head_bytes
            if "immutable" not in asset.headers.get("cache-control", ""):
                revalidate += 1
        await conn.close()
        worst = max(worst, body)
        report.add(f"page weight, first visit: {label}", "KB", body / 1000, None)
        report.note(
            f"{label}: {len(found.urls) + len(icon) + 1} requests, {(body + head) / 1000:.1f} KB "
            f"with response headers; {revalidate} static file(s) without immutable caching"
        )
    report.add("page weight, heaviest first visit", "KB", worst / 1000, None)


async def _mix(
    port: int, paths: list[str], cookies: list[str], seconds: float, concurrency: int = 20
) -> tuple[float, list[float], int]:
    times: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def worker(index: int) -> None:
        nonlocal errors
        conn = Connection(HOST, port, cookies[index % len(cookies)])
        turn = index
        while time.perf_counter() < deadline:
            path = paths[turn % len(paths)]
            turn += 1
            began = time.perf_counter()
            try:
                response = await conn.request(
                    "GET", path, headers={"Accept-Encoding": BROWSER_ENCODINGS}
                )
            except (OSError, asyncio.IncompleteReadError):
                errors += 1
                await conn.close()
                continue
            times.append(time.perf_counter() - began)
            if response.status != 200:
                errors += 1
        await conn.close()

    began = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(concurrency)))
    return len(times) / (time.perf_counter() - began), times, errors


async def measure_mix(
    report: Report,
    plan: Plan,
    tend: Proc,
    tend_paths: list[str],
    tend_cookies: list[str],
    bare: Proc,
    bare_cookie: str,
) -> None:
    """Signed-in pages at concurrency 20 (kept-alive connections), against bare's page
    that reads its session. Also the server's CPU time per request (all its threads):
    on a shared machine it moves less with the load than throughput does."""
    await _mix(tend.port, tend_paths, tend_cookies, 2)  # warm up
    await _mix(bare.port, ["/"], [bare_cookie], 2)
    tend_cpu = cpu_seconds(tend.pid)
    tend_rate, tend_times, tend_errors = await _mix(
        tend.port, tend_paths, tend_cookies, plan.mix_seconds
    )
    tend_cpu = cpu_seconds(tend.pid) - tend_cpu
    bare_cpu = cpu_seconds(bare.pid)
    bare_rate, bare_times, bare_errors = await _mix(
        bare.port, ["/"], [bare_cookie], plan.mix_seconds
    )
    bare_cpu = cpu_seconds(bare.pid) - bare_cpu
    report.add("page mix, concurrency 20: throughput", "req/s", tend_rate, bare_rate)
    report.add("page mix, concurrency 20: p50", "ms", ms(tend_times, 50), ms(bare_times, 50))
    report.add("page mix, concurrency 20: p99", "ms", ms(tend_times, 99), ms(bare_times, 99))
    report.add(
        "page mix: server CPU per request",
        "ms",
        tend_cpu / len(tend_times) * 1000,
        bare_cpu / len(bare_times) * 1000,
    )
    if tend_errors or bare_errors:
        report.note(f"errors: tend {tend_errors}, bare {bare_errors}")


async def _idle(
    proc: Proc, path: str, cookies: list[str], levels: tuple[int, ...], deadline: float
) -> list[tuple[int, float, float, int, float, int]]:
    """For each level: (streams, KB per stream, idle CPU % of a core, threads,
    seconds to open, streams open)."""
    await asyncio.sleep(1)
    base = rss_kb(proc.pid)
    streams = Streams(HOST, proc.port, path, cookies)
    out = []
    opened_seconds = 0.0
    try:
        for level in levels:
            if time.perf_counter() > deadline:
                break
            opened_seconds += await streams.open(
                level - streams.opened, timeout=max(10, deadline - time.perf_counter())
            )
            await asyncio.sleep(KEEPALIVE + 2)  # every stream past one keep-alive
            cpu_before, window = cpu_seconds(proc.pid), time.perf_counter()
            await asyncio.sleep(KEEPALIVE)
            cpu = (cpu_seconds(proc.pid) - cpu_before) / (time.perf_counter() - window) * 100
            rss = rss_kb(proc.pid)
            out.append(
                (
                    level,
                    (rss - base) / max(1, streams.opened),
                    cpu,
                    threads(proc.pid),
                    opened_seconds,
                    streams.opened,
                )
            )
            if streams.opened < level:
                break
    finally:
        await streams.close()
    return out


async def measure_idle(
    report: Report,
    plan: Plan,
    tend: Proc,
    tend_path: str,
    tend_cookies: list[str],
    bare: Proc,
    budget: float,
) -> None:
    """Idle streams: server memory per stream and CPU, after a keep-alive round."""
    half = budget / 2
    tend_rows = await _idle(
        tend, tend_path, tend_cookies, plan.idle_streams, time.perf_counter() + half
    )
    bare_rows = await _idle(bare, "/events/", [""], plan.idle_streams, time.perf_counter() + half)
    for t, b in zip(tend_rows, bare_rows, strict=False):
        level = t[0]
        report.add(f"idle streams, {level}: server memory per stream", "KB", t[1], b[1])
        report.add(
            f"idle streams, {level}: server CPU (keep-alive {KEEPALIVE} s)", "% core", t[2], b[2]
        )
        report.add(f"idle streams, {level}: seconds to open", "s", t[4], b[4])
        report.note(
            f"{level} streams: open tend {t[5]}, bare {b[5]}; "
            f"server threads tend {t[3]}, bare {b[3]}"
        )


@dataclass
class Action:
    """One POST that makes one event, and the event number it makes."""

    port: int
    path: Callable[[int], str]
    body: Callable[[int], bytes]
    cookie: str
    expect: int
    seq: int
    # POSTs sent so far, over every measure: tend's pause and resume must alternate
    # across them (a pause after a pause makes no event, and every later one is missed).
    posts: int = 0


async def _propagation(
    side: tuple[Proc, Proc, Action, str, list[str]], count: int, events: int
) -> tuple[list[float], list[float], int, int]:
    streams_at, _, action, stream_path, cookies = side
    streams = Streams(HOST, streams_at.port, stream_path, cookies)
    await streams.open(count, timeout=120)
    conn = Connection(HOST, action.port, action.cookie)
    delays: list[float] = []
    posts: list[float] = []
    missing = 0
    try:
        for i in range(events + 3):
            action.seq += 1
            path = action.path(action.posts)
            action.posts += 1
            sent_at = [0.0]
            response = await conn.request(
                "POST",
                path,
                action.body(action.seq),
                {"Content-Type": "application/x-www-form-urlencoded"},
                sent=lambda sent_at=sent_at: sent_at.__setitem__(0, time.perf_counter()),
            )
            answered = time.perf_counter()
            if response.status != action.expect:
                raise RuntimeError(f"POST {path} answered {response.status}")
            arrived = await streams.wait_for(action.seq, 15)
            if i < 3:
                continue  # warm-up
            posts.append(answered - sent_at[0])
            missing += 0 if arrived else streams.opened - len(streams.arrivals[action.seq])
            delays += [at - sent_at[0] for at in streams.arrivals[action.seq]]
            await asyncio.sleep(0.02)
    finally:
        await conn.close()
        opened = streams.opened
        await streams.close()
    return delays, posts, missing + streams.gaps, opened


async def measure_latency(
    report: Report,
    plan: Plan,
    label: str,
    tend: tuple[Proc, Proc, Action, str, list[str]],
    bare: tuple[Proc, Proc, Action, str, list[str]],
    floor: tuple[Proc, Proc, Action, str, list[str]],
) -> None:
    """tend's move against bare's least action (session, CSRF, one write), and also
    against bare's empty POST (`floor`: nothing but the wake-up)."""
    for count in plan.latency_streams:
        td, tp, tm, to = await _propagation(tend, count, plan.events)
        bd, bp, bm, bo = await _propagation(bare, count, plan.events)
        # Bare's two POSTs number one sequence, its server's.
        floor[2].seq = bare[2].seq
        fd, _, fm, fo = await _propagation(floor, count, plan.events)
        bare[2].seq = floor[2].seq
        for p in (50, 95, 99):
            report.add(
                f"{label}, {count} streams: POST sent → delivered p{p}", "ms", ms(td, p), ms(bd, p)
            )
        report.add(f"{label}, {count} streams: the POST itself p50", "ms", ms(tp, 50), ms(bp, 50))
        report.add(
            f"{label}, {count} streams: p99 against bare's empty POST",
            "ms",
            ms(td, 99),
            ms(fd, 99),
        )
        if tm or bm or fm or to < count or bo < count or fo < count:
            report.note(
                f"missing or out of order: tend {tm}, bare {bm}, bare's empty POST {fm}; "
                f"open: tend {to}, bare {bo}, {fo}"
            )


def tend_action(
    person: Person, port: int, relationship_id: int, repair_id: int, seq: int
) -> Action:
    base = f"/r/{relationship_id}/repairs/{repair_id}"
    token = urlencode({"csrfmiddlewaretoken": person.csrf}).encode()
    return Action(
        port,
        lambda i: f"{base}/{'pause' if i % 2 == 0 else 'resume'}/",
        lambda seq: token,
        cookie_of(person),
        302,
        seq,
    )


def bare_session(url: str) -> tuple[str, str]:
    """A bare session's cookies and the CSRF token its POSTs carry."""
    response = httpx.get(f"{url}/start/")
    return "; ".join(f"{k}={v}" for k, v in response.cookies.items()), response.text


def bare_action(port: int, session: tuple[str, str]) -> Action:
    cookie, token = session
    return Action(
        port,
        lambda i: "/fire/",
        lambda seq: urlencode({"seq": seq, "csrfmiddlewaretoken": token}).encode(),
        cookie,
        204,
        0,
    )


def bare_empty_action(port: int) -> Action:
    return Action(port, lambda i: "/fire/empty/", lambda seq: f"seq={seq}".encode(), "", 204, 0)


# -- the run -------------------------------------------------------------------------


@contextlib.contextmanager
def running(name: str, command: list[str], env: dict[str, str], log: Path) -> Iterator[list[Proc]]:
    """A started server, in a list so that a restart can replace it; stopped on exit."""
    holder = [start(name, command, env, log)[0]]
    try:
        yield holder
    finally:
        stop(holder[0])


def signed_in(url: str, members: int) -> tuple[list[Person], int, int]:
    from tests.e2e.servers import Server

    server = Server(url=url, log_path=Path(os.devnull), process=None, env={})  # type: ignore[arg-type]
    people, relationship_id = relationship_of(server, members)
    repair_id = people[0].open_repair(relationship_id)
    return people, relationship_id, repair_id


async def single(report: Report, plan: Plan, only: set[str], folder: Path, budget: float) -> None:
    tend_data, bare_data = folder / "tend", folder / "bare"
    tend_data.mkdir()
    bare_data.mkdir()
    t_env, b_env = tend_env(tend_data), bare_env(bare_data)
    with (
        running("tend", TEND, t_env, folder / "tend.log") as tend,
        running("bare", BARE_CMD, b_env, folder / "bare.log") as bare,
    ):
        print(
            f"tend pid {tend[0].pid}, bare pid {bare[0].pid}; SQLite, one process each", flush=True
        )
        if "startup" in only:
            tend[0], bare[0] = measure_startup(report, plan, tend[0], t_env, bare[0], b_env)
        people, rid, repair = signed_in(tend[0].url, plan.members)
        cookies = [cookie_of(p) for p in people]
        bare_signed_in = bare_session(bare[0].url)
        bare_cookie = bare_signed_in[0]
        if "weight" in only:
            anonymous = {
                name: (path, "")
                for name, path in (
                    ("landing", "/"),
                    ("log in", "/login/"),
                    ("sign up", "/signup/"),
                    ("help", "/help/"),
                )
            }
            mine = {
                name: (path, cookies[0])
                for name, path in (
                    ("relationships", "/home/"),
                    ("relationship", f"/r/{rid}/"),
                    ("repair", f"/r/{rid}/repairs/{repair}/"),
                    ("you (profile)", "/profile/"),
                    ("notifications", "/notifications/"),
                )
            }
            await measure_weight(report, tend[0], {**anonymous, **mine})
        if "mix" in only:
            paths = [
                "/home/",
                f"/r/{rid}/",
                f"/r/{rid}/repairs/{repair}/",
                f"/r/{rid}/members/",
                f"/r/{rid}/repair/",
            ]
            await measure_mix(report, plan, tend[0], paths, cookies, bare[0], bare_cookie)
        seq = people[0].last_seq(rid)
        if "latency" in only:
            stream = f"/r/{rid}/events/?last_event_id={seq}"
            action = tend_action(people[0], tend[0].port, rid, repair, seq)
            await measure_latency(
                report,
                plan,
                "one process (SQLite)",
                (tend[0], tend[0], action, stream, cookies),
                (
                    bare[0],
                    bare[0],
                    bare_action(bare[0].port, bare_signed_in),
                    "/events/",
                    [bare_cookie],
                ),
                (bare[0], bare[0], bare_empty_action(bare[0].port), "/events/", [bare_cookie]),
            )
            seq = action.seq
        if "idle" in only:
            # Streams spread over the members: each account may hold 1,000.
            await measure_idle(
                report,
                plan,
                tend[0],
                f"/r/{rid}/events/?last_event_id={people[0].last_seq(rid)}",
                cookies[1:] or cookies,
                bare[0],
                budget,
            )
        for person in people:
            person.close()


async def two_processes(report: Report, plan: Plan, postgres: str, folder: Path) -> None:
    with fresh_database(postgres) as tend_db, fresh_database(postgres) as bare_db:
        data = folder / "pg"
        data.mkdir()
        t_env = tend_env(data, tend_db, TEND_SECRET_KEY=secrets.token_urlsafe(50))
        b_env = bare_env(data, bare_db)
        with (
            running("tend-1", TEND, t_env, folder / "pg-tend-1.log") as one,
            running("tend-2", TEND, t_env, folder / "pg-tend-2.log") as two,
            running("bare-1", BARE_CMD, b_env, folder / "pg-bare-1.log") as bare_one,
            running("bare-2", BARE_CMD, b_env, folder / "pg-bare-2.log") as bare_two,
        ):
            people, rid, repair = signed_in(one[0].url, 2)
            cookies = [cookie_of(p) for p in people]
            seq = people[0].last_seq(rid)
            await measure_latency(
                report,
                plan,
                "two processes (PostgreSQL)",
                (
                    two[0],
                    one[0],
                    tend_action(people[0], one[0].port, rid, repair, seq),
                    f"/r/{rid}/events/?last_event_id={seq}",
                    cookies,
                ),
                (
                    bare_two[0],
                    bare_one[0],
                    bare_action(bare_one[0].port, bare_session(bare_one[0].url)),
                    "/events/",
                    [""],
                ),
                (bare_two[0], bare_one[0], bare_empty_action(bare_one[0].port), "/events/", [""]),
            )
            for person in people:
                person.close()


def _postgres_reachable(url: str) -> bool:
    import psycopg

    try:
        psycopg.connect(url, connect_timeout=3).close()
        return True
    except psycopg.Error:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        default=os.environ.get("BENCH_QUICK") == "1",
        help="a ~3 minute run: 1,000 idle streams, fewer events and restarts",
    )
    parser.add_argument("--only", nargs="+", choices=MEASURES, default=list(MEASURES))
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="PostgreSQL server for the two-process measure (a fresh database is made)",
    )
    args = parser.parse_args()
    plan = QUICK if args.quick else FULL
    only = set(args.only)
    # Thousands of sockets: in this process, and in the servers it starts (inherited).
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    # The whole run is bounded, whatever happens.
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(TimeoutError("bench deadline")))
    signal.alarm(600 if args.quick else 1200)
    report = Report(args.quick)
    print(f"{'measure':<62} {'unit':<7}{'tend':>10}{'bare':>10} {'ratio':>8}", flush=True)
    folder = Path(tempfile.mkdtemp(prefix="tend-bench-"))
    try:
        if only - {"postgres"}:
            asyncio.run(single(report, plan, only, folder, 200 if args.quick else 400))
        if "postgres" in only:
            if _postgres_reachable(args.postgres):
                asyncio.run(two_processes(report, plan, args.postgres, folder))
            else:
                report.note(
                    f"PostgreSQL not reachable at {args.postgres}: two-process measure skipped"
                )
    finally:
        signal.alarm(0)
        print(f"results: {report.save()}")
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

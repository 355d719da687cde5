"""What the benchmarks share: a real `tend serve`, people acting over HTTP, figures.

The server is started with the end-to-end tests' own starter (tests/e2e/servers.py):
a subprocess on a free loopback port, SQLite in a temporary data folder, or a fresh
PostgreSQL database made for the run and dropped afterwards. People sign up, create
relationships and accept invitations through the ordinary forms, like a browser.
"""

from __future__ import annotations

import contextlib
import html
import math
import os
import re
import secrets
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.e2e.servers import Server, fresh_database, run_server, server_env  # noqa: E402

PASSWORD = "a calm long walk"
STATIC_ROOT = ROOT / "var" / "static"
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@contextlib.contextmanager
def tend_server(postgres: str | None = None, **env: str) -> Iterator[Server]:
    """A running `tend serve`; stopped (and its database dropped) on exit."""
    with tempfile.TemporaryDirectory(prefix="tend-bench-") as folder:
        data_dir = Path(folder)
        settings = {
            # Quiet logs: an access-log line per request would be part of the figures.
            "TEND_LOG_LEVEL": "WARNING",
            "TEND_SERVER_LOG_LEVEL": "warning",
            # The checkout's collected static files (as `make serve`'s), not a new copy.
            "TEND_STATIC_ROOT": str(STATIC_ROOT),
            **env,
        }
        log = data_dir / "server.log"
        with contextlib.ExitStack() as stack:
            database_url = stack.enter_context(fresh_database(postgres)) if postgres else None
            yield stack.enter_context(
                run_server(server_env(data_dir, database_url, **settings), log)
            )


def _status(pid: int, name: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{name}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {name} for process {pid}")


def rss_kb(pid: int) -> int:
    """The resident memory of a process, in KB (VmRSS in /proc/<pid>/status)."""
    return _status(pid, "VmRSS")


def threads(pid: int) -> int:
    """How many OS threads a process runs (Threads in /proc/<pid>/status)."""
    return _status(pid, "Threads")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (/proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def load_average() -> str:
    """The machine's 1-minute load average and cores: other work skews every figure."""
    return f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (nearest rank) of `values`."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def summary_ms(values: Sequence[float]) -> str:
    """p50 / p95 / p99 / max of durations in seconds, written in milliseconds."""
    figures = [percentile(values, p) for p in (50, 95, 99)] + [max(values, default=math.nan)]
    return "p50 {:.1f}  p95 {:.1f}  p99 {:.1f}  max {:.1f} ms".format(
        *(value * 1000 for value in figures)
    )


class Person:
    """One person's browser: a cookie jar, and the CSRF token of their session."""

    def __init__(self, server: Server, name: str) -> None:
        self.name = name
        self.email = f"{name.lower()}-{secrets.token_hex(4)}@bench.test"
        self.client = httpx.Client(base_url=server.url, timeout=30)
        self.csrf = ""

    def close(self) -> None:
        self.client.close()

    def _refresh_csrf(self, page: str) -> None:
        match = _CSRF.search(page)
        if match:
            self.csrf = match.group(1)

    def get(self, path: str) -> httpx.Response:
        response = self.client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{self.name}: GET {path} answered {response.status_code}")
        self._refresh_csrf(response.text)
        return response

    def post(self, path: str, data: dict[str, str] | None = None) -> httpx.Response:
        """A form post with the session's CSRF token (a masked token stays valid for as
        long as the session's CSRF secret does, so one read serves many posts)."""
        return self.client.post(path, data={**(data or {}), "csrfmiddlewaretoken": self.csrf})

    def sign_up(self) -> None:
        self.get("/signup/")
        response = self.post(
            "/signup/", {"display_name": self.name, "email": self.email, "password": PASSWORD}
        )
        if response.status_code != 302:
            raise RuntimeError(f"{self.name}: sign-up answered {response.status_code}")
        # Signing in rotates the CSRF secret: read a fresh token.
        self.get("/home/")

    def create_relationship(self, name: str) -> int:
        response = self.post("/r/new/", {"name": name, "kind": "friend"})
        match = re.fullmatch(r"/r/(\d+)/", response.headers.get("location", ""))
        if response.status_code != 302 or not match:
            raise RuntimeError(f"creating a relationship answered {response.status_code}")
        return int(match.group(1))

    def invitation_path(self, relationship_id: int) -> str:
        response = self.post(f"/r/{relationship_id}/invitations/")
        match = re.search(r'<input[^>]*id="invite-url"[^>]*value="([^"]+)"', response.text)
        if response.status_code != 200 or not match:
            raise RuntimeError(f"making an invitation answered {response.status_code}")
        return httpx.URL(html.unescape(match.group(1))).path

    def accept(self, invitation_path: str) -> None:
        response = self.post(invitation_path)
        if response.status_code != 302:
            raise RuntimeError(f"{self.name}: accepting answered {response.status_code}")

    def open_repair(self, relationship_id: int) -> int:
        response = self.post(f"/r/{relationship_id}/repairs/open/", {"opening": "hurt"})
        match = re.match(rf"/r/{relationship_id}/repairs/(\d+)/", response.headers["location"])
        if response.status_code != 302 or not match:
            raise RuntimeError(f"opening a repair answered {response.status_code}")
        return int(match.group(1))

    def last_seq(self, relationship_id: int) -> int:
        page = self.get(f"/r/{relationship_id}/").text
        match = re.search(r'data-live-last="(\d+)"', page)
        if not match:
            raise RuntimeError("the relationship page names no last event")
        return int(match.group(1))


def relationship_of(server: Server, members: int) -> tuple[list[Person], int]:
    """`members` people who signed up; the first made a relationship the others joined."""
    people = [Person(server, f"Member{i}") for i in range(members)]
    for person in people:
        person.sign_up()
    relationship_id = people[0].create_relationship("Bench garden")
    for person in people[1:]:
        person.accept(people[0].invitation_path(relationship_id))
    return people, relationship_id

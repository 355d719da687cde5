"""`make stress`: the four suites on both databases, one after the other, then a summary.

Each suite runs as its own process (stress/<suite>.py --database <db>) and ends with one
STRESS-RESULT line, read here. Exits 1 when any suite failed other than by a failure
listed in stress/known.py; known ones are printed with their finding's name.

    STRESS_SUITES="fuzz crash race load"   which suites (default: all four)
    STRESS_DATABASES="sqlite postgres"     which databases (default: both)
    STRESS_FUZZ_CASES, STRESS_CRASH_RESTARTS, STRESS_RACE_MOVES, STRESS_LOAD_COUPLES
                                           the counts, per database (see README.md)
    STRESS_POSTGRES_URL                    where fresh databases are made (and dropped)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from stress.common import RESULT_PREFIX  # noqa: E402

# The counts each suite reports in the summary, in order.
SHOWN = {
    "fuzz": ("cases", "malformed_probes", "post_routes", "get_routes"),
    "crash": (
        "restarts",
        "writes",
        "acknowledged",
        "timed_out",
        "restart_p50_s",
        "in_flight_after_kill",
    ),
    "race": ("couples", "moves"),
    "load": (
        "couples",
        "completed",
        "requests",
        "busy_resent",
        "client_stall_resent",
        "header_timeouts",
        "streams",
        "p50_ms",
        "p99_ms",
        "max_ms",
    ),
}


def main() -> int:
    suites = os.environ.get("STRESS_SUITES", "fuzz crash race load").split()
    databases = os.environ.get("STRESS_DATABASES", "sqlite postgres").split()
    began = time.monotonic()
    rows: list[tuple[str, str, dict, float, int]] = []
    for suite in suites:
        for database in databases:
            print(f"\n######## {suite} on {database}", flush=True)
            start = time.monotonic()
            process = subprocess.Popen(
                [sys.executable, str(HERE / f"{suite}.py"), "--database", database],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            result: dict = {}
            assert process.stdout is not None
            for line in process.stdout:
                if line.startswith(RESULT_PREFIX):
                    result = json.loads(line[len(RESULT_PREFIX) :])
                elif "WARNING django.request" not in line:
                    print(line, end="", flush=True)
            code = process.wait()
            rows.append((suite, database, result, time.monotonic() - start, code))
    total = time.monotonic() - began
    print("\n======== make stress: summary")
    failed = False
    for suite, database, result, seconds, code in rows:
        counts = result.get("counts", {})
        shown = ", ".join(f"{k} {counts[k]:g}" for k in SHOWN[suite] if k in counts)
        known = result.get("known", {})
        failures = result.get("failures", [])
        ok = bool(result) and not failures and code == 0
        failed |= not ok
        status = "ok" if ok else "FAILED"
        print(
            f"{suite:6} {database:8} {status:6} {seconds:6.0f}s  {shown}; "
            f"errors {len(failures)} new, {sum(known.values())} known"
        )
        for finding, times in sorted(known.items()):
            print(f"         known: {finding} ({times}x)")
        for failure in failures:
            print(f"         NEW: {failure}")
        if not result:
            print(f"         the suite exited {code} without a result")
    print(f"total run time: {total / 60:.1f} min")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

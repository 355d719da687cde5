"""Page latency: how long the pages a member opens most take to answer.

Starts a real `tend serve` (SQLite in a temporary data folder, or with `--postgres URL`
a fresh database on that PostgreSQL server), signs two people up through the forms,
puts them in one relationship and opens a repair, then, as the first member, GETs each
page `--requests` times one after another and prints p50 / p95 / p99 / max and the size
of each page. /healthz (one database round trip, no session) is the floor.

Loopback only; it stops by itself. Run:
`uv run python bench/page_latency.py [--requests 200] [--postgres URL]`.
"""

from __future__ import annotations

import argparse
import time

from harness import load_average, relationship_of, summary_ms, tend_server

WARM_UP = 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="GETs per page (200)")
    parser.add_argument(
        "--postgres", metavar="URL", help="a PostgreSQL server URL; a fresh database is made"
    )
    args = parser.parse_args()
    if args.requests < 1:
        parser.error("--requests must be at least 1")

    with tend_server(args.postgres) as server:
        people, relationship_id = relationship_of(server, 2)
        repair_id = people[0].open_repair(relationship_id)
        repair = f"/r/{relationship_id}/repairs/{repair_id}/"
        pages = {
            "/healthz": "/healthz",
            "relationship page": f"/r/{relationship_id}/",
            "members fragment": f"/r/{relationship_id}/members/",
            "repair page": repair,
            "repair 'together' fragment": f"{repair}people/",
            "relationships list": "/home/",
        }
        client = people[0].client
        print(
            f"server: {'PostgreSQL' if args.postgres else 'SQLite'}; "
            f"{args.requests} sequential GETs per page, as a signed-in member; "
            f"{load_average()}"
        )
        for label, path in pages.items():
            for _ in range(WARM_UP):
                client.get(path)
            times = []
            size = 0
            for _ in range(args.requests):
                began = time.perf_counter()
                response = client.get(path)
                times.append(time.perf_counter() - began)
                if response.status_code != 200:
                    raise RuntimeError(f"GET {path} answered {response.status_code}")
                size = len(response.content)
            print(f"  {label:<28} {summary_ms(times)}  ({size / 1024:.1f} KB)")
        for person in people:
            person.close()
    print(f"done; {load_average()}")


if __name__ == "__main__":
    main()

"""A session ended through one app instance closes its streams on the other at once.

Two real `tend serve` processes on one PostgreSQL (see test_two_servers.py): the
session ends on one, the stream waits on the other, and only LISTEN/NOTIFY can tell
it in time (its own re-read comes at keep-alive, two minutes away).
"""

from __future__ import annotations

import json
import time

import httpx

from tests.e2e.servers import Server
from tests.live.test_two_servers import (
    EventStream,
    log_in,
    logs_on_failure,
    servers,
    sign_up,
    start_relationship,
    streams,
    submit,
)

__all__ = ["servers", "streams"]  # the fixtures, shared with test_two_servers.py

# Within a second of the end, with room for a busy test machine.
PROMPTLY = 3.0


def closes_promptly(stream: EventStream) -> float:
    started = time.monotonic()
    block = stream.next(timeout=PROMPTLY)
    assert json.loads(block["data"]) == {"kind": "closed"}, block
    return time.monotonic() - started


def test_signing_out_on_one_instance_closes_the_stream_on_the_other(
    servers: tuple[Server, Server], streams: list[EventStream]
) -> None:
    one, two = servers
    with (
        logs_on_failure(servers),
        httpx.Client(base_url=one.url) as ada_on_one,
        httpx.Client(base_url=two.url) as ada_on_two,
    ):
        ada = sign_up(ada_on_one, "Ada")
        relationship_id = start_relationship(ada_on_one, "Signing out")
        log_in(ada_on_two, ada)
        live = EventStream(two, ada_on_two.cookies, f"/r/{relationship_id}/events/")
        streams.append(live)
        live.wait_open()
        live.next()  # her own arrival, replayed

        # The same browser's sign-out reaches the first instance (a load balancer).
        with httpx.Client(base_url=one.url, cookies=ada_on_two.cookies) as same_browser:
            response = submit(same_browser, "/account/sessions/", {}, "/logout/")
        assert response.status_code == 302

        assert closes_promptly(live) < PROMPTLY


def test_signing_out_other_devices_closes_their_streams_on_the_other_instance(
    servers: tuple[Server, Server], streams: list[EventStream]
) -> None:
    one, two = servers
    with (
        logs_on_failure(servers),
        httpx.Client(base_url=one.url) as ada_on_one,
        httpx.Client(base_url=two.url) as ada_on_two,
    ):
        ada = sign_up(ada_on_one, "Ada")
        relationship_id = start_relationship(ada_on_one, "Other devices")
        log_in(ada_on_two, ada)
        live = EventStream(two, ada_on_two.cookies, f"/r/{relationship_id}/events/")
        streams.append(live)
        live.wait_open()
        live.next()  # her own arrival, replayed

        response = submit(ada_on_one, "/account/sessions/", {}, "/account/sessions/end-others/")
        assert response.status_code == 302

        assert closes_promptly(live) < PROMPTLY

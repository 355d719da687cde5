"""Streams that the browser closes end quietly: a real `tend serve`, 200 streams opened
and dropped (some mid-request), and not one traceback or warning in its log."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.servers import Server, fresh_database, run_server, server_env

# The churn itself is the benchmark's (bench/stream_churn.py, which can do 1,000).
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from stream_churn import run


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    base_url = os.environ.get("DATABASE_URL")
    env = {"TEND_LOG_LEVEL": "WARNING", "TEND_SERVER_LOG_LEVEL": "warning"}
    log = tmp_path / "server.log"
    if base_url:
        with (
            fresh_database(base_url) as database_url,
            run_server(server_env(tmp_path, database_url, **env), log) as running,
        ):
            yield running
    else:
        with run_server(server_env(tmp_path, None, **env), log) as running:
            yield running


def test_two_hundred_streams_opened_and_dropped_leave_no_traceback(server: Server) -> None:
    _took, trouble, log = run(server, streams=200, at_once=50)
    assert trouble == [], log[-5000:]

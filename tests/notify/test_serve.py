"""`tend serve` on the embedded default runs a worker beside the web server, and stops
it when the server stops (SIGTERM, as a service manager sends)."""

from tests.e2e.servers import run_server, server_env, stop


def test_the_worker_thread_starts_and_stops_with_tend_serve(tmp_path) -> None:
    log = tmp_path / "server.log"
    with run_server(server_env(tmp_path, None), log) as server:
        assert "notify: worker" in server.log_tail() and "started" in server.log_tail()
        stop(server)  # SIGTERM
        assert server.process.returncode == 0
    tail = server.log_tail()
    assert "Finished server process" in tail
    assert tail.rstrip().endswith("stopped"), tail

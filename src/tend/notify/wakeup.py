"""The in-process worker's wake-up: set when a task is queued, waited on when idle.

Its own module so that queueing (delivery) and working (worker) both reach it without
importing each other.
"""

import threading

_wake = threading.Event()


def wake() -> None:
    """Shortens an in-process worker's wait (a task was just queued)."""
    _wake.set()


def wait(timeout: float) -> None:
    _wake.wait(timeout)
    _wake.clear()

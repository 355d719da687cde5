"""SQLite for `tend serve`: writers wait their turn in one line, first come first served.

SQLite lets one transaction write at a time. Its own wait for that lock (the busy
timeout) is a poll with growing sleeps of up to 100 ms: a waiter sleeps through the
moments the lock is free, and whoever polls at the right moment goes first, so under
load some writers wait far longer than the rest, past the timeout, and fail with
"database is locked". Every writer of one server is a thread of the same process, so
here they first queue on a fair lock of this process: the write lock passes at once
to whoever has waited longest, and SQLite's own wait is left to other processes (the
command line). A wait longer than OPTIONS["timeout"] raises `Busy`, which tend answers
with a 503 and a Retry-After (tend.core.busy), never a 500.

A transaction takes its place in line at BEGIN (IMMEDIATE: it takes SQLite's write lock
there too) and leaves it at COMMIT or ROLLBACK; a write outside a transaction holds
its place for that one statement.
"""

import threading
import time
from collections import deque
from typing import Any

from django.db.backends.sqlite3 import base

from tend.core.busy import Busy

_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class Line:
    """A lock that is handed to the longest waiter (threading.Lock promises no order)."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._waiting: deque[threading.Lock] = deque()
        self._held = False

    def acquire(self, timeout: float) -> bool:
        with self._guard:
            if not self._held:
                self._held = True
                return True
            turn = threading.Lock()
            turn.acquire()
            self._waiting.append(turn)
        if turn.acquire(timeout=timeout):
            return True
        with self._guard:
            if turn in self._waiting:
                self._waiting.remove(turn)
                return False
        return True  # handed over just as the wait ran out: it is ours

    def release(self) -> None:
        with self._guard:
            if self._waiting:
                self._waiting.popleft().release()  # still held: now by the next in line
            else:
                self._held = False


_lines: dict[str, Line] = {}
_lines_guard = threading.Lock()


def line_for(name: str) -> Line:
    with _lines_guard:
        return _lines.setdefault(name, Line())


class DatabaseWrapper(base.DatabaseWrapper):
    _in_line = False
    # A shorter wait than OPTIONS["timeout"], for bookkeeping (tend.core.busy.briefly).
    line_patience: float | None = None

    def _line(self) -> Line:
        return line_for(str(self.settings_dict["NAME"]))

    def _wait_in_line(self) -> None:
        limit = self.line_patience
        if limit is None:
            limit = float(self.settings_dict["OPTIONS"].get("timeout", 5))
        began = time.monotonic()
        if not self._line().acquire(timeout=limit):
            raise Busy(time.monotonic() - began)
        self._in_line = True

    def _leave_line(self) -> None:
        if self._in_line:
            self._in_line = False
            self._line().release()

    def _start_transaction_under_autocommit(self) -> None:
        self._wait_in_line()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._leave_line()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()
        finally:
            self._leave_line()

    def _rollback(self) -> None:
        try:
            super()._rollback()
        finally:
            self._leave_line()

    def _close(self) -> None:
        try:
            super()._close()
        finally:
            self._leave_line()

    def create_cursor(self, name: str | None = None) -> "Cursor":
        cursor = self.connection.cursor(factory=Cursor)
        cursor.wrapper = self
        return cursor


class Cursor(base.SQLiteCursorWrapper):
    wrapper: DatabaseWrapper

    def execute(self, query: str, params: Any = None) -> Any:
        if self.wrapper._in_line or not _writes(query):
            return super().execute(query, params)
        self.wrapper._wait_in_line()
        try:
            return super().execute(query, params)
        finally:
            self.wrapper._leave_line()

    def executemany(self, query: str, param_list: Any) -> Any:
        if self.wrapper._in_line or not _writes(query):
            return super().executemany(query, param_list)
        self.wrapper._wait_in_line()
        try:
            return super().executemany(query, param_list)
        finally:
            self.wrapper._leave_line()


def _writes(query: str) -> bool:
    return query.lstrip()[:7].upper().startswith(_WRITES)

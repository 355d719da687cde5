"""When the database is too busy to take a write in time: a 503 that loses nothing.

Under a heavy load a write may wait in line longer than the database allows (SQLite's
one writer at a time, tend.core.sqlite; a full PostgreSQL pool). The transaction is
rolled back, so nothing was half saved; the person gets a page that says so, with a
Retry-After, and a button that sends the very same form again (what they typed is
kept in it, never logged; a password is never put back into a page). htmx does not
swap a 503 in, so a form posted with htmx simply stays as it was on the screen.
"""

import contextlib
import logging
from collections.abc import Iterator

from django.db import OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.deprecation import MiddlewareMixin

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5


class Busy(OperationalError):
    """No turn to write came within the time allowed. The words keep SQLite's own, so
    that code that checks for a locked database (django-tasks' worker) knows it too."""

    def __init__(self, waited: float) -> None:
        super().__init__(f"database is locked: no turn to write after {waited:.1f} s")
        self.waited = waited


# How long bookkeeping (a session's "last used", its device row) waits for a turn to
# write before it gives the turn up for the next request to try. Under load the line is
# people's own words and moves: a page held 20 s for a minute's timestamp, in a thread
# the others need, only made everyone's wait longer.
BOOKKEEPING_PATIENCE_SECONDS = 1.0


@contextlib.contextmanager
def briefly(seconds: float = BOOKKEEPING_PATIENCE_SECONDS) -> Iterator[None]:
    """Writes in this block wait at most `seconds` for SQLite's writer line (then
    `Busy`, nothing saved), rather than the usual limit. Only for writes that may be
    skipped and done at a later request; PostgreSQL has no such line."""
    previous = getattr(connection, "line_patience", None)
    connection.line_patience = seconds  # type: ignore[attr-defined]
    try:
        yield
    finally:
        connection.line_patience = previous  # type: ignore[attr-defined]


def is_busy(error: BaseException) -> bool:
    if isinstance(error, Busy):
        return True
    if not isinstance(error, OperationalError):
        return False
    # SQLite's own timeout (a writer in another process), or no pooled connection free.
    return "database is locked" in str(error) or type(error.__cause__).__name__ == "PoolTimeout"


class BusyMiddleware(MiddlewareMixin):
    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_busy(exception):
            return None
        log.warning("busy: 503 for %s %s (%s)", request.method, request.path, exception)
        session = getattr(request, "session", None)
        if session is not None:
            # Nothing is saved, the session neither: what the view set in it was for a
            # request that did not happen (a sign-in's new key, say, whose row was rolled
            # back), and saving it with the response would wait in the same busy line.
            session.modified = False
        fields = [
            (name, value)
            for name, values in request.POST.lists()
            if name != "csrfmiddlewaretoken" and "password" not in name
            for value in values
        ]
        response = render(
            request,
            "core/busy.html",
            {
                "fields": fields,
                "resend": request.method == "POST",
                "password_left_out": any("password" in name for name in request.POST),
                "seconds": RETRY_AFTER_SECONDS,
            },
            status=503,
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        # Said above as a warning: a busy moment is no ERROR with a traceback.
        response._has_been_logged = True  # type: ignore[attr-defined]
        return response

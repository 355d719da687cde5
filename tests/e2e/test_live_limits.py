"""A page whose live stream is replaced (too many open in one session) stops quietly:
no reload, which would only open yet another stream and replace the next, round and
round; it comes back when the person looks at it again."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Page

from tests.e2e.helpers import (
    assert_not_reloaded,
    mark_no_reload,
    person,
    sign_up_from_landing,
    start_relationship,
)
from tests.e2e.servers import Server

pytestmark = pytest.mark.e2e

# The session's limit on the e2e server (the default).
PER_SESSION = 8


def _is_stream(request: object) -> bool:
    return "/events/" in getattr(request, "url", "")


@contextlib.contextmanager
def newer_streams(page: Page, server: Server, path: str, count: int) -> Iterator[None]:
    """Streams of the page's own session, opened elsewhere (a browser keeps to six
    connections per server, so they cannot all come from the page)."""
    cookies = httpx.Cookies()
    for cookie in page.context.cookies():
        cookies.set(cookie["name"], cookie["value"])
    with contextlib.ExitStack() as stack:
        for _ in range(count):
            client = stack.enter_context(
                httpx.Client(base_url=server.url, cookies=cookies, timeout=30)
            )
            request = client.build_request("GET", path, headers={"Accept": "text/event-stream"})
            response = client.send(request, stream=True)
            stack.callback(response.close)
            assert response.status_code == 200
        yield


def test_a_replaced_page_stops_without_reloading_and_resumes_when_looked_at(
    new_context, server: Server
) -> None:
    page: Page = new_context()
    sign_up_from_landing(page, person("Ada"))
    relationship_id = start_relationship(page, "Many tabs", "Friend")
    # The page's own stream must be open before the newer ones, or it would not be the
    # oldest (on a busy machine the browser can be slower than the other clients).
    with page.expect_response(_is_stream):
        page.reload()
    mark_no_reload(page)

    # As many newer streams of this session: this page's, the oldest, is replaced. Its
    # request then ends as finished, or as failed when the page closes it first.
    ended: list[object] = []
    for kind in ("requestfinished", "requestfailed"):
        page.on(kind, lambda request: ended.append(request) if _is_stream(request) else None)
    with newer_streams(page, server, f"/r/{relationship_id}/events/", PER_SESSION):
        deadline = time.monotonic() + 15
        while not ended and time.monotonic() < deadline:
            page.wait_for_timeout(100)  # lets Playwright deliver the request's end
    assert ended, "the page's own stream was not replaced"

    # The page's own stream ended; the page is still the same page, not reloaded.
    assert_not_reloaded(page, "the replaced page")

    # Looked at again, it opens its stream anew.
    with page.expect_request(_is_stream):
        page.evaluate(
            """() => {
                Object.defineProperty(document, "visibilityState", {
                    configurable: true, get: () => "visible",
                });
                document.dispatchEvent(new Event("visibilitychange"));
            }"""
        )
    assert_not_reloaded(page, "the page coming back")

"""End-to-end harness: a real `tend serve` subprocess and real Chromium.

The tests act only through the browser (and HTTP): they never touch the database
of the test process, so they need none of pytest-django's database fixtures.
Every page a test visits goes through `check_a11y`, and every browser context is
watched for requests to another origin, console errors and CSP violations.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from tests.e2e.helpers import GUARDS, Guard
from tests.e2e.servers import Server, fresh_database, run_server, server_env

CHROMIUM = Path(os.environ.get("TEND_E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE: ViewportSize = {"width": 390, "height": 844}
# Expectations wait this long before failing; actions and navigations a little longer,
# for a busy 2-core machine.
EXPECT_TIMEOUT_MS = 10_000
ACTION_TIMEOUT_MS = 15_000
NAVIGATION_TIMEOUT_MS = 30_000


@pytest.fixture(scope="package")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One `tend serve` for the e2e package: SQLite in a temporary data folder, or a
    fresh PostgreSQL database when the run has DATABASE_URL (the PostgreSQL pass)."""
    data_dir = tmp_path_factory.mktemp("tend-e2e-data")
    log_path = data_dir / "server.log"
    base_url = os.environ.get("DATABASE_URL")
    if base_url:
        with fresh_database(base_url) as database_url:
            env = server_env(data_dir, database_url, TEND_LOG_LEVEL="WARNING")
            with run_server(env, log_path) as running:
                yield running
    else:
        env = server_env(data_dir, None, TEND_LOG_LEVEL="WARNING")
        with run_server(env, log_path) as running:
            yield running


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: the end-to-end tests need it "
            "(on Debian: apt-get install chromium). They never download a browser.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's async-safety
    # check would then refuse the test process's own (database-free) Django calls,
    # such as pytest-django resetting settings. Allowed only while the browser runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=60_000
        )
        try:
            yield launched
        finally:
            launched.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_context(browser: Browser, server: Server) -> Iterator[Callable[[], Page]]:
    """Makes a phone-sized browser context (one person's device) and returns its page."""
    contexts: list[BrowserContext] = []
    guards: list[Guard] = []

    def make(locale: str = "en-GB") -> Page:
        context = browser.new_context(
            base_url=server.url,
            viewport=PHONE,
            locale=locale,  # the browser's Accept-Language
            timezone_id="UTC",
            service_workers="block",
        )
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        guard = Guard(server.origin)
        GUARDS[id(context)] = guard
        guard.watch(context)
        page = context.new_page()
        contexts.append(context)
        guards.append(guard)
        return page

    yield make
    for context in contexts:
        GUARDS.pop(id(context), None)
        context.close()
    for guard in guards:
        guard.check()


@pytest.fixture(autouse=True)
def _e2e_expect_timeout() -> None:
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report: pytest.TestReport = yield
    running = getattr(item, "funcargs", {}).get("server")
    if report.failed and isinstance(running, Server):
        report.sections.append(("tend server log (last lines)", running.log_tail()))
    return report

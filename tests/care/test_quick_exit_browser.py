"""Quick exit and the help page in real Chromium: the button, Esc three times, no JavaScript,
a 320px screen, and axe (WCAG 2.2 AA) on the care pages.

The neutral site is answered by the browser context itself (a route), so no request
leaves the machine.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.e2e

CHROMIUM = Path(os.environ.get("TEND_E2E_CHROMIUM", "/usr/bin/chromium"))
NEUTRAL_ORIGIN = "https://neutral.example"
NEUTRAL = f"{NEUTRAL_ORIGIN}/weather"
NARROW = {"width": 320, "height": 640}
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    },
    "resultTypes": ["violations"],
}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}", pytrace=False)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django would then refuse
    # the test's own database calls (see tests/e2e/conftest.py).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
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


def _neutral(route: Route) -> None:
    route.fulfill(status=200, content_type="text/html", body="<title>Weather</title><p>Sunny")


@pytest.fixture
def open_context(browser: Browser, live_server, settings) -> Iterator:  # type: ignore[no-untyped-def]
    settings.QUICK_EXIT_URL = NEUTRAL
    contexts: list[BrowserContext] = []
    elsewhere: list[str] = []

    def make(**options) -> Page:  # type: ignore[no-untyped-def]
        context = browser.new_context(base_url=live_server.url, viewport=NARROW, **options)
        context.set_default_timeout(15_000)
        context.route(f"{NEUTRAL_ORIGIN}/**", _neutral)
        context.on(
            "request",
            lambda r: (
                None
                if r.url.startswith((live_server.url, NEUTRAL_ORIGIN, "data:", "about:"))
                else elsewhere.append(r.url)
            ),
        )
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
    assert elsewhere == [], "requests to another origin"


def log_in(page: Page, email: str) -> None:
    page.goto("/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/home/$"))
    page.wait_for_load_state("load")  # the deferred scripts have run


def check_a11y(page: Page) -> None:
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


def test_the_button_replaces_the_page_so_back_does_not_return_to_it(
    open_context, transactional_db
) -> None:
    page = open_context()
    page.goto("/help/")
    page.goto("/login/")
    length = page.evaluate("history.length")
    page.get_by_role("link", name="Quick exit").click()
    expect(page).to_have_url(NEUTRAL)
    # The tend page was replaced, not added to: same history length, and Back skips it.
    assert page.evaluate("history.length") == length
    page.go_back()
    expect(page).to_have_url(re.compile(r"/help/$"))


def test_escape_three_times_leaves_a_signed_in_page(open_context, transactional_db) -> None:
    make_user("ada")
    page = open_context()
    log_in(page, "ada@example.test")
    page.locator("body").press("Escape")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    expect(page).to_have_url(NEUTRAL)


def test_two_presses_or_slow_presses_do_not_leave(open_context, transactional_db) -> None:
    page = open_context()
    page.clock.install()
    page.goto("/help/")
    page.wait_for_load_state("load")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    assert page.evaluate("document.body.hidden") is False
    page.clock.fast_forward(1600)
    page.keyboard.press("Escape")  # the first two are too old now: this is one
    assert page.evaluate("document.body.hidden") is False
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    expect(page).to_have_url(NEUTRAL)


def test_the_page_is_blanked_before_it_is_left(open_context, transactional_db) -> None:
    page = open_context()
    # What the page looks like as it unloads, kept in tend's own storage to read after.
    page.add_init_script(
        "addEventListener('pagehide', () => localStorage.setItem('leaving', JSON.stringify(["
        "document.body.hidden, document.querySelectorAll('#main *').length, document.title])))"
    )
    page.goto("/help/?country=GB")
    page.get_by_role("link", name="Quick exit").click()
    expect(page).to_have_url(NEUTRAL)
    again = page.context.new_page()
    again.goto("/healthz")
    assert again.evaluate("JSON.parse(localStorage.getItem('leaving'))") == [True, 0, ""]


def test_without_javascript_the_button_is_a_plain_link_without_referrer(
    open_context, transactional_db
) -> None:
    page = open_context(java_script_enabled=False)
    referers: list[str | None] = []

    def neutral(route: Route) -> None:
        referers.append(route.request.headers.get("referer"))
        _neutral(route)

    page.route(f"{NEUTRAL_ORIGIN}/**", neutral)
    page.goto("/")
    page.get_by_role("link", name="Quick exit").click()
    expect(page).to_have_url(NEUTRAL)
    assert referers == [None]


def test_help_is_one_tap_away_logged_out(open_context, transactional_db) -> None:
    page = open_context()
    page.goto("/login/")
    page.get_by_role("navigation", name="Help and quick exit").get_by_role(
        "link", name="Get help now"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Get help now")
    page.get_by_label("Your country").select_option("US")
    page.get_by_role("button", name="Show help lines").click()
    expect(page.get_by_role("link", name="Call 988")).to_have_attribute("href", "tel:988")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_care_pages_fit_320px_with_big_targets_and_pass_axe(
    open_context, transactional_db, scheme: str
) -> None:
    make_user("ada")
    page = open_context(color_scheme=scheme)
    for url in ["/", "/signup/", "/help/", "/help/?country=GB", "/help/?country=IT"]:
        page.goto(url)
        _check_narrow_page(page)
    log_in(page, "ada@example.test")
    for url in ["/home/", "/help/?country=AU"]:
        page.goto(url)
        _check_narrow_page(page)


def _check_narrow_page(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"], page.url
    bar = page.get_by_role("navigation", name="Help and quick exit")
    for name in ("Get help now", "Quick exit"):
        box = bar.get_by_role("link", name=name).bounding_box()
        assert box and box["height"] >= 44 and box["width"] >= 44, (page.url, name, box)
    # Still in view at the bottom of the page.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    box = bar.get_by_role("link", name="Quick exit").bounding_box()
    assert box and 0 <= box["y"] < 60, (page.url, box)
    page.evaluate("window.scrollTo(0, 0)")
    check_a11y(page)


def test_the_quick_exit_has_a_description_and_a_visible_focus(
    open_context, transactional_db
) -> None:
    page = open_context()
    page.goto("/")
    link = page.get_by_role("link", name="Quick exit")
    expect(link).to_have_accessible_description(re.compile("does not clear your browser history"))
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # Get help now
    page.keyboard.press("Tab")
    expect(link).to_be_focused()
    assert link.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"

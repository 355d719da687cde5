"""Steps the e2e stories share: accessibility checks and the usual paths through pages."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request, expect

# WCAG 2.2 AA, as DESIGN.md asks.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    },
    "resultTypes": ["violations"],
}

_axe = Axe()


class Guard:
    """What a browser context did that the design forbids: requests to another
    origin, console errors (CSP violations are reported there) and page errors."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.problems: list[str] = []
        # (url, status) pairs a test expects, such as the 410 of a used invitation.
        self.expected_errors: set[tuple[str, int]] = set()

    def expect_error_status(self, url: str, status: int) -> None:
        self.expected_errors.add((url, status))

    def watch(self, context: BrowserContext) -> None:
        context.on("request", self._on_request)
        context.on("console", self._on_console)
        context.on("weberror", lambda error: self.problems.append(f"page error: {error.error}"))

    def _on_request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in {"data", "blob", "about"}:
            return
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin != self.origin:
            self.problems.append(f"request to another origin: {request.method} {request.url}")

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url", "") if message.location else ""
            # Chromium asks for /favicon.ico by itself; the page did not. (tend has no
            # favicon yet: see the e2e notes in the report.)
            if urlsplit(where).path == "/favicon.ico":
                return
            status = re.search(r"responded with a status of (\d+)", message.text)
            if status and (where, int(status.group(1))) in self.expected_errors:
                return
            self.problems.append(f"console error: {message.text} ({where})")

    def check(self) -> None:
        if self.problems:
            problems, self.problems = self.problems, []
            pytest.fail("The browser saw:\n  " + "\n  ".join(problems), pytrace=False)


GUARDS: dict[int, Guard] = {}


def guard_of(page: Page) -> Guard:
    return GUARDS[id(page.context)]


def expect_error_status(page: Page, url: str, status: int) -> None:
    """Lets the page load `url` with this 4xx status without it counting as an error
    (Chromium logs every 4xx document to the console)."""
    guard_of(page).expect_error_status(url, status)


def check_a11y(page: Page) -> None:
    """Fails on any axe-core violation on the page as it is now, and on anything the
    context's guard saw (another origin, console errors, CSP violations)."""
    page.wait_for_load_state("load")
    results = _axe.run(page, options=AXE_OPTIONS)
    violations = results.response["violations"]
    if violations:
        lines = [f"axe found {len(violations)} violation(s) on {page.url}:"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
            for node in violation["nodes"]:
                lines.append(f"    at {node['target']}: {node.get('html', '')[:200]}")
        pytest.fail("\n".join(lines), pytrace=False)
    guard_of(page).check()


@dataclass
class Person:
    name: str
    email: str
    password: str


def person(name: str) -> Person:
    # The server lives for the whole package: every test needs its own emails.
    tag = secrets.token_hex(4)
    return Person(
        name=name, email=f"{name.lower()}-{tag}@example.test", password="a calm long walk"
    )


def sign_up_from_landing(page: Page, who: Person) -> None:
    page.goto("/")
    check_a11y(page)
    page.get_by_role("link", name="Create an account").first.click()
    fill_sign_up(page, who)
    expect(page).to_have_url(re.compile(r"/home/$"))
    check_a11y(page)


def fill_sign_up(page: Page, who: Person) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    check_a11y(page)
    page.get_by_label("Your name, as others will see it").fill(who.name)
    page.get_by_label("Email").fill(who.email)
    page.get_by_label("Password").fill(who.password)
    page.get_by_role("button", name="Create my account").click()


def log_in(page: Page, who: Person) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    check_a11y(page)
    page.get_by_label("Email").fill(who.email)
    page.get_by_label("Password").fill(who.password)
    page.get_by_role("main").get_by_role("button", name="Log in").click()


def log_out(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Log out").click()


def start_relationship(page: Page, name: str, kind: str) -> int:
    """From the home page: starts a relationship and returns its id."""
    page.get_by_role("link", name="Start a relationship").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a relationship")
    check_a11y(page)
    page.get_by_label("A name for this relationship").fill(name)
    page.get_by_role("radio", name=kind).check()
    page.get_by_role("button", name="Start").click()
    expect(page).to_have_url(re.compile(r"/r/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    check_a11y(page)
    match = re.search(r"/r/(\d+)/$", page.url)
    assert match is not None
    return int(match.group(1))


def make_invitation(page: Page) -> str:
    """On a relationship page: makes an invitation link and returns it."""
    page.get_by_role("button", name="Make an invitation link").click()
    link = page.locator("#invite-url")
    expect(link).to_be_visible()
    expect(link).to_have_value(re.compile(r"/invite/[^/]+/$"))
    check_a11y(page)
    return link.input_value()

"""Steps the e2e stories share: accessibility checks and the usual paths through pages."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import translation
from django.utils.translation import gettext, pgettext
from playwright.sync_api import BrowserContext, ConsoleMessage, Locator, Page, Request, expect

from tend.repairs.events import RepairEvent

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


def tr(page: Page, text: str, context: str | None = None) -> str:
    """`text` as the page says it: its msgid translated into the page's language (its
    <html lang>), by the catalogues the server uses. English pages: `text` itself. The
    stories then run in any language, and cannot pass with English left on the page."""
    # A locator waits for the page's <html> (an evaluate in the middle of a navigation
    # can meet a document without one yet).
    language = page.locator("html").get_attribute("lang") or "en"
    with translation.override(language):
        return pgettext(context, text) if context else gettext(text)


def person(name: str) -> Person:
    # The server lives for the whole package: every test needs its own emails.
    tag = secrets.token_hex(4)
    return Person(
        name=name, email=f"{name.lower()}-{tag}@example.test", password="a calm long walk"
    )


def sign_up_from_landing(page: Page, who: Person) -> None:
    page.goto("/")
    check_a11y(page)
    page.get_by_role("link", name=tr(page, "Create an account")).first.click()
    fill_sign_up(page, who)
    expect(page).to_have_url(re.compile(r"/home/$"))
    check_a11y(page)


def fill_sign_up(page: Page, who: Person) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(page, "Create an account"))
    check_a11y(page)
    page.get_by_label(tr(page, "Your name, as others will see it")).fill(who.name)
    # By id: the labels are the model's field names ("email"), capitalised by the form.
    page.locator("#id_email").fill(who.email)
    page.locator("#id_password").fill(who.password)
    page.get_by_role("button", name=tr(page, "Create my account")).click()


def log_in(page: Page, who: Person) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    check_a11y(page)
    page.get_by_label("Email").fill(who.email)
    page.get_by_label("Password").fill(who.password)
    page.get_by_role("main").get_by_role("button", name="Log in").click()


def log_out(page: Page) -> None:
    """Logs out and waits for the landing page: the form is sent only once the device
    has forgotten its key, so a page opened at once would race with it."""
    with page.expect_navigation(url=re.compile(r"/$")):
        page.get_by_role("navigation", name="Main").get_by_role("button", name="Log out").click()


def start_relationship(page: Page, name: str, kind: str) -> int:
    """From the home page: starts a relationship and returns its id."""
    page.get_by_role("link", name=tr(page, "Start a relationship")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(page, "Start a relationship"))
    check_a11y(page)
    page.get_by_label(tr(page, "A name for this relationship")).fill(name)
    page.get_by_role("radio", name=tr(page, kind)).check()
    page.get_by_role("button", name=tr(page, "Start")).click()
    expect(page).to_have_url(re.compile(r"/r/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    check_a11y(page)
    match = re.search(r"/r/(\d+)/$", page.url)
    assert match is not None
    return int(match.group(1))


def make_invitation(page: Page) -> str:
    """On a relationship page: makes an invitation link and returns it."""
    page.get_by_role("button", name=tr(page, "Make an invitation link")).click()
    link = page.locator("#invite-url")
    expect(link).to_be_visible()
    expect(link).to_have_value(re.compile(r"/invite/[^/]+/$"))
    check_a11y(page)
    return link.input_value()


# --- Repairs: shared steps of the repair stories ----------------------------------------------

NO_RELOAD = "window.__tendNoReload = true"
NOT_RELOADED = "window.__tendNoReload === true"

NOT_ALL_YET = (
    "Not all of these yet, and that's okay. A little more time to settle, honor the pain "
    "or reflect may help. Come back to this whenever you like."
)
READINESS_LABELS = (
    "I feel open.",
    "I feel relaxed in my body.",
    "I feel compassion, for myself and for them.",
)


def mark_no_reload(page: Page) -> None:
    """Marks the page as it is now: a reload or a navigation drops the mark."""
    page.evaluate(NO_RELOAD)


def assert_not_reloaded(page: Page, who: str = "") -> None:
    assert page.evaluate(NOT_RELOADED), (
        f"{who or page.url}: the page reloaded or navigated instead of updating live"
    )


def join_with_new_account(page: Page, link: str, who: Person) -> int:
    """Opens an invitation link, makes an account, joins; returns the relationship id."""
    page.goto(link)
    check_a11y(page)
    page.get_by_role("main").get_by_role("link", name=tr(page, "Create an account")).click()
    fill_sign_up(page, who)
    expect(page).to_have_url(link)
    check_a11y(page)
    page.get_by_role("button", name=tr(page, "Join")).click()
    expect(page).to_have_url(re.compile(r"/r/\d+/$"))
    check_a11y(page)
    match = re.search(r"/r/(\d+)/$", page.url)
    assert match is not None
    return int(match.group(1))


def relationship_of(pages: list[Page], people: list[Person], name: str, kind: str) -> int:
    """The first person signs up and starts a relationship; each other person joins it
    through their own invitation link, made through the UI. Everyone ends on the
    relationship page; returns its id."""
    first, *rest = pages
    sign_up_from_landing(first, people[0])
    relationship = start_relationship(first, name, kind)
    for page, who in zip(rest, people[1:], strict=True):
        first.goto(f"/r/{relationship}/")  # a fresh page: no earlier link on show
        link = make_invitation(first)
        assert join_with_new_account(page, link, who) == relationship
    first.goto(f"/r/{relationship}/")
    for page in pages:
        for other in people:
            expect(page.locator("#members")).to_contain_text(other.name)
    return relationship


SAFETY_URL = re.compile(r"/r/\d+/safety/")


def answer_safety_question(page: Page) -> None:
    """The private question before a person's first shared step (PROCESS.md): they
    answer, alone, that they feel safe, and go on to where they were going."""
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(page, "A private question"))
    check_a11y(page)
    page.get_by_role("radio", name=tr(page, "Yes, I feel safe with them")).check()
    page.get_by_role("button", name=tr(page, "Save my answer")).click()
    expect(page).not_to_have_url(SAFETY_URL)


def arrive(page: Page, destination: re.Pattern[str]) -> bool:
    """Waits until the page is at `destination`, answering the private safety question
    on the way when the app asks it first. Returns whether it was asked."""
    expect(page).to_have_url(re.compile(f"(?:{destination.pattern})|{SAFETY_URL.pattern}"))
    if SAFETY_URL.search(page.url) is None:
        return False
    answer_safety_question(page)
    expect(page).to_have_url(destination)
    return True


def go_to_step(page: Page, title: str) -> None:
    """Follows the progress indicator, e.g. "2. Stabilize"."""
    steps = page.get_by_role("navigation", name=tr(page, "Steps"))
    steps.get_by_role("link", name=title).click()


def together_row(page: Page, name: str) -> Locator:
    """The line of the Together panel about `name` ("You" for oneself)."""
    return page.locator("#together ul.people li").filter(has_text=f"{name}:")


def tick_readiness(page: Page) -> None:
    """On the reflect page: ticks the three readiness feelings, one saved answer at a time."""
    for label in READINESS_LABELS:
        box = page.locator("#readiness").get_by_role("checkbox", name=tr(page, label))
        with page.expect_response(lambda r: r.url.endswith("/reflect/readiness/")):
            box.click()
        expect(box).to_be_checked()
    expect(page.locator("#readiness")).not_to_contain_text(tr(page, NOT_ALL_YET))


def press_i_am_ready(page: Page) -> None:
    """On the reflect page: "I am ready", through the private safety question if it
    comes first (the press waits for the answer and is carried out straight after)."""
    page.locator("#readiness").get_by_role("button", name=tr(page, "I am ready")).click()
    if arrive(page, re.compile(r"/repairs/\d+/$")):
        expect(page.locator(".messages")).to_contain_text(
            tr(page, "Done: you are marked ready to come back together.")
        )
    expect(page).to_have_url(re.compile(r"/repairs/\d+/$"))
    expect(together_row(page, tr(page, "You"))).to_contain_text(tr(page, "joined, ready"))


def become_ready_quickly(page: Page) -> None:
    """The shortest path to ready for a joined person: reflect, three ticks, ready."""
    go_to_step(page, f"4. {tr(page, 'Reflect')}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        tr(page, "Look gently at what happened")
    )
    tick_readiness(page)
    press_i_am_ready(page)


def stage_of(page: Page) -> Locator:
    return page.locator("#stage")


def press_on_stage(page: Page, label: str) -> None:
    """Presses a button of the live stage; the stage swaps in place (no navigation)."""
    with page.expect_response(lambda r: "/together/" in r.url and r.request.method == "POST"):
        stage_of(page).get_by_role("button", name=tr(page, label), exact=True).click()


def expect_phase(page: Page, title: str) -> None:
    expect(stage_of(page).locator("#stage-title")).to_have_text(tr(page, title))


# Every kind of live event that makes a repair page re-read part of itself.
LIVE_KINDS = tuple(
    str(kind)
    for kind in (
        RepairEvent.TOGETHER_CHANGED,
        RepairEvent.REPAIR_COMPLETED,
        RepairEvent.READY_CHANGED,
        RepairEvent.PAUSE_CHANGED,
        RepairEvent.PARTICIPANT_JOINED,
        RepairEvent.PLAN_AGREED,
        RepairEvent.PRESENCE_CHANGED,
        RepairEvent.TURN_SHARED,
    )
)
_COUNT_LIVE_EVENTS = """kinds => {
    window.__tendLiveEvents = 0;
    for (const kind of kinds) {
        document.body.addEventListener("tend:" + kind, () => { window.__tendLiveEvents += 1; });
    }
}"""
_SETTLED = """seen => window.__tendLiveEvents > seen
    && document.querySelector(".htmx-request, [aria-busy=true]") === null"""


class LiveScreens:
    """The screens of one repair, each on its own page, watched as they update live.

    `press` makes one move and then waits until every screen has received the live event
    it caused and finished re-reading itself, so that the next move starts from screens
    that are all up to date (one person acts at a time, as the stories do)."""

    def __init__(self, pages: list[Page]) -> None:
        self.pages = pages
        for page in pages:
            mark_no_reload(page)
            page.evaluate(_COUNT_LIVE_EVENTS, list(LIVE_KINDS))

    def seen(self) -> list[int]:
        return [int(page.evaluate("window.__tendLiveEvents")) for page in self.pages]

    def settle(self, before: list[int]) -> None:
        for page, seen in zip(self.pages, before, strict=True):
            page.wait_for_function(_SETTLED, arg=seen)

    def press(self, page: Page, label: str) -> None:
        before = self.seen()
        press_on_stage(page, label)
        self.settle(before)

    def assert_not_reloaded(self) -> None:
        for page in self.pages:
            assert_not_reloaded(page)


def check_a11y_from_top(page: Page) -> None:
    """`check_a11y` with the page scrolled to the top first, and back afterwards, so
    that the result does not depend on where the last click scrolled to. (The care bar
    no longer sticks; "Quick exit" stays in the corner, and test_flooded_screens.py
    checks target sizes at every scroll position of step 1.)"""
    scrolled = page.evaluate("window.scrollY")
    page.evaluate("window.scrollTo({top: 0, behavior: 'instant'})")
    check_a11y(page)
    page.evaluate("y => window.scrollTo({top: y, behavior: 'instant'})", scrolled)

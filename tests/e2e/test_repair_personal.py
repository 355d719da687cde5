"""Steps 1-4 on two phones: the personal path of a repair, and what the other one sees.

Ada and Ben share a relationship. Ada is flooded after a fight: two taps and she is
noticing what happens in her; she tells Ben, kindly, that something in her is
activated, and asks for space until tomorrow evening on the bench outside. Ben, on his
own phone, sees all of this arrive without reloading; he suggests another time, Ada
takes it, and both see the agreed plan. Ben joins. Each of them, alone, stabilizes
with a guided practice, honors the pain in writing, reflects, and becomes ready; each
sees the other's readiness arrive live. Nothing Ada writes for herself ever reaches
Ben's screen. Every page on the way is checked with axe.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import APIResponse, Page, Route, expect

from tests.e2e.helpers import (
    READINESS_LABELS,
    arrive,
    assert_not_reloaded,
    check_a11y,
    check_a11y_from_top,
    go_to_step,
    mark_no_reload,
    person,
    press_i_am_ready,
    relationship_of,
    sign_up_from_landing,
    start_relationship,
    tick_readiness,
    together_row,
)

pytestmark = pytest.mark.e2e

PLACE = "the bench outside"
VOICE_TEMPLATE = (
    "I'm stirred up right now and need a moment to settle. "
    "I'm not walking away from this; I want to come back to it."
)


def _when(days: int, hour: int) -> tuple[str, str]:
    """A `datetime-local` value and how the app shows it ("Monday 30 November at 20:00"),
    in UTC (the browser's and the new accounts' time zone)."""
    moment = datetime.now(UTC).replace(hour=hour, minute=0, second=0, microsecond=0)
    moment += timedelta(days=days)
    year = f" {moment.year}" if moment.year != datetime.now(UTC).year else ""
    shown = f"{moment:%A} {moment.day} {moment:%B}{year} at {moment:%H:%M}"
    return moment.strftime("%Y-%m-%dT%H:%M"), shown


class Seen:
    """Everything one person's browser showed, to prove what never reached it."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.contents: list[tuple[str, str]] = []

    def keep(self) -> None:
        # The page as drawn, and what its fields hold: a person's own sealed words are
        # opened on their device into the fields' values, which the markup does not show.
        values = self.page.evaluate(
            "() => [...document.querySelectorAll('input, textarea, select')]"
            ".map(field => field.value).join('\\n')"
        )
        self.contents.append((self.page.url, self.page.content() + "\n" + values))

    def assert_never(self, *texts: str) -> None:
        self.keep()
        for url, html in self.contents:
            for text in texts:
                assert text not in html, f"{text!r} appeared on {url}"


def _circle_transform(page: Page) -> str:
    return str(page.evaluate("getComputedStyle(document.querySelector('.pacer-circle')).transform"))


def _begin_practice(page: Page, title: str, before: int) -> None:
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    check_a11y_from_top(page)
    page.get_by_role("radio", name=str(before), exact=True).check()
    page.get_by_role("button", name="Begin").click()
    expect(page.get_by_role("button", name="Done")).to_be_visible()
    check_a11y_from_top(page)


def _finish_practice(page: Page, title: str, before: int, after: int) -> None:
    page.get_by_role("radio", name=str(after), exact=True).check()
    page.get_by_role("button", name="Done").click()
    expect(page).to_have_url(re.compile(r"/stabilize/$"))
    expect(page.get_by_role("main")).to_contain_text(f"{title} — from {before} to {after}")
    check_a11y_from_top(page)


def _breathe_with_pacer(page: Page, *, reduced_motion: bool) -> None:
    """Starts the breathing pacer: its words change; the circle grows, unless the
    person asked for less motion, when it keeps still."""
    phase = page.locator(".pacer-phase")
    expect(phase).to_contain_text("breaths, at your pace")
    still = _circle_transform(page)
    page.locator(".pacer").get_by_role("button", name="Start").click()
    expect(phase).to_have_text(re.compile(r"^Breathe in"))
    if not reduced_motion:
        page.wait_for_function(
            "before => getComputedStyle(document.querySelector('.pacer-circle')).transform"
            " !== before",
            arg=still,
        )
    # The next phase follows by itself, in words for everyone.
    expect(phase).not_to_have_text(re.compile(r"^Breathe in"), timeout=15_000)
    if reduced_motion:  # a whole phase went by, and the circle never left its place
        assert _circle_transform(page) == still, "the pacer moved despite reduced motion"
    check_a11y_from_top(page)
    page.locator(".pacer").get_by_role("button", name="Stop").click()


def _run_timer(page: Page, starts_at: str) -> None:
    clock = page.locator(".timer-clock")
    page.locator(".timer").get_by_role("button", name="Start").click()
    expect(clock).to_have_text(starts_at)
    expect(clock).not_to_have_text(starts_at, timeout=5_000)
    page.locator(".timer").get_by_role("button", name="Stop").click()
    expect(clock).to_have_text(starts_at)


def _write_and_wait(page: Page, prompt: str, text: str) -> None:
    """Types an answer and waits for its autosave."""
    answer = page.locator("form.answer").filter(has=page.get_by_label(prompt, exact=True))
    answer.get_by_label(prompt, exact=True).fill(text)
    expect(answer.locator(".save-slot")).to_have_text("Saved")


def _honor(page: Page, prompt: str, text: str, seen: Seen | None = None) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Give what hurts some room")
    check_a11y_from_top(page)
    _write_and_wait(page, prompt, text)
    check_a11y_from_top(page)
    # No work lost: after a reload, the words are still there.
    page.reload()
    expect(page.get_by_label(prompt, exact=True)).to_have_value(text)
    check_a11y_from_top(page)
    if seen is not None:
        seen.keep()
    markers = page.locator("form").filter(
        has=page.get_by_role("button", name="Go on to reflecting")
    )
    for label in (
        "I'm letting go of resentment I've been carrying.",
        "I accept that it happened (not that it was okay), "
        "and I'm willing to go on differently from here.",
    ):
        with page.expect_response(lambda r: r.url.endswith("/honor/markers/")):
            markers.get_by_role("checkbox", name=label).check()
        expect(markers.locator(".save-slot")).to_have_text("Saved")
    page.reload()
    expect(markers.get_by_role("checkbox")).to_have_count(2)
    for box in markers.get_by_role("checkbox").all():
        expect(box).to_be_checked()
    markers.get_by_role("button", name="Go on to reflecting").click()
    expect(page).to_have_url(re.compile(r"/reflect/$"))


def _reflect(page: Page, prompt: str, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Look gently at what happened")
    check_a11y_from_top(page)
    answer = page.locator("form.answer").filter(has=page.get_by_label(prompt, exact=True))
    _write_and_wait(page, prompt, text)
    bring = answer.get_by_role("checkbox", name=re.compile(r"^Bring this to the conversation"))
    with page.expect_response(lambda r: "/answers/" in r.url):
        bring.check()
    expect(answer.locator(".save-slot")).to_have_text("Saved")
    tick_readiness(page)
    check_a11y_from_top(page)


def test_steps_one_to_four_on_two_phones(new_context) -> None:
    ada, ben = person("Ada"), person("Ben")
    a, b = new_context(), new_context()
    # Ben's phone asks for less motion.
    b.emulate_media(reduced_motion="reduce")
    bens = Seen(b)
    tag = secrets.token_hex(4)
    ada_notice = f"Ada-notice-words-{tag}"
    ada_honor = f"Ada-honor-words-{tag}"
    ada_reflect = f"Ada-reflect-words-{tag}"
    ben_honor = f"Ben-honor-words-{tag}"
    ben_reflect = f"Ben-reflect-words-{tag}"

    relationship = relationship_of([a, b], [ada, ben], "Ada and Ben", "Partner")
    expect(a).to_have_url(re.compile(rf"/r/{relationship}/$"))
    expect(b).to_have_url(re.compile(rf"/r/{relationship}/$"))
    bens.keep()
    mark_no_reload(b)

    # Ada: one tap on the relationship page, and she is noticing.
    a.locator("#repair").get_by_role("button", name="I'm triggered").click()
    expect(a).to_have_url(re.compile(r"/repairs/\d+/notice/$"))
    expect(a.get_by_role("heading", level=1)).to_have_text("Notice what is happening in you")
    check_a11y_from_top(a)

    # Ben's relationship page says so, live.
    callout = b.locator("#repair")
    expect(callout.get_by_role("heading", level=2)).to_have_text("A repair is open")
    assert_not_reloaded(b, "Ben's relationship page")
    check_a11y_from_top(b)
    callout.get_by_role("link", name="Go to the repair").click()
    expect(b.get_by_role("heading", level=1)).to_have_text(f"{ada.name} opened a repair")
    expect(b.get_by_role("button", name="Join the repair")).to_be_visible()
    check_a11y_from_top(b)
    bens.keep()
    mark_no_reload(b)

    # Ada notices: a couple of body signals, a feeling, her own words, an intensity.
    a.get_by_role("checkbox", name="A racing or pounding heart").check()
    a.locator("summary", has_text="More body signals").click()  # the less common ones
    a.get_by_role("checkbox", name="A clenched jaw").check()
    a.get_by_role("checkbox", name="Anger").check()
    expect(a.locator("#suggestion")).to_contain_text("you may be Revved up (hyper-aroused)")
    a.locator("summary", has_text="Add a few words of your own").click()
    a.get_by_label("In your own words (only you see this)").fill(ada_notice)
    a.get_by_role("radio", name="Revved up (hyper-aroused)").check()
    a.get_by_role("radio", name="8", exact=True).check()
    expect(a.locator("#suggestion .save-status")).to_have_text("Saved")
    check_a11y_from_top(a)
    a.get_by_role("button", name="Save and go on").click()

    # Give voice (the first shared step: the private safety question may come first).
    arrive(a, re.compile(r"/voice/$"))
    expect(a.get_by_role("heading", level=1)).to_have_text("Let them know, if you can")
    check_a11y_from_top(a)
    a.get_by_role("button", name=VOICE_TEMPLATE).click()
    expect(a.get_by_label("Your message (you can change the words)")).to_have_value(VOICE_TEMPLATE)
    a.get_by_role("button", name="Send to the others").click()

    # Ben sees the message arrive.
    ben_panel = b.locator("#together")
    expect(ben_panel.locator(".messages-list")).to_contain_text(ada.name)
    expect(ben_panel.locator(".messages-list")).to_contain_text(VOICE_TEMPLATE)
    assert_not_reloaded(b, "Ben's repair page")
    bens.keep()

    # Ask for what you need: space, a time tomorrow evening, the bench outside.
    arrive(a, re.compile(r"/needs/$"))
    expect(a.get_by_role("heading", level=1)).to_have_text("Ask for what you need")
    expect(a.get_by_role("status")).to_contain_text("Sent. Now, what do you need?")
    check_a11y_from_top(a)
    ada_time, ada_time_shown = _when(days=1, hour=20)
    a.get_by_role("radio", name="Space", exact=True).check()
    a.get_by_label("When shall we come back together?").fill(ada_time)
    a.get_by_label("Where? (for example: the bench outside)").fill(PLACE)
    a.get_by_role("button", name="Ask", exact=True).click()
    arrive(a, re.compile(r"/stabilize/$"))
    check_a11y_from_top(a)
    mark_no_reload(a)

    # Ben sees the need and the proposed time, live.
    expect(ben_panel.locator(".needs-list")).to_contain_text(f"{ada.name}:")
    expect(ben_panel.locator(".needs-list")).to_contain_text("Space")
    expect(ben_panel.locator(".plan")).to_contain_text(f"{ada.name} proposes")
    expect(ben_panel.locator(".plan")).to_contain_text(ada_time_shown)
    expect(ben_panel.locator(".plan")).to_contain_text(PLACE)
    assert_not_reloaded(b, "Ben's repair page")
    check_a11y_from_top(b)
    bens.keep()

    # Ben suggests another time.
    ben_panel.get_by_role("link", name="Suggest another time").click()
    arrive(b, re.compile(r"/plan/$"))
    expect(b.get_by_role("heading", level=1)).to_have_text("Suggest a time to come back together")
    check_a11y_from_top(b)
    bens.keep()
    ben_time, ben_time_shown = _when(days=1, hour=21)
    b.get_by_label("When shall we come back together?").fill(ben_time)
    b.get_by_label("Where? (for example: the bench outside)").fill(PLACE)
    b.get_by_role("button", name="Suggest this time").click()
    arrive(b, re.compile(r"/repairs/\d+/$"))
    expect(b.get_by_role("status")).to_contain_text("Your proposal is with the others.")
    expect(b.locator("#together .plan")).to_contain_text("You proposed")
    expect(b.locator("#together .plan")).to_contain_text(ben_time_shown)
    check_a11y_from_top(b)
    bens.keep()
    mark_no_reload(b)

    # Ada's page shows Ben's time, live; it works for her.
    ada_plan = a.locator("#together .plan")
    expect(ada_plan).to_contain_text(f"{ben.name} proposes")
    expect(ada_plan).to_contain_text(ben_time_shown)
    assert_not_reloaded(a, "Ada's stabilize page")
    check_a11y_from_top(a)
    ada_plan.get_by_role("button", name="That works for me").click()
    arrive(a, re.compile(r"/repairs/\d+/$"))
    expect(a.locator("#together .plan-agreed")).to_contain_text(f"Agreed: {ben_time_shown}")
    expect(a.locator("#together .plan-agreed")).to_contain_text(PLACE)
    check_a11y_from_top(a)

    # Both see the agreed plan; Ben's page without reloading.
    expect(b.locator("#together .plan-agreed")).to_contain_text(f"Agreed: {ben_time_shown}")
    expect(b.locator("#together .plan-agreed")).to_contain_text(PLACE)
    assert_not_reloaded(b, "Ben's repair page")
    check_a11y_from_top(b)
    bens.keep()

    # Ada sees Ben join, live.
    mark_no_reload(a)
    b.get_by_role("button", name="Join the repair").click()
    arrive(b, re.compile(r"/notice/$"))
    check_a11y_from_top(b)
    bens.keep()
    expect(together_row(a, ben.name)).to_contain_text("joined, not ready yet")
    assert_not_reloaded(a, "Ada's repair page")

    # Ada stabilizes: a breathing pacer with motion, before 7 and after 3.
    a.get_by_role("link", name="Continue").click()
    expect(a).to_have_url(re.compile(r"/stabilize/$"))
    expect(a.get_by_role("heading", level=1)).to_have_text("Come back to your centre")
    expect(a.get_by_role("main")).to_contain_text("You seem stirred up")
    check_a11y_from_top(a)
    _begin_practice(a, "Slow breath, long out-breath", 7)
    _breathe_with_pacer(a, reduced_motion=False)
    _finish_practice(a, "Slow breath, long out-breath", 7, 3)

    # Ben stabilizes: a pacer that keeps still for him, then a timer.
    go_to_step(b, "2. Stabilize")
    expect(b.get_by_role("heading", level=1)).to_have_text("Come back to your centre")
    check_a11y_from_top(b)
    bens.keep()
    _begin_practice(b, "Square breathing", 6)
    bens.keep()
    _breathe_with_pacer(b, reduced_motion=True)
    _finish_practice(b, "Square breathing", 6, 4)
    bens.keep()
    _begin_practice(b, "Feet on the ground", 4)
    _run_timer(b, "1:30")
    _finish_practice(b, "Feet on the ground", 4, 2)
    bens.keep()

    # Honor the pain, each alone; nothing lost on a reload.
    a.get_by_role("link", name="I feel steadier — go on").click()
    _honor(a, "What hurts most right now?", ada_honor)
    b.get_by_role("link", name="I feel steadier — go on").click()
    _honor(b, "If there is anger, what might be underneath it?", ben_honor, bens)
    bens.keep()

    # Reflect: an answer to bring, and the three readiness feelings.
    _reflect(a, "Does this remind you of anything from before?", ada_reflect)
    _reflect(b, "What could each of you do to help this heal?", ben_reflect)
    bens.keep()

    # Ada is ready; Ben, still reflecting, sees it arrive.
    mark_no_reload(b)
    press_i_am_ready(a)
    check_a11y_from_top(a)
    expect(together_row(b, ada.name)).to_contain_text("joined, ready")
    assert_not_reloaded(b, "Ben's reflect page")
    check_a11y_from_top(b)
    bens.keep()

    # Ben is ready; Ada sees it arrive, and that the agreed time is what they wait for.
    mark_no_reload(a)
    press_i_am_ready(b)
    check_a11y_from_top(b)
    bens.keep()
    expect(together_row(a, ben.name)).to_contain_text("joined, ready")
    expect(a.locator("#together")).to_contain_text(
        "Everyone who joined is ready to come back together."
    )
    expect(a.locator("#stage")).to_contain_text(f"You agreed to meet on {ben_time_shown}")
    assert_not_reloaded(a, "Ada's repair page")
    check_a11y_from_top(a)
    expect(together_row(b, ada.name)).to_contain_text("joined, ready")

    # Ben's own words are on his pages; nothing Ada wrote for herself ever was.
    assert any(ben_honor in html for _url, html in bens.contents)
    bens.assert_never(ada_notice, ada_honor, ada_reflect)


def test_a_scrolled_repair_page_keeps_its_targets_clear(new_context) -> None:
    """A person who scrolls a step page a little still has whole targets to tap."""
    page = new_context()
    sign_up_from_landing(page, person("Fay"))
    start_relationship(page, "Fay and Gil", "Friend")
    page.locator("#repair").get_by_role("button", name="I'm triggered").click()
    expect(page).to_have_url(re.compile(r"/notice/$"))
    check_a11y(page)
    # Scroll so that a step link slides under one of the bar's own links, 10px below
    # its top: only a strip of the step link stays uncovered.
    moved = page.evaluate(
        """() => {
            const above = [...document.querySelectorAll(".care-bar a")]
                .map(a => a.getBoundingClientRect());
            for (const a of document.querySelectorAll(".progress a")) {
                const r = a.getBoundingClientRect();
                const b = above.find(b => r.left < b.right && b.left < r.right);
                if (b) {
                    window.scrollTo({top: r.top + window.scrollY - b.top - 10,
                                     behavior: "instant"});
                    return true;
                }
            }
            return false;
        }"""
    )
    assert moved, "no step link lies below the care bar's links"
    check_a11y(page)


def test_quick_readiness_ticks_are_all_kept(new_context) -> None:
    """On a slow connection, three quick ticks are three saved ticks."""
    page = new_context()
    sign_up_from_landing(page, person("Hal"))
    start_relationship(page, "Hal and Ivy", "Partner")
    page.locator("#repair").get_by_role("button", name="I'm triggered").click()
    expect(page).to_have_url(re.compile(r"/notice/$"))
    go_to_step(page, "4. Reflect")
    expect(page.get_by_role("heading", level=1)).to_have_text("Look gently at what happened")

    # The first save reaches the server at once; its answer is slow to come back.
    held: list[tuple[Route, APIResponse]] = []

    def slow_first(route: Route) -> None:
        if held:
            route.continue_()
        else:
            held.append((route, route.fetch()))

    page.route(re.compile(r"/reflect/readiness/$"), slow_first)
    readiness = page.locator("#readiness")
    readiness.get_by_role("checkbox", name=READINESS_LABELS[0]).click()
    for _ in range(500):
        if held:
            break
        page.wait_for_timeout(20)
    assert held, "the first tick was never sent"
    for label in READINESS_LABELS[1:]:
        readiness.get_by_role("checkbox", name=label).click()
    route, response = held[0]
    # The later ticks wait for the first answer; the save sent after it carries them all.
    with page.expect_response(
        lambda r: r.url.endswith("/reflect/readiness/") and r.request != route.request
    ):
        route.fulfill(response=response)
    expect(readiness.locator("form[aria-busy]")).to_have_count(0)

    page.reload()
    # The saved ticks are sealed: read them once the device has opened them into the form.
    expect(page.locator("#readiness form[data-e2e-opened]")).to_have_count(1)
    ticked = [
        page.locator("#readiness").get_by_role("checkbox", name=label).is_checked()
        for label in READINESS_LABELS
    ]
    assert ticked == [True, True, True], f"after three quick ticks, the saved ones are {ticked}"
    expect(page.locator("#readiness")).not_to_contain_text("Not all of these yet")
    check_a11y(page)

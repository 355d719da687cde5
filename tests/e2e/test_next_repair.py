"""The next repair: two phones open a repair, come all the way through step 5 to the
rebond, and then open the next one from the relationship page, three times in a row.
Each time the page offers a new repair as soon as the last one is completed, and the
one who did not open it is told who did."""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import (
    LiveScreens,
    become_ready_quickly,
    check_a11y_from_top,
    person,
    relationship_of,
    stage_of,
)
from tests.e2e.test_repair_together import (
    AGREEMENTS,
    CLEARING,
    COMPLETE,
    CONSIDERATIONS,
    HOW,
    INTENTION,
    INTENTION_TEMPLATE,
    LISTENING,
    REBOND,
    REQUESTS,
    SPACE,
    TIPS,
    _accept,
    _each_says,
    _join_open_repair,
    _live,
    _propose_intention,
    _propose_space,
    _quick_turn,
)

pytestmark = pytest.mark.e2e


def _offers_a_new_repair(page: Page, relationship: int) -> None:
    page.goto(f"/r/{relationship}/")
    callout = page.locator("#repair")
    expect(callout.get_by_role("heading", level=2)).to_have_text("Did something hurt?")
    expect(callout.get_by_role("button", name="Something hurt between us")).to_be_visible()
    expect(callout.get_by_role("link", name="Go to the repair")).to_have_count(0)


def _open_and_get_ready(opener: Page, other: Page, opener_name: str) -> None:
    """The opener opens from the relationship page; the other, on the same page, sees it
    appear live, with who opened it, and joins; both become ready."""
    opener.locator("#repair").get_by_role("button", name="Something hurt between us").click()
    expect(opener).to_have_url(re.compile(r"/notice/$"))
    expect(other.locator("#repair")).to_contain_text(f"{opener_name} opened it.")
    _join_open_repair(other)
    for page in (opener, other):
        become_ready_quickly(page)
    for page in (opener, other):
        expect(stage_of(page).locator("#stage-title")).to_have_text(CONSIDERATIONS)


def _hug_timer(page: Page) -> None:
    """The hug timer's button says what pressing it does: start, start over while it
    runs, and another 30 seconds once done (the page's clock is run ahead, no waiting)."""
    timer = stage_of(page).locator(".timer")
    page.clock.install()
    timer.get_by_role("button", name="Start the 30 seconds").click()
    expect(timer.get_by_role("button", name="Start over")).to_be_visible()
    expect(timer.get_by_role("button", name="Start the 30 seconds")).to_have_count(0)
    page.clock.fast_forward("00:31")
    expect(timer.locator(".timer-status")).to_have_text("Thirty seconds. Stay as long as you like.")
    expect(timer.get_by_role("button", name="Another 30 seconds")).to_be_visible()
    timer.get_by_role("button", name="Stop").click()
    expect(timer.get_by_role("button", name="Start the 30 seconds")).to_be_visible()


def _through_step_5(screens: LiveScreens, names: list[str], tag: str, *, timer: bool) -> None:
    a, b = screens.pages
    _each_says(screens, names, "I'm ready to go on")
    _live(screens, SPACE)
    where = f"the bench {tag}"
    _propose_space(screens, a, where)
    _accept(screens, b, names[0], f"{where} · {HOW}")
    _live(screens, INTENTION)
    _propose_intention(screens, a)
    _accept(screens, b, names[0], f"“{INTENTION_TEMPLATE}”")
    _live(screens, AGREEMENTS)
    _each_says(screens, names, "I accept these agreements")
    _live(screens, TIPS)
    _each_says(screens, names, "Ready to talk")
    _live(screens, LISTENING)
    stage_of(b).get_by_role("radio", name=names[0]).check()
    screens.press(b, "Begin")
    _quick_turn(screens, a, b, [], f"You felt unheard {tag}.")
    _quick_turn(screens, b, a, [], f"You wanted more time {tag}.")
    _live(screens, REQUESTS)
    screens.press(a, "I have no more requests")
    screens.press(b, "I have no more requests")
    _live(screens, CLEARING)
    screens.press(a, "Yes, I feel clear")
    screens.press(b, "Yes, I feel clear")
    _live(screens, REBOND)
    stage_of(a).get_by_role("radio", name=re.compile(r"^A long hug")).check()
    screens.press(a, "Propose")
    _accept(screens, b, names[0], "A long hug")
    if timer:
        _hug_timer(b)
    screens.press(b, "It happened")
    screens.press(a, "It happened")
    for page in screens.pages:
        expect(stage_of(page).locator("#stage-title")).to_have_text(COMPLETE)
        took = stage_of(page).locator("dl.summary dd").first
        expect(took).to_have_text(re.compile(r"^(less than a minute|\d+ minutes?)$"))
    screens.assert_not_reloaded()


def test_open_complete_and_open_the_next_three_times(new_context) -> None:
    ada, ben = person("Ada"), person("Ben")
    a, b = new_context(), new_context()
    relationship = relationship_of([a, b], [ada, ben], "Ada and Ben", "Partner")
    tag = secrets.token_hex(3)
    # Ada, then Ben, then Ada opens; in step 5 Ada leads each time (the screens keep
    # the app's order of people: Ada, who started the relationship, first).
    rounds = [(a, b, ada), (b, a, ben), (a, b, ada)]
    for index, (opener, other, opener_who) in enumerate(rounds):
        for page in (opener, other):
            _offers_a_new_repair(page, relationship)
        check_a11y_from_top(other)
        _open_and_get_ready(opener, other, opener_who.name)
        screens = LiveScreens([a, b])
        _through_step_5(screens, [ada.name, ben.name], f"{tag}-{index}", timer=index == 0)
    for page in (a, b):
        _offers_a_new_repair(page, relationship)
        completed = page.get_by_role("link", name=re.compile(r"^\d+ \w+ \d{4}$"))
        expect(completed).to_have_count(3)
    check_a11y_from_top(a)

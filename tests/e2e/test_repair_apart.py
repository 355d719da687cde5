"""Step 5 apart, live, in two browsers: two people in different places say so, the
speaker types what she shares and her listener sees it as it is saved and reflects it
back, and they reconnect in a way that works at a distance. And the why of each step:
the disclosure and the first-run walk, checked with axe."""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import (
    check_a11y_from_top,
    person,
    relationship_of,
    sign_up_from_landing,
    stage_of,
    start_relationship,
)
from tests.e2e.test_repair_together import (
    AGREEMENTS,
    CLEARING,
    COMPLETE,
    INTENTION,
    INTENTION_TEMPLATE,
    LISTENING,
    REBOND,
    REQUESTS,
    SPACE,
    TIPS,
    _accept,
    _each_says,
    _everyone_ready,
    _live,
    _propose_intention,
    _quick_turn,
    _reflect,
    _text_field,
)

pytestmark = pytest.mark.e2e

APART = "You are apart, in different places."
CALL = "a voice or video call helps you hear each other"


def _open_why(page: Page) -> None:
    why = page.locator("details.why").first
    why.locator("summary").click()
    expect(why).to_have_attribute("open", "")
    check_a11y_from_top(page)


def test_two_people_in_different_cities_complete_a_repair(new_context) -> None:
    ada, ben = person("Ada"), person("Ben")
    a, b = new_context(), new_context()
    tag = secrets.token_hex(3)
    relationship_of([a, b], [ada, ben], "Ada and Ben", "Family")
    screens = _everyone_ready([a, b])
    both = screens.pages

    # At the start of step 5: together or apart? Ada says apart; both screens show it.
    for page in both:
        expect(stage_of(page)).to_contain_text("Are you together in one place, or apart?")
    _open_why(b)  # "Why this step?" near the title, open, passes axe
    screens.press(a, "Apart, in different places")
    for page in both:
        expect(stage_of(page).locator("#presence")).to_contain_text(APART)
        expect(stage_of(page).locator("#presence")).to_contain_text(CALL)
    screens.assert_not_reloaded()
    check_a11y_from_top(b)
    _each_says(screens, [ada.name, ben.name], "I'm ready to go on")
    _live(screens, SPACE, axe=a)

    # The space, apart: a call, not a room.
    stage = stage_of(a)
    expect(stage.get_by_role("radio", name="Indoors")).to_have_count(0)
    _text_field(a, "Where will each of you be?").fill(f"each at home {tag}")
    stage.get_by_role("radio", name="A video call").check()
    stage.get_by_role("radio", name="With headphones on").check()
    screens.press(a, "Propose")
    _accept(screens, b, ada.name, f"each at home {tag} · A video call · With headphones on")
    _live(screens, INTENTION)
    _propose_intention(screens, a)
    _accept(screens, b, ada.name, f"“{INTENTION_TEMPLATE}”")
    _live(screens, AGREEMENTS)
    _each_says(screens, [ada.name, ben.name], "I accept these agreements")
    _live(screens, TIPS)
    _each_says(screens, [ada.name, ben.name], "Ready to talk")
    _live(screens, LISTENING)

    # Listening: Ada speaks by typing; Ben sees her words as they are saved, and reflects.
    stage_of(b).get_by_role("radio", name=ada.name).check()
    screens.press(b, "Begin")
    shared = f"I felt alone when the plans changed without me {tag}."
    field = _text_field(a, re.compile(r"^Type what you would like to share"))
    expect(stage_of(b).get_by_label(re.compile(r"^Type what you would like"))).to_have_count(0)
    before = screens.seen()
    field.fill(shared)  # saved by itself a moment after typing stops; no button needed
    screens.settle(before)
    expect(stage_of(b).locator(".typed-share")).to_contain_text(shared)
    expect(field).to_have_value(shared)  # the speaker's own words stay as typed
    screens.assert_not_reloaded()
    check_a11y_from_top(a)
    check_a11y_from_top(b)
    heard = f"You felt alone when the plans changed {tag}."
    _reflect(screens, b, heard)
    expect(stage_of(a).locator(".reflections")).to_contain_text(heard)
    screens.press(a, "Yes, I feel heard")
    _quick_turn(screens, b, a, [], f"You wanted room to plan too {tag}.")
    _live(screens, REQUESTS)
    screens.press(a, "I have no more requests")
    screens.press(b, "I have no more requests")
    _live(screens, CLEARING)
    screens.press(a, "Yes, I feel clear")
    screens.press(b, "Yes, I feel clear")
    _live(screens, REBOND, axe=b)

    # Reconnect apart: no hug on offer; a kind message, written and sent here.
    expect(stage_of(a).get_by_role("radio", name=re.compile(r"^A long hug"))).to_have_count(0)
    stage_of(a).get_by_role("radio", name=re.compile(r"^A kind message")).check()
    screens.press(a, "Propose")
    _accept(screens, b, ada.name, "A kind message")
    kind = f"I am glad we talked, even from far away {tag}."
    _text_field(b, re.compile(r"^Write a few words for them")).fill(kind)
    screens.press(b, "Send")
    expect(stage_of(a).locator(".messages-list")).to_contain_text(kind)
    screens.press(b, "It happened")
    screens.press(a, "It happened")
    for page in both:
        expect(stage_of(page).locator("#stage-title")).to_have_text(COMPLETE)
        check_a11y_from_top(page)
    screens.assert_not_reloaded()


def test_a_newcomer_learns_why_each_step_matters(new_context) -> None:
    dee = person("Dee")
    page = new_context()
    sign_up_from_landing(page, dee)
    start_relationship(page, "Dee and Sam", "Friend")
    page.locator("#repair").get_by_role("button", name="Something hurt between us").click()
    expect(page).to_have_url(re.compile(r"/notice/$"))

    # Step 1: the why, without leaving the step. Once calming down (step 2), the walk
    # through the five steps is offered, once.
    _open_why(page)
    expect(page.locator("details.why").first).to_contain_text("fight, flight, freeze, or fawn")
    expect(page.locator(".walk-offer")).to_have_count(0)  # nothing more on a flooded screen
    page.get_by_role("button", name="Skip straight to calming down").click()
    expect(page).to_have_url(re.compile(r"/stabilize/$"))
    offer = page.locator(".walk-offer")
    expect(offer).to_be_visible()
    offer.get_by_role("link", name="Show me").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The five steps, in a minute")
    expect(page.locator("ol.walk > li")).to_have_count(5)
    check_a11y_from_top(page)
    page.get_by_role("button", name="Go on").click()
    expect(page).to_have_url(re.compile(r"/stabilize/$"))
    expect(page.locator(".walk-offer")).to_have_count(0)  # seen: not offered again

    # Findable later from Help.
    page.goto("/help/")
    page.get_by_role("link", name="The five steps, and why each one is there").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The five steps, in a minute")
    for title in ("Stabilize", "Honor the pain", "Come back together"):
        expect(page.locator("ol.walk")).to_contain_text(title)

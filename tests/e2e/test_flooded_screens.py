"""Screens a flooded person can use, on a phone (390 by 844 CSS pixels).

Step 1 fits in two phone screens with its way on and its way out in the first one;
reflect leads with "I am ready"; coming back from a pause says where the repair
stands; a move the safety question interrupted is carried out after "safe"; and the
quick exit, always in the top corner, never half covers a target as the page scrolls.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import PHONE
from tests.e2e.helpers import (
    READINESS_LABELS,
    _axe,
    check_a11y,
    go_to_step,
    person,
    sign_up_from_landing,
    start_relationship,
    together_row,
)

pytestmark = pytest.mark.e2e

# Two phone screens: the most step 1 may ask a flooded person to scroll.
TWO_SCREENS = 2 * PHONE["height"]


def _height(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollHeight"))


def _in_first_screen(page: Page, role: str, name: str) -> None:
    """The control is whole within the first screen, with the page at its top."""
    page.evaluate("window.scrollTo({top: 0, behavior: 'instant'})")
    box = page.get_by_role(role, name=name, exact=True).bounding_box()  # type: ignore[arg-type]
    assert box is not None, name
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], (name, box)


def _open_triggered(page: Page, who: str) -> None:
    sign_up_from_landing(page, person(who))
    start_relationship(page, f"{who} and a friend", "Friend")
    page.locator("#repair").get_by_role("button", name="I'm triggered").click()
    expect(page).to_have_url(re.compile(r"/notice/$"))


def _targets_clear_at_every_scroll(page: Page) -> None:
    """Scrolls the page down a little at a time; at every position axe's target-size
    rule (WCAG 2.5.8) passes: nothing, the quick exit included, half covers a target."""
    step = PHONE["height"] // 4
    for top in range(0, _height(page), step):
        page.evaluate("y => window.scrollTo({top: y, behavior: 'instant'})", top)
        results = _axe.run(page, options={"runOnly": ["target-size"]})
        violations = results.response["violations"]
        assert not violations, (
            top,
            [node["target"] for v in violations for node in v["nodes"]],
        )
        exit_box = page.get_by_role("link", name="Quick exit").bounding_box()
        assert exit_box is not None and 0 <= exit_box["y"] < 60, (top, exit_box)
    page.evaluate("window.scrollTo({top: 0, behavior: 'instant'})")


def test_step_one_fits_two_phone_screens_with_the_way_on_first(new_context) -> None:
    page = new_context()
    _open_triggered(page, "Mo")
    height = _height(page)
    assert height <= TWO_SCREENS, f"step 1 is {height}px high on a phone"
    _in_first_screen(page, "button", "Save and go on")
    _in_first_screen(page, "button", "Skip straight to calming down")
    check_a11y(page)
    _targets_clear_at_every_scroll(page)

    # The rest is one tap away; what is ticked there stays in view on the next visit.
    page.locator("summary", has_text="More body signals").click()
    page.get_by_role("checkbox", name="Heavy arms or legs").check()
    expect(page.locator("#suggestion .save-status")).to_have_text("Saved")
    page.get_by_role("radio", name="6", exact=True).check()
    expect(page.get_by_role("radio", name="6", exact=True)).to_be_checked()
    check_a11y(page)
    page.reload()
    expect(page.get_by_role("checkbox", name="Heavy arms or legs")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Heavy arms or legs")).to_be_visible()
    expect(page.get_by_role("radio", name="6", exact=True)).to_be_checked()

    page.get_by_role("button", name="Skip straight to calming down").click()
    expect(page).to_have_url(re.compile(r"/stabilize/$"))


def test_reflect_leads_with_where_you_stand_and_i_am_ready(new_context) -> None:
    page = new_context()
    _open_triggered(page, "Noa")
    go_to_step(page, "4. Reflect")
    expect(page.get_by_role("heading", level=1)).to_have_text("Look gently at what happened")
    _in_first_screen(page, "button", "I am ready")
    expect(page.locator("#standing")).to_contain_text("You have answered 0 of")
    check_a11y(page)
    _targets_clear_at_every_scroll(page)

    # An answer to bring: the count at the top follows as it saves.
    first = page.locator("form.answer").first
    first.locator("textarea").fill("I was tired and short with them.")
    first.get_by_role("checkbox").check()
    expect(page.locator("#standing")).to_contain_text("You have answered 1 of")
    expect(page.locator("#standing")).to_contain_text("1 to bring")

    # Two of the three feelings: not yet; all three: the encouragement shows (the note is
    # picked on the device from the sealed answer: private.js, showReadiness).
    readiness = page.locator("#readiness")
    for count, label in enumerate(READINESS_LABELS, start=1):
        with page.expect_response(lambda r: r.url.endswith("/reflect/readiness/")):
            readiness.get_by_role("checkbox", name=label).click()
        if count == len(READINESS_LABELS) - 1:
            expect(readiness).to_contain_text("Not all of these yet")
            expect(readiness).not_to_contain_text("These are good signs")
    expect(readiness).to_contain_text("These are good signs that you're ready to meet again.")
    expect(readiness).not_to_contain_text("Not all of these yet")
    check_a11y(page)


def test_an_interrupted_move_is_carried_out_after_the_safety_question(new_context) -> None:
    page = new_context()
    _open_triggered(page, "Ola")
    go_to_step(page, "4. Reflect")
    page.locator("#readiness").get_by_role("button", name="I am ready").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("A private question")
    expect(page.get_by_role("main")).to_contain_text("What you were about to do is waiting")
    check_a11y(page)
    page.get_by_role("radio", name="Yes, I feel safe with them").check()
    page.get_by_role("button", name="Save my answer").click()

    expect(page).to_have_url(re.compile(r"/repairs/\d+/$"))
    expect(page.locator(".messages")).to_contain_text(
        "Done: you are marked ready to come back together."
    )
    expect(together_row(page, "You")).to_contain_text("joined, ready")
    check_a11y(page)


def test_coming_back_from_a_pause_says_where_things_stand(new_context) -> None:
    page = new_context()
    _open_triggered(page, "Pia")
    go_to_step(page, "2. Stabilize")
    expect(page).to_have_url(re.compile(r"/stabilize/$"))
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are paused")
    page.get_by_role("button", name="Come back").click()

    expect(page).to_have_url(re.compile(r"/stabilize/$"))
    status = page.locator(".messages")
    expect(status).to_contain_text("Welcome back.")
    expect(status).to_contain_text("You were in step 2, Stabilize. Next comes step 3")
    check_a11y(page)

"""The repair screen follows the repair live and never loses what someone is doing.

- When step 5 begins, the screen of whoever was already waiting changes whole: no
  step-4 header, no "I am not ready after all", the step bar on step 5.
- While one person is mid-choice (a ticked box not yet saved, a radio and a text, a
  "who is this from" select and a text), another person's move redraws their screen:
  the choice survives, and what they then send is what they chose.
- What the device opened (a private answer, sealed on the server) is never put back
  sealed by a live redraw, not even for a moment.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, Route, expect

from tend.repairs import content
from tests.e2e.helpers import (
    LiveScreens,
    arrive,
    assert_not_reloaded,
    become_ready_quickly,
    check_a11y_from_top,
    expect_phase,
    go_to_step,
    mark_no_reload,
    person,
    press_i_am_ready,
    relationship_of,
    stage_of,
    tick_readiness,
)
from tests.e2e.test_private_fields import _write
from tests.e2e.test_repair_together import (
    AGREEMENTS,
    CONSIDERATIONS,
    INTENTION,
    LISTENING,
    REQUESTS,
    SPACE,
    TIPS,
    _accept,
    _confirm_buttons,
    _join_open_repair,
    _propose_intention,
    _propose_space,
    _reflect,
    _reflect_buttons,
)

pytestmark = pytest.mark.e2e

STEP_FIVE = "5. Come back together"
NOT_READY_AFTER_ALL = "I am not ready after all"


def _events(page: Page) -> int:
    return int(page.evaluate("window.__tendLiveEvents"))


def _press_each(screens: LiveScreens, page: Page, labels: list[str]) -> None:
    for label in labels:
        screens.press(page, label)


def _listen_in_turns(screens: LiveScreens, turns: int) -> None:
    """Each turn: whoever's screen has the reflection form reflects; the speaker is heard."""
    for turn in range(turns):
        listener = next(p for p in screens.pages if _reflect_buttons(p).count())
        _reflect(screens, listener, f"What I heard in turn {turn + 1}.")
        speaker = next(p for p in screens.pages if _confirm_buttons(p).count())
        screens.press(speaker, "Yes, I feel heard")


def test_three_phones_keep_what_each_is_choosing(new_context) -> None:
    ada, ben, cy = person("Ada"), person("Ben"), person("Cy")
    pages = [new_context(), new_context(), new_context()]
    a, b, c = pages
    relationship_of(pages, [ada, ben, cy], "The three of us", "Family")

    # Ada opens; Ben and Cy join. Ada and Ben are ready first and wait.
    a.locator("#repair").get_by_role("button", name="Something hurt between us").click()
    expect(a).to_have_url(re.compile(r"/notice/$"))
    _join_open_repair(b)
    _join_open_repair(c)
    become_ready_quickly(a)
    become_ready_quickly(b)
    expect(a.get_by_role("button", name=NOT_READY_AFTER_ALL)).to_be_visible()
    mark_no_reload(a)
    # Cy is ready: step 5 begins, and Ada's whole screen follows without a reload.
    become_ready_quickly(c)
    for page in pages:
        expect_phase(page, CONSIDERATIONS)
    expect(a.get_by_role("button", name=NOT_READY_AFTER_ALL)).to_have_count(0)
    expect(a.get_by_role("heading", name="Your repair")).to_have_count(0)
    steps = a.get_by_role("navigation", name="Steps")
    expect(steps.locator("[aria-current=step]")).to_have_text(STEP_FIVE)
    assert_not_reloaded(a, "Ada's screen")
    screens = LiveScreens(pages)

    # A checkbox: Ada ticks a consideration, but its saving is slow; Ben's move redraws
    # Ada's screen meanwhile, and her tick stays.
    held: list[Route] = []
    a.route(re.compile(r"/together/consider/$"), lambda route: held.append(route))
    box = stage_of(a).get_by_role("checkbox").nth(1)
    box.check()
    expect(a.locator("#considerations[aria-busy=true]")).to_have_count(1)
    for _ in range(500):
        if held:
            break
        a.wait_for_timeout(20)
    assert held, "Ada's tick was never sent"
    seen = _events(a)
    b.get_by_role("button", name="I'm ready to go on").click()
    a.wait_for_function("seen => window.__tendLiveEvents > seen", arg=seen)
    expect(stage_of(a).locator(".guidance")).to_have_text(
        f"Waiting for: {ada.name}, {cy.name}. There is no rush."
    )
    expect(box).to_be_checked()
    with a.expect_response(lambda r: r.url.endswith("/together/consider/")):
        held[0].continue_()
    a.unroute(re.compile(r"/together/consider/$"))
    assert_not_reloaded(a, "Ada's screen")
    screens = LiveScreens(pages)
    _press_each(screens, a, ["I'm ready to go on"])
    _press_each(screens, c, ["I'm ready to go on"])
    expect_phase(a, SPACE)

    _propose_space(screens, a, "the living room")
    _accept(screens, b, ada.name, "the living room")
    _accept(screens, c, ada.name, "the living room")
    expect_phase(a, INTENTION)
    _propose_intention(screens, b)
    screens.press(a, "Agreed")
    screens.press(c, "Agreed")
    expect_phase(a, AGREEMENTS)
    for page in pages:
        screens.press(page, "I accept these agreements")
    expect_phase(a, TIPS)
    for page in pages:
        screens.press(page, "Ready to talk")
    expect_phase(a, LISTENING)
    screens.press(c, "Begin")
    _listen_in_turns(screens, 3)
    for page in pages:
        expect_phase(page, REQUESTS)

    # A radio and a text: Cy asks; Ben chooses "Yes, with a change" and writes the
    # change; Ada answers first, which redraws Ben's screen.
    stage_of(c).get_by_label("What would you like to ask for, going forward?").fill(
        "Tell me before plans change."
    )
    screens.press(c, "Ask")
    answer_b = stage_of(b).locator("form.answer-request")
    answer_b.get_by_role("radio", name="Yes, with a change").check()
    change = answer_b.get_by_label("The change you would say yes to (if any)")
    change.fill("By message is fine.")
    screens.press(a, "Answer")
    for page in pages:
        expect(stage_of(page).locator(".requests")).to_contain_text(f"{ada.name}: Yes")
    expect(answer_b.get_by_role("radio", name="Yes, with a change")).to_be_checked()
    expect(change).to_have_value("By message is fine.")
    screens.press(b, "Answer")
    for page in pages:
        expect(stage_of(page).locator(".requests")).to_contain_text(
            f"{ben.name}: Yes, with a change — “By message is fine.”"
        )
    screens.assert_not_reloaded()
    check_a11y_from_top(b)


def test_one_screen_keeps_who_is_speaking(new_context) -> None:
    """Ada and Sam (a guest) share Ada's phone; Ben has his own. Ada's screen has
    "Sam" chosen in "Who is this from?" and a request half written when Ben's request
    arrives: both survive, and the request is Sam's."""
    ada, ben = person("Ada"), person("Ben")
    a, b = new_context(), new_context()
    relationship_of([a, b], [ada, ben], "Ada and Ben", "Partner")
    a.locator("#repair").get_by_role("button", name="Something hurt between us").click()
    expect(a).to_have_url(re.compile(r"/notice/$"))
    _join_open_repair(b)

    a.locator(".repair-bar").get_by_role("link", name=re.compile(r"^Repair in ")).click()
    a.get_by_role("link", name="Together on one screen").click()
    arrive(a, re.compile(r"/one-screen/$"))
    a.get_by_label("Their name").fill("Sam")
    a.get_by_role("button", name="Add them").first.click()
    expect(a.get_by_role("status")).to_contain_text("Sam is with you on this screen.")
    a.get_by_role("navigation", name="Steps").get_by_role("link", name="4. Reflect").click()
    tick_readiness(a)
    press_i_am_ready(a)
    become_ready_quickly(b)
    for page in (a, b):
        expect_phase(page, CONSIDERATIONS)
    screens = LiveScreens([a, b])

    _press_each(screens, a, ["Ada: I'm ready to go on", "Sam: I'm ready to go on"])
    screens.press(b, "I'm ready to go on")
    expect_phase(a, SPACE)
    _propose_space(screens, b, "the kitchen")
    _press_each(screens, a, ["Ada: Agreed", "Sam: Agreed"])
    expect_phase(a, INTENTION)
    _propose_intention(screens, b)
    _press_each(screens, a, ["Ada: Agreed", "Sam: Agreed"])
    expect_phase(a, AGREEMENTS)
    _press_each(screens, a, ["Ada: I accept these agreements", "Sam: I accept these agreements"])
    screens.press(b, "I accept these agreements")
    _press_each(screens, a, ["Ada: Ready to talk", "Sam: Ready to talk"])
    screens.press(b, "Ready to talk")
    expect_phase(a, LISTENING)
    screens.press(b, "Begin")
    _listen_in_turns(screens, 3)
    expect_phase(a, REQUESTS)

    who = stage_of(a).get_by_label("Who is this from?")
    who.select_option(label="Sam")
    request = stage_of(a).get_by_label("What would you like to ask for, going forward?")
    request.fill("Tell me when something matters to you.")
    stage_of(b).get_by_label("What would you like to ask for, going forward?").fill(
        "Sit with me a while."
    )
    screens.press(b, "Ask")
    expect(stage_of(a).locator(".requests")).to_contain_text("Sit with me a while.")
    expect(who).to_have_value(re.compile(r"\d+"))
    expect(who.locator("option:checked")).to_have_text("Sam")
    expect(request).to_have_value("Tell me when something matters to you.")
    screens.press(a, "Ask")
    expect(stage_of(b).locator(".requests")).to_contain_text(
        "Sam asks: “Tell me when something matters to you.”"
    )
    expect(request).to_have_value("")  # sent: the box is empty again
    screens.assert_not_reloaded()
    check_a11y_from_top(a)


# Records, on this page, whenever what the device opened is put back sealed: the opened
# mark leaves an element, or an opened answer's text is changed.
_WATCH_OPENED = """() => {
    window.__tendSealedAgain = [];
    new MutationObserver(records => {
        for (const r of records) {
            if (!r.target.hasAttribute("data-e2e-opened")) {
                window.__tendSealedAgain.push(r.target.outerHTML.slice(0, 80));
            }
        }
    }).observe(document.body, {
        subtree: true, attributes: true, attributeFilter: ["data-e2e-opened"]
    });
    const boxes = [...document.querySelectorAll("form[data-e2e-opened] textarea")];
    const texts = new Map(boxes.map(box => [box, box.value]));
    window.__tendChangedTexts = () =>
        [...texts].filter(([box, text]) => box.value !== text).map(([box]) => box.id);
}"""
_REDRAWN = "() => document.querySelector('#repair-screen.htmx-request') === null"


def test_a_live_redraw_leaves_what_this_device_opened(new_context) -> None:
    """A private answer, saved sealed and opened on this device, stays open through
    another person's live update: not even for a moment put back sealed."""
    ada, ben = person("Ada"), person("Ben")
    pages = [new_context(), new_context()]
    a, b = pages
    relationship_of(pages, [ada, ben], "Ada and Ben", "Partner")
    a.locator("#repair").get_by_role("button", name="Something hurt between us").click()
    expect(a).to_have_url(re.compile(r"/notice/$"))
    _join_open_repair(b)

    go_to_step(a, "4. Reflect")
    prompt = str(content.REFLECT_PROMPTS[0].text)
    words = "I went quiet when I felt blamed."
    _write(a, prompt, words)
    a.reload()
    answer = a.locator("form.answer[data-e2e-opened]").filter(
        has=a.get_by_label(prompt, exact=True)
    )
    expect(answer.get_by_label(prompt, exact=True)).to_have_value(words)
    mark_no_reload(a)
    a.evaluate(_WATCH_OPENED)

    # Ben's readiness is a live event on Ada's screen, which re-reads itself.
    with a.expect_response(
        lambda r: r.url.endswith("/reflect/") and r.request.headers.get("hx-request") == "true"
    ):
        become_ready_quickly(b)
    a.wait_for_function(_REDRAWN)
    assert a.evaluate("window.__tendSealedAgain") == []
    assert a.evaluate("window.__tendChangedTexts()") == []
    expect(answer.get_by_label(prompt, exact=True)).to_have_value(words)
    assert_not_reloaded(a, "Ada's screen")

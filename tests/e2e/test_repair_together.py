"""Step 5, coming back together, live: two phones from ready to a completed repair, the
listening rotation of three, one screen shared with a guest, and a slow screen that
must still catch up.

Every change one person makes appears on the other screens without a reload (each
page carries a marker that a reload or navigation would drop), and axe checks every
stage screen on the way. One person acts at a time: after each move the stories wait
until every screen has received its live event and re-read itself (`LiveScreens`);
what happens when two events arrive at once is the last test's subject.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable

import pytest
from playwright.sync_api import APIResponse, Locator, Page, Route, expect

from tests.e2e.helpers import (
    LiveScreens,
    arrive,
    assert_not_reloaded,
    become_ready_quickly,
    check_a11y_from_top,
    expect_phase,
    go_to_step,
    person,
    press_i_am_ready,
    relationship_of,
    sign_up_from_landing,
    stage_of,
    start_relationship,
    tick_readiness,
)

pytestmark = pytest.mark.e2e

CONSIDERATIONS = "Before you begin: notice where you are"
SPACE = "Create the space"
INTENTION = "A shared intention"
AGREEMENTS = "Agreements"
TIPS = "Before you talk"
LISTENING = "Listening to each other"
REQUESTS = "Needs and requests"
CLEARING = "Clear what is left"
REBOND = "Reconnect"
COMPLETE = "You came back together"
PAUSED = "Coming back together is paused"

INTENTION_TEMPLATE = "We want to understand each other, not to win."
HOW = "Indoors · Sitting side by side"


def _text_field(page: Page, label: str | re.Pattern[str]) -> Locator:
    """The stage's text field with this label, once it is there."""
    field = stage_of(page).get_by_label(label)
    expect(field).to_be_visible()
    return field


def _live(screens: LiveScreens, title: str, *, axe: Page | None = None) -> None:
    """Every screen shows this stage now, and none reloaded to get there."""
    for page in screens.pages:
        expect_phase(page, title)
    screens.assert_not_reloaded()
    if axe is not None:
        check_a11y_from_top(axe)


def _guidance(page: Page) -> Locator:
    return stage_of(page).locator(".guidance")


def _join_open_repair(page: Page) -> None:
    """From the relationship page, where the open repair has just appeared live."""
    callout = page.locator("#repair")
    expect(callout.get_by_role("heading", level=2)).to_have_text("A repair is open")
    callout.get_by_role("link", name="Go to the repair").click()
    check_a11y_from_top(page)
    page.get_by_role("button", name="Join the repair").click()
    expect(page).to_have_url(re.compile(r"/notice/$"))


def _everyone_ready(pages: list[Page]) -> LiveScreens:
    """The first person opens a repair from the relationship page; the others join; all
    become ready, and step 5 opens by itself (no time was agreed)."""
    first, *rest = pages
    first.locator("#repair").get_by_role("button", name="Something hurt between us").click()
    expect(first).to_have_url(re.compile(r"/notice/$"))
    check_a11y_from_top(first)
    for page in rest:
        _join_open_repair(page)
    for page in pages:
        become_ready_quickly(page)
    for page in pages:
        expect_phase(page, CONSIDERATIONS)
    return LiveScreens(pages)


def _each_says(screens: LiveScreens, names: list[str], label: str, *, tick: bool = False) -> None:
    """Each person in turn presses `label`; every screen keeps saying who is awaited."""
    for index, page in enumerate(screens.pages):
        waiting = ", ".join(names[index:])
        for other in screens.pages:
            expect(_guidance(other)).to_have_text(f"Waiting for: {waiting}. There is no rush.")
        if tick:
            # Private: ticking a consideration sends nothing to the others.
            with page.expect_response(lambda r: r.url.endswith("/together/consider/")):
                stage_of(page).get_by_role("checkbox").first.check()
        screens.press(page, label)
        if index < len(screens.pages) - 1:
            expect(stage_of(page).get_by_role("button", name=label)).to_have_count(0)


def _propose_space(screens: LiveScreens, page: Page, where: str) -> None:
    stage = stage_of(page)
    _text_field(page, "Where?").fill(where)
    stage.get_by_role("radio", name="Indoors").check()
    stage.get_by_role("radio", name="Sitting side by side").check()
    screens.press(page, "Propose")
    expect(stage.get_by_text("Waiting for the others to agree.")).to_be_visible()


def _propose_intention(screens: LiveScreens, page: Page) -> None:
    stage = stage_of(page)
    field = _text_field(page, "Our intention (change the words as you like)")
    stage.get_by_role("button", name=INTENTION_TEMPLATE).click()
    expect(field).to_have_value(INTENTION_TEMPLATE)
    screens.press(page, "Propose")


def _accept(screens: LiveScreens, page: Page, proposer: str, text: str) -> None:
    expect(stage_of(page).locator(".plan")).to_contain_text(f"{proposer} proposes: {text}")
    screens.press(page, "Agreed")


def _reflect(screens: LiveScreens, page: Page, heard: str, body: str = "") -> None:
    _text_field(page, re.compile(r"^What did you hear .+ say\?$")).fill(heard)
    if body:
        _text_field(page, "What did you notice in your body while listening?").fill(body)
    screens.press(page, "Did I hear you right?")


def _turns(page: Page) -> list[str]:
    items = stage_of(page).locator("ol.turns li")
    return [re.sub(r"\s+", " ", text).strip() for text in items.all_inner_texts()]


def _reflect_buttons(page: Page) -> Locator:
    return stage_of(page).get_by_role("button", name="Did I hear you right?")


def _confirm_buttons(page: Page) -> Locator:
    return stage_of(page).get_by_role("button", name="Yes, I feel heard")


def _quick_turn(
    screens: LiveScreens, speaker: Page, listener: Page, others: list[Page], heard: str
) -> None:
    """One listening turn without a correction: only the listener's screen has the
    reflection form, only the speaker's the confirm buttons."""
    expect(_reflect_buttons(listener)).to_be_visible()
    for page in [speaker, *others]:
        expect(_reflect_buttons(page)).to_have_count(0)
    _reflect(screens, listener, heard)
    expect(_confirm_buttons(speaker)).to_be_visible()
    for page in [listener, *others]:
        expect(stage_of(page).locator(".reflections")).to_contain_text(heard)
        expect(_confirm_buttons(page)).to_have_count(0)
    screens.press(speaker, "Yes, I feel heard")


def test_two_phones_from_ready_to_complete(new_context) -> None:
    started = time.monotonic()
    ada, ben = person("Ada"), person("Ben")
    a, b = new_context(), new_context()
    tag = secrets.token_hex(3)

    relationship_of([a, b], [ada, ben], "Ada and Ben", "Partner")
    screens = _everyone_ready([a, b])
    together_at = time.monotonic()
    both = screens.pages
    check_a11y_from_top(a)
    check_a11y_from_top(b)

    # 1. Considerations: each privately, then "I'm ready to go on".
    _each_says(screens, [ada.name, ben.name], "I'm ready to go on", tick=True)
    _live(screens, SPACE, axe=a)

    # 2. Create the space: Ada proposes, Ben agrees.
    where = f"the kitchen table {tag}"
    _propose_space(screens, a, where)
    check_a11y_from_top(a)
    _accept(screens, b, ada.name, f"{where} · {HOW}")
    _live(screens, INTENTION, axe=a)
    check_a11y_from_top(b)

    # 3. A shared intention from a template: Ada proposes, Ben agrees.
    _propose_intention(screens, a)
    _accept(screens, b, ada.name, f"“{INTENTION_TEMPLATE}”")
    _live(screens, AGREEMENTS, axe=a)

    # 4. Agreements: Ada accepts; Ben adds one of his own, so both accept again.
    agreements = stage_of(a).locator("ol.agreements li")
    expect(agreements).to_have_count(3)
    screens.press(a, "I accept these agreements")
    expect(stage_of(a).get_by_role("button", name="I accept these agreements")).to_have_count(0)
    expect(_guidance(b)).to_have_text(f"Waiting for: {ben.name}. There is no rush.")
    own = f"We take a short break whenever one of us asks {tag}."
    _text_field(b, "Add one of your own (everyone then agrees again)").fill(own)
    screens.press(b, "Add")
    expect(agreements).to_have_count(4)
    expect(agreements.last).to_have_text(own)
    for page in both:
        expect(
            stage_of(page).get_by_role("button", name="I accept these agreements")
        ).to_be_visible()
        expect(_guidance(page)).to_have_text(
            f"Waiting for: {ada.name}, {ben.name}. There is no rush."
        )
    screens.assert_not_reloaded()
    check_a11y_from_top(b)
    _each_says(screens, [ada.name, ben.name], "I accept these agreements")
    _live(screens, TIPS, axe=a)

    # 5. Tips, then "Ready to talk".
    _each_says(screens, [ada.name, ben.name], "Ready to talk")
    _live(screens, LISTENING, axe=a)

    # 6. Listening: Ada speaks first; Ben reflects, she corrects, he reflects again.
    stage_of(b).get_by_role("radio", name=ada.name).check()
    screens.press(b, "Begin")
    for page in both:
        expect(stage_of(page).locator("ol.turns li")).to_have_count(2)
        assert _turns(page) == [f"{ada.name} → {ben.name}", f"{ben.name} → {ada.name}"]
    screens.assert_not_reloaded()
    expect(_guidance(a)).to_have_text(f"It is your turn to speak, {ada.name}. {ben.name} listens.")
    expect(_guidance(b)).to_have_text(
        f"{ada.name} speaks. {ben.name}, listen, then tell {ada.name} what you heard."
    )
    expect(stage_of(a)).to_contain_text(f"{ben.name} is reflecting back what they heard.")
    expect(_reflect_buttons(a)).to_have_count(0)
    check_a11y_from_top(a)
    check_a11y_from_top(b)
    first_heard = f"You felt left out when I made plans without you {tag}."
    _reflect(screens, b, first_heard, body="A tight chest, then it eased.")
    reflections = stage_of(a).locator(".reflections")
    expect(reflections).to_contain_text(first_heard)
    expect(reflections).to_contain_text("A tight chest, then it eased.")
    expect(_guidance(a)).to_have_text(f"{ada.name}, did {ben.name} hear you right?")
    expect(stage_of(b)).to_contain_text(f"{ada.name} is answering.")
    expect(_confirm_buttons(b)).to_have_count(0)
    check_a11y_from_top(a)
    correction = f"And that I was scared it meant I did not matter {tag}."
    _text_field(a, "Or say what is missing:").fill(correction)
    screens.press(a, "Not quite, let me add something")
    expect(stage_of(b).locator(".reflections")).to_contain_text(
        f"{ada.name}: partly — {correction}"
    )
    expect(_reflect_buttons(b)).to_be_visible()
    screens.assert_not_reloaded()
    check_a11y_from_top(b)
    second_heard = f"You felt left out, and scared that you did not matter {tag}."
    _reflect(screens, b, second_heard)
    expect(stage_of(a).locator(".reflections")).to_contain_text(second_heard)
    screens.press(a, "Yes, I feel heard")

    # They swap: Ben speaks, Ada listens.
    for page in both:
        expect(stage_of(page).locator("ol.turns li").first).to_contain_text("heard")
        expect(stage_of(page).locator("ol.turns li[aria-current=step]")).to_have_text(
            f"{ben.name} → {ada.name}"
        )
    expect(_guidance(b)).to_have_text(f"It is your turn to speak, {ben.name}. {ada.name} listens.")
    check_a11y_from_top(a)
    _quick_turn(screens, b, a, [], f"You wanted us both to have room to plan {tag}.")
    _live(screens, REQUESTS, axe=a)

    # 7. Requests: Ada asks; Ben answers "Yes, with a change"; both have no more.
    request = f"Tell me before you make plans for the weekend {tag}."
    change = f"I will tell you by Thursday evening {tag}."
    _text_field(a, "What would you like to ask for, going forward?").fill(request)
    screens.press(a, "Ask")
    expect(stage_of(b).locator(".requests")).to_contain_text(f"{ada.name} asks: “{request}”")
    screens.assert_not_reloaded()
    check_a11y_from_top(b)
    answer = stage_of(b).locator("form.answer-request")
    answer.get_by_role("radio", name="Yes, with a change").check()
    _text_field(b, "The change you would say yes to (if any)").fill(change)
    screens.press(b, "Answer")
    answers = stage_of(a).locator(".requests")
    expect(answers).to_contain_text(f"{ben.name}: Yes, with a change — “{change}”")
    check_a11y_from_top(a)
    screens.press(a, "I have no more requests")
    screens.press(b, "I have no more requests")
    _live(screens, CLEARING, axe=a)

    # 8. Clearing: a movement timer, then one is not clear yet: they listen again.
    for page in both:
        expect(stage_of(page).locator(".timer-clock")).to_have_text("1:00")
    screens.press(a, "Not yet")
    expect(stage_of(a)).to_contain_text("Waiting for the others to answer.")
    screens.press(b, "Yes, I feel clear")
    for page in both:
        expect(stage_of(page)).to_contain_text("Something may still be waiting for words.")
        expect(stage_of(page).get_by_role("button", name="Listen again")).to_be_visible()
    screens.assert_not_reloaded()
    check_a11y_from_top(a)
    check_a11y_from_top(b)
    screens.press(b, "Listen again")
    _live(screens, LISTENING)
    stage_of(a).get_by_role("radio", name=ben.name).check()
    screens.press(a, "Begin")
    for page in both:
        expect(stage_of(page).locator("ol.turns li")).to_have_count(2)
        assert _turns(page) == [f"{ben.name} → {ada.name}", f"{ada.name} → {ben.name}"]
    _quick_turn(screens, b, a, [], f"You are still a little sore {tag}.")
    _quick_turn(screens, a, b, [], f"You needed to say that it still stings {tag}.")
    _live(screens, CLEARING)
    screens.press(a, "Yes, I feel clear")
    screens.press(b, "Yes, I feel clear")
    _live(screens, REBOND, axe=a)

    # 9. Rebond: a long hug, agreed; the 30 seconds are timed; both say it happened.
    stage_of(a).get_by_role("radio", name=re.compile(r"^A long hug")).check()
    screens.press(a, "Propose")
    _accept(screens, b, ada.name, "A long hug")
    for page in both:
        expect(stage_of(page).locator(".plan-agreed")).to_have_text("Agreed: A long hug")
        expect(stage_of(page).locator(".timer-clock")).to_have_text("0:30")
    screens.assert_not_reloaded()
    check_a11y_from_top(a)
    check_a11y_from_top(b)
    clock = stage_of(b).locator(".timer-clock")
    stage_of(b).get_by_role("button", name="Start the 30 seconds").click()
    expect(clock).to_have_text(re.compile(r"^0:2[89]$"), timeout=4_000)
    screens.press(b, "It happened")
    expect(stage_of(b)).to_contain_text("Waiting for the others.")
    screens.press(a, "It happened")

    for page in both:
        expect(stage_of(page).locator("#stage-title")).to_have_text(COMPLETE)
        expect(stage_of(page).locator("dl.summary")).to_contain_text(INTENTION_TEMPLATE)
        expect(stage_of(page)).to_contain_text(f"{ben.name}: {change}")
        # A completed repair: its summary and the way back, and nothing that acts on it,
        # on both screens, redrawn live.
        screen = page.locator("#repair-screen")
        expect(screen.locator("form")).to_have_count(0)
        for name in ("Close this repair without finishing", "Together on one screen"):
            expect(screen.get_by_role("link", name=name)).to_have_count(0)
        expect(screen.get_by_role("link", name="Back to the relationship")).to_be_visible()
        expect(page.get_by_role("navigation", name="Steps")).to_have_count(0)
        check_a11y_from_top(page)
    screens.assert_not_reloaded()
    finished = time.monotonic()
    print(
        f"\nTwo-person run: {finished - started:.1f}s in all, of which "
        f"{finished - together_at:.1f}s in step 5 (from everyone ready to complete)."
    )


def test_three_people_take_turns_in_a_circle(new_context) -> None:
    ada, ben, cy = person("Ada"), person("Ben"), person("Cy")
    pages = [new_context(), new_context(), new_context()]
    a, b, c = pages
    names = [ada.name, ben.name, cy.name]

    relationship_of(pages, [ada, ben, cy], "The three of us", "Family")
    screens = _everyone_ready(pages)
    check_a11y_from_top(c)

    _each_says(screens, names, "I'm ready to go on")
    _live(screens, SPACE, axe=a)
    _propose_space(screens, a, "the living room")
    _accept(screens, b, ada.name, f"the living room · {HOW}")
    expect(stage_of(a).get_by_text("Waiting for the others to agree.")).to_be_visible()
    _accept(screens, c, ada.name, f"the living room · {HOW}")
    _live(screens, INTENTION, axe=a)
    _propose_intention(screens, b)
    _accept(screens, a, ben.name, f"“{INTENTION_TEMPLATE}”")
    _accept(screens, c, ben.name, f"“{INTENTION_TEMPLATE}”")
    _live(screens, AGREEMENTS, axe=a)
    _each_says(screens, names, "I accept these agreements")
    _live(screens, TIPS, axe=a)
    _each_says(screens, names, "Ready to talk")
    _live(screens, LISTENING, axe=a)

    # Ada speaks first: the circle is Ada → Ben, Ben → Cy, Cy → Ada.
    stage_of(c).get_by_role("radio", name=ada.name).check()
    screens.press(c, "Begin")
    order = [f"{ada.name} → {ben.name}", f"{ben.name} → {cy.name}", f"{cy.name} → {ada.name}"]
    for page in pages:
        expect(stage_of(page).locator("ol.turns li")).to_have_count(3)
        assert _turns(page) == order
    screens.assert_not_reloaded()

    for turn in range(3):
        speaker, listener, third = pages[turn], pages[(turn + 1) % 3], pages[(turn + 2) % 3]
        listener_name = names[(turn + 1) % 3]
        for page in pages:
            expect(stage_of(page).locator("ol.turns li[aria-current=step]")).to_have_text(
                order[turn]
            )
        for page in (speaker, third):
            expect(stage_of(page)).to_contain_text(
                f"{listener_name} is reflecting back what they heard."
            )
        for page in pages:
            check_a11y_from_top(page)
        _quick_turn(screens, speaker, listener, [third], f"What I heard in turn {turn + 1}.")
    _live(screens, REQUESTS, axe=a)


def test_one_screen_with_a_guest(new_context) -> None:
    dee = person("Dee")
    page = new_context()
    tag = secrets.token_hex(4)
    brought = f"Dee-brings-this-{tag}"
    kept = f"Dee-keeps-this-private-{tag}"
    honored = f"Dee-honor-{tag}"

    # A relationship with only Dee in it: the other person has no account.
    sign_up_from_landing(page, dee)
    start_relationship(page, "Dee and Sam", "Partner")
    page.locator("#repair").get_by_role("button", name="Something hurt between us").click()
    expect(page).to_have_url(re.compile(r"/notice/$"))

    # Private writing: the honor page; one reflect answer to bring, one to keep.
    go_to_step(page, "3. Honor the pain")
    page.get_by_label("What hurts most right now?").fill(honored)
    expect(page.locator("form.answer .save-slot").first).to_have_text("Saved")
    go_to_step(page, "4. Reflect")
    bring_form = page.locator("form.answer").nth(2)
    bring_form.get_by_role("textbox").fill(brought)
    expect(bring_form.locator(".save-slot")).to_have_text("Saved")
    with page.expect_response(lambda r: "/answers/" in r.url):
        bring_form.get_by_role("checkbox", name=re.compile(r"^Bring this")).check()
    keep_form = page.locator("form.answer").nth(4)
    keep_form.get_by_role("textbox").fill(kept)
    expect(keep_form.locator(".save-slot")).to_have_text("Saved")

    # Sam, who has no account, joins on this screen.
    page.locator(".repair-bar").get_by_role("link", name=re.compile(r"^Repair in ")).click()
    page.get_by_role("link", name="Together on one screen").click()
    arrive(page, re.compile(r"/one-screen/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Together on one screen")
    check_a11y_from_top(page)
    page.get_by_label("Their name").fill("Sam")
    page.get_by_role("button", name="Add them").first.click()
    expect(page.get_by_role("status")).to_contain_text("Sam is with you on this screen.")
    check_a11y_from_top(page)

    go_to_step(page, "4. Reflect")
    tick_readiness(page)
    press_i_am_ready(page)
    expect_phase(page, CONSIDERATIONS)
    screens = LiveScreens([page])
    contents: list[str] = [page.content()]

    def screen(title: str) -> None:
        expect_phase(page, title)
        screens.assert_not_reloaded()
        check_a11y_from_top(page)
        contents.append(page.content())

    def press(label: str) -> None:
        screens.press(page, label)

    guidance = _guidance(page)
    screen(CONSIDERATIONS)
    press("Sam: I'm ready to go on")
    expect(guidance).to_have_text(f"Waiting for: {dee.name}. There is no rush.")
    press("Dee: I'm ready to go on")
    screen(SPACE)
    stage_of(page).get_by_label("Who is this from?").select_option(label="Sam")
    _text_field(page, "Where?").fill("the sofa")
    press("Propose")
    expect(stage_of(page).locator(".plan")).to_contain_text("Sam proposes: the sofa")
    expect(stage_of(page).get_by_role("button", name="Sam: Agreed")).to_have_count(0)
    press("Dee: Agreed")
    screen(INTENTION)
    _propose_intention(screens, page)
    press("Sam: Agreed")
    screen(AGREEMENTS)
    press("Dee: I accept these agreements")
    press("Sam: I accept these agreements")
    screen(TIPS)
    press("Dee: Ready to talk")
    press("Sam: Ready to talk")
    screen(LISTENING)

    # Listening, with each person addressed by name; Dee's brought note is at hand.
    stage_of(page).get_by_role("radio", name="Dee").check()
    press("Begin")
    expect(guidance).to_have_text("Dee speaks. Sam, listen, then tell Dee what you heard.")
    expect(stage_of(page)).to_contain_text("What Dee chose to bring")
    expect(stage_of(page)).to_contain_text(brought)
    screen(LISTENING)
    _reflect(screens, page, "You were hurt and wanted me to notice.")
    expect(guidance).to_have_text("Dee, did Sam hear you right?")
    screen(LISTENING)
    press("Yes, I feel heard")
    expect(guidance).to_have_text("Sam speaks. Dee, listen, then tell Sam what you heard.")
    screen(LISTENING)
    _reflect(screens, page, "You did not know it mattered so much.")
    expect(guidance).to_have_text("Sam, did Dee hear you right?")
    press("Yes, I feel heard")
    screen(REQUESTS)

    stage_of(page).get_by_label("Who is this from?").select_option(label="Sam")
    _text_field(page, "What would you like to ask for, going forward?").fill(
        "Tell me when something matters to you."
    )
    press("Ask")
    answer = stage_of(page).locator("form.answer-request")
    expect(answer.get_by_role("group", name="Dee, your answer")).to_be_visible()
    answer.get_by_role("radio", name="Yes", exact=True).check()
    press("Answer")
    expect(stage_of(page).locator(".requests")).to_contain_text("Dee: Yes")
    screen(REQUESTS)
    press("Dee: I have no more requests")
    press("Sam: I have no more requests")
    screen(CLEARING)
    press("Dee: Yes, I feel clear")
    press("Sam: Yes, I feel clear")
    screen(REBOND)
    stage_of(page).get_by_label("Who is this from?").select_option(label="Dee")
    stage_of(page).get_by_role("radio", name=re.compile(r"^A long hug")).check()
    press("Propose")
    press("Sam: Agreed")
    expect(stage_of(page).locator(".plan-agreed")).to_have_text("Agreed: A long hug")
    screen(REBOND)
    press("Dee: It happened")
    press("Sam: It happened")
    expect(stage_of(page).locator("#stage-title")).to_have_text(COMPLETE)
    expect(stage_of(page).locator("dl.summary")).to_contain_text(INTENTION_TEMPLATE)
    screens.assert_not_reloaded()
    check_a11y_from_top(page)
    contents.append(page.content())

    # What Dee kept private never reached the shared screen; what she brought did.
    assert any(brought in html for html in contents)
    for html in contents:
        assert kept not in html
        assert honored not in html


class _Held:
    """Holds one page's re-fetches of the live stage: each is fetched from the server
    at once (as it is at that moment) and delivered only when released."""

    def __init__(self) -> None:
        self.waiting: list[tuple[Route, APIResponse]] = []
        self.holding = True

    def handler(self) -> Callable[[Route], None]:
        def handle(route: Route) -> None:
            if route.request.method != "GET" or not self.holding:
                route.continue_()
                return
            self.waiting.append((route, route.fetch()))

        return handle

    def release(self) -> None:
        self.holding = False
        for route, response in self.waiting:
            route.fulfill(response=response)
        self.waiting.clear()


def test_a_slow_screen_still_catches_up(new_context) -> None:
    """On a slow connection, two changes can arrive while the screen is still fetching
    the first: it must end up showing the second too."""
    ada, ben = person("Ada"), person("Ben")
    a, b = new_context(), new_context()
    relationship_of([a, b], [ada, ben], "Ada and Ben", "Partner")
    _everyone_ready([a, b])

    held = _Held()
    # The live redraw re-reads the repair page itself.
    a.route(re.compile(r"/repairs/\d+/$"), held.handler())
    # Ben is ready to go on: Ada's screen starts re-reading itself, slowly.
    press = b.get_by_role("button", name="I'm ready to go on")
    with b.expect_response(lambda r: r.url.endswith("/together/done/")):
        press.click()
    a.wait_for_function("window.__tendLiveEvents >= 1")
    deadline = time.monotonic() + 10
    while not held.waiting and time.monotonic() < deadline:
        a.wait_for_timeout(50)
    assert held.waiting, "Ada's screen did not re-read itself after Ben's move"
    # Meanwhile Ben pauses: a second change, while the first read is on its way.
    b.locator(".repair-bar").get_by_role("button", name="Pause").click()
    expect(b.get_by_role("heading", level=1)).to_have_text("You are paused")
    a.wait_for_function("window.__tendLiveEvents >= 2")
    held.release()

    # Ada's screen shows the pause, without a reload.
    expect(a.locator("#together")).to_contain_text(f"{ben.name}: paused")
    expect_phase(a, PAUSED)
    assert_not_reloaded(a, "Ada's screen")
    check_a11y_from_top(a)

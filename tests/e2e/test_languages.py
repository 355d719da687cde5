"""Two languages in one relationship: Ada's phone speaks Spanish, Ben's German.

The newcomer story (sign up, start a relationship, invite, join) and one full repair,
each person in their own language from their browser's Accept-Language, with axe on the
pages on the way (axe reads the `lang` attribute). What each page says is compared with
the catalogue's translation of its English msgid (`tr`), so the stories pass in any
state of the catalogues, and cannot pass with English left where a translation exists.
"""

from __future__ import annotations

import re
import secrets

import pytest
from django.utils import translation
from playwright.sync_api import Locator, Page, expect

from tests.e2e.helpers import (
    LiveScreens,
    become_ready_quickly,
    check_a11y,
    check_a11y_from_top,
    expect_phase,
    person,
    relationship_of,
    stage_of,
    tr,
)

pytestmark = pytest.mark.e2e

SPANISH, GERMAN = "es-ES", "de-DE"
LANDING = "When something breaks between you, tend helps you mend it."


def _speaks(page: Page, language: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", language)
    # The footer's chooser shows the page's language as chosen.
    expect(page.locator("#language-choice")).to_have_value(language)


def _says(locator: Locator, page: Page, msgid: str) -> None:
    """The locator's text is the page language's translation of `msgid`; where the
    catalogue translates it, that is not the English."""
    said = tr(page, msgid)
    expect(locator).to_have_text(said)
    language = page.evaluate("document.documentElement.lang")
    with translation.override(language):
        translated = translation.gettext(msgid) != msgid
    if translated:
        expect(locator).not_to_have_text(msgid)


def test_the_newcomer_story_in_spanish_and_german(new_context) -> None:
    ada, ben = person("Ada"), person("Ben")
    a, b = new_context(SPANISH), new_context(GERMAN)

    a.goto("/")
    _speaks(a, "es")
    _says(a.get_by_role("heading", level=1), a, LANDING)
    b.goto("/")
    _speaks(b, "de")
    _says(b.get_by_role("heading", level=1), b, LANDING)
    check_a11y(b)

    relationship = relationship_of(
        [a, b], [ada, ben], f"Nosotros {secrets.token_hex(2)}", "Partner"
    )
    for page, language in ((a, "es"), (b, "de")):
        page.goto(f"/r/{relationship}/")
        _speaks(page, language)
        nav = page.get_by_role("navigation", name=tr(page, "Main"))
        _says(nav.get_by_role("link", name=tr(page, "Relationships")), page, "Relationships")
        check_a11y(page)
        # Kept on the account from the sign-up: the profile says so.
        page.goto("/profile/")
        expect(page.locator("#id_language")).to_have_value(language)
        check_a11y(page)

    # Ada switches to German with the footer's chooser, without script, and back.
    a.locator("#language-choice").select_option("de")
    a.get_by_role("button", name=tr(a, "Change language")).click()
    expect(a).to_have_url(re.compile(r"/profile/$"))
    _speaks(a, "de")
    a.locator("#language-choice").select_option("es")
    a.get_by_role("button", name=tr(a, "Change language")).click()
    _speaks(a, "es")
    check_a11y(a)


def _join_open_repair(page: Page) -> None:
    callout = page.locator("#repair")
    _says(callout.get_by_role("heading", level=2), page, "A repair is open")
    callout.get_by_role("link", name=tr(page, "Go to the repair")).click()
    check_a11y_from_top(page)
    page.get_by_role("button", name=tr(page, "Join the repair")).click()
    expect(page).to_have_url(re.compile(r"/notice/$"))


def _field(page: Page, label: str) -> Locator:
    field = stage_of(page).get_by_label(tr(page, label), exact=True)
    expect(field).to_be_visible()
    return field


def test_one_full_repair_with_one_spanish_and_one_german_phone(new_context) -> None:
    ada, ben = person("Ada"), person("Ben")
    a, b = new_context(SPANISH), new_context(GERMAN)
    tag = secrets.token_hex(3)
    relationship_of([a, b], [ada, ben], f"Ada y Ben {tag}", "Partner")

    # Ada opens a repair; Ben joins; both become ready: step 5 opens by itself.
    a.locator("#repair").get_by_role("button", name=tr(a, "Something hurt between us")).click()
    expect(a).to_have_url(re.compile(r"/notice/$"))
    _speaks(a, "es")
    check_a11y_from_top(a)
    _join_open_repair(b)
    _speaks(b, "de")
    for page in (a, b):
        become_ready_quickly(page)
        check_a11y_from_top(page)
    for page in (a, b):
        expect_phase(page, "Before you begin: notice where you are")
    screens = LiveScreens([a, b])
    both = (a, b)

    def live(title: str) -> None:
        for page in both:
            expect_phase(page, title)
            check_a11y_from_top(page)
        screens.assert_not_reloaded()

    # 1. Considerations.
    screens.press(a, "I'm ready to go on")
    screens.press(b, "I'm ready to go on")
    live("Create the space")

    # 2. The space: Ada proposes (in Spanish), Ben agrees (in German).
    where = f"la mesa de la cocina {tag}"
    _field(a, "Where?").fill(where)
    stage_of(a).get_by_role("radio", name=tr(a, "Indoors"), exact=True).check()
    stage_of(a).get_by_role("radio", name=tr(a, "Sitting side by side"), exact=True).check()
    screens.press(a, "Propose")
    # What Ada wrote reaches Ben as she wrote it: no machine translation.
    expect(stage_of(b).locator(".plan")).to_contain_text(where)
    screens.press(b, "Agreed")
    live("A shared intention")

    # 3. The intention, in Ada's own words.
    intention = f"Queremos entendernos {tag}."
    _field(a, "Our intention (change the words as you like)").fill(intention)
    screens.press(a, "Propose")
    expect(stage_of(b).locator(".plan")).to_contain_text(intention)
    screens.press(b, "Agreed")
    live("Agreements")

    # 4. Agreements, then the tips.
    screens.press(a, "I accept these agreements")
    screens.press(b, "I accept these agreements")
    live("Before you talk")
    screens.press(a, "Ready to talk")
    screens.press(b, "Ready to talk")
    live("Listening to each other")

    # 5. Listening: Ada speaks first, Ben reflects, she feels heard; then the other way.
    stage_of(b).get_by_role("radio", name=ada.name).check()
    screens.press(b, "Begin")
    for listener, speaker, heard in (
        (b, a, f"Te sentiste sola {tag}."),
        (a, b, f"Du warst müde {tag}."),
    ):
        reflect = stage_of(listener).get_by_role(
            "button", name=tr(listener, "Did I hear you right?")
        )
        expect(reflect).to_be_visible()
        field = stage_of(listener).get_by_role("textbox").first
        field.fill(heard)
        screens.press(listener, "Did I hear you right?")
        expect(stage_of(speaker).locator(".reflections")).to_contain_text(heard)
        check_a11y_from_top(speaker)
        screens.press(speaker, "Yes, I feel heard")
    live("Needs and requests")

    # 6. Requests: none this time.
    screens.press(a, "I have no more requests")
    screens.press(b, "I have no more requests")
    live("Clear what is left")

    # 7. Clearing.
    screens.press(a, "Yes, I feel clear")
    screens.press(b, "Yes, I feel clear")
    live("Reconnect")

    # 8. Rebond: a long hug, agreed; both say it happened.
    stage_of(a).get_by_role("radio", name=re.compile("^" + re.escape(tr(a, "A long hug")))).check()
    screens.press(a, "Propose")
    screens.press(b, "Agreed")
    screens.press(b, "It happened")
    screens.press(a, "It happened")
    for page, language in ((a, "es"), (b, "de")):
        expect(stage_of(page).locator("dl.summary")).to_contain_text(intention)
        _speaks(page, language)
        back = page.locator("#repair-screen").get_by_role(
            "link", name=tr(page, "Back to the relationship")
        )
        _says(back, page, "Back to the relationship")
        check_a11y_from_top(page)
    screens.assert_not_reloaded()

"""Commitments kept together, on two phones: a request Ada makes in step 5 becomes
Ben's commitment; on the ledger Ada suggests a change, and Ben takes it up, each seeing
the other's move live; on its review date (time-travelled: the server's clock cannot be
moved, so the review date is brought to today in its database) both check in, and the
ledger shows the history. axe checks the ledger and each form on the way."""

from __future__ import annotations

import re
import secrets
import subprocess
import sys

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import (
    LiveScreens,
    assert_not_reloaded,
    check_a11y_from_top,
    mark_no_reload,
    person,
    relationship_of,
    stage_of,
)
from tests.e2e.servers import Server
from tests.e2e.test_next_repair import _open_and_get_ready
from tests.e2e.test_repair_together import (
    AGREEMENTS,
    CLEARING,
    COMPLETE,
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
    _live,
    _propose_intention,
    _propose_space,
    _quick_turn,
    _text_field,
)

pytestmark = pytest.mark.e2e


def _to_a_commitment_of_ben(screens: LiveScreens, names: list[str], request: str) -> None:
    """Step 5 from the considerations to the end; Ada asks, Ben says yes."""
    a, b = screens.pages
    _each_says(screens, names, "I'm ready to go on")
    _live(screens, SPACE)
    _propose_space(screens, a, "the bench")
    _accept(screens, b, names[0], f"the bench · {HOW}")
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
    _quick_turn(screens, a, b, [], "You felt unheard.")
    _quick_turn(screens, b, a, [], "You wanted more time.")
    _live(screens, REQUESTS)
    _text_field(a, "What would you like to ask for, going forward?").fill(request)
    screens.press(a, "Ask")
    stage_of(b).locator("form.answer-request").get_by_role("radio", name="Yes", exact=True).check()
    screens.press(b, "Answer")
    screens.press(a, "I have no more requests")
    screens.press(b, "I have no more requests")
    _live(screens, CLEARING)
    screens.press(a, "Yes, I feel clear")
    screens.press(b, "Yes, I feel clear")
    _live(screens, REBOND)
    stage_of(a).get_by_role("radio", name=re.compile(r"^A long hug")).check()
    screens.press(a, "Propose")
    _accept(screens, b, names[0], "A long hug")
    screens.press(b, "It happened")
    screens.press(a, "It happened")
    for page in screens.pages:
        expect(stage_of(page).locator("#stage-title")).to_have_text(COMPLETE)


def _review_date_comes(server: Server, relationship: int) -> None:
    """Time travel: the relationship's commitments are due for a look today."""
    code = (
        "from django.utils import timezone\n"
        "from tend.repairs.models import Commitment\n"
        f"Commitment.objects.filter(relationship_id={relationship})"
        ".update(review_on=timezone.localdate())\n"
    )
    subprocess.run(
        [sys.executable, "-m", "tend.cli", "manage", "shell", "-c", code],
        env=server.env,
        check=True,
        capture_output=True,
        timeout=120,
    )


def _card(page: Page, text: str):  # type: ignore[no-untyped-def]
    return page.locator("#ledger li.panel", has_text=text)


def test_a_suggestion_taken_up_and_a_check_in_on_the_review_date(new_context, server) -> None:
    ada, ben = person("Ada"), person("Ben")
    a, b = new_context(), new_context()
    relationship = relationship_of([a, b], [ada, ben], "Ada and Ben", "Partner")
    tag = secrets.token_hex(3)
    request = f"Tell me before you make plans {tag}."
    _open_and_get_ready(a, b, ada.name)
    _to_a_commitment_of_ben(LiveScreens([a, b]), [ada.name, ben.name], request)

    ledger = f"/r/{relationship}/commitments/"
    for page in (a, b):
        page.goto(ledger)
        expect(page.get_by_role("heading", level=1)).to_have_text("Commitments")
        expect(_card(page, request)).to_be_visible()
        check_a11y_from_top(page)
    expect(_card(a, request).get_by_role("link", name="Change it")).to_have_count(0)
    expect(_card(b, request).get_by_role("link", name="Suggest a change")).to_have_count(0)

    # Ada suggests new wording; Ben sees it appear live, without a reload.
    mark_no_reload(b)
    _card(a, request).get_by_role("link", name="Suggest a change").click()
    expect(a.get_by_role("heading", level=1)).to_have_text("Suggest a change")
    check_a11y_from_top(a)
    better = f"Tell me by Thursday before making weekend plans {tag}."
    a.get_by_label("New wording").fill(better)
    a.get_by_label("A short note, if you like").fill("Thursday gives me time.")
    a.get_by_role("button", name="Suggest it").click()
    expect(a).to_have_url(re.compile(r"/commitments/(#commitment-\d+)?$"))
    expect(a.locator(".messages")).to_contain_text("Ben decides whether to take it up.")
    card = _card(b, request)
    expect(card).to_contain_text(f"{ada.name} suggested: “{better}”")
    expect(card).to_contain_text("“Thursday gives me time.”")
    assert_not_reloaded(b, "Ben's ledger")
    check_a11y_from_top(b)

    # Ben takes it up; Ada's ledger shows the new wording live.
    mark_no_reload(a)
    card.get_by_role("button", name="Take it up").click()
    expect(b.locator(".messages")).to_contain_text("Taken up.")
    expect(_card(a, better)).to_be_visible()
    expect(_card(a, better)).not_to_contain_text("suggested:")
    assert_not_reloaded(a, "Ada's ledger")
    check_a11y_from_top(a)

    # The review date comes: both are invited to check in.
    _review_date_comes(server, relationship)
    for page in (a, b):
        page.goto(ledger)
        expect(
            _card(page, better).get_by_role("heading", name="Time for a short check-in")
        ).to_be_visible()
        check_a11y_from_top(page)
    mark_no_reload(b)
    mine = _card(a, better)
    mine.get_by_role("radio", name="Kept").check()
    mine.get_by_label("A short note, if you like").fill(f"Thank you for Thursdays {tag}.")
    mine.get_by_role("button", name="Check in").click()
    expect(a.locator(".messages")).to_contain_text("Thank you for checking in.")
    expect(_card(b, better)).to_contain_text(f"{ada.name}: Kept — “Thank you for Thursdays {tag}.”")
    assert_not_reloaded(b, "Ben's ledger")
    mark_no_reload(a)
    his = _card(b, better)
    his.get_by_role("radio", name="Partly").check()
    his.get_by_role("button", name="Check in").click()
    expect(b.locator(".messages")).to_contain_text("Thank you for checking in.")
    expect(_card(a, better)).to_contain_text(f"{ben.name}: Partly")
    assert_not_reloaded(a, "Ada's ledger")

    # The history, opened: the wording before and after, the check-ins, the suggestion.
    for page in (a, b):
        history = _card(page, better).locator("details")
        history.locator("summary").click()
        expect(history).to_contain_text(f"“{request}”")
        expect(history).to_contain_text(f"“{better}”")
        expect(history).to_contain_text(f"{ada.name}: Kept — “Thank you for Thursdays {tag}.”")
        expect(history).to_contain_text(f"{ben.name}: Partly")
        expect(history).to_contain_text("(Taken up)")
        check_a11y_from_top(page)

"""The garden over months, in two browsers: three repairs in a row in one relationship.

The first ends in a commitment of Ben's, and then the two make their repair plan. The
second uses it: Ada's usual need is one tap in step 1 and the plan's agreement is
already among step 5's agreements (its record keeps it); they give it a theme. The
third gets the same theme, and its record says it has come up before, linking the
second. Then the commitment's review date comes (time-travelled in the server's
database) and both check in. Last, the garden page: three repairs this month in its
table, and axe on it with every chart's table open."""

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
from tests.e2e.test_commitments import _review_date_comes, _to_a_commitment_of_ben
from tests.e2e.test_history import _agree_on_theme
from tests.e2e.test_next_repair import _open_and_get_ready, _through_step_5
from tests.e2e.test_repair_together import CONSIDERATIONS, _join_open_repair

pytestmark = pytest.mark.e2e


def _make_the_plan(a: Page, b: Page, relationship: int, agreement: str) -> None:
    a.goto(f"/r/{relationship}/")
    a.locator("#repair-plan").get_by_role("link", name="Make a plan").click()
    form = a.locator("#propose-plan")
    form.get_by_label(re.compile("flooded")).fill("pineapple")
    form.get_by_label("Assurance", exact=True).check()
    form.get_by_label(re.compile(r"^Agreements for when you talk")).fill(agreement)
    form.get_by_role("button", name="Share with the others").click()
    b.goto(f"/r/{relationship}/plan/")
    b.get_by_role("button", name="I agree").click()
    expect(b.locator(".messages")).to_contain_text("Everyone agreed.")


def _record_of_the_last_repair(a: Page, b: Page) -> str:
    """From the completed stage to the repair's record, for both; its address."""
    stage_of(a).get_by_role("link", name="See what this repair keeps").click()
    expect(a).to_have_url(re.compile(r"/history/\d+/$"))
    b.goto(a.url)
    return re.sub(r"^https?://[^/]+", "", a.url)


def test_three_repairs_a_plan_a_theme_and_a_check_in(new_context, server) -> None:
    ada, ben = person("Ada"), person("Ben")
    names = [ada.name, ben.name]
    a, b = new_context(), new_context()
    relationship = relationship_of([a, b], [ada, ben], "Ada and Ben", "Partner")
    tag = secrets.token_hex(3)
    promise = f"Tell me before you make plans {tag}."
    agreement = f"No phones at the table {tag}."

    # The first repair: Ada asks, Ben says yes; then, in calm times, their plan.
    _open_and_get_ready(a, b, ada.name)
    _to_a_commitment_of_ben(LiveScreens([a, b]), names, promise)
    _make_the_plan(a, b, relationship, agreement)

    # The second: Ada's usual need is one tap; the plan's agreement is step 5's already.
    for page in (a, b):
        page.goto(f"/r/{relationship}/")
    a.locator("#repair").get_by_role("button", name="Something hurt between us").click()
    expect(a).to_have_url(re.compile(r"/notice/$"))
    _join_open_repair(b)
    a.goto(a.url.replace("/notice/", "/needs/"))
    a.get_by_role("button", name="Ask for: Assurance").click()
    expect(a.locator(".messages")).to_contain_text("The others can see what you asked for.")
    for page in (a, b):
        become_ready_quickly(page)
    for page in (a, b):
        expect(stage_of(page).locator("#stage-title")).to_have_text(CONSIDERATIONS)
    _through_step_5(LiveScreens([a, b]), names, f"{tag}-2", timer=False)
    second = _record_of_the_last_repair(a, b)
    expect(a.locator("#record")).to_contain_text(agreement)
    _agree_on_theme(a, b, "Plans changing")

    # The third, with the same theme: its record says so and links the second.
    for page in (a, b):
        page.goto(f"/r/{relationship}/")
    _open_and_get_ready(a, b, ada.name)
    _through_step_5(LiveScreens([a, b]), names, f"{tag}-3", timer=False)
    _record_of_the_last_repair(a, b)
    _agree_on_theme(b, a, "plans changing")
    record = a.locator("#record")
    expect(record).to_contain_text(re.compile(r"This has come up 2 times since \w+\."))
    record.locator(f'a[href="{second}"]').click()
    expect(a.locator("#record")).to_contain_text(agreement)

    # The review date of Ben's commitment comes: both check in.
    _review_date_comes(server, relationship)
    for page, answer in ((a, "Kept"), (b, "Partly")):
        page.goto(f"/r/{relationship}/commitments/")
        card = page.locator("#ledger li.panel", has_text=promise)
        expect(card.get_by_role("heading", name="Time for a short check-in")).to_be_visible()
        card.get_by_role("radio", name=answer).check()
        card.get_by_role("button", name="Check in").click()
        expect(page.locator(".messages")).to_contain_text("Thank you for checking in.")
    card = a.locator("#ledger li.panel", has_text=promise)
    expect(card).to_contain_text(f"{ben.name}: Partly")

    # The garden: three repairs this month, in words and in a table, and axe on it all.
    a.goto(f"/r/{relationship}/")
    a.get_by_role("link", name="See our garden").click()
    expect(a.get_by_role("heading", level=1)).to_have_text("Our garden")
    repairs = a.locator("#repairs-chart")
    expect(repairs.locator("figcaption")).to_contain_text("3 repairs in the last twelve months.")
    for details in a.locator("main figure details").all():
        details.locator("summary").click()
    expect(repairs.locator("tbody tr").last.locator("td")).to_have_text("3")
    check_a11y_from_top(a)

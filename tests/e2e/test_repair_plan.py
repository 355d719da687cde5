"""A repair plan, made in calm times, in two browsers: after their first repair the
relationship page offers to make one; Ada proposes it, Ben agrees (each sees the other
live); in the next repair Ada's usual need is one tap in step 1. (That the plan's
agreement is already there in step 5 is checked by tests/plans/test_from_plan.py.)"""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import LiveScreens, check_a11y_from_top, person, relationship_of
from tests.e2e.test_next_repair import _open_and_get_ready, _through_step_5

pytestmark = pytest.mark.e2e


def test_a_plan_made_after_the_first_repair_is_at_hand_in_the_next(new_context) -> None:
    ada, ben = person("Ada"), person("Ben")
    a, b = new_context(), new_context()
    relationship = relationship_of([a, b], [ada, ben], "Ada and Ben", "Partner")
    for page in (a, b):
        page.goto(f"/r/{relationship}/")
        expect(page.locator("#repair-plan")).not_to_contain_text("you could make a plan")
    _open_and_get_ready(a, b, ada.name)
    _through_step_5(LiveScreens([a, b]), [ada.name, ben.name], secrets.token_hex(3), timer=False)

    # After the first completed repair: one gentle offer, to each of them.
    for page in (a, b):
        page.goto(f"/r/{relationship}/")
        expect(page.locator("#repair-plan")).to_contain_text("you could make a plan")
    a.locator("#repair-plan").get_by_role("link", name="Make a plan").click()
    expect(a).to_have_url(re.compile(rf"/r/{relationship}/plan/$"))
    check_a11y_from_top(a)
    form = a.locator("#propose-plan")
    form.get_by_label(re.compile("flooded")).fill("pineapple")
    form.get_by_label("Assurance", exact=True).check()
    form.get_by_label("How long you usually need").select_option(label="About an hour")
    form.get_by_label(re.compile("^Places to come back together")).fill("the bench outside")
    form.get_by_label(re.compile("^Agreements for when you talk")).fill("No phones at the table.")
    form.get_by_label("A playful moment").check()
    form.get_by_role("button", name="Share with the others").click()
    expect(a.locator("#waiting-title")).to_have_text("A change waiting for everyone")

    # Ben, still on the relationship page, sees the change arrive live, and agrees.
    panel = b.locator("#repair-plan")
    expect(panel).to_contain_text("A change to your plan is waiting for your answer.")
    panel.get_by_role("link", name="See the plan").click()
    expect(b.locator("#plan-page")).to_contain_text("pineapple")
    check_a11y_from_top(b)
    b.get_by_role("button", name="I agree").click()
    expect(b.locator(".messages")).to_contain_text("Everyone agreed.")

    # Ada's page shows the agreed plan without a reload.
    agreed = a.locator("section[aria-labelledby=agreed-title]")
    expect(agreed).to_contain_text("the bench outside")
    expect(a.locator("#waiting-title")).to_have_count(0)
    check_a11y_from_top(a)

    # The next repair: Ada's usual need is one tap in step 1.
    a.goto(f"/r/{relationship}/")
    expect(a.locator("#repair-plan")).to_contain_text("pineapple")
    a.locator("#repair").get_by_role("button", name="Something hurt between us").click()
    expect(a).to_have_url(re.compile(r"/notice/$"))
    a.goto(a.url.replace("/notice/", "/needs/"))
    expect(a.get_by_role("heading", name="From your plan")).to_be_visible()
    check_a11y_from_top(a)
    a.get_by_role("button", name="Ask for: Assurance").click()
    expect(a).to_have_url(re.compile(r"/stabilize/$"))
    expect(a.locator(".messages")).to_contain_text("The others can see what you asked for.")

"""Notifications in a real browser: the count in the nav appears live on the other
person's phone when one opens a repair, and the list and settings pages are calm and
accessible."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    check_a11y,
    fill_sign_up,
    make_invitation,
    person,
    sign_up_from_landing,
    start_relationship,
)

pytestmark = pytest.mark.e2e

NEUTRAL = "There is something new for you in tend."


def test_the_count_appears_live_on_the_other_phone(new_context) -> None:
    ada, ben = person("Ada"), person("Ben")
    a, b = new_context(), new_context()

    sign_up_from_landing(a, ada)
    relationship = start_relationship(a, "Us two", "Partner")
    link = make_invitation(a)
    b.goto(link)
    b.get_by_role("main").get_by_role("link", name="Create an account").click()
    fill_sign_up(b, ben)
    expect(b).to_have_url(link)
    b.get_by_role("button", name="Join").click()
    expect(b).to_have_url(re.compile(rf"/r/{relationship}/$"))
    count = b.locator("#notify-nav .notify-count")
    expect(b.locator("#notify-nav")).to_contain_text("Notifications")
    expect(count).to_have_count(0)
    b.evaluate("window.__tendNoReload = true")

    # Ada opens a repair: Ben's open page shows a count, without a reload.
    a.goto(f"/r/{relationship}/")
    a.locator("#repair").get_by_role("button", name="I'm triggered").click()
    expect(a).to_have_url(re.compile(r"/repairs/\d+/"))
    expect(count).to_have_text(re.compile(r"^\s*1\b"))
    assert b.evaluate("window.__tendNoReload === true"), "Ben's page reloaded"
    check_a11y(b)
    expect(a.locator("#notify-nav .notify-count")).to_have_count(0)  # she acted herself

    # The list says only that there is something new, and leads to the repair.
    b.locator("#notify-nav a").click()
    expect(b.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(b.get_by_role("main")).not_to_contain_text(ada.name)
    check_a11y(b)
    b.get_by_role("link", name=NEUTRAL).click()
    expect(b).to_have_url(re.compile(rf"/r/{relationship}/repairs/\d+/$"))
    expect(b.locator("#notify-nav .notify-count")).to_have_count(0)

    # The settings: a test notification shows at once in tend.
    b.goto("/notifications/settings/")
    expect(b.get_by_role("heading", level=1)).to_have_text("Notification settings")
    check_a11y(b)
    b.get_by_role("button", name="Send me a test notification").click()
    expect(b.get_by_role("main")).to_contain_text("A test notification is on its way")
    expect(b.locator("#notify-nav .notify-count")).to_have_text(re.compile(r"^\s*1\b"))
    check_a11y(b)

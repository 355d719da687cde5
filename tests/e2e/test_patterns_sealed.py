"""Issue 12: one's own patterns, drawn on the device. Ada does "Five senses" twice (7 to 3,
then 5 to 3) and "Slow breath" once (8 to 2). The server holds them only sealed; her own
patterns page fetches her ciphertext, opens it in her browser and shows, in words, which
practices she used most and how strong it usually felt before and after. What her
browser received from the server never held a practice's name or key in the clear."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Response, expect

from tests.e2e.helpers import (
    arrive,
    check_a11y_from_top,
    person,
    sign_up_from_landing,
    start_relationship,
)
from tests.e2e.test_repair_personal import _begin_practice, _finish_practice

pytestmark = pytest.mark.e2e

FIVE = "Five senses"
SLOW = "Slow breath, long out-breath"


def test_own_practices_are_opened_and_drawn_on_the_device(new_context) -> None:
    page = new_context()
    ada = person("Ada")
    sign_up_from_landing(page, ada)
    relationship = start_relationship(page, "Ada's patterns", "Partner")
    page.goto(f"/r/{relationship}/")
    page.locator("#repair").get_by_role("button", name="Something hurt between us").click()
    expect(page).to_have_url(re.compile(r"/repairs/\d+/notice/$"))
    repair_url = re.sub(r"notice/$", "", page.url)
    page.goto(repair_url + "stabilize/")
    arrive(page, re.compile(r"/stabilize/$"))
    for title, before, after in ((FIVE, 7, 3), (SLOW, 8, 2), (FIVE, 5, 3)):
        _begin_practice(page, title, before)
        _finish_practice(page, title, before, after)

    sealed: list[str] = []

    def keep(response: Response) -> None:
        if response.url.endswith("/me/patterns/sealed/"):
            sealed.append(response.text())

    page.on("response", keep)
    page.goto("/me/patterns/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your own patterns")
    drawn = page.locator("#practices-on-device table")
    expect(drawn).to_be_visible()
    rows = drawn.locator("tbody tr")
    expect(rows).to_have_count(2)
    # Most used first, in words.
    expect(rows.nth(0)).to_contain_text(FIVE)
    expect(rows.nth(0)).to_contain_text("used 2 times")
    expect(rows.nth(0)).to_contain_text("usually from 6 to 3")
    expect(rows.nth(1)).to_contain_text(SLOW)
    expect(rows.nth(1)).to_contain_text("used once")
    expect(rows.nth(1)).to_contain_text("usually from 8 to 2")
    check_a11y_from_top(page)
    # What came from the server: ciphertext, and the list of every practice's name (the
    # same for everyone); never which ones she did.
    assert len(sealed) >= 1
    for body in sealed:
        assert "five_senses" not in body.split('"titles"')[0]
        assert "long_exhale" not in body.split('"titles"')[0]
        assert '"intensity"' not in body

"""The garden and one's own patterns, in a browser: Ada opens a repair on her own, asks
for solitude, settles with a practice (from 7 to 3), and closes it. Her garden then
shows the repair and the need, her own page the practice and how it went. Both pages
pass axe, in light and dark, at 320 px without scrolling sideways, and every chart's
table holds the same numbers as its drawing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.helpers import (
    arrive,
    check_a11y_from_top,
    person,
    sign_up_from_landing,
    start_relationship,
)
from tests.e2e.test_repair_personal import _begin_practice, _finish_practice

pytestmark = pytest.mark.e2e

PRACTICE = "Five senses"


def _table(figure: Locator) -> list[list[str]]:
    figure.locator("summary").click()
    rows = figure.locator("tbody tr")
    return [
        [cell.strip() for cell in rows.nth(i).locator("th, td").all_inner_texts()]
        for i in range(rows.count())
    ]


def _column_heights(figure: Locator) -> list[float]:
    return [
        float(h)
        for h in figure.locator("svg rect.chart-bar").evaluate_all(
            "bars => bars.map(b => b.getAttribute('height'))"
        )
    ]


def _row_values(figure: Locator) -> list[str]:
    return figure.locator("svg text.chart-value").evaluate_all(
        "texts => texts.map(t => t.textContent)"
    )


def _fits_and_passes(page: Page) -> None:
    """axe in light and in dark, and at 320 px nothing runs off to the side."""
    check_a11y_from_top(page)
    page.emulate_media(color_scheme="dark")
    check_a11y_from_top(page)
    page.emulate_media(color_scheme="light")
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    check_a11y_from_top(page)
    page.set_viewport_size({"width": 390, "height": 844})


def test_the_garden_and_one_s_own_patterns(new_context) -> None:
    page = new_context()
    ada = person("Ada")
    sign_up_from_landing(page, ada)
    relationship = start_relationship(page, "Ada's garden", "Partner")

    # Nothing yet: kind words, no chart.
    page.get_by_role("link", name="See our garden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Our garden")
    expect(page.get_by_role("main")).to_contain_text("No repairs in the last twelve months")
    expect(page.locator("main svg")).to_have_count(0)
    check_a11y_from_top(page)

    # A repair: a need, a practice, then closed.
    page.goto(f"/r/{relationship}/")
    page.locator("#repair").get_by_role("button", name="Something hurt between us").click()
    expect(page).to_have_url(re.compile(r"/repairs/\d+/notice/$"))
    repair_url = re.sub(r"notice/$", "", page.url)
    page.goto(repair_url + "needs/")
    arrive(page, re.compile(r"/needs/$"))
    page.get_by_role("radio", name="Solitude", exact=True).check()
    page.get_by_role("button", name="Ask", exact=True).click()
    arrive(page, re.compile(r"/stabilize/$"))
    _begin_practice(page, PRACTICE, 7)
    _finish_practice(page, PRACTICE, 7, 3)
    page.goto(repair_url + "close/")
    page.get_by_role("button", name="Close it").click()
    expect(page).to_have_url(re.compile(r"/repairs/\d+/$"))
    page.goto(f"/r/{relationship}/")

    # The garden: one repair this month, solitude asked once.
    page.get_by_role("link", name="See our garden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Our garden")
    repairs = page.locator("#repairs-chart")
    expect(repairs.locator("figcaption")).to_have_text("1 repair in the last twelve months.")
    expect(repairs.locator("svg[role=img]")).to_have_attribute("aria-labelledby", "repairs-words")
    month_rows = _table(repairs)
    assert len(month_rows) == 12
    assert [int(n) for _m, n in month_rows] == [0] * 11 + [1]
    assert len(_column_heights(repairs)) == 1  # one bar, for the one month with a repair
    needs = page.locator("#needs-chart")
    assert _table(needs) == [["Solitude", "1"]]
    assert _row_values(needs) == ["1"]
    expect(page.locator("#rebond-title")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("how long it took will show here")
    _fits_and_passes(page)  # with the tables open

    # Her own page, from "You".
    page.get_by_role("navigation", name="Main").get_by_role("link", name="You").click()
    page.get_by_role("link", name="Your own patterns").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your own patterns")
    # Practices and how strong they felt are sealed: her device opens and shows them.
    drawn = page.locator("#practices-on-device table tbody tr")
    expect(drawn).to_have_count(1)
    expect(drawn.nth(0)).to_contain_text(PRACTICE)
    expect(drawn.nth(0)).to_contain_text("used once")
    expect(drawn.nth(0)).to_contain_text("usually from 7 to 3")
    # The repair was closed before step 5: steps 1-4 have nothing to show yet.
    expect(page.get_by_role("main")).to_contain_text("Once you have gone through steps 1 to 4")
    _fits_and_passes(page)

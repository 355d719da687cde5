"""The history in two browsers: two repairs come all the way through step 5; each gets
the same theme (typed differently), proposed by one and agreed by the other, live; the
second record says the theme came up before and links the first. One person adds what
they learned from the summary, and the other's record shows it live. axe checks the
history page and the records."""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import LiveScreens, check_a11y_from_top, person, relationship_of, stage_of
from tests.e2e.test_next_repair import _open_and_get_ready, _through_step_5

pytestmark = pytest.mark.e2e

THEMES = ("Plans changing", "  plans CHANGING ")


def _agree_on_theme(proposer: Page, other: Page, text: str) -> None:
    record = proposer.locator("#record")
    record.get_by_label("A few words for what this was about").fill(text)
    record.get_by_role("button", name=re.compile(r"^Propose")).click()
    # The other's record shows the proposal live (tend:theme_changed), and they agree.
    expect(other.locator("#record")).to_contain_text("Proposed:")
    other.locator("#record").get_by_role("button", name="Agree").click()
    for page in (proposer, other):
        # Kept as typed, with its spaces tidied; matched with any case and spacing.
        expect(page.locator("#theme-title + p")).to_have_text(f"“{' '.join(text.split())}”")


def test_a_theme_that_came_up_before_links_the_first_time(new_context) -> None:
    ada, ben = person("Ada"), person("Ben")
    a, b = new_context(), new_context()
    relationship = relationship_of([a, b], [ada, ben], "Ada and Ben", "Partner")
    tag = secrets.token_hex(3)
    records: list[str] = []
    for index, theme in enumerate(THEMES):
        for page in (a, b):
            page.goto(f"/r/{relationship}/")
        _open_and_get_ready(a, b, ada.name)
        _through_step_5(LiveScreens([a, b]), [ada.name, ben.name], f"{tag}-{index}", timer=False)
        if index == 0:
            # Ben writes what helped, from the summary; Ada's record shows it live.
            a.goto(
                stage_of(a)
                .get_by_role("link", name="See what this repair keeps")
                .get_attribute("href")
            )
            stage_of(b).get_by_role("link", name="Add a note").click()
            check_a11y_from_top(b)
            b.get_by_label("What helped").fill(f"Slowing down {tag}.")
            b.get_by_role("button", name="Save").click()
            expect(b).to_have_url(re.compile(r"/history/\d+/$"))
            expect(a.locator("#record")).to_contain_text(f"Slowing down {tag}.")
        else:
            stage_of(a).get_by_role("link", name="See what this repair keeps").click()
            b.goto(a.url)
        expect(a).to_have_url(re.compile(r"/history/\d+/$"))
        records.append(a.url)
        _agree_on_theme(a, b, theme)
        check_a11y_from_top(a)

    first_path = re.sub(r"^https?://[^/]+", "", records[0])
    second = b.locator("#record")
    expect(second).to_contain_text(re.compile(r"This has come up 2 times since \w+\."))
    second.locator(f'a[href="{first_path}"]').click()
    expect(b).to_have_url(records[0])
    expect(b.locator("#record")).to_contain_text(f"Slowing down {tag}.")

    a.goto(f"/r/{relationship}/history/")
    expect(a.locator("#history li.panel")).to_have_count(2)
    expect(a.locator("#history")).to_contain_text("This has come up 2 times since")
    check_a11y_from_top(a)

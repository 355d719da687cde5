"""A bundle of scripts in a real browser: a part that fails does not stop the next one,
as it would not have as a file of its own, and its error is still reported."""

import pytest
from playwright.sync_api import Browser

from tend.core.bundles import _PART

pytestmark = pytest.mark.e2e


def test_a_part_that_fails_does_not_stop_the_next(browser: Browser) -> None:
    bundle = _PART.format(name="one.js", source="throw new Error('one failed');")
    bundle += _PART.format(name="two.js", source="window.second = true;")
    page = browser.new_page()
    try:
        page.set_content("<!doctype html><title>A bundle</title>")
        with page.expect_event("pageerror") as reported:
            page.add_script_tag(content=bundle)
        assert "one failed" in reported.value.message
        assert page.evaluate("window.second") is True
    finally:
        page.close()

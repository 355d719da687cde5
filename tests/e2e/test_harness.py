"""The harness itself: its checks must fail when something is wrong, or a green run
would prove nothing."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page

from tests.e2e.helpers import check_a11y, guard_of
from tests.e2e.servers import Server

pytestmark = pytest.mark.e2e


def _wait_for_problem(page: Page, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not guard_of(page).problems and time.monotonic() < deadline:
        page.wait_for_timeout(100)


def test_axe_reports_a_violation(new_context) -> None:
    page = new_context()
    page.goto("/")
    check_a11y(page)
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<button></button>')"
    )
    with pytest.raises(pytest.fail.Exception, match="button-name"):
        check_a11y(page)


def test_guard_reports_another_origin(new_context, server: Server) -> None:
    page = new_context()
    page.goto("/")
    # The same server under another name is another origin.
    page.goto(server.url.replace("127.0.0.1", "localhost") + "/healthz")
    with pytest.raises(pytest.fail.Exception, match="request to another origin"):
        guard_of(page).check()


def test_guard_reports_a_csp_violation(new_context) -> None:
    page = new_context()
    page.goto("/")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__inline = 1'; document.body.append(s); }"
    )
    _wait_for_problem(page)
    assert page.evaluate("window.__inline") is None, "an inline script ran despite the CSP"
    with pytest.raises(pytest.fail.Exception, match="Content Security Policy"):
        guard_of(page).check()

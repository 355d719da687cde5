"""The newcomer's story, on two (and three) phones at once.

Ada signs up, starts a relationship and sends Ben a link; Ben opens it, makes an
account, joins, and Ada sees him arrive without reloading; Ben leaves, and Ada sees
that too. Every page on the way is checked with axe.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import (
    Person,
    check_a11y,
    expect_error_status,
    fill_sign_up,
    log_in,
    log_out,
    make_invitation,
    person,
    sign_up_from_landing,
    start_relationship,
)

pytestmark = pytest.mark.e2e

NO_RELOAD_MARKER = "window.__tendNoReload = true"
STILL_SAME_PAGE = "window.__tendNoReload === true"


def test_invite_join_and_leave_live(new_context) -> None:
    ada, ben = person("Ada"), person("Ben")
    a = new_context()
    b = new_context()

    sign_up_from_landing(a, ada)
    start_relationship(a, "Us two", "Partner")
    link = make_invitation(a)
    # tend's Permissions-Policy lets its pages write the clipboard, never read it: what
    # is copied is watched on its way in.
    a.evaluate(
        """() => {
            const write = navigator.clipboard.writeText.bind(navigator.clipboard);
            navigator.clipboard.writeText = text => { window.__copied = text; return write(text); };
        }"""
    )
    a.get_by_role("button", name="Copy the link").click()
    expect(a.locator("#invitations .copy-status")).not_to_be_empty()
    assert a.evaluate("() => window.__copied") == link
    check_a11y(a)
    members = a.locator("#members")
    expect(members).to_contain_text(ada.name)
    expect(members).not_to_contain_text(ben.name)

    # Ben opens the link: who invites him, to what, and a way in.
    b.goto(link)
    expect(b.get_by_role("heading", level=1)).to_have_text(f"{ada.name} invites you")
    expect(b.get_by_role("main")).to_contain_text("Us two")
    check_a11y(b)
    b.get_by_role("main").get_by_role("link", name="Create an account").click()
    fill_sign_up(b, ben)
    # Back on the invitation, now signed in.
    expect(b).to_have_url(link)
    join = b.get_by_role("button", name="Join")
    expect(join).to_be_visible()
    check_a11y(b)

    a.evaluate(NO_RELOAD_MARKER)
    join.click()
    expect(b).to_have_url(re.compile(r"/r/\d+/$"))
    expect(b.get_by_role("heading", level=1)).to_have_text("Us two")
    expect(b.locator("#members")).to_contain_text(ada.name)
    check_a11y(b)

    # Ada's page shows Ben, live.
    expect(members).to_contain_text(ben.name)
    assert a.evaluate(STILL_SAME_PAGE), "Ada's page reloaded instead of updating live"
    check_a11y(a)

    # Ben leaves; Ada sees it, live.
    b.get_by_role("link", name="Leave this relationship").click()
    expect(b.get_by_role("heading", level=1)).to_have_text("Leave Us two?")
    check_a11y(b)
    b.get_by_role("button", name="Leave now").click()
    expect(b).to_have_url(re.compile(r"/home/$"))
    expect(b.get_by_role("status")).to_contain_text("You have left Us two.")
    check_a11y(b)

    expect(members).not_to_contain_text(ben.name)
    expect(members).to_contain_text(ada.name)
    assert a.evaluate(STILL_SAME_PAGE), "Ada's page reloaded instead of updating live"
    check_a11y(a)


def test_log_in_and_out(new_context) -> None:
    cy = person("Cy")
    page = new_context()
    sign_up_from_landing(page, cy)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your relationships")

    log_out(page)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Log in")
    check_a11y(page)

    # A wrong password: a clear message on the page, and a way to try again.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in").click()
    wrong = person("Cy")
    wrong.email, wrong.password = cy.email, "not the right words"
    expect(page).to_have_url(re.compile(r"/login/$"))
    # A form with a mistake answers 400 (DESIGN: bad input gets a 4xx and a clear message).
    expect_error_status(page, page.url, 400)
    log_in(page, wrong)
    expect(page.get_by_role("alert")).to_contain_text("do not match an account")
    check_a11y(page)

    log_in(page, cy)
    expect(page).to_have_url(re.compile(r"/home/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your relationships")
    check_a11y(page)

    log_out(page)
    expect(page).to_have_url(re.compile(r"/$"))
    check_a11y(page)
    # Logged out means logged out: a signed-in page sends the visitor to log in.
    page.goto("/home/")
    expect(page).to_have_url(re.compile(r"/login/\?next="))
    check_a11y(page)


def _join_with_new_account(page: Page, link: str, who: Person) -> None:
    page.goto(link)
    check_a11y(page)
    page.get_by_role("main").get_by_role("link", name="Create an account").click()
    fill_sign_up(page, who)
    expect(page).to_have_url(link)
    check_a11y(page)
    page.get_by_role("button", name="Join").click()
    expect(page).to_have_url(re.compile(r"/r/\d+/$"))
    check_a11y(page)


def test_an_invitation_link_works_once(new_context) -> None:
    dee, eli = person("Dee"), person("Eli")
    a, b, c = new_context(), new_context(), new_context()

    sign_up_from_landing(a, dee)
    start_relationship(a, "Housemates", "Housemate")
    link = make_invitation(a)
    _join_with_new_account(b, link, eli)

    expect_error_status(c, link, 410)
    response = c.goto(link)
    assert response is not None
    assert response.status == 410
    expect(c.get_by_role("heading", level=1)).to_have_text("This link no longer works")
    expect(c.get_by_role("main")).to_contain_text("Each link works once")
    expect(c.get_by_role("main")).not_to_contain_text("Housemates")
    check_a11y(c)

"""A person's private-data key for its whole life, in Chromium (docs/keys.md).

Ada signs up: a key is made on her phone and her recovery code shown once. Something is
encrypted with it. She signs out (the vault is empty), signs in (unlocked, it reads),
opens tend on a second device whose storage is empty (unlocked there by her password,
which is not sent, and by her recovery code), changes her password (still reads, also
after signing in with the new one), resets it with her recovery code (still reads), and
resets it without (the page says beforehand that private entries become unreadable;
afterwards a new key is made and the old text no longer opens).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, Request, expect

from tests.e2e.helpers import (
    check_a11y,
    expect_error_status,
    log_in,
    log_out,
    person,
    sign_up_from_landing,
)
from tests.e2e.servers import Server

pytestmark = pytest.mark.e2e

MARKER = "vault-marker-7f3a"


def vault_ids(page: Page) -> list[str]:
    """The ids the vault holds a key under on this device (none when empty)."""
    return page.evaluate(
        """() => new Promise((resolve) => {
          const open = indexedDB.open("tend-vault", 1);
          open.onupgradeneeded = () => open.result.createObjectStore("keys");
          open.onsuccess = () => {
            const request = open.result.transaction("keys").objectStore("keys").getAllKeys();
            request.onsuccess = () => { open.result.close(); resolve(request.result.map(String)); };
          };
        })"""
    )


def wait_ready(page: Page, timeout_s: float = 20.0) -> None:
    """Until the vault holds this person's key here (page.evaluate awaits the promise)."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate("() => window.tendVault ? tendVault.ready() : false"):
        assert time.monotonic() < deadline, "the key was not unlocked on this page"
        page.wait_for_timeout(200)


def encrypt(page: Page, text: str) -> str:
    return page.evaluate(
        "([t]) => tendVault.encryptText(t, document.body.dataset.vaultUser + ':test')", [text]
    )


def decrypt(page: Page, envelope: str) -> str:
    return page.evaluate(
        "([e]) => tendVault.decryptText(e, document.body.dataset.vaultUser + ':test')"
        ".catch(() => 'UNREADABLE')",
        [envelope],
    )


def recovery_code_shown(page: Page) -> str:
    panel = page.locator("#vault-panel")
    expect(panel.get_by_role("heading", name="Your recovery code")).to_be_visible()
    code = panel.locator("[data-vault-code]").inner_text()
    assert re.fullmatch(r"([A-Z2-7]{4}-){7}[A-Z2-7]{4}", code)
    check_a11y(page)
    panel.get_by_role("button", name="I have kept it").click()
    expect(panel).to_be_hidden()
    return code


def reset_link(server: Server, email: str) -> str:
    # The console mailer writes quoted-printable: long lines are broken with "=".
    text = server.log_path.read_text().replace("=\n", "")
    found = re.findall(r"(/password/reset/[^/\s]+/[^/\s]+/)", text)
    assert found, f"no reset email for {email} in the server's log"
    return found[-1]


def ask_for_reset(page: Page, server: Server, email: str) -> str:
    page.goto("/password/reset/")
    page.get_by_label("Email").fill(email)
    page.get_by_role("main").get_by_role("button", name="Send the link").click()
    expect(page).to_have_url(re.compile(r"/password/reset/sent/$"))
    return reset_link(server, email)


def test_a_key_for_its_whole_life(new_context: Callable[[], Page], server: Server) -> None:
    ada = person("Ada")
    phone = new_context()
    sent: list[str] = []
    phone.context.on("request", lambda r: sent.append(_body(r)))

    sign_up_from_landing(phone, ada)
    code = recovery_code_shown(phone)
    wait_ready(phone)
    user_id = phone.evaluate("() => document.body.dataset.vaultUser")
    assert vault_ids(phone) == [user_id]
    envelope = encrypt(phone, MARKER)
    assert MARKER not in envelope and decrypt(phone, envelope) == MARKER
    # The key cannot be read out of the browser, and the code never went anywhere.
    assert (
        phone.evaluate(
            """() => tendVault.keys.currentKey().then((k) => crypto.subtle.exportKey("raw", k))
                 .then(() => "exported", () => "refused")"""
        )
        == "refused"
    )
    assert not any(code in body or code.replace("-", "") in body for body in sent)

    # Signed out: nothing is left on the device.
    log_out(phone)
    phone.wait_for_function(
        """() => new Promise((resolve) => {
          const open = indexedDB.open("tend-vault", 1);
          // Deleted outright (a signed-out page without the key's scripts): nothing left.
          open.onupgradeneeded = () => { open.result.createObjectStore("keys"); };
          open.onsuccess = () => {
            const r = open.result.transaction("keys").objectStore("keys").count();
            r.onsuccess = () => { open.result.close(); resolve(r.result === 0); };
          };
        })""",
        polling=200,
    )

    # Signed in again: unlocked by the password, on the way in.
    phone.goto("/login/")
    log_in(phone, ada)
    expect(phone).to_have_url(re.compile(r"/home/$"))
    wait_ready(phone)
    assert decrypt(phone, envelope) == MARKER
    expect(phone.locator("#vault-panel")).to_have_count(0)

    # A second device whose storage is empty: the prompt asks for the password, which
    # unlocks it there without being sent.
    laptop = new_context()
    laptop_sent: list[str] = []
    laptop.context.on("request", lambda r: laptop_sent.append(_body(r)))
    laptop.goto("/login/")
    log_in(laptop, ada)
    expect(laptop).to_have_url(re.compile(r"/home/$"))
    wait_ready(laptop)
    laptop.evaluate(
        """() => new Promise((r) => {
          const d = indexedDB.deleteDatabase('tend-vault'); d.onsuccess = d.onerror = r;
        })"""
    )
    laptop_sent.clear()
    laptop.goto("/account/key/")  # a page that uses the key (the first one took it over)
    panel = laptop.locator("#vault-panel")
    expect(panel.get_by_role("heading", name="Open your private entries here")).to_be_visible()
    check_a11y(laptop)
    panel.get_by_role("textbox", name="Your password").fill("not the password")
    panel.get_by_role("button", name="Open them here").click()
    expect(panel.get_by_role("status")).to_contain_text("did not open")
    panel.get_by_role("textbox", name="Your password").fill(ada.password)
    panel.get_by_role("button", name="Open them here").click()
    expect(panel).to_be_hidden()
    assert decrypt(laptop, envelope) == MARKER
    assert not any(ada.password in body for body in laptop_sent)
    # ... or the recovery code, typed loosely.
    laptop.evaluate("() => tendVault.forget()")
    laptop.reload()
    expect(panel.get_by_role("heading", name="Open your private entries here")).to_be_visible()
    panel.get_by_text("Use your recovery code instead").click()
    panel.get_by_label("Your recovery code").fill(code.lower().replace("-", " "))
    panel.get_by_role("button", name="Open them with the code").click()
    expect(panel).to_be_hidden()
    assert decrypt(laptop, envelope) == MARKER
    assert not any(code.replace("-", "") in body.replace("-", "") for body in laptop_sent)

    # A password change keeps the key (wrapped anew on the phone, sent with it).
    new_password = "another calm long walk"
    phone.goto("/password/change/")
    phone.get_by_label("Old password").fill(ada.password)
    phone.locator("#id_new_password1").fill(new_password)
    phone.locator("#id_new_password2").fill(new_password)
    phone.get_by_role("main").get_by_role("button", name="Save").click()
    expect(phone).to_have_url(re.compile(r"/profile/$"))
    phone.goto("/account/key/")  # the profile does not use the key
    wait_ready(phone)
    assert decrypt(phone, envelope) == MARKER
    ada.password = new_password
    log_out(phone)
    phone.goto("/login/")
    log_in(phone, ada)
    expect(phone).to_have_url(re.compile(r"/home/$"))
    wait_ready(phone)
    assert decrypt(phone, envelope) == MARKER
    log_out(phone)

    # A reset with the recovery code keeps it.
    link = ask_for_reset(phone, server, ada.email)
    phone.goto(link)
    expect(phone.get_by_role("main")).to_contain_text("will become unreadable")
    check_a11y(phone)
    reset_password = "a third calm long walk"
    phone.get_by_label("Your recovery code (if you have it)").fill(code)
    phone.locator("#id_new_password1").fill(reset_password)
    phone.locator("#id_new_password2").fill(reset_password)
    phone.get_by_role("main").get_by_role("button", name="Save my new password").click()
    expect(phone).to_have_url(re.compile(r"/password/reset/done/$"))
    ada.password = reset_password
    phone.goto("/login/")
    log_in(phone, ada)
    expect(phone).to_have_url(re.compile(r"/home/$"))
    wait_ready(phone)
    assert decrypt(phone, envelope) == MARKER
    log_out(phone)

    # A reset without it: said plainly before, agreed to, and then the old text is gone.
    link = ask_for_reset(phone, server, ada.email)
    phone.goto(link)
    last_password = "a fourth calm long walk"
    phone.locator("#id_new_password1").fill(last_password)
    phone.locator("#id_new_password2").fill(last_password)
    # Django moves the token out of the link: the form's own address answers the 400.
    expect_error_status(phone, phone.url, 400)
    phone.get_by_role("main").get_by_role("button", name="Save my new password").click()
    expect(phone.get_by_role("main")).to_contain_text("Please type your recovery code above")
    phone.get_by_label("I do not have my recovery code").check()
    phone.locator("#id_new_password1").fill(last_password)
    phone.locator("#id_new_password2").fill(last_password)
    phone.get_by_role("main").get_by_role("button", name="Save my new password").click()
    expect(phone).to_have_url(re.compile(r"/password/reset/done/$"))
    ada.password = last_password
    phone.goto("/login/")
    log_in(phone, ada)
    expect(phone).to_have_url(re.compile(r"/home/$"))
    new_code = recovery_code_shown(phone)  # a new key, and its own code
    assert new_code != code
    wait_ready(phone)
    assert decrypt(phone, envelope) == "UNREADABLE"


def _body(request: Request) -> str:
    try:
        return request.post_data or ""
    except Exception:  # a body that is not text
        return ""

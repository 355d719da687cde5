"""Passkeys end to end, with Chromium's virtual authenticator (DevTools protocol).

Ada adds a passkey, signs out, and from the signed-out phone takes the app's
"I'm triggered" shortcut: the tap count to "repair open and Ben told" is measured
(shortcut, "Sign in with a passkey", one button: three), and from a locked own phone
(shortcut, one button: two). Then she removes the passkey.

With a phone that has the PRF extension, the passkey also opens her private entries:
she adds it with her password typed, and after signing in with it (or unlocking her own
phone with it) they read with nothing typed; the PRF output, the key and the password
are never in a request. Without PRF, or with a phone that gives the PRF output only
when the passkey is used, it still works as it should (docs/keys.md).
The pages are on http://localhost: a passkey belongs to a host name, never to an IP.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import ACTION_TIMEOUT_MS, NAVIGATION_TIMEOUT_MS, PHONE
from tests.e2e.helpers import (
    GUARDS,
    Guard,
    answer_safety_question,
    check_a11y,
    join_with_new_account,
    log_out,
    make_invitation,
    person,
    sign_up_from_landing,
    start_relationship,
)
from tests.e2e.servers import Server
from tests.e2e.test_vault_keys import (
    MARKER,
    _body,
    decrypt,
    encrypt,
    recovery_code_shown,
    wait_ready,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def phone(browser: Browser, server: Server) -> Iterator[Callable[[], Page]]:
    origin = server.url.replace("127.0.0.1", "localhost")
    contexts: list[BrowserContext] = []
    guards: list[Guard] = []

    def make() -> Page:
        context = browser.new_context(
            base_url=origin, viewport=PHONE, locale="en-GB", timezone_id="UTC",
            service_workers="block",
        )  # fmt: skip
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        guard = Guard(origin)
        GUARDS[id(context)] = guard
        guard.watch(context)
        contexts.append(context)
        guards.append(guard)
        return context.new_page()

    yield make
    for context in contexts:
        GUARDS.pop(id(context), None)
        context.close()
    for guard in guards:
        guard.check()


def virtual_authenticator(page: Page, *, prf: bool = False) -> None:
    """A phone's own passkey store: resident keys, and its lock already passed; `prf`:
    with the PRF extension (CTAP2's hmac-secret)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
                "hasPrf": prf,
            }
        },
    )


def test_passkey_register_sign_in_from_a_shortcut_and_remove(phone) -> None:
    ada, ben = person("Ada"), person("Ben")
    a, b = phone(), phone()
    virtual_authenticator(a)
    sign_up_from_landing(a, ada)
    relationship = start_relationship(a, "Us two", "Partner")
    link = make_invitation(a)
    assert join_with_new_account(b, link, ben) == relationship

    # Register.
    a.goto("/profile/")
    a.get_by_role("link", name="Passkeys: sign in without typing").click()
    expect(a.get_by_role("heading", level=1)).to_have_text("Passkeys")
    check_a11y(a)
    a.get_by_label("A name for it (for example: my phone)").fill("Ada's phone")
    a.get_by_role("button", name="Add a passkey on this device").click()
    expect(a.get_by_text("Your passkey is added.")).to_be_visible()
    expect(a.get_by_role("list", name="Your passkeys")).to_contain_text("Ada's phone")
    check_a11y(a)
    # "This is my own phone", explained and listed on the device list.
    a.goto("/account/sessions/")
    expect(a.get_by_text("Not on a shared phone")).to_be_visible()
    a.get_by_role("button", name="This is my own phone").click()
    expect(a.get_by_text("This phone stays signed in.")).to_be_visible()
    expect(a.get_by_role("list", name="Your signed-in devices")).to_contain_text("my own phone")
    check_a11y(a)

    # She answered the private safety question before (as after her first repair).
    a.goto(f"/r/{relationship}/safety/?next=/r/{relationship}/")
    answer_safety_question(a)
    a.goto("/account/sessions/")

    # A locked own phone: the shortcut, one button, and a prepared message follows.
    a.get_by_role("button", name="Lock now").click()
    expect(a.get_by_role("heading", level=1)).to_have_text("Welcome back")
    check_a11y(a)
    a.goto("/home/")
    expect(a).to_have_url(re.compile(r"/unlock/\?next=%2Fhome%2F$"))
    locked_taps = 0
    a.goto("/go/hurt/")  # the "Something hurt between us" shortcut
    locked_taps += 1
    a.get_by_role("button", name="Open a repair and tell the others").click()
    locked_taps += 1
    expect(a.get_by_role("heading", level=1)).to_have_text("The others know")
    assert locked_taps == 2
    print(f"\ntap count, locked own phone -> repair open, others told: {locked_taps}")
    check_a11y(a)
    # Words to the others wait: the safety answer is sealed, and a locked phone holds no
    # key to read it with, so this device cannot tell whether the gate is closed.
    expect(a.get_by_role("link", name="Unlock and answer it")).to_be_visible()
    expect(a.get_by_role("button", name=re.compile("need a moment to settle"))).to_have_count(0)
    b.goto(f"/r/{relationship}/")
    expect(b.locator("#repair")).to_contain_text(f"{ada.name} opened it.")
    # The repair itself waits for the unlock, then comes back to it.
    a.get_by_role("link", name="Unlock and go to the repair").click()
    a.get_by_role("button", name="Unlock with a passkey").click()
    expect(a).to_have_url(re.compile(rf"/r/{relationship}/repairs/\d+/$"))
    log_out(a)

    # From a signed-out phone: the shortcut, the passkey, one button.
    taps = 0
    a.goto("/go/triggered/")  # the home-screen shortcut (static/tend/manifest.webmanifest)
    taps += 1
    expect(a).to_have_url(re.compile(r"/login/\?next=/go/triggered/$"))
    check_a11y(a)
    a.get_by_role("button", name="Sign in with a passkey").click()
    taps += 1
    expect(a).to_have_url(re.compile(r"/go/triggered/$"))
    expect(a.get_by_role("heading", level=1)).to_have_text("I'm triggered")
    check_a11y(a)
    a.get_by_role("button", name="Open a repair and tell the others").click()
    taps += 1
    expect(a).to_have_url(re.compile(rf"/r/{relationship}/repairs/\d+/"))
    assert taps == 3
    print(f"\ntap count, signed-out phone with a passkey -> repair open, others told: {taps}")
    repair = re.search(r"/repairs/(\d+)/", a.url)
    assert repair is not None

    # The quick page a locked own phone lands on.
    a.goto(f"/r/{relationship}/repairs/{repair.group(1)}/quick/")
    expect(a.get_by_role("heading", level=1)).to_have_text("The others know")
    check_a11y(a)

    # Remove it.
    a.goto("/account/passkeys/")
    a.get_by_role("button", name="Remove “Ada's phone”").click()
    expect(a.get_by_text("That passkey is removed.")).to_be_visible()
    expect(a.get_by_text("You have no passkey yet.")).to_be_visible()
    check_a11y(a)


PRF_LATER = """(() => {
  // A phone that makes a passkey with PRF but evaluates it only when the passkey is used.
  const results = PublicKeyCredential.prototype.getClientExtensionResults;
  PublicKeyCredential.prototype.getClientExtensionResults = function () {
    const found = results.call(this);
    if (this.response instanceof AuthenticatorAttestationResponse && found.prf) {
      return { ...found, prf: { enabled: found.prf.enabled } };
    }
    return found;
  };
})()"""


def add_passkey_with_password(page: Page, who_password: str) -> dict[str, object]:
    """Adds a passkey on the passkeys page with the password typed; returns what was sent."""
    page.goto("/account/passkeys/")
    page.get_by_label("A name for it (for example: my phone)").fill("My phone")
    page.get_by_label("Your password (optional)").fill(who_password)
    check_a11y(page)
    with page.expect_request(re.compile(r"/account/passkeys/add/$")) as adding:
        page.get_by_role("button", name="Add a passkey on this device").click()
    expect(page.get_by_text("Your passkey is added.")).to_be_visible()
    return json.loads(adding.value.post_data or "{}")


def sign_in_with_passkey(page: Page) -> None:
    page.goto("/login/")
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(page).to_have_url(re.compile(r"/home/$"))


def secrets_on_device(page: Page, password: str) -> list[str]:
    """The raw data key and the passkey's PRF output, as base64url: read here, in the
    page, only to look for them in what was sent (the key unwrapped by the password)."""
    return page.evaluate(
        """async ([password]) => {
          const K = tendVault.keys, b64 = tendVault._test.toB64url;
          const raw = await K.dataKeyWith(password).then((k) => crypto.subtle.exportKey("raw", k));
          const used = await navigator.credentials.get({ publicKey: {
            challenge: crypto.getRandomValues(new Uint8Array(32)), userVerification: "required",
            extensions: { prf: { eval: { first: await K.prfSalt() } } } } });
          return [b64(raw), b64(used.getClientExtensionResults().prf.results.first)];
        }""",
        [password],
    )


@pytest.mark.parametrize("when", ["made", "used"])
def test_a_passkey_with_prf_opens_the_private_entries(phone, when: str) -> None:
    ada = person("Ada")
    a = phone()
    virtual_authenticator(a, prf=True)
    if when == "used":
        a.add_init_script(PRF_LATER)
    sent: list[str] = []
    a.context.on("request", lambda r: sent.append(_body(r)))
    sign_up_from_landing(a, ada)
    recovery_code_shown(a)
    wait_ready(a)
    envelope = encrypt(a, MARKER)
    sent.clear()  # signing up sends the password, as it should

    added = add_passkey_with_password(a, ada.password)
    assert re.fullmatch(r"kw1\.[A-Za-z0-9_-]{54}", str(added["vault_wrapped"]))
    assert added["vault_wrapped"] != a.evaluate("() => document.body.dataset.vaultWrapped")
    cards = a.get_by_role("list", name="Your passkeys")
    expect(cards).to_contain_text("Also opens your private entries")
    check_a11y(a)

    # Signed out, the device holds no key; the passkey alone opens the entries again.
    log_out(a)
    sign_in_with_passkey(a)
    wait_ready(a)
    assert decrypt(a, envelope) == MARKER
    expect(a.locator("#vault-panel")).to_have_count(0)

    # A device that lost the key (storage cleared): the passkey opens it from the prompt.
    a.evaluate("() => tendVault.forget()")
    a.goto("/account/key/")  # a page that uses the key (the first one took it over)
    panel = a.locator("#vault-panel")
    expect(panel.get_by_role("heading", name="Open your private entries here")).to_be_visible()
    check_a11y(a)
    panel.get_by_role("button", name="Open them with a passkey").click()
    expect(panel).to_be_hidden()
    assert decrypt(a, envelope) == MARKER

    # So does unlocking her own phone, locked (and so without the key) while idle.
    a.goto("/account/sessions/")
    a.get_by_role("button", name="This is my own phone").click()
    a.get_by_role("button", name="Lock now").click()
    expect(a.get_by_role("heading", level=1)).to_have_text("Welcome back")
    a.get_by_role("button", name="Unlock with a passkey").click()
    expect(a).to_have_url(re.compile(r"/home/$"))
    wait_ready(a)
    assert decrypt(a, envelope) == MARKER
    expect(a.locator("#vault-panel")).to_have_count(0)

    for secret in [ada.password, *secrets_on_device(a, ada.password)]:
        assert not any(secret in body for body in sent)


def test_a_passkey_without_prf_signs_in_and_the_password_opens_them(phone) -> None:
    ada = person("Ada")
    a = phone()
    virtual_authenticator(a, prf=False)
    sign_up_from_landing(a, ada)
    recovery_code_shown(a)
    wait_ready(a)
    envelope = encrypt(a, MARKER)

    added = add_passkey_with_password(a, ada.password)
    assert "vault_wrapped" not in added
    expect(a.get_by_role("list", name="Your passkeys")).not_to_contain_text(
        "Also opens your private entries"
    )
    log_out(a)
    sign_in_with_passkey(a)
    panel = a.locator("#vault-panel")
    expect(panel.get_by_role("heading", name="Open your private entries here")).to_be_visible()
    expect(panel.get_by_role("button", name="Open them with a passkey")).to_have_count(0)
    assert decrypt(a, envelope) == "UNREADABLE"
    panel.get_by_role("textbox", name="Your password").fill(ada.password)
    panel.get_by_role("button", name="Open them here").click()
    expect(panel).to_be_hidden()
    assert decrypt(a, envelope) == MARKER


def test_a_wrong_password_adds_no_passkey(phone) -> None:
    ada = person("Ada")
    a = phone()
    virtual_authenticator(a, prf=True)
    sign_up_from_landing(a, ada)
    recovery_code_shown(a)
    a.goto("/account/passkeys/")
    a.get_by_label("Your password (optional)").fill("not the password")
    a.get_by_role("button", name="Add a passkey on this device").click()
    expect(a.locator("#passkey-status")).to_have_text(
        "That password is not right. Please try again."
    )
    expect(a.get_by_text("You have no passkey yet.")).to_be_visible()

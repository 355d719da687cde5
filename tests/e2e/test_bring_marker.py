"""Issue 12: bringing is a deliberate copy, and unbringing takes it back.

Ada writes a unique marker into one reflection and ticks "bring"; her device opens it and
sends that one answer as shared text. Ben, in step 5, sees it while Ada speaks. Ada unticks:
the shared copy is deleted, so Ben's page no longer shows it (after a reload: unticking is
a personal step and records no live event), and the marker is in no table of the database
and no file of the data folder. Runs on SQLite, and on PostgreSQL when the run has
DATABASE_URL.
"""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import Page, expect

from tend.repairs import content
from tests.e2e.helpers import (
    LiveScreens,
    arrive,
    become_ready_quickly,
    expect_phase,
    go_to_step,
    person,
    press_i_am_ready,
    relationship_of,
    stage_of,
    tick_readiness,
)
from tests.e2e.servers import Server
from tests.e2e.test_private_fields import Recorder, _every_stored_byte

pytestmark = pytest.mark.e2e

LISTENING = "Listening to each other"
INTENTION_TEMPLATE = "We want to understand each other, not to win."


def _bring_box(page: Page, prompt: str) -> object:
    answer = page.locator("form.answer").filter(has=page.get_by_label(prompt, exact=True))
    return answer, answer.get_by_role(
        "checkbox", name=re.compile(r"^Bring this to the conversation")
    )


def _both(screens: LiveScreens, label: str) -> None:
    for page in screens.pages:
        screens.press(page, label)


def _to_listening(screens: LiveScreens, a: Page, b: Page) -> None:
    """Step 5 the short way: both go on, Ada proposes the space and the intention, Ben
    agrees, both accept the agreements and are ready to talk."""
    _both(screens, "I'm ready to go on")
    expect_phase(a, "Create the space")
    stage_of(a).get_by_label("Where?").fill("the kitchen table")
    stage_of(a).get_by_role("radio", name="Indoors").check()
    stage_of(a).get_by_role("radio", name="Sitting side by side").check()
    screens.press(a, "Propose")
    screens.press(b, "Agreed")
    expect_phase(a, "A shared intention")
    stage_of(a).get_by_role("button", name=INTENTION_TEMPLATE).click()
    screens.press(a, "Propose")
    screens.press(b, "Agreed")
    expect_phase(a, "Agreements")
    _both(screens, "I accept these agreements")
    expect_phase(a, "Before you talk")
    _both(screens, "Ready to talk")
    for page in screens.pages:
        expect_phase(page, LISTENING)


def _stored_in(server: Server, needle: str) -> list[str]:
    return [where for where, data in _every_stored_byte(server) if needle.encode() in data]


def test_a_brought_reflection_reaches_step_5_and_leaves_the_server_when_unmarked(
    new_context, server: Server
) -> None:
    ada, ben = person("Ada"), person("Ben")
    a, b = new_context(), new_context()
    recorder = Recorder()
    a.context.on("request", recorder)
    marker = f"BRING-{secrets.token_hex(6)}"
    prompt = str(content.REFLECT_PROMPTS[0].text)

    relationship_of([a, b], [ada, ben], "Ada and Ben", "Partner")
    a.locator("#repair").get_by_role("button", name="Something hurt between us").click()
    expect(a).to_have_url(re.compile(r"/repairs/\d+/notice/$"))
    repair_url = re.sub(r"notice/$", "", a.url)
    callout = b.locator("#repair")
    callout.get_by_role("link", name="Go to the repair").click()
    b.get_by_role("button", name="Join the repair").click()
    expect(b).to_have_url(re.compile(r"/notice/$"))

    # Ada writes the marker into a reflection and brings it.
    go_to_step(a, "4. Reflect")
    answer, bring = _bring_box(a, prompt)
    answer.get_by_label(prompt, exact=True).fill(marker)  # type: ignore[attr-defined]
    expect(answer.locator(".save-slot")).to_have_text("Saved")  # type: ignore[attr-defined]
    with a.expect_response(lambda r: "/answers/" in r.url):
        bring.check()  # type: ignore[attr-defined]
    expect(answer.locator(".save-slot")).to_have_text("Saved")  # type: ignore[attr-defined]
    expect(a.locator("#standing")).to_contain_text("1 to bring")
    # The deliberate copy is the one time the marker is sent readable.
    assert recorder.find(marker), "ticking bring sent no shared copy"
    tick_readiness(a)
    press_i_am_ready(a)
    become_ready_quickly(b)
    for page in (a, b):
        expect_phase(page, "Before you begin: notice where you are")

    # Step 5: Ada speaks first; Ben sees what she chose to bring.
    screens = LiveScreens([a, b])
    _to_listening(screens, a, b)
    stage_of(b).get_by_role("radio", name=ada.name).check()
    screens.press(b, "Begin")
    expect(stage_of(b)).to_contain_text(f"What {ada.name} chose to bring")
    expect(stage_of(b)).to_contain_text(marker)

    # Ada unticks on her reflect page: the shared copy is deleted.
    sent_before = len(recorder.sent)
    a.goto(f"{repair_url}reflect/")
    arrive(a, re.compile(r"/reflect/$"))
    answer, bring = _bring_box(a, prompt)
    expect(answer.get_by_label(prompt, exact=True)).to_have_value(marker)  # type: ignore[attr-defined]
    expect(bring).to_be_checked()  # type: ignore[arg-type]
    with a.expect_response(lambda r: "/answers/" in r.url):
        bring.uncheck()  # type: ignore[attr-defined]
    expect(answer.locator(".save-slot")).to_have_text("Saved")  # type: ignore[attr-defined]
    expect(a.locator("#standing")).to_contain_text("0 to bring")
    unticking = [(url, body) for url, body in recorder.sent[sent_before:] if body]
    assert unticking and not any(marker.encode() in body for _url, body in unticking), (
        "unticking sent the reflection readable"
    )

    # Ben's step 5 no longer shows it; nor does any table or file of the server.
    b.reload()
    expect_phase(b, LISTENING)
    expect(stage_of(b)).not_to_contain_text(marker)
    expect(stage_of(b)).not_to_contain_text(f"What {ada.name} chose to bring")
    assert marker not in b.content()
    assert not _stored_in(server, marker), "the marker stayed on the server"
    # Ada still has her own sealed answer, opened on her device.
    a.reload()
    expect(a.get_by_label(prompt, exact=True)).to_have_value(marker)

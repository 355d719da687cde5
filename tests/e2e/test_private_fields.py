"""The marker test of issue 12: what a person keeps to themselves never reaches the server
in a form it can read.

Ada writes a unique marker into every private text of steps 1-4 (her own words, every
honor and reflect answer) and makes a rare choice in every private choice (body signals,
feelings, state, intensities, a practice, the honor markers, the readiness feelings, the
safety answer). Her browser's every request is recorded. Then the operator's view: every
row of every table of the database, every byte of the data folder (the database files,
the keys, the server's log). Neither a marker nor a chosen key is anywhere. Ada reads her
entries back after signing out and in, and on a second device (a second browser context).
Runs on SQLite, and on PostgreSQL when the run has DATABASE_URL.
"""

from __future__ import annotations

import re
import secrets
import sqlite3
from pathlib import Path

import pytest
from playwright.sync_api import Page, Request, expect

from tend.repairs import content
from tests.e2e.helpers import (
    arrive,
    go_to_step,
    log_in,
    log_out,
    relationship_of,
    tick_readiness,
)
from tests.e2e.servers import Server

pytestmark = pytest.mark.e2e

# Choices rare enough that their keys appear nowhere else in a request or a row.
SIGNAL = ("A clenched jaw", "clenched_jaw")
FEELING = ("Shame", "shame")
PRACTICE = "Slow breath, long out-breath"
PRACTICE_KEY = "long_exhale"
HOME = re.compile(r"^[^?]*/home/$")  # signed in (not the log-in page's ?next=/home/)


class Recorder:
    """Every request body (and address) a browser context sends."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes]] = []

    def __call__(self, request: Request) -> None:
        body = request.post_data_buffer or b""
        self.sent.append((request.url, body))

    def find(self, needle: str) -> list[str]:
        raw = needle.encode()
        return [url for url, body in self.sent if raw in body or needle in url]


def _saved(page: Page, form: object) -> None:
    expect(form.locator(".save-slot")).to_have_text("Saved")  # type: ignore[attr-defined]


def _write(page: Page, prompt: str, text: str) -> None:
    answer = page.locator("form.answer").filter(has=page.get_by_label(prompt, exact=True))
    answer.get_by_label(prompt, exact=True).fill(text)
    _saved(page, answer)


def _every_stored_byte(server: Server) -> list[tuple[str, bytes]]:
    """What the operator holds: every file of the data folder, every row of every table."""
    data_dir = Path(server.env["TEND_DATA_DIR"])
    found = [(str(path), path.read_bytes()) for path in data_dir.rglob("*") if path.is_file()]
    database_url = server.env.get("DATABASE_URL")
    if database_url:
        import psycopg

        with psycopg.connect(database_url) as conn:
            tables = [
                row[0]
                for row in conn.execute(
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
                )
            ]
            for table in tables:
                rows = conn.execute(f'SELECT t::text FROM "{table}" t').fetchall()  # noqa: S608
                found.append((f"table {table}", "\n".join(r[0] for r in rows).encode()))
    else:
        for path in data_dir.rglob("*.sqlite3"):
            with sqlite3.connect(path) as conn:
                tables = [
                    r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
                ]
                for table in tables:
                    rows = conn.execute(f'SELECT * FROM "{table}"').fetchall()  # noqa: S608
                    found.append((f"table {table}", repr(rows).encode()))
    return found


def _nowhere(server: Server, recorders: list[Recorder], needles: list[str]) -> None:
    stored = _every_stored_byte(server)
    for needle in needles:
        for recorder in recorders:
            assert not recorder.find(needle), f"{needle!r} was sent in the clear"
        places = [where for where, data in stored if needle.encode() in data]
        assert not places, f"{needle!r} is stored readable in {places}"


def _notice(page: Page, words: str) -> None:
    page.get_by_role("checkbox", name="A racing or pounding heart").check()
    page.locator("summary", has_text="More body signals").click()
    page.get_by_role("checkbox", name=SIGNAL[0]).check()
    page.locator("summary", has_text="More feelings").click()
    page.get_by_role("checkbox", name=FEELING[0]).check()
    page.locator("summary", has_text="Add a few words of your own").click()
    page.get_by_label("In your own words (only you see this)").fill(words)
    page.get_by_role("radio", name="Shut down (hypo-aroused)").check()
    page.get_by_role("radio", name="9", exact=True).check()
    expect(page.locator("#suggestion .save-status")).to_have_text("Saved")


def _read_back(page: Page, repair_url: str, markers: dict[str, str]) -> None:
    """Ada's own pages show her entries again, opened on this device."""
    page.goto(f"{repair_url}notice/")
    expect(page.get_by_label("In your own words (only you see this)")).to_have_value(
        markers["notice"]
    )
    expect(page.get_by_role("checkbox", name=SIGNAL[0])).to_be_checked()
    expect(page.get_by_role("checkbox", name=FEELING[0])).to_be_checked()
    expect(page.get_by_role("radio", name="Shut down (hypo-aroused)")).to_be_checked()
    expect(page.get_by_role("radio", name="9", exact=True)).to_be_checked()
    page.goto(f"{repair_url}stabilize/")
    expect(page.get_by_role("main")).to_contain_text(f"{PRACTICE} — from 8 to 2")
    expect(page.get_by_role("main")).to_contain_text("You seem shut down")
    page.goto(f"{repair_url}honor/")
    for prompt in content.HONOR_PROMPTS:
        expect(page.get_by_label(str(prompt.text), exact=True)).to_have_value(
            markers[f"honor:{prompt.key}"]
        )
    for box in (
        page.locator("form")
        .filter(has=page.get_by_role("button", name="Go on to reflecting"))
        .get_by_role("checkbox")
        .all()
    ):
        expect(box).to_be_checked()
    page.goto(f"{repair_url}reflect/")
    for prompt in content.REFLECT_PROMPTS:
        expect(page.get_by_label(str(prompt.text), exact=True)).to_have_value(
            markers[f"reflect:{prompt.key}"]
        )
    expect(page.locator("#readiness")).to_contain_text("good signs that you're ready")


def test_nothing_private_reaches_the_server_readable(new_context, server: Server) -> None:
    from tests.e2e.helpers import person

    ada, ben = person("Ada"), person("Ben")
    a, b = new_context(), new_context()
    recorder = Recorder()
    a.context.on("request", recorder)
    tag = secrets.token_hex(4)
    markers = {"notice": f"MARK-{tag}-notice"}
    markers |= {f"honor:{p.key}": f"MARK-{tag}-honor-{p.key}" for p in content.HONOR_PROMPTS}
    markers |= {f"reflect:{p.key}": f"MARK-{tag}-reflect-{p.key}" for p in content.REFLECT_PROMPTS}

    relationship = relationship_of([a, b], [ada, ben], "Ada and Ben", "Partner")
    a.locator("#repair").get_by_role("button", name="I'm triggered").click()
    expect(a).to_have_url(re.compile(r"/repairs/\d+/notice/$"))
    repair_url = re.sub(r"notice/$", "", a.url)

    # Step 1, noticing: every private choice and her own words.
    _notice(a, markers["notice"])
    a.get_by_role("button", name="Save and go on").click()
    arrive(a, re.compile(r"/voice/$"))  # the safety question, answered on her device

    # Step 2: a practice, before 8 and after 2.
    a.goto(f"{repair_url}stabilize/")
    a.get_by_role("link", name=PRACTICE).click()
    a.get_by_role("radio", name="8", exact=True).check()
    a.get_by_role("button", name="Begin").click()
    expect(a.get_by_role("button", name="Done")).to_be_visible()
    a.get_by_role("radio", name="2", exact=True).check()
    a.get_by_role("button", name="Done").click()
    expect(a).to_have_url(re.compile(r"/stabilize/$"))
    expect(a.get_by_role("main")).to_contain_text(f"{PRACTICE} — from 8 to 2")

    # Step 3: every honor prompt, and both markers.
    go_to_step(a, "3. Honor the pain")
    for prompt in content.HONOR_PROMPTS:
        _write(a, str(prompt.text), markers[f"honor:{prompt.key}"])
    marks = a.locator("form").filter(has=a.get_by_role("button", name="Go on to reflecting"))
    for box in marks.get_by_role("checkbox").all():
        with a.expect_response(lambda r: r.url.endswith("/honor/markers/")):
            box.check()
        _saved(a, marks)

    # Step 4: every reflection (none brought), and the readiness feelings.
    go_to_step(a, "4. Reflect")
    for prompt in content.REFLECT_PROMPTS:
        _write(a, str(prompt.text), markers[f"reflect:{prompt.key}"])
    tick_readiness(a)

    # What the browser sent, and what the server keeps, hold none of it.
    needles = [*markers.values(), SIGNAL[1], FEELING[1], "feels_safe", "let_go", "feels_open"]
    _nowhere(server, [recorder], needles)
    assert not [url for url, body in recorder.sent if PRACTICE_KEY.encode() in body]

    _read_back(a, repair_url, markers)

    # Signed out and in again, on the same device.
    log_out(a)
    expect(
        a.get_by_role("navigation", name="Main").get_by_role("link", name="Log in")
    ).to_be_visible()
    a.goto("/login/")
    log_in(a, ada)
    expect(a).to_have_url(HOME)
    _read_back(a, repair_url, markers)

    # A second device: a new browser context, signing in with her password.
    second = new_context()
    second_recorder = Recorder()
    second.context.on("request", second_recorder)
    second.goto("/login/")
    log_in(second, ada)
    expect(second).to_have_url(HOME)
    _read_back(second, repair_url, markers)

    _nowhere(server, [recorder, second_recorder], needles)
    assert relationship > 0


def test_the_device_closes_the_shared_steps_for_someone_who_is_not_safe(
    new_context, server: Server
) -> None:
    """The safety answer is sealed: the server only knows it was given. Ada's own device
    reads her "no" and closes the shared steps on her screens; her own steps stay open."""
    from tests.e2e.helpers import person

    ada, ben = person("Ada"), person("Ben")
    a, b = new_context(), new_context()
    recorder = Recorder()
    a.context.on("request", recorder)
    relationship = relationship_of([a, b], [ada, ben], "Ada and Ben", "Partner")
    a.locator("#repair").get_by_role("button", name="I'm triggered").click()
    expect(a).to_have_url(re.compile(r"/repairs/\d+/notice/$"))
    repair_url = re.sub(r"notice/$", "", a.url)

    a.goto(f"/r/{relationship}/safety/")
    a.get_by_role("radio", name="No, not really").check()
    with a.expect_response(lambda r: r.url.endswith("/safety/") and r.request.method == "POST"):
        a.get_by_role("button", name="Save my answer").click()
    expect(a.get_by_role("heading", name="Thank you for telling us")).to_be_visible()
    assert not recorder.find("feels_safe") and not recorder.find("not really")

    a.goto(f"{repair_url}voice/")  # the server lets the page through: it cannot know
    expect(a.get_by_role("main")).to_contain_text(
        "The shared steps are closed while you do not feel safe"
    )
    expect(a.get_by_role("button", name="Send to the others")).to_be_hidden()
    a.goto(f"{repair_url}reflect/")
    expect(a.get_by_role("button", name="I am ready")).to_be_hidden()
    expect(a.get_by_label(str(content.REFLECT_PROMPTS[0].text), exact=True)).to_be_enabled()

    # She changes her mind: the shared steps open again.
    a.goto(f"/r/{relationship}/safety/")
    a.get_by_role("radio", name="Yes, I feel safe with them").check()
    with a.expect_response(lambda r: r.url.endswith("/safety/") and r.request.method == "POST"):
        a.get_by_role("button", name="Save my answer").click()
    a.goto(f"{repair_url}voice/")
    expect(a.get_by_role("button", name="Send to the others")).to_be_visible()

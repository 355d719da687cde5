"""Every event kind is declared once, by one app, and each is both emitted and heard.

A template or script that listens for `tend:<kind>` of a kind no app declares would
silently never update; a declared kind nothing emits is dead. Both fail here.
"""

import ast
import re
from pathlib import Path

from tend.live import events
from tend.live.events import Kind
from tend.notify import kinds as notify_kinds

SRC = Path(__file__).resolve().parents[2] / "src" / "tend"
TESTS = Path(__file__).resolve().parents[1]
# Kinds are snake_case; the key scripts' own page events are hyphenated
# (`tend:vault-ready`) and are not live events.
LISTENS = re.compile(r"tend:([a-z_]+)(?![a-z_-])")


def _listened() -> dict[str, set[str]]:
    """kind → the files (templates, scripts) that listen for it."""
    found: dict[str, set[str]] = {}
    files = [
        *SRC.glob("templates/**/*.html"),
        *SRC.glob("static/**/*.js"),
        *(TESTS / "e2e").glob("*.py"),
    ]
    for path in files:
        for kind in LISTENS.findall(path.read_text()):
            found.setdefault(kind, set()).add(str(path.relative_to(SRC.parents[1])))
    return found


def test_the_scan_finds_what_pages_listen_for() -> None:
    listened = _listened()
    assert "member_joined" in listened
    assert "together_changed" in listened


def test_every_kind_a_page_listens_for_is_declared() -> None:
    unknown = {kind: files for kind, files in _listened().items() if kind not in events.declared()}
    assert unknown == {}, f"listened for, but no app declares: {unknown}"


def _handed_on() -> set[str]:
    """Every `Enum.MEMBER` passed straight to a call (`emit(…, GardenEvent.MEMBER_LEFT)`,
    `_emit(repair, RepairEvent.NEED_ASKED, …)`) or given as a parameter's default: how
    actions emit. Sets of kinds that subscribers listen for do not count."""
    found = set()
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                values = [*node.args, *(keyword.value for keyword in node.keywords)]
            elif isinstance(node, ast.arguments):
                values = [*node.defaults, *node.kw_defaults]
            else:
                continue
            found.update(
                f"{value.value.id}.{value.attr}"
                for value in values
                if isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name)
            )
    return found


def test_every_declared_kind_is_emitted_somewhere() -> None:
    handed_on = _handed_on()
    silent = [
        f"{enum.__name__}.{kind.name}"
        for enum in Kind.__subclasses__()
        for kind in enum
        if f"{enum.__name__}.{kind.name}" not in handed_on
    ]
    assert silent == [], f"declared, but nothing emits: {silent}"


def test_each_kind_is_declared_by_one_app_only() -> None:
    values = [kind.value for enum in Kind.__subclasses__() for kind in enum]
    assert len(values) == len(set(values))


def test_what_notify_words_for_events_are_declared_kinds() -> None:
    assert notify_kinds.EVENT_KINDS.issubset(events.declared())


def test_every_kind_a_subscriber_names_is_declared() -> None:
    named = {kind for _subscriber, kinds in events._subscribers for kind in kinds or ()}
    assert named
    assert named <= events.declared()

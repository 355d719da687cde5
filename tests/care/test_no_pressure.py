"""No pressure, no watching: no streaks, scores or badges, no guilt copy, and nothing that
tells one person when another is online, typing or reading.

Scans every template, every translatable string in tend's Python code and tend's own
JavaScript for the words below, as whole words and in any case. A self-test plants
examples to show the scanner finds them.
"""

# Curly quotes and apostrophes are what people type on phones: the tests need them.
# ruff: noqa: RUF001

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

SRC = Path(settings.BASE_DIR)

PRESSURE_WORDS = [
    # Gamification
    r"streaks?",
    r"scores?",
    r"points",
    r"badges?",
    r"level(?:s|ed|led)?[ -]up",
    r"leaderboards?",
    # Guilt
    r"you failed",
    r"don['’]t give up",
    # Watching
    r"last seen",
    r"online now",
    r"(?:is |are )?typing(?:…|\.\.\.)",
    r"is typing",
    r"read receipts?",
    r"seen at",
]
PRESSURE = re.compile(r"(?<!\w)(?:" + "|".join(PRESSURE_WORDS) + r")(?!\w)", re.IGNORECASE)

TRANSLATION_FUNCTIONS = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
    "gettext_noop",
}


def translatable_strings(source: str) -> Iterator[tuple[int, str]]:
    """The literal strings passed to gettext and friends, with their line numbers."""
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name not in TRANSLATION_FUNCTIONS:
            continue
        for arg in node.args:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                yield node.lineno, arg.value


def scan(root: Path) -> list[str]:
    """Every pressure word under `root`, as "path:line: word"."""
    found = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or "vendor" in path.parts:
            continue
        if path.suffix in {".html", ".txt", ".js"}:
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                found += [f"{path}:{number}: {m.group()}" for m in PRESSURE.finditer(line)]
        elif path.suffix == ".py":
            for number, text in translatable_strings(path.read_text(encoding="utf-8")):
                found += [f"{path}:{number}: {m.group()}" for m in PRESSURE.finditer(text)]
    return found


def test_there_is_something_to_scan() -> None:
    # Guards the walker: if it found no strings, the scan below would pass vacuously.
    templates = list((SRC / "templates").rglob("*.html"))
    strings = [s for p in SRC.rglob("*.py") for s in translatable_strings(p.read_text())]
    assert len(templates) > 20
    assert len(strings) > 200


def test_no_pressure_or_watching_words_anywhere() -> None:
    found = scan(SRC / "templates") + scan(SRC)
    assert found == [], "\n".join(sorted(set(found)))


# --- The scanner itself ---------------------------------------------------------------------

PLANTED_TEMPLATE = """{% load i18n %}
<p>{% translate "Keep your streak going!" %}</p>
<p>You earned a Badge.</p>
<span class="presence">Ben is typing…</span>
<small>Last seen 5 minutes ago</small>
"""
PLANTED_PYTHON = """
from django.utils.translation import gettext as _, gettext_lazy, ngettext
A = _("Don’t give up now!")
B = gettext_lazy(
    "You scored 10 "
    "points"
)
C = ngettext("%d read receipt", "%d read receipts", 2)
D = "a streak in a plain string is not shown to anyone"
"""
CLEAN = """{% load i18n %}
<p>{% translate "At this point, take a breath." %}</p>
<p>A badger in the garden. Scored glass. Pointsettia. Streaky bacon.</p>
<p>Seen and heard. Reading together. I was typing a letter.</p>
"""


@pytest.fixture
def planted(tmp_path: Path) -> Path:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "planted.html").write_text(PLANTED_TEMPLATE)
    (tmp_path / "templates" / "clean.html").write_text(CLEAN)
    (tmp_path / "planted.py").write_text(PLANTED_PYTHON)
    return tmp_path


def test_the_scanner_catches_planted_words(planted: Path) -> None:
    words = sorted(line.rsplit(": ", 1)[1].lower() for line in scan(planted))
    assert words == sorted(
        [
            "streak",
            "badge",
            "is typing…",
            "last seen",
            "don’t give up",
            "points",
            "read receipt",
            "read receipts",
        ]
    )


def test_the_scanner_names_file_and_line(planted: Path) -> None:
    found = scan(planted)
    assert any(line.endswith("planted.html:2: streak") for line in found)
    assert any("planted.py:4: points" in line for line in found)


def test_the_scanner_leaves_plain_words_alone(planted: Path) -> None:
    assert not [line for line in scan(planted) if "clean.html" in line]

"""What the catalogue checks read: the msgids of the current source, and a pseudo-locale.

`extract` runs Django's `makemessages` (GNU xgettext underneath) over a copy of the
source, the way a translator's catalogue is made (README, "Adding a language"), so the
committed catalogues are compared with what the source says today, never with itself.

`pseudo_locale` builds the language `xx` from it: every msgstr is its msgid wrapped in
⟦…⟧ (Django's own strings too, since pages show some: month names, "p.m."). A page
rendered in `xx` shows every translated word inside the marks; a word outside them is a
string nobody marked for translation. Built at test time into a temporary folder,
never committed.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import django
import polib

SOURCE = Path(__file__).resolve().parents[2] / "src" / "tend"
PSEUDO = "xx"
OPEN, CLOSE = "⟦", "⟧"
# What makemessages reads (its defaults); a copy leaves out catalogues and collected files.
EXTENSIONS = {".py", ".html", ".txt"}


def gettext_tools() -> None:
    """GNU gettext must be installed (Debian's `gettext`; .ci/run installs it)."""
    missing = [tool for tool in ("xgettext", "msgfmt", "msguniq") if not shutil.which(tool)]
    assert not missing, f"install GNU gettext (apt-get install gettext): {missing} not found"


def extract(workdir: Path) -> polib.POFile:
    """The catalogue `makemessages` makes from the current source, untranslated."""
    gettext_tools()
    copy = workdir / "tend"
    for path in SOURCE.rglob("*"):
        relative = path.relative_to(SOURCE)
        if path.is_file() and path.suffix in EXTENSIONS and relative.parts[0] != "locale":
            if "__pycache__" in relative.parts:
                continue
            target = copy / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    (copy / "locale").mkdir()
    # Without settings: makemessages then writes to the copy's own locale folder, and
    # nothing it does can reach the real one.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    command = [sys.executable, "-m", "django", "makemessages", "-l", PSEUDO]
    command += ["--no-location", "--no-obsolete", "--verbosity", "0"]
    done = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return polib.pofile(str(copy / "locale" / PSEUDO / "LC_MESSAGES" / "django.po"))


def key(entry: polib.POEntry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


def wrapped(text: str) -> str:
    return f"{OPEN}{text}{CLOSE}"


def django_english() -> list[polib.POEntry]:
    """Django's own msgids (its English catalogues), which some pages show."""
    root = Path(django.__file__).parent
    entries = []
    for po in sorted(root.glob("**/locale/en/LC_MESSAGES/django.po")):
        entries += [entry for entry in polib.pofile(str(po)) if entry.msgid]
    return entries


def pseudo_locale(workdir: Path, template: polib.POFile) -> Path:
    """A locale folder holding `xx`, compiled; returns the folder (for LOCALE_PATHS)."""
    catalogue = polib.POFile()
    catalogue.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    seen: set[tuple[str | None, str]] = set()
    for entry in [*template, *django_english()]:
        if not entry.msgid or key(entry) in seen:
            continue
        seen.add(key(entry))
        pseudo = polib.POEntry(msgid=entry.msgid, msgctxt=entry.msgctxt)
        if entry.msgid_plural:
            pseudo.msgid_plural = entry.msgid_plural
            pseudo.msgstr_plural = {0: wrapped(entry.msgid), 1: wrapped(entry.msgid_plural)}
        else:
            pseudo.msgstr = wrapped(entry.msgid)
        catalogue.append(pseudo)
    folder = workdir / "pseudo-locale"
    messages = folder / PSEUDO / "LC_MESSAGES"
    messages.mkdir(parents=True)
    catalogue.save(str(messages / "django.po"))
    catalogue.save_as_mofile(str(messages / "django.mo"))
    return folder

"""The committed catalogues: one for every language tend offers, each complete.

- GNU `msgfmt --check --statistics` accepts each, with no untranslated or fuzzy entry;
- each holds every msgid that `makemessages` extracts from the current source, so a new
  string without its translations fails `make test` (README, "Adding a language").
The .mo files are not committed: `make install`, `tend serve` and the test run compile
them (tend.core.messages); a test here checks that what was compiled matches.
"""

import re
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings

from tend.core import messages
from tests.i18n import catalogue

LOCALE = Path(settings.LOCALE_PATHS[0])
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def _po(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def statistics(po: Path) -> dict[str, int]:
    """msgfmt's own check and count; raises with its messages when it refuses."""
    catalogue.gettext_tools()
    done = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, f"msgfmt --check refuses {po}:\n{done.stderr}"
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for number, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", done.stderr):
        counts[kind] = int(number)
    return counts


def missing_from(po: polib.POFile, source: polib.POFile) -> list[str]:
    have = {catalogue.key(entry) for entry in po if not entry.obsolete}
    return [
        (f"{entry.msgctxt} | " if entry.msgctxt else "") + entry.msgid
        for entry in source
        if entry.msgid and catalogue.key(entry) not in have
    ]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_language_offered_has_a_catalogue(language: str) -> None:
    assert _po(language).exists(), f"no catalogue for {language}: README, 'Adding a language'"


@pytest.mark.parametrize("language", TRANSLATED)
def test_msgfmt_checks_the_catalogue_with_nothing_untranslated_or_fuzzy(language: str) -> None:
    assert _po(language).exists(), f"no catalogue for {language}"
    counts = statistics(_po(language))
    assert counts["translated"] > 0
    assert counts["fuzzy"] == 0, f"{language}: {counts['fuzzy']} fuzzy entries"
    assert counts["untranslated"] == 0, f"{language}: {counts['untranslated']} untranslated"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_catalogue_holds_every_string_of_the_source(
    language: str, source_catalogue: polib.POFile
) -> None:
    assert _po(language).exists(), f"no catalogue for {language}"
    missing = missing_from(polib.pofile(str(_po(language))), source_catalogue)
    assert not missing, (
        f"{len(missing)} strings of the source are not in the {language} catalogue "
        f"(run makemessages, then translate them):\n" + "\n".join(missing[:40])
    )


def test_the_compiled_catalogues_match_the_committed_ones() -> None:
    messages.compile_all()
    for po in messages.catalogues():
        compiled = polib.mofile(str(po.with_suffix(".mo")))
        expected = {
            (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0, "")
            for e in polib.pofile(str(po)).translated_entries()
        }
        got = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0, "") for e in compiled}
        assert {k: v for k, v in got.items() if k[1]} == expected, po


# The checks themselves, on catalogues made for the purpose.


def test_msgfmt_counts_a_fuzzy_and_an_untranslated_entry(tmp_path: Path) -> None:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="Ready", msgstr="Listo"))
    po.append(polib.POEntry(msgid="Pause", msgstr="Pausa", flags=["fuzzy"]))
    po.append(polib.POEntry(msgid="Repair", msgstr=""))
    po.save(str(tmp_path / "django.po"))
    assert statistics(tmp_path / "django.po") == {"translated": 1, "fuzzy": 1, "untranslated": 1}


def test_msgfmt_refuses_a_translation_that_drops_a_placeholder(tmp_path: Path) -> None:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="Hi %(name)s", msgstr="Hola", flags=["python-format"]))
    po.save(str(tmp_path / "django.po"))
    with pytest.raises(AssertionError, match="msgfmt --check refuses"):
        statistics(tmp_path / "django.po")


def test_a_string_new_in_the_source_is_found_missing(source_catalogue: polib.POFile) -> None:
    complete = polib.POFile()
    for entry in source_catalogue:
        complete.append(polib.POEntry(msgid=entry.msgid, msgctxt=entry.msgctxt, msgstr="x"))
    assert missing_from(complete, source_catalogue) == []
    dropped = next(e for e in complete if e.msgid == "Get help now")
    complete.remove(dropped)
    assert missing_from(complete, source_catalogue) == ["Get help now"]

"""Every word of helplines.json that the help page shows is marked for translation."""

import json

from django.utils import translation

from tend.care import helpline_words, helplines


def _texts(entries: tuple) -> set[str]:
    return {str(text) for text in entries}


def test_every_country_name_and_note_is_marked() -> None:
    data = helplines.raw()
    names = {c["name"] for c in data["countries"]}
    notes = {i["about"] for i in data["international"]}
    for c in data["countries"]:
        notes |= {
            c.get("emergency_note", ""),
            c["crisis"].get("note", ""),
            c["domestic_abuse"].get("note", ""),
        }
    notes.discard("")
    with translation.override("en"):
        missing = (names - _texts(helpline_words.COUNTRIES)) | (
            notes - _texts(helpline_words.NOTES)
        )
    lines = []
    for text in sorted(missing):
        context = "country" if text in names else "help line"
        lines.append(f'    pgettext_lazy("{context}", {json.dumps(text, ensure_ascii=False)}),')
    assert not missing, "add to tend/care/helpline_words.py:\n" + "\n".join(lines)


def test_the_page_shows_them_through_gettext(monkeypatch) -> None:
    seen: list[tuple[str, str]] = []
    monkeypatch.setattr(
        helplines, "pgettext", lambda context, text: seen.append((context, text)) or text.upper()
    )
    book = helplines.load()
    country = next(c for c in book.countries if c.emergency_note)
    assert country.shown_name == country.name.upper()
    assert country.shown_emergency_note == country.emergency_note.upper()
    assert book.international[0].shown_about == book.international[0].about.upper()
    assert ("country", country.name) in seen

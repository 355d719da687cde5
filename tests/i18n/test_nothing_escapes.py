"""No visible word escapes translation: every page, as every member of the cast sees it,
rendered in the pseudo-locale `xx` (tests/i18n/catalogue.py), shows only words that came
from the catalogue.

Each page of the access matrix (tests/test_access.py) is opened by each person who may
open it, and by those who get an error page. Its visible text, and the attributes people
hear or read (aria-label, title, placeholder, alt, a button's value, the words scripts
show from data-* attributes), must hold no letter outside ⟦…⟧, once what people wrote,
names, time zone and country names, the language names of the chooser, and tend's own
name are set aside. A page that shows one is named with the words, so marking them is
the fix.
"""

import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from tend.accounts.models import TIME_ZONES
from tend.care import helplines
from tests.conftest import Cast
from tests.i18n.catalogue import CLOSE, OPEN, PSEUDO
from tests.test_access import PEOPLE, ROUTES

SPOKEN_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt", "aria-placeholder"}
# Words that scripts put on the page (tend.js, guides.js read them from these).
SPOKEN_DATA = ("data-label", "data-working", "data-failed", "data-done", "data-copied")
UNSEEN = {"script", "style"}
# Web and email addresses shown as themselves.
ADDRESS = re.compile(
    r"(https?://|mailto:)\S+|\S+@\S+\.\w+|\b[\w-]+(\.[\w-]+)*\.(org|com|net|ca|au|in|ie|de|es|fr|uk)\b"
)
# Not words of tend's: its name, and language names shown in their own language.
NOT_WORDS = {"tend"}


class VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._unseen = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in UNSEEN:
            self._unseen += 1
        values = dict(attrs)
        for name, value in attrs:
            if value and (name in SPOKEN_ATTRIBUTES or name.startswith(SPOKEN_DATA)):
                self.texts.append(value)
        kind = (values.get("type") or "").lower()
        if tag == "input" and kind in {"submit", "button", "reset"} and values.get("value"):
            self.texts.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in UNSEEN and self._unseen:
            self._unseen -= 1

    def handle_data(self, data: str) -> None:
        if not self._unseen and data.strip():
            last = self.texts[-1] if self.texts else ""
            if last.count(OPEN) > last.count(CLOSE):
                # A translated sentence with an element inside it (a word the page's script
                # fills in): its text goes on after the element, within the same marks.
                self.texts[-1] = f"{last} {data}"
            else:
                self.texts.append(data)


def _without_marked(text: str) -> str:
    """The text outside ⟦…⟧ (innermost first: a translated word inside a sentence)."""
    inner = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
    while True:
        shorter = inner.sub(" ", text)
        if shorter == text:
            return text
        text = shorter


def _has_letters(text: str) -> bool:
    return any(unicodedata.category(c).startswith("L") for c in text)


def written_by_people() -> set[str]:
    """Every free text in the database: what people wrote, and names (not choices)."""
    found: set[str] = set()
    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        for row in model.objects.values_list(*fields) if fields else ():
            found.update(v for v in row if isinstance(v, str) and _has_letters(v))
    return found


def set_aside(languages: list[tuple[str, str]]) -> list[str]:
    """What a page may show outside the catalogue, longest first."""
    names = written_by_people()
    names |= {name for _code, name in languages} | NOT_WORDS
    names |= {zone.replace("_", " ") for zone in TIME_ZONES} | {
        zone.split("/")[0] for zone in TIME_ZONES
    }
    # Organisations' names (help lines are not renamed); countries are translated.
    book = helplines.load()
    for country in book.countries:
        names |= {country.crisis.name, country.domestic_abuse.name}
    names |= {directory.name for directory in book.international}
    return sorted(names, key=len, reverse=True)


def escaped(html: str, allowed: list[str]) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    found = []
    for text in parser.texts:
        rest = ADDRESS.sub(" ", _without_marked(text))
        for name in allowed:
            if name in rest:
                rest = rest.replace(name, " ")
        if _has_letters(rest):
            found.append(" ".join(text.split()))
    return list(dict.fromkeys(found))


@pytest.fixture
def pseudo(settings, pseudo_locale_path: Path) -> None:
    settings.LOCALE_PATHS = [pseudo_locale_path, *settings.LOCALE_PATHS]
    settings.LANGUAGES = [*settings.LANGUAGES, (PSEUDO, "Pseudo")]


def _client(cast: Cast, person: str) -> Client:
    client = Client(headers={"accept-language": PSEUDO})
    client.cookies["django_language"] = PSEUDO
    user = cast.people()[person]
    if user is not None:
        type(user).objects.filter(pk=user.pk).update(language=PSEUDO)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


PAGES = sorted(name for name, route in ROUTES.items() if route.get and not route.streaming)


@pytest.mark.parametrize("route_name", PAGES)
def test_every_word_on_the_page_is_from_the_catalogue(
    cast: Cast, pseudo: None, settings, route_name: str
) -> None:
    route = ROUTES[route_name]
    url = route.url(cast)
    allowed: list[str] | None = None
    problems: dict[str, list[str]] = {}
    for person in PEOPLE:
        if person not in route.get:
            continue
        response = _client(cast, person).get(url)
        if response.status_code in (301, 302, 303) or "html" not in response.get(
            "Content-Type", ""
        ):
            continue
        html = response.content.decode()
        assert f'lang="{PSEUDO}"' in html or "<html" not in html, f"{person}: not in {PSEUDO}"
        if allowed is None:
            allowed = set_aside(settings.LANGUAGES)
        words = escaped(html, allowed)
        if words:
            problems[f"{person} GET {url} ({response.status_code})"] = words
    assert not problems, "not marked for translation:\n" + "\n".join(
        f"  {where}: {words}" for where, words in problems.items()
    )


@pytest.mark.django_db
def test_every_country_of_the_help_page_is_in_the_catalogue(pseudo: None, settings) -> None:
    allowed = set_aside(settings.LANGUAGES)
    problems = {}
    for country in helplines.load().countries:
        client = Client(headers={"accept-language": PSEUDO})
        html = client.get("/help/", {"country": country.code}).content.decode()
        words = escaped(html, allowed)
        if words:
            problems[country.code] = words
    assert not problems, f"not marked for translation: {problems}"


@pytest.mark.parametrize("route_name", sorted(n for n, r in ROUTES.items() if r.post))
def test_every_word_of_a_form_answer_is_from_the_catalogue(
    cast: Cast, pseudo: None, settings, route_name: str
) -> None:
    """What a form sends back (a form with errors, a conflict) as each person."""
    route = ROUTES[route_name]
    url = route.url(cast)
    data = route.post_data(cast) if callable(route.post_data) else route.post_data
    problems = {}
    # What was posted is theirs (the gentle check quotes it back).
    allowed = sorted(
        {*set_aside(settings.LANGUAGES), *(v for v in data.values() if _has_letters(v))},
        key=len,
        reverse=True,
    )
    # Those the route answers with a page of its own (not a redirect, not the error pages
    # the GET scan already read).
    for person, status in route.post.items():
        if status in (302, 303, 404, 405):
            continue
        response = _client(cast, person).post(url, data)
        if "html" not in response.get("Content-Type", "") or not response.content:
            continue
        words = escaped(response.content.decode(), allowed)
        # A part of what they posted, quoted back (the gentle check's phrases).
        words = [w for w in words if not any(w in str(v) for v in data.values())]
        if words:
            problems[f"{person} POST {url} ({response.status_code})"] = words
    assert not problems, "not marked for translation:\n" + "\n".join(
        f"  {where}: {words}" for where, words in problems.items()
    )

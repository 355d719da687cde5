"""Choosing the language, and each person hearing from tend in their own.

A tiny catalogue made here (Spanish and German for a few msgids) stands in front of
whatever catalogues are committed, so these tests prove the machinery whatever the
state of the translations.
"""

import json
from datetime import UTC, datetime
from pathlib import Path

import polib
import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from tend.accounts.models import User
from tend.care import gentle
from tend.notify import kinds
from tend.repairs import actions
from tend.repairs.models import Repair
from tests.conftest import PASSWORD, Cast, client_for
from tests.notify.helpers import drain, prefer, sent_to

WORDS = {
    "es": {
        "A repair was opened.": "Se abrió una reparación.",
        "There is something new for you in tend.": "Hay algo nuevo para ti en tend.",
        "Time together (tend)": "Tiempo juntos (tend)",
        "Get help now": "Pide ayuda ahora",
        "Saved.": "Guardado.",
    },
    "de": {
        "A repair was opened.": "Eine Reparatur wurde begonnen.",
        "There is something new for you in tend.": "Es gibt etwas Neues für dich in tend.",
        "Time together (tend)": "Zeit zusammen (tend)",
        "Get help now": "Jetzt Hilfe holen",
        "Saved.": "Gespeichert.",
    },
}


@pytest.fixture
def tiny_catalogue(settings, tmp_path: Path) -> None:
    for language, words in WORDS.items():
        po = polib.POFile()
        po.metadata = {
            "Content-Type": "text/plain; charset=UTF-8",
            "Plural-Forms": "nplurals=2; plural=(n != 1);",
        }
        for msgid, msgstr in words.items():
            po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
        folder = tmp_path / language / "LC_MESSAGES"
        folder.mkdir(parents=True)
        po.save_as_mofile(str(folder / "django.mo"))
    # In front: it wins over the committed catalogues for these msgids.
    settings.LOCALE_PATHS = [tmp_path, *settings.LOCALE_PATHS]


def _lang(html: str) -> str:
    return html.split("<html lang=", 1)[1].split(">", 1)[0].strip('"')


@pytest.mark.django_db
def test_the_first_visit_speaks_the_browsers_language(tiny_catalogue: None) -> None:
    html = Client(headers={"accept-language": "de-DE,de;q=0.9,en;q=0.5"}).get("/").content
    page = html.decode()
    assert _lang(page) == "de"
    assert "Jetzt Hilfe holen" in page
    # The chooser, in every language's own name, the current one chosen.
    assert '<option value="de" lang="de" selected>Deutsch</option>' in page
    assert '<option value="es" lang="es">Español</option>' in page
    assert '<option value="en" lang="en">English</option>' in page


@pytest.mark.django_db
def test_a_language_tend_does_not_offer_falls_back_to_english() -> None:
    page = Client(headers={"accept-language": "fr-FR,fr"}).get("/").content.decode()
    assert _lang(page) == "en"


@pytest.mark.django_db
def test_the_footer_chooser_works_signed_out_without_script(tiny_catalogue: None) -> None:
    client = Client(headers={"accept-language": "de"})
    response = client.post(reverse("choose_language"), {"language": "es", "next": "/help/"})
    assert response.status_code == 302
    assert response["Location"] == "/help/"
    page = client.get("/help/").content.decode()
    assert _lang(page) == "es" and "Pide ayuda ahora" in page


@pytest.mark.django_db
def test_the_chooser_refuses_what_it_does_not_offer_clearly() -> None:
    client = Client()
    response = client.post(reverse("choose_language"), {"language": "xx<script>"})
    assert response.status_code == 400
    assert b"Please choose a language from the list." in response.content
    assert b"<script>" not in response.content
    # Another site as `next` is ignored: home instead.
    response = client.post(reverse("choose_language"), {"language": "de", "next": "//evil.test"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get(reverse("choose_language")).status_code == 405


def test_signed_in_the_choice_is_kept_on_the_account_and_wins_elsewhere(cast: Cast) -> None:
    client = client_for(cast.ada)
    client.post(reverse("choose_language"), {"language": "de", "next": "/"})
    cast.ada.refresh_from_db()
    assert cast.ada.language == "de"
    # Another device, a browser asking for Spanish: signing in brings German.
    other = Client(headers={"accept-language": "es"})
    assert _lang(other.get(reverse("login")).content.decode()) == "es"
    other.post(reverse("login"), {"username": cast.ada.email, "password": PASSWORD})
    assert _lang(other.get(reverse("home")).content.decode()) == "de"


@pytest.mark.django_db
def test_sign_up_keeps_the_language_the_person_met_tend_in() -> None:
    client = Client(headers={"accept-language": "es-ES,es;q=0.9"})
    client.post(
        reverse("signup"),
        {"display_name": "Lu", "email": "lu@example.test", "password": PASSWORD},
    )
    assert User.objects.get(email="lu@example.test").language == "es"


def test_the_profile_changes_the_language(cast: Cast, tiny_catalogue: None) -> None:
    client = client_for(cast.ada)
    response = client.post(
        reverse("profile"),
        {"display_name": "Ada", "time_zone": "UTC", "language": "es"},
        follow=True,
    )
    cast.ada.refresh_from_db()
    assert cast.ada.language == "es"
    assert "Guardado." in response.content.decode()
    bad = client.post(
        reverse("profile"), {"display_name": "Ada", "time_zone": "UTC", "language": "klingon"}
    )
    assert bad.status_code == 400
    cast.ada.refresh_from_db()
    assert cast.ada.language == "es"


def test_a_language_no_longer_offered_falls_back(cast: Cast) -> None:
    User.objects.filter(pk=cast.ada.pk).update(language="fr")
    cast.ada.refresh_from_db()
    assert cast.ada.speaks == "en"
    assert _lang(client_for(cast.ada).get(reverse("home")).content.decode()) == "en"


def test_each_member_hears_in_their_own_language(
    cast: Cast, tiny_catalogue: None, monkeypatch
) -> None:
    """ada (English) opens a repair in "Family": ben reads Spanish, cy German, by email
    and by push, each composed for them, whatever the language of the one who acted."""
    User.objects.filter(pk=cast.ben.pk).update(language="es")
    User.objects.filter(pk=cast.cy.pk).update(language="de")
    pushed: dict[str, dict] = {}

    import pywebpush

    def fake_webpush(subscription_info, data, **kwargs):  # type: ignore[no-untyped-def]
        pushed[subscription_info["endpoint"]] = json.loads(data)

    monkeypatch.setattr(pywebpush, "webpush", fake_webpush)
    from tend.notify.models import PushSubscription

    for person in (cast.ben, cast.cy):
        prefer(person, detail=kinds.Detail.KIND, email=list(kinds.ALL_KINDS))
        prefer(person, quiet_start=None, quiet_end=None)
        PushSubscription.objects.create(
            user=person, endpoint=f"https://push.test/{person.pk}", p256dh="k", auth="a"
        )
    mail.outbox.clear()
    with translation.override("en"):
        actions.open_repair(cast.ada, cast.family, Repair.Opening.TRIGGERED)
        drain()

    (to_ben,) = sent_to(cast.ben.email)
    (to_cy,) = sent_to(cast.cy.email)
    assert "Se abrió una reparación." in to_ben.body
    assert "Eine Reparatur wurde begonnen." in to_cy.body
    assert "A repair was opened." not in to_ben.body + to_cy.body
    assert pushed[f"https://push.test/{cast.ben.pk}"]["body"] == "Se abrió una reparación."
    assert pushed[f"https://push.test/{cast.cy.pk}"]["body"] == "Eine Reparatur wurde begonnen."


def test_the_calendar_file_is_in_the_persons_language(cast: Cast, tiny_catalogue: None) -> None:
    User.objects.filter(pk=cast.ben.pk).update(language="de")
    url = reverse("plan_calendar", args=[cast.us.pk, cast.repair.pk, cast.plan.pk])
    for person, summary in ((cast.ben, "Zeit zusammen (tend)"), (cast.ada, "Time together (tend)")):
        person.refresh_from_db()
        # Whatever the browser asks for: the file is theirs.
        content = client_for(person).get(url, headers={"accept-language": "es"}).content
        (event,) = Calendar.from_ical(content).walk("VEVENT")
        assert str(event["summary"]) == summary


def test_the_gentle_check_reads_by_the_language_in_use(monkeypatch) -> None:
    """English rules without a module of the language's own; its own `check` when there
    is one (a stand-in here, until gentle_es and gentle_de arrive)."""
    calls: list[str] = []

    def spanish(text: str) -> list[gentle.Flag]:
        calls.append(text)
        # A language's module may read English mixed in; that never loops back here.
        return gentle.check(text)

    monkeypatch.setattr(gentle, "_checker", lambda code: spanish if code == "es" else None)
    with translation.override("es"):
        flags = gentle.check("you never listen")
    assert calls == ["you never listen"]
    assert [f.kind for f in flags] == ["absolute"]
    with translation.override("de"):
        assert [f.kind for f in gentle.check("you never listen")] == ["absolute"]
    assert calls == ["you never listen"]
    gentle.check("du hörst nie zu", language="es")
    assert calls[-1] == "du hörst nie zu"


def test_the_gentle_check_finds_a_languages_module_by_name() -> None:
    gentle._checker.cache_clear()
    assert gentle._checker("en") is None or callable(gentle._checker("en"))
    assert gentle._checker("klingon") is None  # never imports a name it was not given
    for code in ("es", "de"):
        found = gentle._checker(code)
        try:
            module = __import__(f"tend.care.gentle_{code}", fromlist=["check"])
        except ModuleNotFoundError:
            assert found is None
        else:
            assert found is module.check


def test_dates_follow_the_language(cast: Cast) -> None:
    from django.utils.formats import date_format

    moment = datetime(2030, 3, 1, 20, 0, tzinfo=UTC)
    with translation.override("de"):
        german = date_format(moment, "j F Y")
    with translation.override("es"):
        spanish = date_format(moment, "j F Y")
    assert german == "1 März 2030"
    assert spanish == "1 marzo 2030"

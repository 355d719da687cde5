"""/help/: help lines for a chosen country, for anyone, signed in or not."""

import re

import pytest
from django.test import Client

from tend.accounts.models import User
from tend.care import helplines
from tests.conftest import Cast

HELP = "/help/"


@pytest.mark.django_db
def test_without_a_country_it_shows_the_world_directories_and_a_chooser(client: Client) -> None:
    response = client.get(HELP)
    assert response.status_code == 200
    html = response.content.decode()
    assert "If you or someone else is in danger right now" in html
    assert 'href="https://findahelpline.com"' in html
    assert 'href="https://www.iasp.info/crisis-centres-helplines/"' in html
    for country in helplines.load().countries:
        assert f'<option value="{country.code}"' in html
    assert 'class="help-lines"' not in html


@pytest.mark.django_db
def test_choosing_a_country_shows_its_three_lines_as_tel_links(client: Client) -> None:
    html = client.get(HELP, {"country": "GB"}).content.decode()
    assert 'href="tel:999"' in html
    assert "Samaritans" in html and 'href="tel:116123"' in html
    assert "National Domestic Abuse Helpline" in html and 'href="tel:08082000247"' in html
    assert '<option value="GB" selected>' in html
    assert "Last verified" in html


@pytest.mark.django_db
@pytest.mark.parametrize("country", helplines.load().countries, ids=lambda c: c.code)
def test_every_country_renders(client: Client, country: helplines.Country) -> None:
    html = client.get(HELP, {"country": country.code}).content.decode()
    for href in (country.emergency_tel, country.crisis.tel, country.domestic_abuse.tel):
        assert f'href="{href}"' in html
    assert ("Not verified in this release" in html) is (not country.verified)


@pytest.mark.django_db
def test_the_choice_is_remembered_in_the_session_only(cast: Cast, as_user) -> None:
    client = as_user(cast.ada)
    client.get(HELP, {"country": "nz"})  # any case
    html = client.get(HELP).content.decode()
    assert 'href="tel:111"' in html
    assert client.session[helplines.SESSION_KEY] == "NZ"
    # Nothing about it is stored on the account: it leaves with the session.
    fields = {f.name for f in User._meta.get_fields()}
    assert not fields & {"country", "help_country"}
    client.post("/logout/")
    assert 'href="tel:111"' not in client.get(HELP).content.decode()


@pytest.mark.django_db
def test_the_anonymous_visitor_is_remembered_too(client: Client) -> None:
    client.get(HELP, {"country": "DE"})
    assert 'href="tel:116016"' in client.get(HELP).content.decode()


@pytest.mark.django_db
def test_an_empty_choice_forgets_the_country(client: Client) -> None:
    client.get(HELP, {"country": "DE"})
    html = client.get(HELP, {"country": ""}).content.decode()
    assert 'class="help-lines"' not in html


@pytest.mark.django_db
def test_an_unknown_country_is_a_clear_400_and_keeps_the_last_choice(client: Client) -> None:
    client.get(HELP, {"country": "FR"})
    response = client.get(HELP, {"country": "ZZ<script>"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "We do not have lines for that country yet" in html
    assert "<script>" not in html and "<SCRIPT>" not in html
    assert 'href="tel:3919"' in html  # France is still shown


@pytest.mark.django_db
def test_the_country_is_never_guessed_from_the_request(client: Client) -> None:
    html = client.get(
        HELP, HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9", REMOTE_ADDR="91.0.0.1"
    ).content.decode()
    assert 'class="help-lines"' not in html
    # No country chosen for them (the footer's language list, below it, may well be).
    countries = html.split('id="help-country"', 1)[1].split("</select>", 1)[0]
    assert " selected>" not in countries


@pytest.mark.django_db
def test_the_page_says_the_plain_words_and_what_quick_exit_cannot_do(client: Client) -> None:
    html = client.get(HELP).content.decode()
    assert "not therapy and not a crisis service" in html
    assert "Nobody monitors it" in html
    assert "Use a device that others cannot open" in html
    assert "What you write in your own steps stays yours" in html
    assert "It does not clear your browser history." in html


@pytest.mark.django_db
def test_the_page_loads_nothing_from_another_origin(client: Client) -> None:
    html = client.get(HELP, {"country": "US"}).content.decode()
    # Links to other sites are plain links to follow; nothing is fetched from them.
    loaded = re.findall(r"<(?:script|link|img|iframe|source|video|audio)\b[^>]*>", html)
    assert loaded
    for tag in loaded:
        assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", tag), tag
    for link in re.findall(r'<a [^>]*href="https?://[^"]*"[^>]*>', html):
        assert 'rel="noreferrer"' in link, link


@pytest.mark.django_db
def test_the_page_is_not_cached(client: Client) -> None:
    response = client.get(HELP, {"country": "US"})
    assert "no-store" in response["Cache-Control"]

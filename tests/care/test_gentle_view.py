"""POST /care/gentle-check/: the check as an htmx fragment for the signed-in writer."""

# Curly quotes and apostrophes are what people type on phones: the tests need them.
# ruff: noqa: RUF001

import logging

import pytest
from django.urls import reverse

from tend.care.views import GENTLE_MAX_CHARS
from tests.conftest import Cast

URL = "/care/gentle-check/"


def test_the_route_is_where_the_wiring_says() -> None:
    assert reverse("gentle_check") == URL


def test_a_textarea_wired_with_widget_attrs_renders_the_htmx_attributes() -> None:
    from django import forms

    from tend.care.gentle import widget_attrs

    class Message(forms.Form):
        message = forms.CharField(
            widget=forms.Textarea(attrs=widget_attrs("message")), help_text="Be kind."
        )

    html = str(Message()["message"])
    assert f'hx-post="{URL}"' in html
    assert 'hx-target="#gentle-id_message"' in html
    assert 'hx-vals="{&quot;field&quot;: &quot;message&quot;}"' in html
    assert 'aria-describedby="id_message_helptext"' in html


def test_flags_come_back_as_a_short_fragment(cast: Cast, as_user) -> None:
    response = as_user(cast.ada).post(URL, {"text": "You never listen. You’re so selfish."})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<body" not in html
    assert "<q>You never</q>" in html
    assert "<q>selfish</q>" in html
    assert "Always and never:" in html and "Put-downs:" in html
    assert "because I need" in html
    assert "You can send it as it is" in html


def test_kind_words_come_back_empty(cast: Cast, as_user) -> None:
    response = as_user(cast.ada).post(URL, {"text": "I feel hurt when plans change."})
    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_the_field_can_be_named(cast: Cast, as_user) -> None:
    response = as_user(cast.ada).post(
        URL, {"field": "message", "message": "It's your fault.", "text": "fine"}
    )
    assert "<q>It&#x27;s your fault</q>" in response.content.decode()


def test_nothing_posted_is_nothing_flagged(cast: Cast, as_user) -> None:
    response = as_user(cast.ada).post(URL, {})
    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_text_is_escaped(cast: Cast, as_user) -> None:
    html = as_user(cast.ada).post(URL, {"text": "<b>you</b> always <i>x</i>"}).content.decode()
    assert "<b>" not in html and "<i>" not in html


def test_too_long_is_a_clear_400(cast: Cast, as_user) -> None:
    response = as_user(cast.ada).post(URL, {"text": "a" * (GENTLE_MAX_CHARS + 1)})
    assert response.status_code == 400
    assert "too long to look over here" in response.content.decode()
    assert "You can still send it" in response.content.decode()


def test_nothing_is_stored_or_logged(
    cast: Cast, as_user, caplog, django_assert_num_queries
) -> None:
    client = as_user(cast.ada)
    marker = "you never listen zq-marker-41"
    with caplog.at_level(logging.DEBUG), django_assert_num_queries(2):
        # The two queries are the session and the user, to know who is asking.
        client.post(URL, {"text": marker})
    assert "zq-marker-41" not in caplog.text


@pytest.mark.django_db
def test_the_anonymous_visitor_is_sent_to_log_in(client) -> None:
    response = client.post(URL, {"text": "you never"})
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")

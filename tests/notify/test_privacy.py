"""The privacy marker test for notifications: whatever anyone writes, shares or feels,
no notification carries it, by any channel, at any level of detail."""

import base64
import json
import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tend.notify import emails, kinds, webpush
from tend.notify.models import Notification, Preference, PushSubscription
from tend.notify.quiet import preferences_of
from tend.repairs import actions
from tend.repairs.models import Participation
from tests.conftest import Cast, without_tokens
from tests.notify.helpers import drain, prefer
from tests.sealed import sealed

MARKER = "PRIVATE-MARKER-2b9e"
FEELINGS = ("anger", "hurt", "shame")


def _everything_written(cast: Cast) -> None:
    repair = cast.repair
    ada = actions.participation_of(repair, cast.ada)
    # Private steps arrive sealed on the device (tend.core.e2e): the server holds no
    # marker there; the shared moves below still carry one.
    actions.save_notice(repair, ada, notice=sealed(), own_words=sealed())
    actions.send_message(repair, ada, f"{MARKER} I feel anger and shame")
    actions.ask_need(repair, ada, "assurance", own_words=f"{MARKER} need")
    actions.go_to_step(repair, ada, Participation.Step.HONOR)
    actions.write_entry(repair, ada, "honor:what_hurts", sealed())
    plan = actions.propose_plan(
        repair, ada, timezone.now() + timedelta(minutes=10), f"{MARKER} the place"
    )
    ben = actions.participation_of(repair, cast.ben)
    actions.join(repair, ben)
    actions.accept_plan(repair, ben, plan)


FORBIDDEN = (MARKER, *FEELINGS, "Ada", "Ben", "ada@", "assurance", "triggered")


def _clean(text: str, *, allowed_name: str = "") -> None:
    for word in FORBIDDEN:
        assert word.lower() not in text.lower(), f"{word!r} in {text!r}"
    if not allowed_name:
        assert "“Us”" not in text


@pytest.mark.parametrize("detail", [kinds.Detail.NEUTRAL, kinds.Detail.KIND])
def test_no_notification_says_anything_private_by_any_channel(
    cast: Cast, detail: str, as_user, caplog
) -> None:
    for person in (cast.ada, cast.ben):
        prefer(person, detail=detail, email=list(kinds.ALL_KINDS), quiet_start=None, quiet_end=None)
    caplog.set_level(logging.DEBUG)
    mail.outbox = []
    _everything_written(cast)
    with __import__("time_machine").travel(timezone.now() + timedelta(minutes=6)):
        drain()

    assert Notification.objects.filter(kind="reconvene").count() == 2
    assert len(mail.outbox) >= 6
    for message in mail.outbox:
        _clean(message.subject)
        _clean(message.body)
        assert message.subject in ("Something new for you in tend", "A test from tend")
    for note in Notification.objects.all():
        preference = preferences_of(note.user)
        _clean(json.dumps(webpush.payload(note, preference)))
    for person in (cast.ada, cast.ben):
        main = as_user(person).get("/notifications/").content.decode()
        main = main.split("<main", 1)[1].split("</main>")[0]
        _clean(without_tokens(main))
    _clean(caplog.text)


def test_the_default_email_is_the_neutral_sentence_and_a_link(cast: Cast) -> None:
    note = Notification.objects.filter(user=cast.ben, kind="need_asked").get()
    subject, body = emails.compose(note, Preference(user=cast.ben))
    assert subject == "Something new for you in tend"
    assert body.startswith("There is something new for you in tend.\n")
    assert f"http://127.0.0.1:8000/notifications/{note.pk}/" in body


def test_the_relationship_name_appears_only_when_chosen(cast: Cast) -> None:
    note = Notification.objects.filter(user=cast.ben, kind="repair_opened").get()
    chosen = Preference(user=cast.ben, detail=kinds.Detail.RELATIONSHIP)
    subject, body = emails.compose(note, chosen)
    assert "“Us”: A repair was opened." in body
    assert "Us" not in subject  # the subject never varies


def test_the_push_payload_is_the_sentence_and_a_link_with_a_ttl(cast: Cast) -> None:
    note = Notification.objects.filter(user=cast.ben, kind="plan_proposed").get()
    payload = webpush.payload(note, Preference(user=cast.ben))
    assert payload == {
        "title": "tend",
        "body": "There is something new for you in tend.",
        "url": f"/notifications/{note.pk}/",
        "tag": f"tend-{note.pk}",
    }
    assert webpush.ttl(note) == 24 * 3600


def test_push_subscriptions_are_never_logged_or_shown(cast: Cast, as_user, caplog) -> None:
    endpoint = "https://push.example/" + base64.urlsafe_b64encode(b"secret").decode()
    PushSubscription.objects.create(user=cast.ben, endpoint=endpoint, p256dh="x", auth="y")
    page = as_user(cast.ben).get("/notifications/settings/").content.decode()
    assert endpoint not in page

"""The notifications page, the count in the nav, preferences and push subscriptions."""

import json
import re

from django.urls import reverse

from tend.notify.models import Notification, Preference, PushSubscription
from tests.conftest import Cast

LIST = "/notifications/"


def test_ben_sees_three_new_things_in_neutral_words(cast: Cast, as_user) -> None:
    page = as_user(cast.ben).get(LIST).content.decode()
    assert page.count("There is something new for you in tend.") == 3
    # The nav shows the count on every page.
    home = as_user(cast.ben).get(reverse("home")).content.decode()
    assert 'class="notify-count">3<' in home


def test_the_nav_fragment_re_fetches_the_count(cast: Cast, as_user) -> None:
    fragment = as_user(cast.ben).get(reverse("notification_nav")).content.decode()
    assert ">3<" in fragment and "<html" not in fragment
    assert ">0<" not in as_user(cast.ada).get(reverse("notification_nav")).content.decode()


def test_the_nav_item_listens_for_the_kinds_that_notify(cast: Cast, as_user) -> None:
    home = as_user(cast.ada).get(reverse("home")).content.decode()
    assert 'hx-get="/notifications/nav/"' in home
    for kind in ("repair_opened", "message_sent", "plan_agreed", "commitment_changed"):
        assert f"tend:{kind} from:body" in home
    assert "tend:together_changed" not in home


def test_more_detail_only_when_chosen(cast: Cast, as_user) -> None:
    Preference.objects.create(user=cast.ben, detail="relationship")
    page = as_user(cast.ben).get(LIST).content.decode()
    assert "“Us”: A repair was opened." in page
    Preference.objects.filter(user=cast.ben).update(detail="kind")
    page = as_user(cast.ben).get(LIST).content.decode()
    assert "A repair was opened." in page and "“Us”" not in page


def test_opening_one_marks_it_seen_and_goes_to_the_repair(cast: Cast, as_user) -> None:
    note = Notification.objects.filter(user=cast.ben, kind="repair_opened").get()
    response = as_user(cast.ben).get(reverse("notification_open", args=[note.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("repair", args=[cast.us.pk, cast.repair.pk])
    note.refresh_from_db()
    assert note.read_at is not None


def test_a_former_member_opening_an_old_one_lands_on_the_list(cast: Cast, as_user) -> None:
    from tend.gardens.actions import leave_relationship

    note = Notification.objects.filter(user=cast.ben).first()
    leave_relationship(cast.ben, cast.us)
    response = as_user(cast.ben).get(reverse("notification_open", args=[note.pk]))
    assert response["Location"] == LIST


def test_mark_all_as_seen(cast: Cast, as_user) -> None:
    as_user(cast.ben).post(reverse("notifications_seen"))
    assert not Notification.objects.filter(user=cast.ben, read_at__isnull=True).exists()
    assert 'class="notify-count"' not in as_user(cast.ben).get(LIST).content.decode()


def test_a_kind_turned_off_in_tend_does_not_show(cast: Cast, as_user) -> None:
    client = as_user(cast.ada)
    response = client.post(
        reverse("notify_preferences"),
        {"detail": "neutral", "reconvene_lead_minutes": "15", "email:message_sent": "on"},
    )
    assert response.status_code == 302
    preference = Preference.objects.get(user=cast.ada)
    assert preference.inapp == [] and preference.email == ["message_sent"]
    assert preference.push == []


def test_quiet_hours_need_both_ends(cast: Cast, as_user) -> None:
    response = as_user(cast.ada).post(
        reverse("notify_preferences"),
        {"detail": "neutral", "reconvene_lead_minutes": "15", "quiet_start": "22:00"},
    )
    assert response.status_code == 400
    assert "Give both times" in response.content.decode()
    assert not Preference.objects.filter(user=cast.ada).exists()


def test_bad_input_is_a_400_with_the_form(cast: Cast, as_user) -> None:
    response = as_user(cast.ada).post(
        reverse("notify_preferences"),
        {"detail": "everything", "reconvene_lead_minutes": "-3"},
    )
    assert response.status_code == 400
    assert "field-invalid" in response.content.decode()


def test_the_test_button_sends_a_test(cast: Cast, as_user, mailoutbox) -> None:
    response = as_user(cast.dee).post(reverse("notify_test"))
    assert response.status_code == 302
    assert Notification.objects.filter(user=cast.dee, kind="test").exists()


def _subscribe(client, endpoint: str = "https://push.example/abc"):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("push_subscribe"),
        json.dumps({"endpoint": endpoint, "keys": {"p256dh": "BPk", "auth": "au"}}),
        content_type="application/json",
    )


def test_subscribe_and_unsubscribe_this_device(cast: Cast, as_user) -> None:
    client = as_user(cast.ada)
    assert _subscribe(client).status_code == 201
    assert _subscribe(client).status_code == 201  # again: still one
    assert PushSubscription.objects.filter(user=cast.ada).count() == 1
    page = client.get(reverse("notify_preferences")).content.decode()
    assert "Push is on for 1 device." in page
    assert "push.example" not in page  # the endpoint is a secret of the browser's

    response = client.post(
        reverse("push_unsubscribe"),
        json.dumps({"endpoint": "https://push.example/abc"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert not PushSubscription.objects.exists()


def test_one_cannot_unsubscribe_someone_elses_device(cast: Cast, as_user) -> None:
    _subscribe(as_user(cast.ada))
    as_user(cast.ben).post(
        reverse("push_unsubscribe"),
        json.dumps({"endpoint": "https://push.example/abc"}),
        content_type="application/json",
    )
    assert PushSubscription.objects.filter(user=cast.ada).exists()


def test_a_subscription_must_be_https_and_well_formed(cast: Cast, as_user) -> None:
    client = as_user(cast.ada)
    assert _subscribe(client, "http://push.example/x").status_code == 400
    assert _subscribe(client, "https://" + "x" * 1000).status_code == 400
    bad = client.post(reverse("push_subscribe"), "[1]", content_type="application/json")
    assert bad.status_code == 400
    assert not PushSubscription.objects.exists()


def test_the_service_worker_is_served_from_the_root(client, db) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "showNotification" in response.content.decode()


def test_the_manifest_is_a_static_file_linked_from_every_page(client, db) -> None:
    page = client.get(reverse("login")).content.decode()
    # Linked by its content-hashed name, cached for good.
    assert re.search(
        r'rel="manifest" href="/static/tend/manifest\.[0-9a-f]{12}\.webmanifest"', page
    )
    from django.contrib.staticfiles import finders

    path = finders.find("tend/manifest.webmanifest")
    assert isinstance(path, str)
    with open(path) as handle:
        manifest = json.load(handle)
    assert manifest["start_url"] == "/home/" and manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}


def test_a_test_email_goes_only_to_someone_who_uses_email(cast: Cast, as_user) -> None:
    from django.core import mail

    from tests.notify.helpers import drain, prefer

    mail.outbox = []
    as_user(cast.dee).post(reverse("notify_test"))
    drain()
    assert mail.outbox == []  # dee never asked for email
    prefer(cast.dee, email=["repair_opened"])
    as_user(cast.dee).post(reverse("notify_test"))
    drain()
    assert [(m.to, m.subject) for m in mail.outbox] == [([cast.dee.email], "A test from tend")]
    assert "This is a test notification from tend." in mail.outbox[0].body

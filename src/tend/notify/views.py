"""The notifications page and its count in the nav, preferences, push subscriptions, the service
worker and manifest. Every change goes through tend.notify.actions."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Count
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tend.accounts.models import User
from tend.core.http import json_object, posted
from tend.core.prepared import Prepared
from tend.gardens.access import is_member
from tend.notify import actions, kinds, reminders, webpush
from tend.notify.forms import PreferenceForm
from tend.notify.models import Notification, PushSubscription
from tend.notify.quiet import preferences_of

PAGE_SIZE = 50


# In every signed-in page's nav: its SQL compiled once (tend.core.prepared). A count
# would compile anew each time, so the one group's count is read as a row.
_unread = Prepared(
    lambda user_id: (
        Notification.objects.filter(user_id=user_id, in_app=True, read_at__isnull=True)
        .values("user_id")
        .annotate(unread=Count("pk"))
        .values_list("unread", flat=True)
    )
)


def unread_count(user: User) -> int:
    return _unread.one(user.pk) or 0


def _target(notification: Notification) -> str:
    """Where a notification leads: the repair, the commitments, or this list."""
    relationship_id = notification.relationship_id
    if relationship_id is None:
        return reverse("notifications")
    if notification.kind in kinds.ABOUT_COMMITMENTS:
        return reverse("relationship_commitments", args=[relationship_id])
    if notification.repair_id is not None:
        return reverse("repair", args=[relationship_id, notification.repair_id])
    return reverse("relationship", args=[relationship_id])


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    preference = preferences_of(request.user)
    items = list(
        Notification.objects.filter(user=request.user, in_app=True).select_related("relationship")[
            :PAGE_SIZE
        ]
    )
    rows = [
        {
            "pk": item.pk,
            "sentence": kinds.sentence(
                item.kind,
                preference.detail,
                item.relationship.name if item.relationship_id else "",
            ),
            "created_at": item.created_at,
            "unread": item.read_at is None,
        }
        for item in items
    ]
    return render(
        request,
        "notify/index.html",
        {
            "rows": rows,
            "unread": sum(1 for row in rows if row["unread"]),
            "coming_up": reminders.coming_up(request.user),
        },
    )


@require_GET
def nav_link(request: HttpRequest) -> HttpResponse:
    return render(request, "notify/nav_link.html", {"count": unread_count(request.user)})


@require_POST
def seen(request: HttpRequest) -> HttpResponse:
    actions.mark_all_seen(request.user)
    return redirect("notifications")


@require_GET
def open_one(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Marks it seen and goes where it leads (the page itself checks who may see it)."""
    notification = get_object_or_404(Notification, pk=notification_id, user=request.user)
    actions.mark_seen(notification)
    if notification.relationship_id and not is_member(request.user, notification.relationship_id):
        return redirect("notifications")
    return redirect(_target(notification))


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    preference = preferences_of(request.user)
    form = PreferenceForm(posted(request), instance=preference)
    if request.method == "POST":
        if form.is_valid():
            actions.save_preferences(form)
            messages.success(request, _("Saved."))
            return redirect("notify_preferences")
        status = 400
    else:
        status = 200
    return render(
        request,
        "notify/preferences.html",
        {
            "form": form,
            "channels": kinds.CHANNELS,
            "devices": PushSubscription.objects.filter(user=request.user).count(),
            "vapid_key": webpush.application_server_key(),
        },
        status=status,
    )


@require_POST
def send_test(request: HttpRequest) -> HttpResponse:
    """A test notification, on every channel the person has (whatever their choices)."""
    preference = preferences_of(request.user)
    actions.send_test(request.user, preference)
    messages.success(
        request,
        _("A test notification is on its way: in tend now, by email and push if you have them."),
    )
    return redirect("notify_preferences")


# Keys are base64url, as the browser's PushSubscription.toJSON() gives them.
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+={0,2}")
_https_url = URLValidator(schemes=["https"])


def _push_endpoint(data: dict | None) -> str | None:
    """The subscription's endpoint if it is an https address that fits its column."""
    endpoint = data.get("endpoint") if data else None
    if not isinstance(endpoint, str) or len(endpoint) > 1000:
        return None
    try:
        _https_url(endpoint)
    except ValidationError:
        return None
    return endpoint


@require_POST
def push_subscribe(request: HttpRequest) -> HttpResponse:
    data = json_object(request)
    keys = data.get("keys") if data else None
    endpoint = _push_endpoint(data)
    if (
        endpoint is None
        or not isinstance(keys, dict)
        or not isinstance(keys.get("p256dh"), str)
        or not isinstance(keys.get("auth"), str)
        or not _BASE64URL.fullmatch(keys["p256dh"])
        or not _BASE64URL.fullmatch(keys["auth"])
        or len(keys["p256dh"]) > 200
        or len(keys["auth"]) > 100
    ):
        return HttpResponseBadRequest(_("That is not a push subscription."))
    actions.subscribe_push(request.user, endpoint, keys["p256dh"], keys["auth"])
    return JsonResponse({"ok": True}, status=201)


@require_POST
def push_unsubscribe(request: HttpRequest) -> HttpResponse:
    endpoint = _push_endpoint(json_object(request))
    if endpoint is None:
        return HttpResponseBadRequest(_("That is not a push subscription."))
    actions.unsubscribe_push(request.user, endpoint)
    return JsonResponse({"ok": True})


@login_not_required
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from the root, so that it may handle pushes for every page of tend."""
    response = HttpResponse(
        render_to_string("notify/sw.js"), content_type="text/javascript; charset=utf-8"
    )
    response["Service-Worker-Allowed"] = "/"
    return response

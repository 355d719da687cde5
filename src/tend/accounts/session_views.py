"""Your devices: where you are signed in, and signing any of them out."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tend.accounts import sessions
from tend.accounts.models import DeviceSession

LARGEST_ID = 2**63 - 1


@require_GET
def device_list(request: HttpRequest) -> HttpResponse:
    rows = sessions.listed(request)
    current = request.session.session_key
    return render(
        request,
        "accounts/sessions.html",
        {
            "rows": rows,
            "current_key": current,
            "others": [row for row in rows if row.session_key != current],
            "idle_minutes": int(settings.SESSION_IDLE_TIMEOUT.total_seconds() // 60),
            "max_hours": int(settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds() // 3600),
            "own_phone": sessions.is_own_phone(request.session),
            "own_phone_days": settings.OWN_PHONE_LIFETIME.days,
        },
    )


@require_POST
def end_one(request: HttpRequest, session_id: int) -> HttpResponse:
    # Only one's own rows: anyone else's id is a 404, as if it did not exist. (The URL
    # takes any number of digits; past a 64-bit id the database driver itself fails.)
    if session_id > LARGEST_ID:
        raise Http404
    row = get_object_or_404(DeviceSession, pk=session_id, user=request.user)
    if row.session_key == request.session.session_key:
        logout(request)
        messages.info(request, _("You are signed out on this device."))
        return redirect(settings.LOGIN_URL)
    sessions.end(row)
    messages.success(request, _("That device is signed out."))
    return redirect("account_sessions")


@require_POST
def end_others(request: HttpRequest) -> HttpResponse:
    ended = sessions.end_others(request.user, request.session.session_key)  # type: ignore[arg-type]
    if ended:
        messages.success(request, _("Your other devices are signed out."))
    else:
        messages.info(request, _("You were not signed in anywhere else."))
    return redirect("account_sessions")


@require_POST
def own_phone(request: HttpRequest) -> HttpResponse:
    """Turns "this is my own phone" on or off, for this device only."""
    on = request.POST.get("own_phone") == "on"
    sessions.set_own_phone(request, on)
    if on:
        messages.success(
            request, _("This phone stays signed in. Private pages lock when you leave it a while.")
        )
    else:
        messages.info(request, _("This phone now signs you out after a while, as usual."))
    return redirect("account_sessions")


@require_POST
def lock_now(request: HttpRequest) -> HttpResponse:
    """Locks an own phone at once, before handing it to someone for a moment."""
    if not sessions.is_own_phone(request.session):
        messages.info(request, _("Only a phone marked as your own can lock; this one signs out."))
        return redirect("account_sessions")
    sessions.lock(request)
    return redirect("unlock")

"""Straight into a repair: the app's shortcuts ("I'm triggered", "Something hurt
between us"), the same buttons on the home page, and the quick page a locked own phone
reaches (tend.accounts.lock): the repair opened, the others told, and the prepared
messages one tap away.

Opening is a POST (a link someone else sends must not open a repair in a person's
name), so a shortcut is two taps: the shortcut, then one button.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tend.accounts import sessions
from tend.accounts.lock import open_when_locked
from tend.care import safety
from tend.gardens.access import get_membership_for, relationships_of
from tend.repairs import actions, content
from tend.repairs.models import Participation, Repair
from tend.repairs.views.common import repair_view, to_overview, to_step

LARGEST_ID = 2**63 - 1
PREPARED = {template.key: template for template in content.VOICE_TEMPLATES}


@open_when_locked
@require_http_methods(["GET", "POST"])
def go(request: HttpRequest, opening: str) -> HttpResponse:
    if opening not in Repair.Opening.values:
        raise Http404
    if request.method == "POST":
        chosen = request.POST.get("relationship", "")
        if not chosen.isascii() or not chosen.isdigit() or int(chosen) > LARGEST_ID:
            return HttpResponseBadRequest(_("Please choose which relationship."))
        relationship_id = int(chosen)
        relationship = get_membership_for(request.user, relationship_id).relationship
        repair = actions.open_repair(request.user, relationship, opening)  # type: ignore[arg-type]
        if sessions.is_locked(request.session, timezone.now()):
            return redirect("repair_quick", relationship_id=relationship.pk, repair_id=repair.pk)
        participation = actions.participation_of(repair, request.user)  # type: ignore[arg-type]
        return to_step(repair, participation.step) if participation.joined else to_overview(repair)
    return render(
        request,
        "repairs/go.html",
        {"opening": opening, "relationships": list(relationships_of(request.user))},  # type: ignore[arg-type]
    )


@open_when_locked
@require_http_methods(["GET", "POST"])
@repair_view
def quick(request: HttpRequest, repair: Repair, participation: Participation) -> HttpResponse:
    """The others know; one of the prepared messages can follow in one tap. It shows
    nothing anyone wrote, so a locked phone may show it."""
    if request.method == "POST":
        template = PREPARED.get(request.POST.get("template", ""))
        if template is None:
            return HttpResponseBadRequest(_("Please choose one of the messages."))
        actions.send_message(repair, participation, text=str(template.text), template=template.key)
        messages.success(request, _("Sent. The others can see it."))
        return redirect("repair_quick", relationship_id=repair.relationship_id, repair_id=repair.pk)
    return render(
        request,
        "repairs/quick.html",
        {
            "repair": repair,
            "relationship": repair.relationship,
            "prepared": content.VOICE_TEMPLATES,
            "locked": sessions.is_locked(request.session, timezone.now()),
            "open": repair.stage in (Repair.Stage.PERSONAL, Repair.Stage.TOGETHER),
            # Words to the others wait for the private safety question (the machine's
            # safety gate), which a locked phone does not show: say so before a tap.
            # The answer is sealed: this device closes the words while it is "no".
            "asked": safety.asked(request.user.pk, repair.relationship_id),
        },
    )

"""What every repair view shares: finding the repair, refusing kindly, the context."""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from tend.core.prepared import Prepared
from tend.repairs import actions, content, machine, scene
from tend.repairs.access import get_repair_for
from tend.repairs.models import NeedRequest, Participation, ReconvenePlan, Repair, VoiceMessage
from tend.repairs.views import kept

RepairView = Callable[..., HttpResponse]


def repair_view(view: RepairView) -> Callable[..., HttpResponse]:
    """Resolves the repair through the membership helper (404 for non-members) and turns
    a refusal of the process into a clear message on the current screen (409)."""

    @wraps(view)
    def wrapper(
        request: HttpRequest, relationship_id: int, repair_id: int, **kwargs: Any
    ) -> HttpResponse:
        repair, participation = get_repair_for(request.user, relationship_id, repair_id)
        if participation.pk is None and request.method not in ("GET", "HEAD"):
            participation = actions.participation_of(repair, request.user)
        try:
            return view(request, repair, participation, **kwargs)
        except machine.SafetyFirst:
            return to_safety_check(request, repair)
        except machine.Refused as refused:
            if kept.replaying(request):
                raise  # a kept move: the replay says why, on the page it was made from
            if request.htmx and whole_screen(request):
                # A live redraw of a screen that no longer applies: go where the repair is.
                messages.warning(request, refused.message)
                response = HttpResponse(status=204)
                response["HX-Redirect"] = reverse("repair", args=[relationship_id, repair.pk])
                return response
            if request.htmx:
                return render(
                    request,
                    "repairs/refused.html",
                    {"message": refused.message, "repair": repair},
                    status=409,
                )
            messages.warning(request, refused.message)
            response = redirect("repair", relationship_id=relationship_id, repair_id=repair.pk)
            response.status_code = 303
            return response

    return wrapper


def whole_screen(request: HttpRequest) -> bool:
    """A full page: a plain request, or htmx redrawing the whole repair screen (a move,
    or a live update) rather than one small part of it."""
    # htmx names the target "div#repair-screen"; before htmx 4 (a page still open from
    # before an upgrade) it sent the bare id.
    target = request.headers.get("HX-Target", "")
    return not request.htmx or target.rpartition("#")[2] == "repair-screen"


def to_safety_check(request: HttpRequest, repair: Repair) -> HttpResponse:
    """To the private safety question, then back to the page the person was on. A shared
    move it interrupted is kept for them, and carried out if they answer "safe"."""
    overview = reverse("repair", args=[repair.relationship_id, repair.pk])
    back = request.path if request.method == "GET" else _same_site_path(request) or overview
    query = {"next": back}
    mark = kept.keep(request, repair.relationship_id, back)
    if mark is not None:
        query["kept"] = mark
    target = f"{reverse('safety_check', args=[repair.relationship_id])}?{urlencode(query)}"
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return redirect(target)


def _same_site_path(request: HttpRequest) -> str | None:
    """The page a form was sent from (htmx says it; browsers send a same-origin Referer)."""
    source = request.headers.get("HX-Current-URL") or request.headers.get("Referer") or ""
    if not url_has_allowed_host_and_scheme(source, allowed_hosts={request.get_host()}):
        return None
    parts = urlsplit(source)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def to_overview(repair: Repair) -> HttpResponse:
    return redirect("repair", relationship_id=repair.relationship_id, repair_id=repair.pk)


def to_step(repair: Repair, step: str) -> HttpResponse:
    return redirect(f"repair_{step}", relationship_id=repair.relationship_id, repair_id=repair.pk)


# What every repair screen shows of the repair: their SQL compiled once
# (tend.core.prepared); the people who accepted or acknowledged are read after each.
_plans = Prepared(
    lambda repair_id: (
        ReconvenePlan.objects.filter(repair_id=repair_id)
        .exclude(status="replaced")
        .select_related("proposed_by")
        .prefetch_related("accepted_by")
    )
)
_needs = Prepared(
    lambda repair_id: (
        NeedRequest.objects.filter(repair_id=repair_id)
        .select_related("author")
        .prefetch_related("acknowledged_by")
    )
)
_messages = Prepared(
    lambda repair_id: VoiceMessage.objects.filter(repair_id=repair_id).select_related("author")
)


def shared_context(
    repair: Repair, participation: Participation, current: machine.Scene | None = None
) -> dict[str, Any]:
    """What everyone in the repair may see of it, and what this person may do now.

    Nothing personal: of each other person only joined / not yet, ready, paused, and
    what they chose to send. Every control on the repair's screens is drawn from `may`,
    the machine's answer, so none offers a move that would be refused."""
    if current is None:
        current = scene.load(repair)
    participations = current.participants
    others = [p for p in participations if p.pk != participation.pk]
    plans = scene.rows_of(repair, _plans(repair.pk))
    needs = scene.rows_of(repair, _needs(repair.pk))
    labels = {need.key: need.label for need in content.NEEDS}
    for need in needs:
        need.label = labels.get(need.need, need.need)
    return {
        "repair": repair,
        "me": participation,
        "others": others,
        "messages_sent": scene.rows_of(repair, _messages(repair.pk)),
        "needs": needs,
        "open_plan": next((p for p in plans if p.status == "proposed"), None),
        "agreed_plan": next((p for p in plans if p.status == "agreed"), None),
        "everyone_ready": machine.everyone_ready(participations),
        "is_together": machine.is_together(current),
        "may": machine.offers(current, participation, needs, plans),
        "steps": content.STEPS,
        "content": content,
        "Action": machine.Action,
    }


def render_step(
    request: HttpRequest,
    template: str,
    repair: Repair,
    participation: Participation,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    if whole_screen(request):
        template = template.partition("#")[0]
    shared = shared_context(repair, participation, context.get("scene"))
    return render(request, template, shared | context, status=status)

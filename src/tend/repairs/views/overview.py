"""Opening a repair, its overview, joining, pausing and closing."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tend.gardens.access import get_membership_for
from tend.repairs import actions, machine
from tend.repairs.models import Participation, Repair
from tend.repairs.views.common import render_step, repair_view, to_overview, to_step, together
from tend.repairs.views.together import stage_context


@require_POST
def open_repair(request: HttpRequest, relationship_id: int) -> HttpResponse:
    relationship = get_membership_for(request.user, relationship_id).relationship
    opening = request.POST.get("opening", "")
    if opening not in Repair.Opening.values:
        return HttpResponseBadRequest(_("Please choose how you want to begin."))
    repair = actions.open_repair(request.user, relationship, opening)
    participation = actions.participation_of(repair, request.user)
    return to_step(repair, participation.step) if participation.joined else to_overview(repair)


@require_GET
@repair_view
def detail(request: HttpRequest, repair: Repair, participation: Participation) -> HttpResponse:
    stage = stage_context(request, repair, participation) if participation.joined else {}
    return render_step(request, "repairs/overview.html", repair, participation, stage)


@require_GET
@repair_view
def together_panel(
    request: HttpRequest, repair: Repair, participation: Participation
) -> HttpResponse:
    return render(request, "repairs/together.html", together(repair, participation))


@require_POST
@repair_view
def join(request: HttpRequest, repair: Repair, participation: Participation) -> HttpResponse:
    actions.join(repair, participation)
    return to_step(repair, participation.step)


@require_POST
@repair_view
def not_yet(request: HttpRequest, repair: Repair, participation: Participation) -> HttpResponse:
    actions.not_yet(repair, participation)
    messages.info(request, _("That is fine. You can join later, whenever you are willing."))
    return to_overview(repair)


@require_POST
@repair_view
def pause(request: HttpRequest, repair: Repair, participation: Participation) -> HttpResponse:
    if not participation.paused:  # a second tap changes nothing
        actions.set_paused(repair, participation, True)
    return to_overview(repair)


@require_POST
@repair_view
def resume(request: HttpRequest, repair: Repair, participation: Participation) -> HttpResponse:
    if participation.paused:
        actions.set_paused(repair, participation, False)
    return to_step(repair, participation.step)


@require_http_methods(["GET", "POST"])
@repair_view
def close(request: HttpRequest, repair: Repair, participation: Participation) -> HttpResponse:
    machine.check(repair, participation, machine.Action.CLOSE)
    if request.method == "POST":
        actions.close_repair(repair, participation)
        messages.info(request, _("The repair is closed. You can open a new one at any time."))
        return to_overview(repair)
    return render_step(request, "repairs/close.html", repair, participation, {})

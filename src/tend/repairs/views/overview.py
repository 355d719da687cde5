"""Opening a repair, its overview, joining, pausing and closing."""

from html import unescape

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tend.gardens.access import get_membership_for
from tend.repairs import actions, content, machine, scene
from tend.repairs.models import Participation, Repair
from tend.repairs.views.common import render_step, repair_view, to_overview, to_step
from tend.repairs.views.reengagement import stage_context


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
        actions.set_paused(repair, participation, True, at_step=request.POST.get("at", ""))
    return to_overview(repair)


@require_POST
@repair_view
def resume(request: HttpRequest, repair: Repair, participation: Participation) -> HttpResponse:
    if participation.paused:
        actions.set_paused(repair, participation, False)
        messages.info(request, welcome_back(repair, participation))
    return to_step(repair, participation.step)


def welcome_back(repair: Repair, participation: Participation) -> str:
    """Where the repair stands for someone back from a pause: of the others only what
    the process shares (joined, ready, paused), whether step 5 had begun and where it
    goes on, and where this person was and what comes next."""
    others = [p for p in scene.participants(repair) if p.pk != participation.pk]
    said = [_("Welcome back.")]
    if others:
        status = {
            p.pk: render_to_string("repairs/status.html", {"p": p, "repair": repair})
            for p in others
        }
        people = "; ".join(f"{p.name}: {unescape(status[p.pk].strip())}" for p in others)
        said.append(_("The others: %(people)s.") % {"people": people})
    if repair.stage == Repair.Stage.TOGETHER and repair.phase:
        phase = unescape(render_to_string("repairs/phase_title.html", {"phase": repair.phase}))
        phase = phase.strip()
        said.append(
            _(
                "Coming back together had begun. It goes on with “%(phase)s” once "
                "everyone who joined is ready again."
            )
            % {"phase": phase}
        )
    steps = {s.key: s for s in content.STEPS}
    here = steps[participation.step]
    if participation.step == machine.Step.REFLECT:
        said.append(
            _("You were in step %(number)d, %(title)s. Next: say you are ready, when you are.")
            % {"number": here.number, "title": here.title}
        )
    else:
        after = steps[machine.next_step(participation.step)]
        said.append(
            _("You were in step %(number)d, %(title)s. Next comes step %(next)d, %(after)s.")
            % {
                "number": here.number,
                "title": here.title,
                "next": after.number,
                "after": after.title,
            }
        )
    return " ".join(said)


@require_http_methods(["GET", "POST"])
@repair_view
def close(request: HttpRequest, repair: Repair, participation: Participation) -> HttpResponse:
    machine.check(repair, participation, machine.Action.CLOSE)
    if request.method == "POST":
        actions.close_repair(repair, participation)
        messages.info(request, _("The repair is closed. You can open a new one at any time."))
        return to_overview(repair)
    return render_step(request, "repairs/close.html", repair, participation, {})

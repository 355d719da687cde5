"""Step 1: notice, give voice, ask for what you need (and agree when to come back)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tend.core.http import posted
from tend.repairs import actions, content, from_plan, machine, scene
from tend.repairs.forms import NeedForm, NoticeForm, NoticeQuestions, PlanForm, VoiceForm
from tend.repairs.models import Entry, NeedRequest, Participation, ReconvenePlan, Repair
from tend.repairs.views.common import render_step, repair_view, to_overview, to_step

STEP = Participation.Step.ACKNOWLEDGE


@require_http_methods(["GET", "POST"])
@repair_view
def notice(request: HttpRequest, repair: Repair, participation: Participation) -> HttpResponse:
    """Step 1's page. It saves as the person ticks and types, so nothing is lost; the
    button saves and goes on to giving voice. Everything on it is sealed on the person's
    device before it is sent (`private.js`): the server stores what it cannot read, and
    the suggestion of a state is worked out on the device too."""
    machine.check(repair, participation, machine.Action.NOTICE)
    status = 200
    form = NoticeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        actions.go_to_step(repair, participation, STEP)  # where the person is: recorded by a move
        if form.is_valid():
            actions.save_notice(repair, participation, **form.cleaned_data)
            if not request.htmx:
                return to_step(repair, "voice")
        else:
            status = 400
        if request.htmx:
            return render(request, "repairs/saved.html", {"form": form}, status=status)
    else:
        participation.step = STEP  # this page's step bar; reading it records nothing
    own = Entry.objects.filter(participation=participation, key="notice_words").first()
    context = {
        "form": form,
        "questions": NoticeQuestions(),
        "sealed_notice": participation.notice,
        "sealed_words": own.text if own else "",
        "leans": content.LEANS,
        "state_labels": {s.key: str(s.label) for s in content.STATES},
        "common_signals": {s.key for s in content.BODY_SIGNALS if s.common},
        "common_feelings": {f.key for f in content.FEELINGS if f.common},
    }
    return render_step(request, "repairs/notice.html", repair, participation, context, status)


@require_http_methods(["GET", "POST"])
@repair_view
def voice(request: HttpRequest, repair: Repair, participation: Participation) -> HttpResponse:
    machine.check(repair, participation, machine.Action.VOICE)
    form = VoiceForm(posted(request))
    if request.method == "POST" and form.is_valid():
        actions.send_message(repair, participation, **form.cleaned_data)
        messages.success(request, _("Sent. Now, what do you need?"))
        return to_step(repair, "needs")
    templates = list(content.VOICE_TEMPLATES)
    together_offered = machine.offers_pause_together(participation, scene.participants(repair))
    return render_step(
        request,
        "repairs/voice.html",
        repair,
        participation,
        {
            "form": form,
            "templates": templates,
            "pause_together": content.PAUSE_TOGETHER if together_offered else None,
        },
        400 if form.errors else 200,
    )


@require_POST
@repair_view
def skip_voice(request: HttpRequest, repair: Repair, participation: Participation) -> HttpResponse:
    actions.skip_voice(repair, participation)
    return to_step(repair, Participation.Step.STABILIZE)


@require_http_methods(["GET", "POST"])
@repair_view
def needs(request: HttpRequest, repair: Repair, participation: Participation) -> HttpResponse:
    machine.check(repair, participation, machine.Action.ASK_NEED)
    form = NeedForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.ask_need(repair, participation, data["need"], data["own_words"])
        if data["meet_at"]:
            actions.propose_plan(repair, participation, data["meet_at"], data["place"])
        # On to stabilizing: where the person is from now on.
        actions.go_to_step(repair, participation, Participation.Step.STABILIZE)
        messages.success(request, _("The others can see what you asked for."))
        return to_step(repair, Participation.Step.STABILIZE)
    return render_step(
        request,
        "repairs/needs.html",
        repair,
        participation,
        {
            "form": form,
            "needs_list": content.NEEDS,
            "from_plan": from_plan.one_taps(repair, participation),
        },
        400 if form.errors else 200,
    )


@require_POST
@repair_view
def acknowledge_need(
    request: HttpRequest, repair: Repair, participation: Participation, need_id: int
) -> HttpResponse:
    need = get_object_or_404(NeedRequest, pk=need_id, repair=repair)
    actions.acknowledge_need(repair, participation, need)
    return to_overview(repair)


@require_http_methods(["GET", "POST"])
@repair_view
def propose_plan(
    request: HttpRequest, repair: Repair, participation: Participation
) -> HttpResponse:
    """Propose another time, or (with an agreed plan) say "I need longer"."""
    longer = repair.agreed_plan_id is not None
    machine.check(
        repair,
        participation,
        machine.Action.NEED_LONGER if longer else machine.Action.PROPOSE_PLAN,
    )
    form = PlanForm(posted(request))
    if request.method == "POST" and form.is_valid():
        actions.propose_plan(
            repair,
            participation,
            form.cleaned_data["meet_at"],
            form.cleaned_data["place"],
            longer=longer,
        )
        messages.success(request, _("Your proposal is with the others."))
        return to_overview(repair)
    return render_step(
        request,
        "repairs/plan.html",
        repair,
        participation,
        {"form": form, "longer": longer},
        400 if form.errors else 200,
    )


@require_POST
@repair_view
def accept_plan(
    request: HttpRequest, repair: Repair, participation: Participation, plan_id: int
) -> HttpResponse:
    plan = get_object_or_404(ReconvenePlan, pk=plan_id, repair=repair)
    actions.accept_plan(repair, participation, plan)
    return to_overview(repair)

"""Step 5 on screen: one live stage that says whose turn it is and what each person
can do now, and one POST endpoint per move. A move from an old screen is refused
with a clear message and the current stage (409)."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tend.repairs import content, from_plan, machine, reengagement, scene, visibility
from tend.repairs.access import REPAIR_RELATED
from tend.repairs.forms import (
    AnswerReflectionForm,
    AnswerRequestForm,
    ConsiderForm,
    PresenceForm,
    RebondForm,
    ReflectionForm,
    RequestForm,
    ShareForm,
    SpaceForm,
    TextForm,
)
from tend.repairs.models import Entry, Participation, Proposal, Reflection, Repair, Request, Turn
from tend.repairs.screen import actor_for, screen_people
from tend.repairs.views import kept
from tend.repairs.views.common import render_step, repair_view, to_overview, whole_screen

Phase = Repair.Phase


class Invalid(Exception):
    def __init__(self, form: forms.Form) -> None:
        self.form = form


def _valid(form: forms.Form) -> dict[str, Any]:
    if not form.is_valid():
        raise Invalid(form)
    return form.cleaned_data


def _texts(agreements: list[Any]) -> list[str]:
    defaults = {a.key: a.text for a in content.DEFAULT_AGREEMENTS}
    return [str(defaults.get(item.key, "")) or item.text for item in agreements]


def _guidance(current: machine.Scene, me: Participation, on_screen: list[Participation]) -> str:
    """One line that always says whose turn it is and what this person can do now."""
    repair = current.repair
    if repair.phase == Phase.LISTENING and current.turn is not None:
        turn = current.turn
        names = {"speaker": turn.speaker.name, "listener": turn.listener.name}
        if machine.turn_stage(current) == "confirm":
            return _("%(speaker)s, did %(listener)s hear you right?") % names
        if turn.speaker_id == me.pk and len(on_screen) == 1:
            return _("It is your turn to speak, %(speaker)s. %(listener)s listens.") % names
        return (
            _("%(speaker)s speaks. %(listener)s, listen, then tell %(speaker)s what you heard.")
            % names
        )
    waiting = [p.name for p in machine.waiting_for(current)]
    if waiting:
        return _("Waiting for: %(names)s. There is no rush.") % {"names": ", ".join(waiting)}
    return ""


def stage_context(request: HttpRequest, repair: Repair, me: Participation) -> dict[str, Any]:
    current = scene.load(repair)
    on_screen = screen_people(request, current, me)
    context: dict[str, Any] = {
        "scene": current,
        "phase": repair.phase,
        "is_together": machine.is_together(current),
        "can_begin": machine.can_begin(current),
        "on_screen": on_screen,
        "guidance": _guidance(current, me, on_screen) if repair.phase else "",
        "content": content,
    }
    if not me.joined:
        return context  # step 5 is shared only among those who joined
    if repair.stage == Repair.Stage.PERSONAL:
        context["begin_in"] = machine.seconds_to_meeting(current)
        return context
    context |= {
        "agreements": _texts(list(repair.agreements.all())),
        "plan_agreements": from_plan.agreement_texts(repair.agreements.all()),
        "turns": current.turns,
        "reflections": current.reflections,
        "turn_stage": machine.turn_stage(current) if repair.phase == Phase.LISTENING else "",
        "clear_outcome": machine.clearing_outcome(current),
        "review_default": timezone.localdate() + timedelta(days=14),
        "affirmations": list(repair.affirmations.select_related("author__user")),
        "agreed": {p.kind: p for p in repair.proposals.filter(status=Proposal.Status.AGREED)},
        # Both catalogues: a proposal made before a change of place still reads right.
        "rebond_ways": {w.key: w for w in (*content.REBOND_WAYS, *content.APART_REBOND_WAYS)},
        "rebond_offered": from_plan.rebond_ways(repair, machine.rebond_ways(current)),
        "settings_by_key": {o.key: o.label for o in (*content.SETTINGS, *content.APART_SETTINGS)},
        "postures_by_key": {o.key: o.label for o in (*content.POSTURES, *content.APART_POSTURES)},
    } | _apart_context(current)
    # Who on this screen may make each move now: the machine's answer, person by person.
    may = machine.screen_offers(current, on_screen)
    Action = machine.Action
    open_proposal = current.open_proposal
    if open_proposal is not None:
        context["open_proposal"] = open_proposal
        context["acceptors"] = may.who(Action.ACCEPT_PROPOSAL, open_proposal.pk)
    context["agreed_now"] = current.agreed_proposal
    context["requests"] = [
        {
            "request": r,
            "answers": r.answers_list,
            "answerers": may.who(Action.ANSWER_REQUEST, r.pk),
        }
        for r in current.requests
    ]
    context["proposers"] = may.who(Action.PROPOSE)
    context["requesters"] = may.who(Action.MAKE_REQUEST)
    context["affirmers"] = may.who(Action.AFFIRM)
    context["speaker_choosers"] = may.who(Action.CHOOSE_SPEAKER)
    context["agreement_adders"] = may.who(Action.ADD_AGREEMENT)
    context["considerers"] = may.who(Action.CONSIDER)
    context["done_here"] = may.who(Action.DONE_PHASE)
    context["clear_here"] = may.who(Action.ANSWER_CLEAR)
    context["next_here"] = may.who(Action.CHOOSE_NEXT)[:1]  # one choice for the screen
    context["rebond_here"] = may.who(Action.CONFIRM_REBOND)
    context["presence_choosers"] = may.who(Action.CHOOSE_PRESENCE)
    context["names"] = {p.pk: p.name for p in current.participants}
    if current.turn is not None:
        context["listener_here"] = may.anyone(Action.REFLECT_BACK, current.turn.pk)
        last = current.last_reflection
        context["speaker_here"] = last is not None and may.anyone(Action.ANSWER_REFLECTION, last.pk)
        context["sharer_here"] = may.anyone(Action.SHARE_TURN, current.turn.pk)
        # Apart, what the speaker typed: read through the one visibility rule.
        context["typed_share"] = visibility.typed_share(me, repair, current.turn)
        # Only what the speaker chose to bring: never an unbrought note, on any screen.
        context["brought"] = list(visibility.brought([current.turn.speaker]))
        context["prompt_text"] = {f"reflect:{p.key}": p.text for p in content.REFLECT_PROMPTS}
    if repair.phase == Phase.REQUESTS:
        context |= _reflections_to_hand(repair, me, on_screen)
    if repair.stage == Repair.Stage.COMPLETED and me.joined:
        context["summary"] = summary(repair)
    return context


def _apart_context(current: machine.Scene) -> dict[str, Any]:
    """Together or apart: what was said, and the options the machine offers for it."""
    return {
        "apart": machine.is_apart(current),
        "space_settings": machine.space_settings(current),
        "space_postures": machine.space_postures(current),
    }


def _reflections_to_hand(
    repair: Repair, me: Participation, on_screen: list[Participation]
) -> dict[str, Any]:
    """The step 4 reflections that may help while asking for things. A person's own
    screen shows them all their own; a screen shared with others shows only what each
    person there chose to bring (step 5 shares that anyway), never an unbrought note."""
    alone = len(on_screen) == 1
    if alone:
        entries = visibility.entries_seen_by(me, me, repair).filter(
            key__startswith=visibility.REFLECTION
        )
    else:
        entries = visibility.brought(on_screen)
    entries = entries.exclude(text="")
    order = {f"reflect:{p.key}": i for i, p in enumerate(content.REFLECT_PROMPTS)}
    by_person: dict[int, list[Entry]] = {}
    for entry in sorted(entries, key=lambda e: order.get(e.key, len(order))):
        by_person.setdefault(entry.participation_id, []).append(entry)
    return {
        "own_reflections_alone": alone,
        "own_reflections": [(p, by_person[p.pk]) for p in on_screen if p.pk in by_person],
        "prompt_text": {f"reflect:{p.key}": p.text for p in content.REFLECT_PROMPTS},
    }


def summary(repair: Repair) -> dict[str, Any]:
    participations = scene.participants(repair)
    intention = repair.proposals.filter(
        kind=Proposal.Kind.INTENTION, status=Proposal.Status.AGREED
    ).first()
    assert repair.completed_at is not None
    return {
        "took": repair.completed_at - repair.opened_at,
        "intention": intention.text if intention else "",
        "commitments": list(repair.commitments.order_by("pk")),
        "shared": [(p, list(visibility.brought([p]))) for p in participations],
        "prompt_text": {f"reflect:{p.key}": p.text for p in content.REFLECT_PROMPTS},
    }


def _render_stage(
    request: HttpRequest,
    repair: Repair,
    me: Participation,
    *,
    status: int = 200,
    moved: bool = True,
    **extra: Any,
) -> HttpResponse:
    """The whole repair screen (after a move, or a live redraw); the stage alone for an
    htmx request of just the stage. After a move (`moved`) the repair and the person
    are read again: the action changed its own copies."""
    if moved:
        repair.refresh_from_db(from_queryset=Repair.objects.select_related(*REPAIR_RELATED))
        if me.pk is not None:
            me.refresh_from_db(from_queryset=Participation.objects.select_related("user"))
    context = stage_context(request, repair, me) | extra
    template = "repairs/overview.html" if whole_screen(request) else "repairs/stage.html"
    return render_step(request, template, repair, me, context, status=status)


@require_GET
@repair_view
def stage(request: HttpRequest, repair: Repair, participation: Participation) -> HttpResponse:
    return _render_stage(request, repair, participation, moved=False)


Move = Callable[[HttpRequest, Repair, Participation, str], None]


def _target[T](model: type[T], raw: str | None, **lookups: Any) -> T:
    try:
        pk = int(raw or "")
    except ValueError:
        raise Http404 from None
    return get_object_or_404(model, pk=pk, **lookups)


def _begin(request: HttpRequest, repair: Repair, actor: Participation, phase: str) -> None:
    reengagement.begin(repair, actor)


def _start_early(request: HttpRequest, repair: Repair, actor: Participation, phase: str) -> None:
    reengagement.start_early(repair, actor)


def _consider(request: HttpRequest, repair: Repair, actor: Participation, phase: str) -> None:
    sealed = _valid(ConsiderForm(request.POST))["considerations"]
    reengagement.consider(repair, actor, sealed, phase)


def _done(request: HttpRequest, repair: Repair, actor: Participation, phase: str) -> None:
    reengagement.done_with_phase(repair, actor, phase)


def _propose(request: HttpRequest, repair: Repair, actor: Participation, phase: str) -> None:
    if phase == Phase.SPACE:
        current = scene.load(repair)  # the options the machine offers, together or apart
        form = SpaceForm(
            request.POST,
            settings=machine.space_settings(current),
            postures=machine.space_postures(current),
        )
        reengagement.propose(repair, actor, phase, **_valid(form))
    elif phase == Phase.REBOND:
        data = _valid(RebondForm(request.POST, ways=machine.rebond_ways(scene.load(repair))))
        reengagement.propose(repair, actor, phase, choice=data["choice"], text=data["text"])
    else:
        reengagement.propose(repair, actor, phase, text=_valid(TextForm(request.POST))["text"])


def _accept(request: HttpRequest, repair: Repair, actor: Participation, phase: str) -> None:
    proposal = _target(Proposal, request.POST.get("proposal"), repair=repair)
    reengagement.accept(repair, actor, proposal, phase)


def _agreement(request: HttpRequest, repair: Repair, actor: Participation, phase: str) -> None:
    reengagement.add_agreement(repair, actor, _valid(TextForm(request.POST))["text"], phase)


def _first_speaker(request: HttpRequest, repair: Repair, actor: Participation, phase: str) -> None:
    first = _target(Participation, request.POST.get("speaker"), repair=repair)
    reengagement.choose_first_speaker(repair, actor, first, phase)


def _reflect(request: HttpRequest, repair: Repair, actor: Participation, phase: str) -> None:
    turn = _target(Turn, request.POST.get("turn"), repair=repair)
    reengagement.reflect_back(repair, actor, turn, phase, **_valid(ReflectionForm(request.POST)))


def _answer_reflection(
    request: HttpRequest, repair: Repair, actor: Participation, phase: str
) -> None:
    reflection = _target(Reflection, request.POST.get("reflection"), turn__repair=repair)
    data = _valid(AnswerReflectionForm(request.POST))
    reengagement.answer_reflection(repair, actor, reflection, phase, **data)


def _request(request: HttpRequest, repair: Repair, actor: Participation, phase: str) -> None:
    data = _valid(RequestForm(request.POST))
    reengagement.make_request(repair, actor, data["text"], data["review_on"], phase)


def _answer_request(request: HttpRequest, repair: Repair, actor: Participation, phase: str) -> None:
    asked = _target(Request, request.POST.get("request"), repair=repair)
    reengagement.answer_request(
        repair, actor, asked, phase, **_valid(AnswerRequestForm(request.POST))
    )


def _clear(request: HttpRequest, repair: Repair, actor: Participation, phase: str) -> None:
    reengagement.answer_clear(repair, actor, request.POST.get("clear") == "yes", phase)


def _next(request: HttpRequest, repair: Repair, actor: Participation, phase: str) -> None:
    reengagement.choose_next(repair, actor, request.POST.get("next") == "listen", phase)


def _affirm(request: HttpRequest, repair: Repair, actor: Participation, phase: str) -> None:
    reengagement.affirm(repair, actor, _valid(TextForm(request.POST))["text"], phase)


def _rebonded(request: HttpRequest, repair: Repair, actor: Participation, phase: str) -> None:
    reengagement.confirm_rebond(repair, actor, phase)


def _presence(request: HttpRequest, repair: Repair, actor: Participation, phase: str) -> None:
    presence = _valid(PresenceForm(request.POST))["presence"]
    reengagement.choose_presence(repair, actor, presence, phase)


def _share(request: HttpRequest, repair: Repair, actor: Participation, phase: str) -> None:
    turn = _target(Turn, request.POST.get("turn"), repair=repair)
    reengagement.share_turn(repair, actor, turn, phase, _valid(ShareForm(request.POST))["text"])


MOVES: dict[str, Move] = {
    "begin": _begin,
    "start-early": _start_early,
    "consider": _consider,
    "done": _done,
    "propose": _propose,
    "accept": _accept,
    "agreement": _agreement,
    "first-speaker": _first_speaker,
    "reflect": _reflect,
    "answer-reflection": _answer_reflection,
    "request": _request,
    "answer-request": _answer_request,
    "clear": _clear,
    "next": _next,
    "affirm": _affirm,
    "rebonded": _rebonded,
    "presence": _presence,
    "share": _share,
}


@require_POST
@repair_view
def move(
    request: HttpRequest, repair: Repair, participation: Participation, name: str
) -> HttpResponse:
    handler = MOVES.get(name)
    if handler is None:
        raise Http404
    actor = actor_for(request, repair, participation)
    try:
        handler(request, repair, actor, request.POST.get("phase", ""))
    except Invalid as invalid:
        errors = [str(e) for errs in invalid.form.errors.values() for e in errs]
        return _render_stage(request, repair, participation, status=400, problem=" ".join(errors))
    except machine.SafetyFirst as first:
        if actor.pk != participation.pk:
            problem = _("%(name)s first answers a private question on their own device.") % {
                "name": actor.name
            }
            return _render_stage(request, repair, participation, status=409, problem=problem)
        raise first  # the safety question, from repair_view
    except machine.Refused as refused:
        if kept.replaying(request):
            raise  # a kept move: the replay says why, on the page it was made from
        return _render_stage(request, repair, participation, status=409, problem=refused.message)
    if request.htmx:
        return _render_stage(request, repair, participation)
    return to_overview(repair)

"""Steps 2-4, each person on their own: stabilize, honor the pain, reflect, get ready."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tend.core.http import posted
from tend.repairs import actions, content, machine
from tend.repairs.forms import EntryForm, MarksForm, PracticeForm, ReadinessForm
from tend.repairs.models import Participation, PracticeSession, Repair
from tend.repairs.views.common import render_step, repair_view, to_overview, to_step

Step = Participation.Step
Action = machine.Action

# Keys of the private answers a person may write, by where they write them.
HONOR_KEYS = {f"honor:{prompt.key}" for prompt in content.HONOR_PROMPTS}
REFLECT_KEYS = {f"reflect:{prompt.key}" for prompt in content.REFLECT_PROMPTS}


def _enter(request: HttpRequest, repair: Repair, participation: Participation, step: str) -> None:
    """This page's step. Opening it only shows the person there; a move made on it
    records it as where they are (reading a page never writes)."""
    if request.method == "POST":
        actions.go_to_step(repair, participation, step)
    else:
        machine.check(repair, participation, Action.GO_TO_STEP, target=step)
        participation.step = step  # for this page's step bar; not saved


@require_GET
@repair_view
def stabilize(request: HttpRequest, repair: Repair, participation: Participation) -> HttpResponse:
    """The practices, in the order that suits the person's state: the state is sealed, so
    the page carries it (as ciphertext) and the device puts the list in order."""
    _enter(request, repair, participation, Step.STABILIZE)
    return render_step(
        request,
        "repairs/stabilize.html",
        repair,
        participation,
        {
            "practices": content.practices_for("unsure"),
            "done": list(participation.practices.all()),
            "titles": {p.key: str(p.title) for p in content.PRACTICES},
        },
    )


@require_http_methods(["GET", "POST"])
@repair_view
def practice(
    request: HttpRequest, repair: Repair, participation: Participation, key: str
) -> HttpResponse:
    chosen = content.get_practice(key)
    if chosen is None:
        raise Http404
    _enter(request, repair, participation, Step.STABILIZE)
    form = PracticeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        session = actions.start_practice(repair, participation, form.cleaned_data["sealed"])
        return render_step(
            request,
            "repairs/practice.html",
            repair,
            participation,
            {"practice": chosen, "session": session, "after_form": PracticeForm()},
        )
    return render_step(
        request,
        "repairs/practice.html",
        repair,
        participation,
        {"practice": chosen, "before_form": form},
        400 if form.errors else 200,
    )


@require_POST
@repair_view
def practice_done(
    request: HttpRequest, repair: Repair, participation: Participation, session_id: int
) -> HttpResponse:
    session = get_object_or_404(PracticeSession, pk=session_id, participation=participation)
    form = PracticeForm(request.POST)
    if not form.is_valid():
        return render_step(
            request,
            "repairs/practice.html",
            repair,
            participation,
            {"practice": None, "session": session, "after_form": form},
            400,
        )
    _enter(request, repair, participation, Step.STABILIZE)
    actions.finish_practice(repair, participation, session, form.cleaned_data["sealed"])
    return to_step(repair, Step.STABILIZE)


def _writing_page(
    request: HttpRequest,
    repair: Repair,
    participation: Participation,
    step: str,
    *,
    failed: tuple[str, str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """Honor or reflect: each prompt with what the person wrote, sealed (their device
    opens it). `failed` is (key, text, message) for an answer that could not be saved."""
    prompts = content.HONOR_PROMPTS if step == Step.HONOR else content.REFLECT_PROMPTS
    entries = {e.key: e for e in participation.entries.filter(key__startswith=f"{step}:")}
    items = []
    for prompt in prompts:
        key = f"{step}:{prompt.key}"
        entry = entries.get(key)
        item = {"prompt": prompt, "entry": entry, "text": entry.text if entry else ""}
        if failed and failed[0] == key:
            item |= {"error": failed[2]}
        items.append(item)
    context: dict[str, object] = {"prompts": items, "markers": content.HONOR_MARKERS}
    if step == Step.REFLECT:
        context |= _readiness(repair, participation)
    return render_step(request, f"repairs/{step}.html", repair, participation, context, status)


def _readiness(repair: Repair, participation: Participation) -> dict[str, object]:
    """Where the person stands in reflecting: their answers so far (counted, never
    shown: the server cannot read them), how ready they feel (sealed: their device
    shows it), and whether "I am ready" is open to them now."""
    answers = participation.entries.filter(key__in=REFLECT_KEYS).exclude(text="")
    return {
        "prompt_count": len(REFLECT_KEYS),
        "answered_count": answers.count(),
        "brought_count": answers.filter(bring=True).count(),
        "checks": content.READINESS_CHECKS,
        "all_note": content.READINESS_ALL,
        "not_yet_note": content.READINESS_NOT_YET,
        "ready_refusal": machine.refusal(repair, participation, Action.MARK_READY),
    }


@require_GET
@repair_view
def honor(request: HttpRequest, repair: Repair, participation: Participation) -> HttpResponse:
    _enter(request, repair, participation, Step.HONOR)
    return _writing_page(request, repair, participation, Step.HONOR)


@require_GET
@repair_view
def reflect(request: HttpRequest, repair: Repair, participation: Participation) -> HttpResponse:
    _enter(request, repair, participation, Step.REFLECT)
    return _writing_page(request, repair, participation, Step.REFLECT)


@require_POST
@repair_view
def save_entry(
    request: HttpRequest, repair: Repair, participation: Participation, key: str
) -> HttpResponse:
    """Autosave of one answer while it is typed, and the plain form's Save button."""
    if key not in HONOR_KEYS | REFLECT_KEYS:
        raise Http404
    step = key.split(":", 1)[0]
    form = EntryForm(request.POST)
    if not form.is_valid():
        if request.htmx:
            return render(request, "repairs/saved.html", {"form": form}, status=400)
        message = " ".join(str(e) for errors in form.errors.values() for e in errors)
        failed = (key, "", message)
        return _writing_page(request, repair, participation, step, failed=failed, status=400)
    _enter(request, repair, participation, step)
    bring = form.cleaned_data["bring"] if key in REFLECT_KEYS else None
    actions.write_entry(
        repair,
        participation,
        key,
        form.cleaned_data["text"],
        bring=bring,
        shared=form.cleaned_data["shared"],
    )
    if request.htmx:
        response = render(request, "repairs/saved.html", {"form": form})
        if key in REFLECT_KEYS:  # and the count at the top of the page, out of band
            standing = _readiness(repair, participation) | {"oob": True}
            response.content += render_to_string(
                "repairs/reflect.html#standing", standing, request
            ).encode()
        return response
    return to_step(repair, step)


@require_POST
@repair_view
def marks(request: HttpRequest, repair: Repair, participation: Participation) -> HttpResponse:
    _enter(request, repair, participation, Step.HONOR)
    form = MarksForm(request.POST)
    if not form.is_valid():
        return render(request, "repairs/saved.html", {"form": form}, status=400)
    if "marks" in request.POST:  # the plain button alone goes on, changing nothing
        actions.set_marks(repair, participation, marks=form.cleaned_data["marks"])
    if request.htmx:
        return render(request, "repairs/saved.html", {"form": form})
    return to_step(repair, Step.REFLECT)


@require_POST
@repair_view
def readiness(request: HttpRequest, repair: Repair, participation: Participation) -> HttpResponse:
    _enter(request, repair, participation, Step.REFLECT)
    form = ReadinessForm(request.POST)
    if not form.is_valid():
        return render(request, "repairs/saved.html", {"form": form}, status=400)
    actions.set_marks(repair, participation, readiness=form.cleaned_data["readiness"])
    if request.htmx:
        return render(request, "repairs/saved.html", {"form": form})
    return to_step(repair, Step.REFLECT)


@require_POST
@repair_view
def ready(request: HttpRequest, repair: Repair, participation: Participation) -> HttpResponse:
    wanted = request.POST.get("ready") == "yes"
    _enter(request, repair, participation, Step.REFLECT)
    if wanted != participation.ready:  # a double tap changes nothing
        actions.mark_ready(repair, participation, wanted)
    return to_overview(repair) if wanted else to_step(repair, Step.REFLECT)

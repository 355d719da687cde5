import re

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tend.care import gentle, helplines, safety
from tend.care.forms import SafetyForm
from tend.core.http import safe_next
from tend.gardens.access import get_membership_for

KEPT_MARK = re.compile(r"[A-Za-z0-9_-]{1,64}")
# Longer than any field the process offers; a check of more would only be slow.
GENTLE_MAX_CHARS = 10_000


@login_not_required
@require_GET
def help_page(request: HttpRequest) -> HttpResponse:
    """Help lines for the chosen country, reachable by anyone, signed in or not."""
    book = helplines.load()
    error = ""
    status = 200
    if "country" in request.GET:
        code = request.GET["country"].strip().upper()
        country = book.get(code)
        if code and country is None:
            error = _(
                "We do not have lines for that country yet. Choose one from the list, or "
                "use one of the international directories below."
            )
            status = 400
        else:
            # An empty choice forgets the country.
            helplines.remember(request, country)
    return render(
        request,
        "care/help.html",
        {
            "book": book,
            # In the alphabet of the page's language.
            "countries": sorted(book.countries, key=lambda c: c.shown_name.casefold()),
            "country": helplines.chosen(request),
            "error": error,
        },
        status=status,
    )


@require_POST
def gentle_check(request: HttpRequest) -> HttpResponse:
    """The gentle-language check for one text field, as a fragment (empty when all is well).

    Posts `text`, or the field named by `field` (so a textarea wired with htmx inside any
    form works). Nothing is stored or logged: the text lives only for this request.
    """
    field = request.POST.get("field") or "text"
    text = request.POST.get(field, "")
    if len(text) > GENTLE_MAX_CHARS:
        return render(
            request,
            "care/gentle.html#flags",
            {"too_long": True, "max_chars": GENTLE_MAX_CHARS},
            status=400,
        )
    groups = gentle.grouped(gentle.check(text))
    return render(request, "care/gentle.html#flags", {"groups": groups})


@require_http_methods(["GET", "POST"])
def safety_check(request: HttpRequest, relationship_id: int) -> HttpResponse:
    """The private question before any shared step, changeable at any time."""
    relationship = get_membership_for(request.user, relationship_id).relationship
    next_url = safe_next(request) or ""
    # An opaque mark of a move the question interrupted; only its owner's hook reads it.
    kept = request.POST.get("kept") or request.GET.get("kept") or ""
    if not KEPT_MARK.fullmatch(kept):
        kept = ""
    status = 200
    form = SafetyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            # The answer arrives sealed on the device; the server learns only that the
            # person answered, and, when they go on to the move they were making, that.
            safety.record(request.user, relationship, form.cleaned_data["sealed"])
            going_on = form.cleaned_data["proceed"]
            carried_out = safety.answered(request, relationship.pk, going_on)
            if going_on:
                return carried_out or redirect(
                    next_url or reverse("relationship", args=[relationship.pk])
                )
            kept = ""
        else:
            status = 400
    return render(
        request,
        "care/safety.html",
        {
            "relationship": relationship,
            "sealed": safety.sealed(request.user.pk, relationship.pk),
            "country": helplines.chosen(request),
            "next": next_url,
            "kept": kept,
            "form": form,
            "missing": status == 400,
        },
        status=status,
    )


@require_GET
def safety_sealed(request: HttpRequest, relationship_id: int) -> JsonResponse:
    """The person's own sealed answer, for their device to act on (only theirs: it is
    read by the signed-in person's id, for a relationship they are a member of)."""
    relationship = get_membership_for(request.user, relationship_id).relationship
    response = JsonResponse({"sealed": safety.sealed(request.user.pk, relationship.pk)})
    response["Cache-Control"] = "no-store"
    return response

"""The garden page of a relationship (its members' shared patterns) and a person's own
patterns page. Both only read."""

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tend.gardens.access import get_membership_for
from tend.gardens.models import Membership
from tend.patterns import garden, personal

PANEL = "patterns/relationship_panel.html"


def panel(request: HttpRequest, membership: Membership) -> dict[str, Any]:
    return {}


@require_GET
def garden_page(request: HttpRequest, relationship_id: int) -> HttpResponse:
    membership = get_membership_for(request.user, relationship_id)
    return render(
        request,
        "patterns/garden.html",
        {"relationship": membership.relationship, "charts": garden.charts_for(membership)},
    )


@require_GET
def my_patterns(request: HttpRequest) -> HttpResponse:
    # The signed-in person's own page: there is no id to ask for anyone else's.
    return render(
        request,
        "patterns/mine.html",
        {
            "charts": personal.charts_for(request.user),
            "has_sealed": bool(personal.sealed_sessions(request.user)),
        },
    )


@require_GET
def my_sealed_practices(request: HttpRequest) -> JsonResponse:
    """The signed-in person's OWN practices, as ciphertext with the additional data they
    were sealed with, for their device to open and draw (patterns-private.js)."""
    return JsonResponse(
        {
            "sessions": personal.sealed_sessions(request.user),
            "titles": personal.practice_titles(),
        },
        headers={"Cache-Control": "no-store, private"},
    )

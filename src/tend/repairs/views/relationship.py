"""Repairs' panels on a relationship's page (tend.gardens.panels): the call-out to open
or go to a repair, and the commitments."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tend.core.prepared import Prepared
from tend.gardens.access import get_membership_for
from tend.gardens.models import Membership
from tend.repairs.access import open_repair_of
from tend.repairs.models import Commitment

REPAIR_PANEL = "repairs/relationship_repair.html"
COMMITMENTS_PANEL = "repairs/relationship_commitments.html"


def repair_panel(request: HttpRequest, membership: Membership) -> dict[str, Any]:
    return {"open_repair": open_repair_of(membership.relationship_id)}


# On every relationship page: its SQL compiled once (tend.core.prepared).
_active_commitments = Prepared(
    lambda relationship_id: Commitment.objects.filter(
        relationship_id=relationship_id, status=Commitment.Status.ACTIVE
    )[:5]
)


def commitments_panel(request: HttpRequest, membership: Membership) -> dict[str, Any]:
    # The past repairs are the history's panel (tend.history).
    return {"commitments": _active_commitments(membership.relationship_id)}


@require_GET
def repair_callout(request: HttpRequest, relationship_id: int) -> HttpResponse:
    """The call-out alone, re-fetched live when a repair opens, closes or completes."""
    membership = get_membership_for(request.user, relationship_id)
    context = {"relationship": membership.relationship} | repair_panel(request, membership)
    return render(request, REPAIR_PANEL, context)

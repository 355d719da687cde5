"""A proposed or agreed time as a calendar file (the file itself is notify's)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.defaults import page_not_found

from tend.gardens.access import get_membership_for
from tend.notify import calendar
from tend.notify.quiet import zone_of
from tend.repairs.models import ReconvenePlan

LARGEST_ID = 2**63 - 1


@require_GET
def plan_calendar(
    request: HttpRequest, relationship_id: int, repair_id: int, plan_id: int
) -> HttpResponse:
    """A calendar file for a proposed or agreed time (not one replaced since)."""
    try:
        get_membership_for(request.user, relationship_id)
    except Http404 as missing:
        # Answered, not raised: the access matrix opens this file with the async test
        # client, where a 404 raised by a sync view keeps a pooled PostgreSQL
        # connection checked out until the end of the run.
        return page_not_found(request, missing)
    if max(repair_id, plan_id) > LARGEST_ID:
        # The URL takes any number of digits; the database driver cannot hold more.
        return page_not_found(request, Http404())
    plan = (
        ReconvenePlan.objects.filter(
            pk=plan_id, repair_id=repair_id, repair__relationship_id=relationship_id
        )
        .exclude(status=ReconvenePlan.Status.REPLACED)
        .first()
    )
    if plan is None:
        return page_not_found(request, Http404())
    return calendar.response(
        calendar.ics(
            uid=f"plan-{plan.pk}",
            start=plan.meet_at,
            place=plan.place,
            path=reverse("repair", args=[relationship_id, plan.repair_id]),
            confirmed=plan.status == ReconvenePlan.Status.AGREED,
            zone=zone_of(request.user),
            language=request.user.speaks,  # type: ignore[union-attr]
        )
    )

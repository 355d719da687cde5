"""One screen, side by side: who this device may act for in step 5.

A device acts for its signed-in member, and for the people added to it for this
repair: guests (named people without an account) and other members who proved
they are present by typing their own password here. The list lives in this
device's session only, so another phone can never act for them.
"""

from django.http import Http404, HttpRequest

from tend.repairs.machine import Scene
from tend.repairs.models import Participation, Repair


def _key(repair: Repair) -> str:
    return f"tend.screen.{repair.pk}"


def added(request: HttpRequest, repair: Repair) -> list[int]:
    return [int(pk) for pk in request.session.get(_key(repair), [])]


def add(request: HttpRequest, repair: Repair, participation: Participation) -> None:
    people = added(request, repair)
    if participation.pk not in people:
        request.session[_key(repair)] = [*people, participation.pk]


def clear(request: HttpRequest, repair: Repair) -> None:
    request.session.pop(_key(repair), None)


def actor_for(request: HttpRequest, repair: Repair, me: Participation) -> Participation:
    """Whom a move is made for: the `as` field names one of the people on this screen."""
    raw = request.POST.get("as", "")
    if not raw or raw == str(me.pk):
        return me
    try:
        pk = int(raw)
    except ValueError:
        raise Http404 from None
    if pk not in added(request, repair):
        raise Http404
    try:
        return repair.participations.select_related("user").get(pk=pk)
    except Participation.DoesNotExist:
        raise Http404 from None


def screen_people(request: HttpRequest, scene: Scene, me: Participation) -> list[Participation]:
    """Everyone this screen speaks for, the signed-in member first."""
    ids = set(added(request, scene.repair))
    return [me, *(p for p in scene.participants if p.pk in ids and p.pk != me.pk)]

"""A shared move the private safety question interrupted: kept for its owner alone, and
carried out once they answer that they feel safe (PROCESS.md, "Before any shared step").

The move waits in the person's own session, encrypted like everything else they write,
and is never logged. It is carried out by resolving the same view again with the kept
data, so every check runs again on the state of now: membership, the state machine,
the form. A move that is no longer possible is refused with the machine's own words;
on "not safe" the move is dropped and nothing is recorded.
"""

import copy
import json
import secrets
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from tend.core import crypto
from tend.repairs import machine
from tend.repairs.models import NeedRequest

SESSION_KEY = "repairs_kept_move"
# Only the shared moves are kept: never a form that holds a password (the one-screen
# sign-in) and never a personal step, which the question does not interrupt.
KEPT_ROUTES = frozenset(
    {
        "repair_voice",
        "repair_needs",
        "repair_acknowledge_need",
        "repair_plan",
        "repair_accept_plan",
        "repair_ready",
        "repair_move",
    }
)
# More than any move's fields hold together; a larger post is not kept at all.
MAX_CHARS = 8_000
_REPLAYING = "_tend_replaying_kept_move"


def keep(request: HttpRequest, relationship_id: int, back: str) -> str | None:
    """Keeps the interrupted POST and returns the mark that the safety form carries
    back; None when this request is not a move that may be kept."""
    match = request.resolver_match
    if request.method != "POST" or match is None or match.url_name not in KEPT_ROUTES:
        return None
    data = {key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"}
    move = json.dumps({"path": request.path, "data": data, "back": back})
    if len(move) > MAX_CHARS:
        return None
    mark = secrets.token_urlsafe(16)
    request.session[SESSION_KEY] = {
        "mark": mark,
        "relationship": relationship_id,
        "move": crypto.encrypt(move),
    }
    return mark


def replaying(request: HttpRequest) -> bool:
    """Whether this request carries out a kept move (its refusals are said by `replay`)."""
    return getattr(request, _REPLAYING, False)


def after_safety_answer(
    request: HttpRequest, relationship_id: int, feels_safe: bool
) -> HttpResponse | None:
    """The hook the safety question calls after every answer (see `tend.care.safety`).

    The kept move is taken out of the session whatever the answer: carried out on
    "safe" when the form carries its mark, dropped silently otherwise."""
    stored = request.session.get(SESSION_KEY)
    if not isinstance(stored, dict) or stored.get("relationship") != relationship_id:
        return None
    del request.session[SESSION_KEY]
    if not feels_safe or request.POST.get("kept") != stored.get("mark"):
        return None
    move = json.loads(crypto.decrypt(stored["move"]))
    return replay(request, relationship_id, move["path"], move["data"], move["back"])


def replay(
    request: HttpRequest, relationship_id: int, path: str, data: dict[str, list[str]], back: str
) -> HttpResponse | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.url_name not in KEPT_ROUTES or match.kwargs.get("relationship_id") != relationship_id:
        return None
    again = _request_for(request, match, path, data)
    try:
        response: HttpResponse = match.func(again, *match.args, **match.kwargs)
    except machine.Refused as refused:
        messages.warning(request, refused.message)
        return redirect(back)
    except Http404:
        response = HttpResponse(status=404)
    if response.status_code in {301, 302, 303}:
        done = _done(match, data)
        if done:
            messages.success(request, done)
        return response
    messages.warning(
        request, _("That could not be done as it was. Please have a look and try again.")
    )
    return redirect(back)


def _request_for(
    request: HttpRequest, match: ResolverMatch, path: str, data: dict[str, list[str]]
) -> HttpRequest:
    """The safety form's request (same person, session, messages; CSRF already checked),
    made to carry the kept move instead."""
    again = copy.copy(request)
    again.POST = QueryDict(urlencode(data, doseq=True))
    again.GET = QueryDict()
    again.path = again.path_info = path
    again.META = {**request.META, "PATH_INFO": path, "QUERY_STRING": ""}
    again.resolver_match = match
    setattr(again, _REPLAYING, True)
    return again


def _done(match: ResolverMatch, data: dict[str, Any]) -> str:
    """What a kept move did, for the moves whose own page says nothing of it."""
    name = match.url_name
    if name == "repair_acknowledge_need":
        need = NeedRequest.objects.select_related("author").filter(pk=match.kwargs["need_id"])
        author = next((n.author for n in need), None)
        if author is not None:
            return _("Done: you said you hear what %(name)s needs.") % {"name": author.display_name}
        return _("Done: you said you hear what they need.")
    if name == "repair_accept_plan":
        return _("Done: you said the time works for you.")
    if name == "repair_ready":
        if data.get("ready") == ["yes"]:
            return _("Done: you are marked ready to come back together.")
        return ""
    if name == "repair_move":
        return _("Done: what you chose is on the shared screen.")
    return ""  # giving voice, asking, proposing a time: their pages say it already

"""The first-run walk through the five steps: why each one is there, in a minute.

Offered once, from a person's first repair (a note at the top of it, with a one-tap
"skip"), and findable later from Help. Seeing it through or skipping it marks it seen
for the person (not the device), through accounts' own action.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from tend.accounts.actions import mark_walkthrough_seen
from tend.repairs import content


def _next(request: HttpRequest) -> str:
    """Where to go on: the page it was reached from when that is this site, else home."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted.startswith("/") and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return "/"


@require_http_methods(["GET", "HEAD", "POST"])
def walk(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        mark_walkthrough_seen(request.user)  # type: ignore[arg-type]
        return redirect(_next(request))
    whys = {why.key: why for why in content.WHYS}
    steps = [(step, whys.get(step.key)) for step in content.STEPS]
    context = {
        "title": content.WALK_TITLE,
        "intro": content.WALK_INTRO,
        "steps": steps,
        "next": _next(request),
    }
    return render(request, "repairs/walk.html", context)

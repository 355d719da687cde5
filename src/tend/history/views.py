"""The history of a relationship's repairs: the list, one repair's record, and the
moves on it (a note of what was learned, a theme, sharing with a later member).

Every view goes through the one membership helper (404 for anyone else) and reads
past repairs only through `tend.history.records`, which asks `repairs.visibility`.
"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tend.accounts.models import User
from tend.core.http import posted
from tend.gardens.access import get_membership_for
from tend.gardens.models import Membership
from tend.history import actions, records
from tend.history.forms import NoteForm, ThemeForm
from tend.history.models import LearnedNote, Theme
from tend.repairs.machine import Refused
from tend.repairs.models import PastShare

PANEL = "history/panel.html"
LATEST = 3  # past repairs on the relationship's page


def panel(request: HttpRequest, membership: Membership) -> dict[str, Any]:
    return {"history_latest": records.history(membership, limit=LATEST)}


@require_GET
def history_panel(request: HttpRequest, relationship_id: int) -> HttpResponse:
    """The panel alone, re-fetched live when a repair ends or a theme changes."""
    membership = get_membership_for(request.user, relationship_id)
    context = {"relationship": membership.relationship} | panel(request, membership)
    return render(request, PANEL, context)


@require_GET
def history(request: HttpRequest, relationship_id: int) -> HttpResponse:
    membership = get_membership_for(request.user, relationship_id)
    return render(
        request,
        "history/history.html",
        {"relationship": membership.relationship, "history": records.history(membership)},
    )


def _past(
    request: HttpRequest, relationship_id: int, repair_id: int
) -> tuple[Membership, records.Past]:
    membership = get_membership_for(request.user, relationship_id)
    past = records.past_of(membership, repair_id)
    if past is None:
        raise Http404
    return membership, past


def _shares(past: records.Past, user: User) -> list[dict[str, Any]]:
    """For someone who took part: each member it could be shown to, who agreed so far."""
    consents: dict[int, set[int]] = {}
    for share in PastShare.objects.filter(repair=past.repair):
        consents.setdefault(share.member_id, set()).add(share.by_id)
    found = []
    for member in actions.share_candidates(past.repair):
        agreed = consents.get(member.pk, set())
        found.append(
            {
                "member": member,
                "agreed": [p.name for p in past.people if p.user_id in agreed],
                "mine": user.pk in agreed,
                "shared": all(p.user_id in agreed for p in past.people),
            }
        )
    return found


def _render_record(
    request: HttpRequest,
    membership: Membership,
    past: records.Past,
    *,
    status: int = 200,
    theme_form: ThemeForm | None = None,
    refused: str = "",
) -> HttpResponse:
    user = request.user
    took_part = any(p.user_id == user.pk for p in past.people)
    context: dict[str, Any] = {
        "relationship": membership.relationship,
        "past": past,
        "repair": past.repair,
        "took_part": took_part,
        "refused": refused,
    }
    if past.readable:
        context["record"] = records.shared_record(past)
    if took_part:
        pending = context["record"]["pending_theme"]
        context |= {
            "theme_form": theme_form or ThemeForm(),
            "may_agree": pending is not None
            and not pending.accepted_by.filter(pk=user.pk).exists(),
            "shares": _shares(past, user),
        }
    return render(request, "history/record.html", context, status=status)


@require_GET
def record(request: HttpRequest, relationship_id: int, repair_id: int) -> HttpResponse:
    membership, past = _past(request, relationship_id, repair_id)
    return _render_record(request, membership, past)


@require_http_methods(["GET", "POST"])
def note(request: HttpRequest, relationship_id: int, repair_id: int) -> HttpResponse:
    """One's own "what we learned", to add, change, or leave."""
    membership, past = _past(request, relationship_id, repair_id)
    if not past.completed or not any(p.user_id == request.user.pk for p in past.people):
        raise Http404
    mine = LearnedNote.objects.filter(repair=past.repair, author=request.user).first()
    initial = {"helped": mine.helped, "next_time": mine.next_time} if mine else {}
    form = NoteForm(posted(request), initial=initial)
    status, refused = 200, ""
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.save_note(past.repair, request.user, **form.cleaned_data)
            except Refused as refusal:
                status, refused = 409, refusal.message  # the words stay in the form
            else:
                return redirect("history_record", relationship_id, repair_id)
        else:
            status = 400
    context = {"relationship": membership.relationship, "past": past, "form": form}
    return render(request, "history/note.html", context | {"refused": refused}, status=status)


def _move(request: HttpRequest, relationship_id: int, repair_id: int, act: Any) -> HttpResponse:
    """Runs one move on the record; a refusal shows the record with its message (409)."""
    membership, past = _past(request, relationship_id, repair_id)
    try:
        act(past)
    except Refused as refusal:
        return _render_record(request, membership, past, status=409, refused=refusal.message)
    except _Invalid as invalid:
        return _render_record(request, membership, past, status=400, **invalid.context)
    return redirect("history_record", relationship_id, repair_id)


class _Invalid(Exception):
    def __init__(self, **context: Any) -> None:
        self.context = context


@require_POST
def theme(request: HttpRequest, relationship_id: int, repair_id: int) -> HttpResponse:
    def act(past: records.Past) -> None:
        form = ThemeForm(request.POST)
        if not form.is_valid():
            raise _Invalid(theme_form=form)
        actions.propose_theme(past.repair, request.user, form.cleaned_data["text"])

    return _move(request, relationship_id, repair_id, act)


@require_POST
def theme_agree(
    request: HttpRequest, relationship_id: int, repair_id: int, theme_id: int
) -> HttpResponse:
    def act(past: records.Past) -> None:
        found = (
            Theme.objects.filter(pk=theme_id, repair=past.repair).first()
            if theme_id < 2**63
            else None
        )
        if found is None:
            raise _Invalid(refused=_("That theme is not part of this repair."))
        actions.agree_theme(past.repair, request.user, found)

    return _move(request, relationship_id, repair_id, act)


def _member(request: HttpRequest, relationship_id: int) -> User:
    raw = request.POST.get("member", "")
    member = (
        User.objects.filter(
            pk=int(raw), membership__relationship_id=relationship_id, membership__left_at=None
        ).first()
        if raw.isdigit() and len(raw) < 19
        else None
    )
    if member is None:
        raise _Invalid(refused=_("Please choose someone in this relationship."))
    return member


@require_POST
def share(request: HttpRequest, relationship_id: int, repair_id: int) -> HttpResponse:
    def act(past: records.Past) -> None:
        actions.agree_to_share(past.repair, request.user, _member(request, relationship_id))

    return _move(request, relationship_id, repair_id, act)


@require_POST
def share_withdraw(request: HttpRequest, relationship_id: int, repair_id: int) -> HttpResponse:
    def act(past: records.Past) -> None:
        actions.withdraw_share(past.repair, request.user, _member(request, relationship_id))

    return _move(request, relationship_id, repair_id, act)

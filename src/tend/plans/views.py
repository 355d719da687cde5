"""The relationship's repair plan: read it, propose a change, answer one; its panel."""

from typing import Any

from django.contrib import messages
from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tend.accounts.models import User
from tend.core.prepared import Prepared
from tend.gardens.access import current_members, get_membership_for
from tend.gardens.models import Membership, Relationship
from tend.plans import actions, catalogue, reading
from tend.plans.forms import PlanForm
from tend.plans.models import OfferSetAside, PlanAnswer, PlanVersion

PANEL = "plans/panel.html"


def _initial(version: PlanVersion | None, user: User) -> dict[str, Any]:
    if version is None:
        return {}
    own = version.needs.filter(user=user).first()
    return {
        "flooded_word": version.flooded_word,
        "places": "\n".join(version.place_lines),
        "agreements": "\n".join(version.agreement_lines),
        "rebond_ways": version.rebond_ways,
        "needs": own.needs if own else [],
        "minutes": own.minutes if own and own.minutes else "",
    }


def _history(membership: Membership) -> list[PlanVersion]:
    """Versions proposed since the person joined; the plan itself they always see."""
    return list(
        PlanVersion.objects.filter(
            relationship_id=membership.relationship_id, proposed_at__gte=membership.joined_at
        )
        .exclude(status=PlanVersion.Status.PENDING)
        .select_related("proposed_by")
    )


def _page(
    request: HttpRequest,
    membership: Membership,
    form: PlanForm | None = None,
    status: int = 200,
) -> HttpResponse:
    relationship = membership.relationship
    members = list(current_members(relationship))
    plan = actions.agreed(relationship.pk)
    waiting = actions.pending(relationship.pk)
    if form is None:
        form = PlanForm(initial=_initial(waiting or plan, request.user))
    mine = waiting.answers.filter(user=request.user).first() if waiting else None
    context = {
        "relationship": relationship,
        "plan": reading.shown(plan, members) if plan else None,
        "waiting": reading.shown(waiting, members) if waiting else None,
        "answered": mine is not None,
        "history": [reading.shown(v, members) for v in _history(membership) if v != plan],
        "form": form,
        "open_form": bool(form.errors) or (plan is None and waiting is None),
    }
    return render(request, "plans/plan.html", context, status=status)


@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, relationship_id: int) -> HttpResponse:
    """The plan as agreed, a change waiting for answers, the form to propose one, and
    the history. A POST proposes; an error keeps what was typed, with a 400."""
    membership = get_membership_for(request.user, relationship_id)
    if request.method == "GET":
        return _page(request, membership)
    form = PlanForm(request.POST)
    if not form.is_valid():
        return _page(request, membership, form, 400)
    version = actions.propose(request.user, membership.relationship, form.draft())
    if version.status == PlanVersion.Status.AGREED:
        messages.success(request, _("Your plan is saved."))
    else:
        messages.success(
            request, _("Your change is with the others. It counts once everyone agrees.")
        )
    return redirect("relationship_plan", relationship_id)


@require_POST
def answer(request: HttpRequest, relationship_id: int, version_id: int) -> HttpResponse:
    membership = get_membership_for(request.user, relationship_id)
    get_object_or_404(PlanVersion, pk=version_id, relationship_id=relationship_id)
    choice = request.POST.get("answer")
    if choice not in {"agree", "decline"}:
        messages.error(request, _("Please choose: agree, or not this one."))
        return _page(request, membership, status=400)
    try:
        version = actions.answer(
            request.user, membership.relationship, version_id, choice == "agree"
        )
    except actions.Refused as refused:
        messages.info(request, str(refused))
        return _page(request, membership, status=409)
    if version.status == PlanVersion.Status.AGREED:
        messages.success(request, _("Everyone agreed. This is your plan now."))
    elif choice == "decline":
        messages.success(request, _("Thank you for saying so. The plan stays as it was."))
    else:
        messages.success(request, _("Thank you. It counts once everyone agrees."))
    return redirect("relationship_plan", relationship_id)


@require_POST
def not_now(request: HttpRequest, relationship_id: int) -> HttpResponse:
    """The offer to make a plan goes away for this person, for good."""
    membership = get_membership_for(request.user, relationship_id)
    actions.set_offer_aside(request.user, membership.relationship)
    return redirect(reverse("relationship", args=[relationship_id]))


def _newest(status: str) -> Subquery:
    versions = PlanVersion.objects.filter(relationship=OuterRef("pk"), status=status)
    return Subquery(versions.order_by("-proposed_at", "-pk").values("pk")[:1])


# On every relationship page: its SQL compiled once (tend.core.prepared).
_panel = Prepared(
    lambda relationship_id, user_id: (
        Relationship.objects.filter(pk=relationship_id)
        .annotate(
            agreed_id=_newest(PlanVersion.Status.AGREED),
            pending_id=_newest(PlanVersion.Status.PENDING),
            set_aside=Exists(
                OfferSetAside.objects.filter(relationship=OuterRef("pk"), user_id=user_id)
            ),
            repaired=catalogue.has_repaired(),
        )
        .values("agreed_id", "pending_id", "set_aside", "repaired")
    )
)


_NO_PLAN = {"agreed_id": None, "pending_id": None, "set_aside": True, "repaired": False}


def panel_context(request: HttpRequest, membership: Membership) -> dict[str, Any]:
    """The plan in short; else a change waiting; else, once the relationship has come
    through a repair, one offer to make a plan, until the person says "Not now".
    One query on a relationship's page without a plan, two with one."""
    # None only if the relationship went meanwhile: then there is nothing to show.
    found = _panel.one(membership.relationship_id, request.user.pk) or _NO_PLAN
    ids = [pk for pk in (found["agreed_id"], found["pending_id"]) if pk is not None]
    versions = (
        {
            v.pk: v
            for v in PlanVersion.objects.filter(pk__in=ids).annotate(
                answered=Exists(
                    PlanAnswer.objects.filter(version=OuterRef("pk"), user=request.user)
                )
            )
        }
        if ids
        else {}
    )
    waiting = versions.get(found["pending_id"])
    return {
        "repair_plan": versions.get(found["agreed_id"]),
        "repair_plan_waiting": waiting,
        "repair_plan_mine_to_answer": waiting is not None and not waiting.answered,
        "repair_plan_offer": not ids and found["repaired"] and not found["set_aside"],
    }


@require_GET
def panel(request: HttpRequest, relationship_id: int) -> HttpResponse:
    """The panel alone, re-fetched live when the plan changes or members come and go."""
    membership = get_membership_for(request.user, relationship_id)
    return render(
        request,
        PANEL,
        {"relationship": membership.relationship} | panel_context(request, membership),
    )

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tend.core.http import posted
from tend.gardens import actions, panels
from tend.gardens.access import current_members, get_membership_for, relationships_of
from tend.gardens.forms import RelationshipForm
from tend.gardens.models import INVITATION_SALT, Invitation, Relationship


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "gardens/home.html", {"relationships": relationships_of(request.user)})


@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    form = RelationshipForm(posted(request))
    if request.method == "POST":
        if form.is_valid():
            relationship = actions.create_relationship(request.user, **form.cleaned_data)
            return redirect("relationship", relationship_id=relationship.pk)
        return render(request, "gardens/create.html", {"form": form}, status=400)
    return render(request, "gardens/create.html", {"form": form})


def _page_context(request: HttpRequest, relationship: Relationship) -> dict[str, object]:
    """What gardens itself shows: the members and the person's own links that still work."""
    return {
        "relationship": relationship,
        "members": current_members(relationship),
        "invitations": relationship.invitations.open()
        .filter(created_by=request.user)
        .order_by("-created_at"),
    }


@require_GET
def detail(request: HttpRequest, relationship_id: int) -> HttpResponse:
    membership = get_membership_for(request.user, relationship_id)
    context = _page_context(request, membership.relationship) | panels.for_page(request, membership)
    return render(request, "gardens/detail.html", context)


@require_GET
def members(request: HttpRequest, relationship_id: int) -> HttpResponse:
    relationship = get_membership_for(request.user, relationship_id).relationship
    return render(request, "gardens/detail.html#members", _page_context(request, relationship))


@require_POST
def invite(request: HttpRequest, relationship_id: int) -> HttpResponse:
    membership = get_membership_for(request.user, relationship_id)
    relationship = membership.relationship
    invitation = actions.create_invitation(request.user, relationship)
    context = _page_context(request, relationship) | {"new_invitation": invitation}
    if request.htmx:
        return render(request, "gardens/detail.html#invitations", context)
    context |= panels.for_page(request, membership)
    return render(request, "gardens/detail.html", context)


@require_POST
def revoke(request: HttpRequest, relationship_id: int, invitation_id: int) -> HttpResponse:
    relationship = get_membership_for(request.user, relationship_id).relationship
    invitation = get_object_or_404(
        Invitation, pk=invitation_id, relationship=relationship, created_by=request.user
    )
    actions.revoke_invitation(request.user, invitation)
    if request.htmx:
        return render(
            request, "gardens/detail.html#invitations", _page_context(request, relationship)
        )
    messages.success(request, _("The link no longer works."))
    return redirect("relationship", relationship_id=relationship.pk)


@require_http_methods(["GET", "POST"])
def leave(request: HttpRequest, relationship_id: int) -> HttpResponse:
    relationship = get_membership_for(request.user, relationship_id).relationship
    if request.method == "POST":
        actions.leave_relationship(request.user, relationship)
        messages.success(request, _("You have left %(name)s.") % {"name": relationship.name})
        return redirect("home")
    return render(request, "gardens/leave.html", {"relationship": relationship})


def _invitation_from(token: str) -> Invitation:
    try:
        invitation_id = signing.loads(token, salt=INVITATION_SALT)
    except signing.BadSignature:
        raise Http404 from None
    return get_object_or_404(
        Invitation.objects.select_related("relationship", "created_by"), pk=invitation_id
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _invitation_from(token)
    problem = actions.unavailable_reason(invitation)
    already_member = (
        request.user.is_authenticated
        and invitation.relationship.memberships.current().filter(user=request.user).exists()
    )
    context = {
        "invitation": invitation,
        "problem": problem,
        "already_member": already_member,
        "here": reverse("invitation", args=[token]),
    }
    if problem and not already_member:
        return render(request, "gardens/invitation.html", context, status=410)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('login')}?next={context['here']}")
        try:
            relationship = actions.accept_invitation(request.user, invitation)
        except actions.InvitationUnavailable as error:
            context["problem"] = str(error)
            return render(request, "gardens/invitation.html", context, status=410)
        return redirect("relationship", relationship_id=relationship.pk)
    return render(request, "gardens/invitation.html", context)

"""The relationship's commitments, and changing one (its history stays visible)."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from tend.core.http import posted
from tend.gardens.access import get_membership_for
from tend.repairs import commitments
from tend.repairs.models import SHORT_LIMIT, Commitment


class CommitmentForm(forms.ModelForm):
    class Meta:
        model = Commitment
        fields = ["text", "review_on", "status"]
        labels = {
            "text": gettext_lazy("What"),
            "review_on": gettext_lazy("When to look at it again"),
            "status": gettext_lazy("Where it stands"),
        }
        widgets = {
            "text": forms.TextInput(attrs={"maxlength": SHORT_LIMIT}),
            "review_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "status": forms.RadioSelect,
        }

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Please write what the commitment is."))
        if len(text) > SHORT_LIMIT:
            raise forms.ValidationError(
                _("Please keep it under %(limit)d characters.") % {"limit": SHORT_LIMIT}
            )
        return text

    def clean_review_on(self) -> object:
        review_on = self.cleaned_data["review_on"]
        if review_on.year > timezone.localdate().year + 2:
            raise forms.ValidationError(_("Please choose a day within the next two years."))
        return review_on


@require_GET
def relationship_commitments(request: HttpRequest, relationship_id: int) -> HttpResponse:
    relationship = get_membership_for(request.user, relationship_id).relationship
    items = relationship.commitments.prefetch_related("revisions__edited_by")
    return render(
        request,
        "repairs/commitments.html",
        {"relationship": relationship, "commitments": items},
    )


@require_http_methods(["GET", "POST"])
def edit_commitment(request: HttpRequest, relationship_id: int, commitment_id: int) -> HttpResponse:
    relationship = get_membership_for(request.user, relationship_id).relationship
    commitment = get_object_or_404(Commitment, pk=commitment_id, relationship=relationship)
    form = CommitmentForm(posted(request), instance=Commitment.objects.get(pk=commitment.pk))
    if request.method == "POST":
        if form.is_valid():
            commitments.edit(request.user, commitment, **form.cleaned_data)
            messages.success(request, _("Saved. The earlier wording stays in its history."))
            return redirect("relationship_commitments", relationship_id=relationship.pk)
        status = 400
    else:
        status = 200
    return render(
        request,
        "repairs/commitment_edit.html",
        {"relationship": relationship, "commitment": commitment, "form": form},
        status=status,
    )

"""The relationship's commitments kept together: the ledger, the maker's changes,
the others' suggestions, and check-ins on review dates.

Every view finds the relationship through the one membership helper (a 404 for
anyone who is not a current member) and leaves the rules and the writing to
`tend.repairs.commitments`. A move that is someone else's is a 403, one that does
not fit now a 409, each with the words of the refusal.
"""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from tend.core.http import posted
from tend.gardens.access import get_membership_for
from tend.gardens.models import Relationship
from tend.repairs import commitments
from tend.repairs.machine import commitments as rules
from tend.repairs.machine.kinds import Refused
from tend.repairs.models import (
    SHORT_LIMIT,
    Commitment,
    CommitmentCheckIn,
    CommitmentSuggestion,
)

LEDGER_TRIGGERS = ", ".join(
    f"tend:{kind} from:body"
    for kind in (
        "commitment_changed",
        "commitment_suggested",
        "commitment_suggestion_declined",
        "commitment_suggestion_withdrawn",
        "commitment_checked_in",
    )
)


def _short(text: str, *, required: str = "") -> str:
    text = text.strip()
    if required and not text:
        raise forms.ValidationError(required)
    if len(text) > SHORT_LIMIT:
        raise forms.ValidationError(
            _("Please keep it under %(limit)d characters.") % {"limit": SHORT_LIMIT}
        )
    return text


def _within_two_years(day: date | None, *, earliest: date) -> date | None:
    if day is None:
        return None
    if day < earliest:
        raise forms.ValidationError(_("Please choose a day from today on."))
    if day.year > timezone.localdate().year + 2:
        raise forms.ValidationError(_("Please choose a day within the next two years."))
    return day


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SHORT_WIDGET = forms.TextInput(attrs={"maxlength": SHORT_LIMIT})


class CommitmentForm(forms.ModelForm):
    class Meta:
        model = Commitment
        fields = ["text", "review_on", "status"]
        labels = {
            "text": gettext_lazy("What"),
            "review_on": gettext_lazy("When to look at it again"),
            "status": gettext_lazy("Where it stands"),
        }
        widgets = {"text": SHORT_WIDGET, "review_on": DATE_WIDGET, "status": forms.RadioSelect}

    def clean_text(self) -> str:
        return _short(self.cleaned_data["text"], required=_("Please write what the commitment is."))

    def clean_review_on(self) -> object:
        review_on = self.cleaned_data["review_on"]
        if review_on.year > timezone.localdate().year + 2:
            raise forms.ValidationError(_("Please choose a day within the next two years."))
        return review_on


class SuggestionForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("New wording"), required=False, widget=SHORT_WIDGET, strip=True
    )
    review_on = forms.DateField(
        label=gettext_lazy("A new day to look at it again"), required=False, widget=DATE_WIDGET
    )
    note = forms.CharField(
        label=gettext_lazy("A short note, if you like"),
        required=False,
        widget=SHORT_WIDGET,
        strip=True,
    )

    def __init__(self, *args: Any, commitment: Commitment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commitment = commitment

    def clean_text(self) -> str:
        return _short(self.cleaned_data["text"])

    def clean_note(self) -> str:
        return _short(self.cleaned_data["note"])

    def clean_review_on(self) -> date | None:
        return _within_two_years(self.cleaned_data["review_on"], earliest=timezone.localdate())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text, day = data.get("text"), data.get("review_on")
        if (
            not self.errors
            and (text in ("", self.commitment.text))
            and (day in (None, self.commitment.review_on))
        ):
            raise forms.ValidationError(_("Please suggest new wording, a new day, or both."))
        return data


class CheckInForm(forms.Form):
    answer = forms.ChoiceField(
        label=gettext_lazy("How is it going?"),
        choices=CommitmentCheckIn.Answer.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("A short note, if you like"),
        required=False,
        widget=SHORT_WIDGET,
        strip=True,
    )

    def clean_note(self) -> str:
        return _short(self.cleaned_data["note"])


class NextReviewForm(forms.Form):
    review_on = forms.DateField(label=gettext_lazy("Next time to look at it"), widget=DATE_WIDGET)

    def clean_review_on(self) -> date | None:
        earliest = timezone.localdate() + timedelta(days=1)
        day = self.cleaned_data["review_on"]
        if day < earliest:
            raise forms.ValidationError(_("Please choose a day after today."))
        return _within_two_years(day, earliest=earliest)


def _refused(request: HttpRequest, relationship: Relationship, refusal: Refused) -> HttpResponse:
    status = 403 if isinstance(refusal, rules.NotYours) else 409
    return render(
        request,
        "repairs/commitment_refused.html",
        {"relationship": relationship, "message": refusal.message},
        status=status,
    )


def _commitment_of(request: HttpRequest, relationship_id: int, commitment_id: int) -> Commitment:
    relationship = get_membership_for(request.user, relationship_id).relationship
    return get_object_or_404(
        Commitment.objects.select_related("relationship"),
        pk=commitment_id,
        relationship=relationship,
    )


def _to_ledger(commitment: Commitment) -> HttpResponse:
    ledger = reverse("relationship_commitments", args=[commitment.relationship_id])
    return redirect(f"{ledger}#commitment-{commitment.pk}")


def _ledger_items(relationship: Relationship, user_id: int) -> list[dict[str, Any]]:
    members = commitments.member_ids(relationship.pk)
    today = timezone.localdate()
    items = relationship.commitments.prefetch_related(
        "revisions__edited_by", "suggestions__suggested_by", "check_ins__person"
    )
    groups: dict[str, list[dict[str, Any]]] = {status: [] for status in Commitment.Status}
    for c in items:
        check_ins = list(c.check_ins.all())
        this_round = [ci for ci in check_ins if ci.review_on == c.review_on]
        suggestions = list(c.suggestions.all())
        due = rules.is_due(c, today)
        groups[c.status].append(
            {
                "c": c,
                "mine": c.owner_id == user_id,
                "may_change": rules.may_change(c, user_id, members),
                "may_suggest": rules.may_suggest(c, user_id, members),
                "due": due,
                "this_round": this_round if due else [],
                "my_check_in": next((ci for ci in this_round if ci.person_id == user_id), None)
                if due
                else None,
                "check_ins": check_ins,
                "open_suggestions": [
                    s for s in suggestions if s.status == CommitmentSuggestion.Status.OPEN
                ],
                "answered_suggestions": [
                    s for s in suggestions if s.status != CommitmentSuggestion.Status.OPEN
                ],
                "revisions": list(c.revisions.all()),
                # Ids of their own, so several forms on the ledger never share one.
                "check_in_form": CheckInForm(auto_id=f"check-in-{c.pk}-%s"),
                "next_form": NextReviewForm(auto_id=f"next-{c.pk}-%s"),
            }
        )
    return [
        {"key": status.value, "label": status.label, "items": groups[status]}
        for status in Commitment.Status
    ]


@require_http_methods(["GET"])
def relationship_commitments(request: HttpRequest, relationship_id: int) -> HttpResponse:
    relationship = get_membership_for(request.user, relationship_id).relationship
    return render(
        request,
        "repairs/commitments.html",
        {
            "relationship": relationship,
            "groups": _ledger_items(relationship, request.user.pk),
            "triggers": LEDGER_TRIGGERS,
        },
    )


def _form_page(
    request: HttpRequest,
    template: str,
    commitment: Commitment,
    form: forms.BaseForm,
    act: Callable[[], None],
    done: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """GET shows the form; a valid POST acts and goes back to the ledger; an invalid
    one shows the form again with what was written and its message (400)."""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                act()
            except Refused as refusal:
                return _refused(request, commitment.relationship, refusal)
            messages.success(request, done)
            return _to_ledger(commitment)
        status = 400
    context = {"relationship": commitment.relationship, "commitment": commitment, "form": form}
    return render(request, template, context | (extra or {}), status=status)


@require_http_methods(["GET", "POST"])
def edit_commitment(request: HttpRequest, relationship_id: int, commitment_id: int) -> HttpResponse:
    commitment = _commitment_of(request, relationship_id, commitment_id)
    try:
        rules.check_change(
            commitment, request.user.pk, commitments.member_ids(commitment.relationship_id)
        )
    except Refused as refusal:
        return _refused(request, commitment.relationship, refusal)
    form = CommitmentForm(posted(request), instance=Commitment.objects.get(pk=commitment.pk))
    return _form_page(
        request,
        "repairs/commitment_edit.html",
        commitment,
        form,
        lambda: commitments.edit(request.user, commitment, **form.cleaned_data),
        _("Saved. The earlier wording stays in its history."),
    )


@require_http_methods(["GET", "POST"])
def suggest_change(request: HttpRequest, relationship_id: int, commitment_id: int) -> HttpResponse:
    commitment = _commitment_of(request, relationship_id, commitment_id)
    try:
        rules.check_suggest(
            commitment, request.user.pk, commitments.member_ids(commitment.relationship_id)
        )
    except Refused as refusal:
        return _refused(request, commitment.relationship, refusal)
    form = SuggestionForm(posted(request), commitment=commitment)
    return _form_page(
        request,
        "repairs/commitment_suggest.html",
        commitment,
        form,
        lambda: commitments.suggest(request.user, commitment, **form.cleaned_data),
        _("Suggested. %(name)s decides whether to take it up.") % {"name": commitment.owner_name},
    )


@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest, relationship_id: int, commitment_id: int) -> HttpResponse:
    commitment = _commitment_of(request, relationship_id, commitment_id)
    try:
        rules.check_check_in(commitment, timezone.localdate())
    except Refused as refusal:
        return _refused(request, commitment.relationship, refusal)
    said = CommitmentCheckIn.objects.filter(
        commitment=commitment, person=request.user, review_on=commitment.review_on
    ).first()
    initial = {"answer": said.answer, "note": said.note} if said else None
    form = CheckInForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            made = commitments.check_in(request.user, commitment, **form.cleaned_data)
        except Refused as refusal:
            return _refused(request, commitment.relationship, refusal)
        if made.answer == CommitmentCheckIn.Answer.CHANGE:
            # "Let's change it" goes on to the change itself.
            members = commitments.member_ids(commitment.relationship_id)
            if rules.may_suggest(commitment, request.user.pk, members):
                messages.success(request, _("Thank you. What would you change?"))
                return redirect("commitment_suggest", relationship_id, commitment.pk)
            messages.success(request, _("Thank you. How would you like to change it?"))
            return redirect("commitment_edit", relationship_id, commitment.pk)
        messages.success(request, _("Thank you for checking in."))
        return _to_ledger(commitment)
    return render(
        request,
        "repairs/commitment_check_in.html",
        {"relationship": commitment.relationship, "commitment": commitment, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def next_review(request: HttpRequest, relationship_id: int, commitment_id: int) -> HttpResponse:
    commitment = _commitment_of(request, relationship_id, commitment_id)
    try:
        rules.check_change(
            commitment, request.user.pk, commitments.member_ids(commitment.relationship_id)
        )
    except Refused as refusal:
        return _refused(request, commitment.relationship, refusal)
    form = NextReviewForm(posted(request))
    return _form_page(
        request,
        "repairs/commitment_next.html",
        commitment,
        form,
        lambda: commitments.next_review(request.user, commitment, form.cleaned_data["review_on"]),
        _("Saved. Everyone here will be asked again on that day."),
    )


def _suggestion_move(
    move: Callable[[Any, CommitmentSuggestion], None], done: str
) -> Callable[[HttpRequest, int, int, int], HttpResponse]:
    @require_POST
    def view(
        request: HttpRequest, relationship_id: int, commitment_id: int, suggestion_id: int
    ) -> HttpResponse:
        commitment = _commitment_of(request, relationship_id, commitment_id)
        suggestion = get_object_or_404(
            CommitmentSuggestion.objects.select_related("commitment"),
            pk=suggestion_id,
            commitment=commitment,
        )
        try:
            move(request.user, suggestion)
        except Refused as refusal:
            return _refused(request, commitment.relationship, refusal)
        messages.success(request, done)
        return _to_ledger(commitment)

    return view


accept_suggestion = _suggestion_move(
    commitments.accept, gettext_lazy("Taken up. The earlier wording stays in its history.")
)
decline_suggestion = _suggestion_move(
    commitments.decline, gettext_lazy("Thank you for answering. It stays as it is.")
)
withdraw_suggestion = _suggestion_move(commitments.withdraw, gettext_lazy("Taken back."))

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tend.care import gentle
from tend.core.e2e import EnvelopeFormField
from tend.repairs import content
from tend.repairs.models import SHORT_LIMIT, TEXT_LIMIT

INTENSITY_CHOICES = [(str(n), str(n)) for n in range(11)]
NEEDS = {need.key: need for need in content.NEEDS}


def _too_long(limit: int) -> dict[str, str]:
    return {
        "max_length": _(
            "This is longer than %(limit)d characters. Please shorten it; "
            "what you wrote is still here."
        )
        % {"limit": limit}
    }


class IntensityField(forms.TypedChoiceField):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(
            choices=INTENSITY_CHOICES,
            coerce=int,
            empty_value=None,
            required=False,
            widget=forms.RadioSelect(attrs={"class": "scale"}),
            **kwargs,  # type: ignore[arg-type]
        )


class NoticeQuestions(forms.Form):
    """Step 1's questions, only drawn: the answers are read by `private.js` on the
    device and sealed into `NoticeForm`; the server never receives them."""

    signals = forms.MultipleChoiceField(
        label=_("What is your body doing?"),
        choices=[(s.key, s.label) for s in content.BODY_SIGNALS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    feelings = forms.MultipleChoiceField(
        label=_("What are you feeling?"),
        choices=[(f.key, f.label) for f in content.FEELINGS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    own_words = forms.CharField(
        label=_("In your own words (only you see this)"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    state = forms.ChoiceField(
        label=_("Which fits you best right now?"),
        choices=[(s.key, s.label) for s in content.STATES],
        widget=forms.RadioSelect,
        required=False,
    )
    intensity = IntensityField(label=_("How strong is it, from 0 (calm) to 10 (overwhelming)?"))


class NoticeForm(forms.Form):
    """Step 1's noticing, sealed on the device: the ticks, state and intensity as one
    envelope (`notice`), the person's own words as another. The questions themselves
    are drawn by the page (`notice.html`) and read only by `private.js`."""

    notice = EnvelopeFormField()
    own_words = EnvelopeFormField()


class VoiceForm(forms.Form):
    template = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Your message (you can change the words)"),
        max_length=SHORT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3, **gentle.widget_attrs("text")}),
        error_messages={
            "required": _("Please write a few words, or choose one of the messages above."),
            **_too_long(SHORT_LIMIT),
        },
    )


class PlanForm(forms.Form):
    meet_at = forms.DateTimeField(
        label=_("When shall we come back together?"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": _("Please choose a day and time."),
            "invalid": _("Please choose a day and time, like 2026-05-01 20:00."),
        },
    )
    place = forms.CharField(
        label=_("Where? (for example: the bench outside)"),
        max_length=SHORT_LIMIT,
        required=False,
        error_messages=_too_long(SHORT_LIMIT),
    )

    def clean_meet_at(self) -> datetime | None:
        meet_at: datetime | None = self.cleaned_data["meet_at"]
        if meet_at is None:
            return None
        if meet_at <= timezone.now():
            raise forms.ValidationError(_("Please choose a time that has not passed yet."))
        if meet_at.year > timezone.now().year + 1:
            raise forms.ValidationError(_("Please choose a time within the next year."))
        return meet_at


class NeedForm(PlanForm):
    need = forms.ChoiceField(
        label=_("What do you need now?"),
        choices=[(n.key, n.label) for n in content.NEEDS],
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose what you need.")},
    )
    own_words = forms.CharField(
        label=_("In your own words"),
        max_length=SHORT_LIMIT,
        required=False,
        error_messages=_too_long(SHORT_LIMIT),
    )
    field_order = ["need", "own_words", "meet_at", "place"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # A time is asked for only with space; other needs leave it out.
        self.fields["meet_at"].required = False

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        need = NEEDS.get(str(cleaned.get("need", "")))
        if need is None:
            return cleaned
        if need.key == "other" and not cleaned.get("own_words"):
            self.add_error("own_words", _("Please say in a few words what you need."))
        if need.asks_for_plan and not cleaned.get("meet_at") and "meet_at" not in self.errors:
            self.add_error(
                "meet_at", _("With space, please say when you could come back together.")
            )
        if not need.asks_for_plan:
            cleaned["meet_at"] = None
        return cleaned


class EntryForm(forms.Form):
    """One private answer, sealed on the device. With `bring`, `shared` is the owner's
    deliberate plain copy for the conversation (decrypted on their device)."""

    text = EnvelopeFormField()
    bring = forms.BooleanField(required=False)
    shared = forms.CharField(
        max_length=TEXT_LIMIT, required=False, strip=False, error_messages=_too_long(TEXT_LIMIT)
    )


class PracticeForm(forms.Form):
    """How strong it feels, before or after a practice: sealed on the device."""

    sealed = EnvelopeFormField()


class MarksForm(forms.Form):
    marks = EnvelopeFormField()


class ReadinessForm(forms.Form):
    readiness = EnvelopeFormField()


class ConsiderForm(forms.Form):
    considerations = EnvelopeFormField()


# --- Step 5 -------------------------------------------------------------------------------


class SpaceForm(forms.Form):
    text = forms.CharField(
        label=_("Where? A neutral place works well."),
        max_length=SHORT_LIMIT,
        required=False,
        error_messages=_too_long(SHORT_LIMIT),
    )
    choice = forms.ChoiceField(
        label=_("Indoors or outdoors?"),
        choices=[(o.key, o.label) for o in content.SETTINGS],
        widget=forms.RadioSelect,
        required=False,
    )
    detail = forms.ChoiceField(
        label=_("How will you be?"),
        choices=[(o.key, o.label) for o in content.POSTURES],
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        settings: Sequence[content.Option] = content.SETTINGS,
        postures: Sequence[content.Option] = content.POSTURES,
        **kwargs: Any,
    ) -> None:
        """`settings` and `postures`: what the machine offers (together, or apart)."""
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [(o.key, o.label) for o in settings]
        self.fields["detail"].choices = [(o.key, o.label) for o in postures]

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if not any(cleaned.get(name) for name in ("text", "choice", "detail")):
            raise forms.ValidationError(_("Please say at least where, or how you will sit."))
        return cleaned


class TextForm(forms.Form):
    """One short text: an intention, an agreement, a request, an affirmation."""

    text = forms.CharField(
        max_length=SHORT_LIMIT,
        error_messages={
            "required": _("Please write a few words."),
            **_too_long(SHORT_LIMIT),
        },
    )


class RequestForm(TextForm):
    review_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Please choose a date, like 2026-05-01.")},
    )

    def clean_review_on(self) -> object:
        review_on = self.cleaned_data["review_on"]
        today = timezone.localdate()
        if review_on < today:
            raise forms.ValidationError(_("Please choose a day from today on."))
        if review_on.year > today.year + 2:
            raise forms.ValidationError(_("Please choose a day within the next two years."))
        return review_on


class ReflectionForm(forms.Form):
    heard = forms.CharField(
        max_length=TEXT_LIMIT, required=False, error_messages=_too_long(TEXT_LIMIT)
    )
    body = forms.CharField(
        max_length=TEXT_LIMIT, required=False, error_messages=_too_long(TEXT_LIMIT)
    )
    said_aloud = forms.BooleanField(required=False)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if not cleaned.get("said_aloud") and not cleaned.get("heard"):
            raise forms.ValidationError(_("Write what you heard, or tick that you said it aloud."))
        return cleaned


class AnswerReflectionForm(forms.Form):
    heard = forms.TypedChoiceField(
        choices=[(a.key, a.label) for a in content.HEARD_ANSWERS], coerce=lambda v: v == "yes"
    )
    correction = forms.CharField(
        max_length=TEXT_LIMIT, required=False, error_messages=_too_long(TEXT_LIMIT)
    )


class AnswerRequestForm(forms.Form):
    answer = forms.ChoiceField(choices=[(a.key, a.label) for a in content.REQUEST_ANSWERS])
    change = forms.CharField(
        max_length=SHORT_LIMIT, required=False, error_messages=_too_long(SHORT_LIMIT)
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("answer") == "yes_with_change" and not cleaned.get("change"):
            self.add_error("change", _("Please write the change you would say yes to."))
        return cleaned


class RebondForm(forms.Form):
    choice = forms.ChoiceField(
        choices=[(w.key, w.label) for w in content.REBOND_WAYS],
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose a way.")},
    )
    text = forms.CharField(
        max_length=SHORT_LIMIT, required=False, error_messages=_too_long(SHORT_LIMIT)
    )

    def __init__(
        self, *args: Any, ways: Sequence[content.RebondWay] = content.REBOND_WAYS, **kwargs: Any
    ) -> None:
        """`ways`: the ways to reconnect the machine offers (together, or apart)."""
        super().__init__(*args, **kwargs)
        self.ways = ways
        self.fields["choice"].choices = [(w.key, w.label) for w in ways]

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        way = content.find(self.ways, str(cleaned.get("choice", "")))
        if way is not None and way.own_words and not cleaned.get("text"):
            self.add_error("text", _("Please say in a few words what you would like to do."))
        return cleaned


class PresenceForm(forms.Form):
    presence = forms.ChoiceField(
        choices=[(o.key, o.label) for o in content.PRESENCES],
        error_messages={
            "required": _("Please choose together or apart."),
            "invalid_choice": _("Please choose together or apart."),
        },
    )


class ShareForm(forms.Form):
    """Apart, what the speaker types for their listener (each save replaces the last)."""

    text = forms.CharField(
        max_length=TEXT_LIMIT,
        required=False,
        error_messages=_too_long(TEXT_LIMIT),
    )

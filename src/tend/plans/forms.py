from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from tend.plans import catalogue
from tend.plans.actions import Draft
from tend.plans.models import LINE_LIMIT, MOST_LINES, WORD_LIMIT

# How long someone usually needs before coming back together, in minutes.
DURATIONS = [
    ("", _("I'm not sure")),
    ("15", _("About a quarter of an hour")),
    ("30", _("About half an hour")),
    ("60", _("About an hour")),
    ("120", _("About two hours")),
    ("240", _("A few hours")),
    ("1440", _("About a day")),
]


def _lines(text: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > MOST_LINES:
        raise forms.ValidationError(
            ngettext_lazy(
                "Please keep it to %(most)d line; what you wrote is still here.",
                "Please keep it to %(most)d lines; what you wrote is still here.",
                MOST_LINES,
            )
            % {"most": MOST_LINES}
        )
    if any(len(line) > LINE_LIMIT for line in lines):
        raise forms.ValidationError(
            _("Each line can be up to %(limit)d characters; what you wrote is still here.")
            % {"limit": LINE_LIMIT}
        )
    return lines


class PlanForm(forms.Form):
    flooded_word = forms.CharField(
        label=_('A word or sign that means "I\'m flooded"'),
        help_text=_("Something any of you can say or show when it gets too much."),
        max_length=WORD_LIMIT,
        required=False,
        error_messages={
            "max_length": _(
                "Please keep it to %(limit_value)d characters; what you wrote is still here."
            )
        },
    )
    needs = forms.MultipleChoiceField(
        label=_("What you usually need when you're flooded"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    minutes = forms.TypedChoiceField(
        label=_("How long you usually need"),
        choices=DURATIONS,
        coerce=int,
        empty_value=None,
        required=False,
    )
    places = forms.CharField(
        label=_("Places to come back together (one on each line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    agreements = forms.CharField(
        label=_("Agreements for when you talk (one on each line)"),
        help_text=_("They come already agreed in the next repair. You can still change them."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    rebond_ways = forms.MultipleChoiceField(
        label=_("Ways you like to reconnect"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # The choices come from the process above (`catalogue`), known once it is ready.
        self.fields["needs"].choices = [(c.key, c.label) for c in catalogue.needs()]  # type: ignore[attr-defined]
        self.fields["rebond_ways"].choices = [  # type: ignore[attr-defined]
            (c.key, c.label) for c in catalogue.rebond_ways()
        ]

    def clean_places(self) -> list[str]:
        return _lines(self.cleaned_data["places"])

    def clean_agreements(self) -> list[str]:
        return _lines(self.cleaned_data["agreements"])

    def draft(self) -> Draft:
        data = self.cleaned_data
        return Draft(
            flooded_word=data["flooded_word"],
            places=data["places"],
            agreements=data["agreements"],
            rebond_ways=data["rebond_ways"],
            needs=data["needs"],
            minutes=data["minutes"],
        )

from django import forms
from django.utils.translation import gettext_lazy as _

from tend.notify import kinds
from tend.notify.models import Preference

LEAD_CHOICES = [
    (0, _("At the time itself")),
    (5, _("5 minutes before")),
    (10, _("10 minutes before")),
    (15, _("15 minutes before")),
    (30, _("30 minutes before")),
    (60, _("An hour before")),
    (120, _("Two hours before")),
]


class PreferenceForm(forms.ModelForm):
    """Each kind on or off per channel, the lead time, the quiet hours."""

    reconvene_lead_minutes = forms.TypedChoiceField(
        label=_("Remind me of a time we agreed to come back together"),
        choices=LEAD_CHOICES,
        coerce=int,
    )
    quiet_start = forms.TimeField(
        label=_("Quiet from"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("In your own time zone. Leave both empty for no quiet hours."),
    )
    quiet_end = forms.TimeField(
        label=_("Quiet until"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    class Meta:
        model = Preference
        fields = [
            "detail",
            "reconvene_lead_minutes",
            "quiet_start",
            "quiet_end",
            "reconvene_in_quiet",
        ]
        labels = {
            "detail": _("What notifications say"),
            "reconvene_in_quiet": _("Remind me of a time we agreed even during quiet hours"),
        }
        widgets = {"detail": forms.RadioSelect}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for channel, _label in kinds.CHANNELS:
            for kind in kinds.KINDS:
                name = f"{channel}:{kind.key}"
                self.fields[name] = forms.BooleanField(
                    label=kind.label,
                    required=False,
                    initial=kind.key in getattr(self.instance, channel),
                )

    def grid(self) -> list[tuple[object, list[tuple[forms.BoundField, object]]]]:
        """Rows of the table: a kind, and its box for each channel."""
        return [
            (
                kind.label,
                [(self[f"{channel}:{kind.key}"], label) for channel, label in kinds.CHANNELS],
            )
            for kind in kinds.KINDS
        ]

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.Meta.fields]

    def clean(self) -> dict[str, object]:
        data = super().clean()
        start, end = data.get("quiet_start"), data.get("quiet_end")
        if (start is None) != (end is None):
            raise forms.ValidationError(_("Give both times for quiet hours, or leave both empty."))
        return data

    def save(self, commit: bool = True) -> Preference:
        preference = super().save(commit=False)
        for channel, _label in kinds.CHANNELS:
            setattr(
                preference,
                channel,
                [
                    kind.key
                    for kind in kinds.KINDS
                    if self.cleaned_data.get(f"{channel}:{kind.key}")
                ],
            )
        if commit:
            preference.save()
        return preference

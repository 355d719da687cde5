from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tend.history.models import NOTE_LIMIT, THEME_LIMIT


def _limited(text: str, limit: int) -> str:
    if len(text) > limit:
        raise forms.ValidationError(
            _("Please keep it under %(limit)d characters.") % {"limit": limit}
        )
    return text


class NoteForm(forms.Form):
    helped = forms.CharField(
        label=gettext_lazy("What helped"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_LIMIT}),
    )
    next_time = forms.CharField(
        label=gettext_lazy("What I'd try next time"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_LIMIT}),
    )

    def clean_helped(self) -> str:
        return _limited(self.cleaned_data["helped"], NOTE_LIMIT)

    def clean_next_time(self) -> str:
        return _limited(self.cleaned_data["next_time"], NOTE_LIMIT)


class ThemeForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("A few words for what this was about"),
        help_text=gettext_lazy("For example “plans changing” or “money”."),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": THEME_LIMIT}),
    )

    def clean_text(self) -> str:
        text = " ".join(self.cleaned_data["text"].split())
        if not text:
            raise forms.ValidationError(_("Please write a few words for the theme."))
        return _limited(text, THEME_LIMIT)

from django import forms
from django.utils.translation import gettext_lazy as _

from tend.gardens.models import Relationship


class RelationshipForm(forms.ModelForm):
    class Meta:
        model = Relationship
        fields = ["name", "kind"]
        labels = {
            "name": _("A name for this relationship"),
            "kind": _("What kind of relationship is it?"),
        }
        help_texts = {"name": _("Only its members see it. For example: Us, or Mum and me.")}
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # A required radio has no blank choice: nothing is picked until the person picks.
        self.fields["kind"].choices = Relationship.Kind.choices  # type: ignore[attr-defined]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Please give it a name."))
        return name

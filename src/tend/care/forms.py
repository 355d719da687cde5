from django import forms
from django.utils.translation import gettext_lazy as _

from tend.core.e2e import EnvelopeFormField


class SafetyForm(forms.Form):
    """The private safety answer, sealed on the device ({"feels_safe": "yes"|"no"}).

    `proceed`: the device says the person goes on with the move the question
    interrupted (it does so only when its answer is "yes")."""

    sealed = EnvelopeFormField(
        required=True, error_messages={"required": _("Please choose one answer.")}
    )
    proceed = forms.BooleanField(required=False)

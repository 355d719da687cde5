"""Setting up one screen for step 5: adding a guest, or a member who is here too."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from tend.accounts.confirm import password_is_right
from tend.repairs import actions, machine, scene, screen
from tend.repairs.models import Participation, Repair
from tend.repairs.views.common import render_step, repair_view, to_overview


class GuestForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Their name"),
        max_length=60,
        error_messages={"required": gettext_lazy("Please write their name.")},
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Please write their name."))
        return name


class PresentForm(forms.Form):
    member = forms.TypedChoiceField(label=gettext_lazy("Who is here with you?"), coerce=int)
    password = forms.CharField(
        label=gettext_lazy("Their password (they type it themselves)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, choices: list[tuple[int, str]], *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["member"].choices = choices  # type: ignore[attr-defined]


def _members_not_on_screen(
    request: HttpRequest, repair: Repair, me: Participation
) -> list[Participation]:
    on_screen = set(screen.added(request, repair)) | {me.pk}
    return [
        p for p in scene.participants(repair) if p.user_id is not None and p.pk not in on_screen
    ]


@require_http_methods(["GET", "POST"])
@repair_view
def one_screen(request: HttpRequest, repair: Repair, participation: Participation) -> HttpResponse:
    """Add the people sitting here: a guest by name, or a member with their password."""
    machine.check(repair, participation, machine.Action.ADD_GUEST)
    others = _members_not_on_screen(request, repair, participation)
    choices = [(p.pk, p.name) for p in others]
    guest_form = GuestForm(prefix="guest")
    present_form = PresentForm(choices, prefix="present")
    status = 200
    if request.method == "POST" and "guest-name" in request.POST:
        guest_form = GuestForm(request.POST, prefix="guest")
        if guest_form.is_valid():
            guest = actions.add_guest(repair, participation, guest_form.cleaned_data["name"])
            screen.add(request, repair, guest)
            messages.success(
                request, _("%(name)s is with you on this screen.") % {"name": guest.name}
            )
            return to_overview(repair)
        status = 400
    elif request.method == "POST":
        present_form = PresentForm(choices, request.POST, prefix="present")
        if present_form.is_valid():
            member = next(p for p in others if p.pk == present_form.cleaned_data["member"])
            assert member.user is not None
            # Their own password: only they can put themselves on this screen. Checked
            # with the log-in's limits, so this field is no way round them.
            if password_is_right(request, member.user, present_form.cleaned_data["password"]):
                if not member.joined:
                    actions.join(repair, member)
                screen.add(request, repair, member)
                messages.success(
                    request, _("%(name)s is with you on this screen.") % {"name": member.name}
                )
                return to_overview(repair)
            present_form.add_error("password", _("That password is not right."))
        status = 400
    return render_step(
        request,
        "repairs/one_screen.html",
        repair,
        participation,
        {"guest_form": guest_form, "present_form": present_form, "others": others},
        status,
    )


@require_POST
@repair_view
def leave_one_screen(
    request: HttpRequest, repair: Repair, participation: Participation
) -> HttpResponse:
    screen.clear(request, repair)
    return to_overview(repair)

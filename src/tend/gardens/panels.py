"""What the features show on a relationship's page, so that gardens knows none of them.

Gardens draws the page with its members and invitations; a feature adds a panel (a
template, and a function giving that template's context from the viewer's membership,
already checked) from its `AppConfig.ready`.
Panels marked `above` come before the members (a repair's call-out), the others
after the invitations, each group in the order the apps are installed.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from tend.gardens.models import Membership

Context = dict[str, Any]


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[[HttpRequest, Membership], Context]
    above: bool = False


_panels: dict[str, Panel] = {}


def add(
    template: str, context: Callable[[HttpRequest, Membership], Context], *, above: bool = False
) -> None:
    # Keyed by template, so registering again replaces rather than repeats.
    _panels[template] = Panel(template, context, above)


def for_page(request: HttpRequest, membership: Membership) -> Context:
    """The panels' templates and, merged, their contexts: each panel's keys are its own."""
    found: Context = {"panels_above": [], "panels_below": []}
    for panel in _panels.values():
        found |= panel.context(request, membership)
        found["panels_above" if panel.above else "panels_below"].append(panel.template)
    return found

"""What tend notifies about, and the words it uses.

Privacy is in the wording: no message ever carries what anyone wrote, a feeling, a
need, a person's name or which personal step they are in. By default every message
says only that there is something new; a person may choose to see the kind of thing,
and, further, the relationship's name. The words are fixed here, never assembled
from what people typed (the relationship's name is the one exception, by choice).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

NEUTRAL = _("There is something new for you in tend.")


@dataclass(frozen=True)
class Kind:
    key: str
    label: object  # for the preferences page
    says: object  # the sentence at the "kind" level of detail
    is_reminder: bool = False


KINDS: tuple[Kind, ...] = (
    Kind("repair_opened", _("A repair is opened"), _("A repair was opened.")),
    Kind("message_sent", _("A message is sent to you"), _("A message is waiting for you.")),
    Kind("need_asked", _("Someone asks for what they need"), _("Someone asked for something.")),
    Kind(
        "plan_proposed",
        _("A time to come back together is proposed"),
        _("A time to come back together was proposed."),
    ),
    Kind(
        "plan_agreed",
        _("A time to come back together is agreed"),
        _("A time to come back together was agreed."),
    ),
    Kind("repair_completed", _("A repair is completed"), _("A repair was completed.")),
    Kind("commitment_changed", _("A commitment changes"), _("A commitment was changed.")),
    Kind(
        "commitment_suggested",
        _("Someone suggests a change to a commitment"),
        _("A change to a commitment was suggested."),
    ),
    Kind(
        "commitment_suggestion_declined",
        _("A suggested change is answered"),
        _("A suggestion about a commitment was answered."),
    ),
    Kind(
        "commitment_checked_in",
        _("Someone checks in on a commitment"),
        _("Someone checked in on a commitment."),
    ),
    Kind(
        "reconvene",
        _("Before the time you agreed to come back together"),
        _("The time you agreed to come back together is near."),
        is_reminder=True,
    ),
    Kind(
        "commitment_review",
        _("On a commitment's review date, for a short check-in"),
        _("It is time for a short check-in on a commitment."),
        is_reminder=True,
    ),
)
BY_KEY = {kind.key: kind for kind in KINDS}
# The events that notify the other members. Step 5's own moves (together_changed) are
# left out on purpose: the people are together on one screen, and it would be chatty.
EVENT_KINDS = frozenset(kind.key for kind in KINDS if not kind.is_reminder)
TEST = "test"
# What leads to the relationship's commitments rather than to a repair.
ABOUT_COMMITMENTS = frozenset(
    {
        "commitment_changed",
        "commitment_review",
        "commitment_suggested",
        "commitment_suggestion_declined",
        "commitment_checked_in",
    }
)

CHANNELS = (
    ("inapp", pgettext_lazy("channel", "In tend")),
    ("email", pgettext_lazy("channel", "Email")),
    ("push", pgettext_lazy("channel", "On this phone or computer (push)")),
)
ALL_KINDS = [kind.key for kind in KINDS]
# In tend and push: everything (push needs a device switched on first). Email: opt-in.
DEFAULT_CHANNEL_KINDS = {"inapp": ALL_KINDS, "email": [], "push": ALL_KINDS}


class Detail:
    NEUTRAL = "neutral"
    KIND = "kind"
    RELATIONSHIP = "relationship"

    CHOICES = (
        (NEUTRAL, _("Only that there is something new (the most discreet)")),
        (KIND, _("What kind of thing happened, without names")),
        (RELATIONSHIP, _("What kind of thing happened, and in which relationship")),
    )


def sentence(kind: str, detail: str, relationship_name: str = "") -> str:
    """The one line a notification says, at the person's chosen level of detail."""
    if kind == TEST:
        return str(_("This is a test notification from tend. It works."))
    known = BY_KEY.get(kind)
    if detail == Detail.NEUTRAL or known is None:
        return str(NEUTRAL)
    if detail == Detail.RELATIONSHIP and relationship_name:
        return str(_("“%(name)s”: %(what)s") % {"name": relationship_name, "what": known.says})
    return str(known.says)

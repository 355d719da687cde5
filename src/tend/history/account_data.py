"""History's part of a person's export and of deleting their account.

- The export holds one's own notes of what was learned, and, of the past repairs one
  may read (`tend.repairs.visibility.past_content_seen_by`, relationships one is still
  in), the others' notes and the agreed themes: what the record shows them.
- Deletion removes one's own notes, and one's consents to share a past repair (the
  sharing was theirs to give). Themes are agreed together and stay; who proposed one
  is forgotten (the row's link to the account is cleared by the database).
"""

from typing import Any

from tend.accounts import contributions
from tend.accounts.models import User
from tend.gardens.models import Membership
from tend.history.models import LearnedNote, Theme
from tend.repairs import visibility
from tend.repairs.models import PastShare

Data = dict[str, Any]


def _note(note: LearnedNote) -> Data:
    return {
        "repair_opened_at": note.repair.opened_at,
        "what_helped": note.helped,
        "what_i_would_try_next_time": note.next_time,
        "updated_at": note.updated_at,
    }


def export(user: User) -> Data:
    readable: list[int] = []
    for membership in Membership.objects.current().filter(user=user):
        readable += visibility.past_content_seen_by(membership).values_list("pk", flat=True)
    others = (
        LearnedNote.objects.filter(repair_id__in=readable)
        .exclude(author=user)
        .select_related("repair", "author")
    )
    themes = Theme.objects.filter(
        repair_id__in=readable, status=Theme.Status.AGREED
    ).select_related("repair")
    return {
        "history": {
            "your_notes": [
                _note(n) for n in LearnedNote.objects.filter(author=user).select_related("repair")
            ],
            "notes_shared_with_you": [_note(n) | {"from": n.author.display_name} for n in others],
            "themes": [{"repair_opened_at": t.repair.opened_at, "theme": t.text} for t in themes],
        }
    }


def delete(user: User) -> None:
    LearnedNote.objects.filter(author=user).delete()
    PastShare.objects.filter(by=user).delete()


contributions.contribute(__name__, export=export, delete=delete)

"""Care's part of a person's export and of deleting their account: their safety answers.

Only one's own answers are read here: another member's answer is never exported.
"""

from collections.abc import Callable

from tend.accounts import contributions
from tend.accounts.models import User
from tend.care.models import SafetyAnswer
from tend.gardens import account_data as gardens
from tend.gardens.models import Membership


def _your_answer(user: User) -> Callable[[Membership], gardens.Data]:
    answers = {a.relationship_id: a for a in SafetyAnswer.objects.filter(user=user)}

    def part(membership: Membership) -> gardens.Data:
        answer = answers.get(membership.relationship_id)
        if answer is None:
            return {"your_safety_answer": None}
        return {
            # The answer itself is sealed on the person's device: not readable here.
            "your_safety_answer": {
                "answered": True,
                "answered_at": answer.answered_at,
            }
        }

    return part


def delete(user: User) -> None:
    SafetyAnswer.objects.filter(user=user).delete()


gardens.relationship_part(__name__, _your_answer)
contributions.contribute(__name__, delete=delete)
